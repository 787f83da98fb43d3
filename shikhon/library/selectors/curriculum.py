"""The curriculum tree a content is filed under (subjects, and per subject and class its chapters and topics), read
for forms and pages. The tree is seeded data (migration 0002; a change is a new migration), small (16 subjects, a few
hundred chapters and topics at most), so it is read whole, once, into the cache: a form or a page asks no query for
it after the first. Names follow the active language (`Subject.name`, `Topic.name`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext

from shikhon.core.bangla import localize_digits
from shikhon.library.models import Subject, Topic

CACHE_KEY = "library-curriculum:v1"
CACHE_SECONDS = 24 * 3600
GRADES: tuple[int, ...] = tuple(range(1, 11))  # the models' range (GRADE_VALIDATORS)
GRADE_MIN, GRADE_MAX = GRADES[0], GRADES[-1]


@dataclass
class Chapter:
    chapter: Topic
    topics: list[Topic] = field(default_factory=list)


@dataclass
class Tree:
    subjects: list[Subject]
    subjects_by_id: dict[int, Subject]
    topics_by_id: dict[int, Topic]
    # (subject id, grade) → its chapters in order, each with its topics in order
    chapters: dict[tuple[int, int], list[Chapter]]


def _load() -> Tree:
    subjects = list(Subject.objects.order_by("position", "code"))
    topics = list(Topic.objects.order_by("subject_id", "grade", "number", "pk"))
    topics_by_id = {t.pk: t for t in topics}
    chapters: dict[tuple[int, int], list[Chapter]] = {}
    by_chapter: dict[int, Chapter] = {}
    for topic in topics:
        if topic.parent_id is None:
            entry = Chapter(chapter=topic)
            by_chapter[topic.pk] = entry
            chapters.setdefault((topic.subject_id, topic.grade), []).append(entry)
    for topic in topics:
        if topic.parent_id is not None and topic.parent_id in by_chapter:
            by_chapter[topic.parent_id].topics.append(topic)
    return Tree(subjects=subjects, subjects_by_id={s.pk: s for s in subjects}, topics_by_id=topics_by_id,
                chapters=chapters)


def tree() -> Tree:
    """The whole tree: from the cache (no query), else two queries (then kept for a day)."""
    found = cache.get(CACHE_KEY)
    if isinstance(found, Tree):
        return found
    loaded = _load()
    cache.set(CACHE_KEY, loaded, CACHE_SECONDS)
    return loaded


def forget() -> None:
    """For a data migration or a test that changes the tree."""
    cache.delete(CACHE_KEY)


# ---------------------------------------------------------------- reads


def subject_get(pk: object) -> Subject | None:
    try:
        return tree().subjects_by_id.get(int(pk))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def topic_get(pk: object) -> Topic | None:
    try:
        return tree().topics_by_id.get(int(pk))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def is_taught_in(subject: Subject, grade: int) -> bool:
    return subject.grade_from <= grade <= subject.grade_to


def subjects_for_grade(grade: int | None) -> list[Subject]:
    """The subjects taught in this class, in the curriculum's order (every subject for no class)."""
    subjects = tree().subjects
    return subjects if grade is None else [s for s in subjects if is_taught_in(s, grade)]


def chapters_of(subject_id: int | None, grade: int | None) -> list[Chapter]:
    """A subject's chapters in one class, each with its topics (empty when either is missing)."""
    if subject_id is None or grade is None:
        return []
    return tree().chapters.get((subject_id, grade), [])


def topic_fits(topic: Topic, *, subject_id: int, grade: int) -> bool:
    """Whether a chapter or topic belongs to this subject in this class."""
    return topic.subject_id == subject_id and topic.grade == grade


def chapter_of(topic: Topic | None) -> Topic | None:
    """The chapter a topic lies in (itself for a chapter); None for none."""
    if topic is None:
        return None
    if topic.parent_id is None:
        return topic
    return tree().topics_by_id.get(topic.parent_id)


def place_in_tree(topic: Topic | None) -> list[Topic]:
    """Chapter, then topic (one entry for a chapter itself), names in the active language: for a page."""
    chapter = chapter_of(topic)
    if topic is None or chapter is None:
        return []
    return [chapter] if chapter.pk == topic.pk else [chapter, topic]


# ---------------------------------------------------------------- choices for forms


def grade_label(grade: int) -> str:
    return gettext("Class %(grade)s") % {"grade": localize_digits(grade)}


def grade_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [(str(g), grade_label(g)) for g in GRADES]


def subject_choices(grade: int | None = None) -> list[tuple[str, str]]:
    """Subjects for a select (those taught in `grade` when it is known), names in the active language."""
    return [("", "---------")] + [(str(s.pk), s.name) for s in subjects_for_grade(grade)]


def chapter_label(chapter: Topic) -> str:
    return gettext("Chapter %(number)s: %(name)s") % {"number": localize_digits(chapter.number),
                                                       "name": chapter.name}


def topic_choices(subject_id: int | None, grade: int | None) -> list[tuple[str, object]]:
    """The chapters and topics of a subject in a class for a select, grouped by chapter: each group offers the
    whole chapter, then its topics. Only the empty choice when the subject or class is not chosen yet."""
    choices: list[tuple[str, object]] = [("", gettext("The whole subject (no chapter)"))]
    for entry in chapters_of(subject_id, grade):
        if not entry.topics:
            options = [(str(entry.chapter.pk), entry.chapter.name)]
        else:
            options = [(str(entry.chapter.pk), gettext("The whole chapter"))]
            options += [(str(t.pk), t.name) for t in entry.topics]
        choices.append((chapter_label(entry.chapter), options))
    return choices
