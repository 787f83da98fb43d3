"""The library part of the bench dataset (issue 12): 150,000 contents at scale 1.0 (scaled like the rest), about
1,000 of them model contents, 10,000,000 ratings spread over the last year, views and downloads counters.

- **Contents** are written by bench teachers (a minority of teachers write most of them), placed at the author's
  school (the four place ids, as the services do), one version each: mostly published (a few submitted or
  drafts). Titles, summaries and bodies are Bangla (English for one content in ten) made from templates over the
  curriculum tree seeded by the library's migration (every class and subject, its chapters and topics), so the
  words people search for are spread as in real contents. `search_text` is `copying.search_text_of(version)` —
  the very function the services call — and `body_html` is `markdown.render(body)`, as the services save them.
- **Ratings**: one per rater and content, by bench teachers other than the author: the content's raters are the
  teachers `(author + stride·k) mod T` for k = 1…n with a stride prime to T, so every pair is unique and no
  author rates her own content. Made or changed over the last year (never before the content was published);
  stars lean on each content's quality. The rater's school at the time is stored (`rater_school_id`), as the
  rating service does. Written by one `INSERT … SELECT` with `generate_series` (PostgreSQL only).
- **Counters**: `rating_count`, `rating_sum` and `rating_average` are recounted from the ratings written (the
  rating service's rule: the average rounded half up to 2 places); views and downloads as the cache flush would
  have left them.

Bench contents carry recognisable keys (`Content.key`: a fixed 32-bit prefix and the content's number), so the
part is counted by an index range and dropped or reloaded alone, without touching the people. PostgreSQL only
(COPY, generate_series): on another database the part is left out with a line in the log.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection, models

from shikhon.demo import bench_data
from shikhon.demo.bench_data import _mix
from shikhon.library import markdown
from shikhon.library.models import Content, ContentVersion, Rating, Subject, Topic
from shikhon.library.services.copying import search_text_of
from shikhon.people.models import Role

if TYPE_CHECKING:
    from shikhon.demo.bench_data import CopyWriter, OrmWriter, Plan

CONTENTS_AT_FULL_SCALE = 150_000
MODELS_AT_FULL_SCALE = 1_000
RATINGS_AT_FULL_SCALE = 10_000_000
AUTHOR_PERCENT = 6            # teachers who wrote something (the portal: 146,312 contents by ~60,000 teachers)
PUBLISHED_PERCENT = 94        # the rest: submitted (3 %) or drafts
ENGLISH_PERCENT = 10
RATING_DAYS = 365
HISTORY_DAYS = 700            # contents were first published over the last ~two years
SALT = 12_000_000
KEY_PREFIX = 0xBE7C_1200
NUMBER_BITS = 64
# Strides for the raters of a content (primes; one prime to the number of teachers is chosen).
STRIDES = (7919, 104_729, 1_299_709, 15_485_863, 32_452_843, 49_979_687)

CONTENT_FIELDS = ["key", "author", "state", "title", "summary", "grade", "subject", "topic", "kind", "language",
                  "search_text", "published_at", "is_model", "model_since", "model_by", "adaptations_count",
                  "hidden_reason", "rating_count", "rating_sum", "views", "downloads", "used_in_class",
                  "created_at", "updated_at", "school_id", "upazila_id", "district_id", "division_id"]
VERSION_FIELDS = ["content", "number", "state", "title", "summary", "body", "body_html", "grade", "subject", "topic",
                  "kind", "language", "made_by", "created_at", "submitted_at", "decided_at"]

LIBRARY_TABLES: tuple[type[models.Model], ...] = (Content, ContentVersion, Rating)

# ---------------------------------------------------------------- words

KIND_BN = {"lesson_plan": "পাঠ পরিকল্পনা", "slides": "স্লাইড", "video": "ভিডিও পাঠ", "worksheet": "কার্যপত্র",
           "pictures": "ছবির সেট", "audio": "অডিও পাঠ"}
KIND_EN = {"lesson_plan": "lesson plan", "slides": "slides", "video": "video lesson", "worksheet": "worksheet",
           "pictures": "picture set", "audio": "audio lesson"}
KINDS = ["lesson_plan"] * 5 + ["worksheet"] * 3 + ["slides"] * 2 + ["video", "pictures", "audio"]
GRADE_BN = {1: "প্রথম", 2: "দ্বিতীয়", 3: "তৃতীয়", 4: "চতুর্থ", 5: "পঞ্চম", 6: "ষষ্ঠ", 7: "সপ্তম", 8: "অষ্টম",
            9: "নবম", 10: "দশম"}
TITLES_BN = ["{topic}: {kind}", "{topic} — হাতে-কলমে {kind}", "{grade} শ্রেণির {subject}: {topic}",
             "খেলায় খেলায় {topic}", "{topic} শেখার সহজ উপায়", "দলে কাজ: {topic}", "{topic} ({kind}, {chapter})",
             "গল্পে গল্পে {topic}"]
TITLES_EN = ["{topic}: a {kind}", "Learning {topic} by doing", "Class {grade} {subject}: {topic}",
             "{topic} through games", "Group work on {topic}"]
SUMMARIES_BN = [
    "{grade} শ্রেণির শিক্ষার্থীদের জন্য {subject} বিষয়ের \"{chapter}\" অধ্যায় থেকে {topic} শেখানোর {kind}। "
    "৪০ মিনিটের ক্লাসে হাতের কাছের উপকরণ দিয়ে করা যায়।",
    "{topic} নিয়ে একটি {kind}: শিশুরা জোড়ায় কাজ করে, প্রশ্ন করে, নিজেরা উত্তর খোঁজে। {subject}, {grade} শ্রেণি।",
    "বড় ক্লাসেও চলে এমন {kind} — {topic}। শুরুতে একটি গল্প, তারপর দলে কাজ, শেষে ছোট মূল্যায়ন।",
    "আমার বিদ্যালয়ে পরীক্ষা করে দেখা {kind}: {topic} ({chapter})। যারা পিছিয়ে পড়ে, তাদের জন্য আলাদা কাজ আছে।",
]
SUMMARIES_EN = [
    "A {kind} on {topic} for class {grade} {subject} (chapter: {chapter}). Works in a 40-minute period with "
    "materials found in any classroom.",
    "Pupils work in pairs on {topic}, ask questions and find the answers themselves. {subject}, class {grade}.",
]
BODY_BN = [
    "## শিখনফল\n\nএই পাঠ শেষে শিক্ষার্থীরা {topic} সম্পর্কে নিজের ভাষায় বলতে পারবে এবং একটি উদাহরণ দিতে পারবে।\n\n"
    "## উপকরণ\n\n- বোর্ড ও চক\n- {material}\n- খাতা ও পেনসিল\n\n"
    "## ধাপ\n\n1. শুরুতে ৫ মিনিট: আগের পাঠ থেকে একটি প্রশ্ন করুন।\n"
    "2. {topic} বোঝাতে একটি চেনা উদাহরণ দিন; শিশুদের কাছ থেকে আরও উদাহরণ নিন।\n"
    "3. চারজনের দলে ভাগ করুন; প্রতিটি দল {material} দিয়ে কাজটি করবে।\n"
    "4. প্রতিটি দল থেকে একজন বোর্ডে এসে দেখাবে।\n5. শেষে তিনটি প্রশ্নে ছোট মূল্যায়ন।\n\n"
    "## মূল্যায়ন\n\nযারা পারেনি, পরের ক্লাসের শুরুতে তাদের সঙ্গে আবার কাজ করুন।",
    "## কেন এই পাঠ\n\n{subject} বইয়ের \"{chapter}\" অধ্যায়ে {topic} অনেক শিশুর কাছে কঠিন মনে হয়। "
    "হাতে-কলমে কাজ করলে তারা সহজে বোঝে।\n\n## কী লাগবে\n\n- {material}\n- রঙিন কাগজ\n\n"
    "## কীভাবে\n\n- প্রথমে একটি ছোট গল্প বলুন।\n- তারপর জোড়ায় জোড়ায় কাজ: একজন বলবে, অন্যজন লিখবে।\n"
    "- সবশেষে পুরো ক্লাস মিলে উত্তর মিলিয়ে নিন।\n\n## সতর্কতা\n\nপিছনের বেঞ্চের শিশুদের আগে সুযোগ দিন।",
    "## পাঠের সারসংক্ষেপ\n\n{grade} শ্রেণি, {subject}: {topic}। সময় ৪০ মিনিট।\n\n"
    "## কার্যক্রম\n\n1. **পরিচিতি (৫ মিনিট)** — প্রশ্ন দিয়ে শুরু: \"{topic} কোথায় দেখি?\"\n"
    "2. **আলোচনা (১০ মিনিট)** — {material} দেখিয়ে ব্যাখ্যা।\n"
    "3. **দলগত কাজ (১৫ মিনিট)** — কার্যপত্রের প্রশ্নগুলো দলে সমাধান।\n"
    "4. **উপস্থাপন ও মূল্যায়ন (১০ মিনিট)**\n\n## বাড়ির কাজ\n\nবাড়িতে {topic} এর দুটি উদাহরণ খুঁজে খাতায় লিখে আনবে।",
]
BODY_EN = [
    "## Learning outcomes\n\nBy the end of the lesson pupils can explain {topic} in their own words and give an "
    "example.\n\n## Materials\n\n- board and chalk\n- {material}\n\n## Steps\n\n1. Start with a question from the "
    "last lesson.\n2. Show {topic} with a familiar example.\n3. Groups of four work with {material}.\n"
    "4. One pupil of each group shows the answer on the board.\n5. Three short questions to check.",
]
MATERIALS_BN = ["পাথর বা বীজ", "কাঠি ও রাবার ব্যান্ড", "ছবির কার্ড", "পুরনো ক্যালেন্ডার", "মাটির মডেল", "পত্রিকার ছবি"]
MATERIALS_EN = ["stones or seeds", "sticks and rubber bands", "picture cards", "an old calendar"]
BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")

# Words the bench searches for (bench_prepare): in many titles and bodies, whole and partial, Bangla and English.
SEARCH_WHOLE_BN = "দলে"
SEARCH_PARTIAL_BN = "হাতে-কল"   # part of "হাতে-কলমে"; normalised as one word
SEARCH_ENGLISH = "pupils"


def content_count(plan: Plan) -> int:
    return max(1, round(CONTENTS_AT_FULL_SCALE * plan.scale))


def model_count(plan: Plan) -> int:
    return max(1, round(MODELS_AT_FULL_SCALE * plan.scale))


def rating_total(plan: Plan) -> int:
    return max(1, round(RATINGS_AT_FULL_SCALE * plan.scale))


def content_key(number: int) -> uuid.UUID:
    return uuid.UUID(int=(KEY_PREFIX << 96) | number)


def key_range() -> tuple[uuid.UUID, uuid.UUID]:
    return content_key(0), content_key(2**NUMBER_BITS - 1)


def number_of(key: uuid.UUID) -> int:
    return key.int & (2**NUMBER_BITS - 1)


def bench_contents() -> models.QuerySet[Content]:
    return Content.objects.filter(key__range=key_range())


def is_supported() -> bool:
    return connection.vendor == "postgresql"


def library_counts() -> dict[str, int]:
    contents = bench_contents()
    totals = contents.aggregate(ratings=models.Sum("rating_count"), views=models.Sum("views"))
    return {
        "contents": contents.count(),
        "published": contents.filter(published_version__isnull=False).count(),
        "models": contents.filter(is_model=True).count(),
        "ratings": totals["ratings"] or 0,
        "views": totals["views"] or 0,
    }


def is_loaded(plan: Plan) -> bool:
    """The contents are all there and their counters add up to the planned ratings (the counters are recounted
    from the ratings at load time). Always true where the part is not supported (it is left out)."""
    if not is_supported():
        return True
    contents = bench_contents()
    return (contents.count() == content_count(plan)
            and (contents.aggregate(n=models.Sum("rating_count"))["n"] or 0) == rating_total(plan))


def drop_bench_library() -> None:
    """Every bench content with what points at it (versions, files, ratings, comments, reports, reviews…): plain
    SQL, like `bench_data.drop_bench_rows`. Ratings first, in one statement (millions of rows)."""
    if not is_supported() or "library_content" not in connection.introspection.table_names():
        return
    qn = connection.ops.quote_name
    content = qn(Content._meta.db_table)
    low, high = key_range()
    bench = f"SELECT id FROM {content} WHERE {qn('key')} BETWEEN %s AND %s"  # noqa: S608 — quoted model names
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {qn(Rating._meta.db_table)} WHERE {qn('content_id')} IN ({bench})",  # noqa: S608
                       [low, high])
        cursor.execute(f"UPDATE {content} SET {qn('latest_version_id')} = NULL, "  # noqa: S608
                       f"{qn('published_version_id')} = NULL WHERE {qn('key')} BETWEEN %s AND %s", [low, high])
        bench_data._purge(cursor, Content, f"{qn('key')} BETWEEN %s AND %s", [low, high])


# ---------------------------------------------------------------- what to generate


@dataclass(frozen=True)
class Shelf:
    """A place in the curriculum a content is about: its class, subject, chapter and topic (ids and names)."""

    grade: int
    subject_id: int
    topic_id: int
    subject_bn: str
    subject_en: str
    chapter_bn: str
    chapter_en: str
    topic_bn: str
    topic_en: str


def curriculum_shelves() -> list[Shelf]:
    """Every topic of the seeded tree (a chapter without topics counts as its own topic), in tree order."""
    subjects = {s.pk: s for s in Subject.objects.all()}
    chapters = {t.pk: t for t in Topic.objects.filter(parent__isnull=True)}
    with_children = set(Topic.objects.filter(parent__isnull=False).values_list("parent_id", flat=True))
    shelves: list[Shelf] = []
    for topic in Topic.objects.order_by("subject__position", "grade", "parent_id", "number", "pk"):
        if topic.parent_id is None and topic.pk in with_children:
            continue
        chapter = chapters.get(topic.parent_id, topic) if topic.parent_id else topic
        subject = subjects[topic.subject_id]
        shelves.append(Shelf(topic.grade, subject.pk, topic.pk, subject.name_bn, subject.name_en, chapter.name_bn,
                             chapter.name_en, topic.name_bn, topic.name_en))
    if not shelves:
        raise bench_data.BenchDataError("The library's curriculum tree is empty; run `manage.py migrate`.")
    return shelves


@dataclass(frozen=True)
class Written:
    title: str
    summary: str
    body: str
    language: str


def write_content(n: int, shelf: Shelf, kind: str) -> Written:
    """Title, summary and body of content number n (a pure function of n, its shelf and kind)."""
    h = _mix(SALT + n)
    if (h >> 4) % 100 < ENGLISH_PERCENT:
        words = {"topic": shelf.topic_en, "kind": KIND_EN[kind], "grade": str(shelf.grade),
                 "subject": shelf.subject_en, "chapter": shelf.chapter_en,
                 "material": MATERIALS_EN[(h >> 20) % len(MATERIALS_EN)]}
        return Written(TITLES_EN[(h >> 8) % len(TITLES_EN)].format(**words)[:200],
                       SUMMARIES_EN[(h >> 12) % len(SUMMARIES_EN)].format(**words)[:600],
                       BODY_EN[(h >> 16) % len(BODY_EN)].format(**words), "en")
    words = {"topic": shelf.topic_bn, "kind": KIND_BN[kind], "grade": GRADE_BN.get(shelf.grade, str(shelf.grade)),
             "subject": shelf.subject_bn, "chapter": shelf.chapter_bn,
             "material": MATERIALS_BN[(h >> 20) % len(MATERIALS_BN)]}
    return Written(TITLES_BN[(h >> 8) % len(TITLES_BN)].format(**words)[:200],
                   SUMMARIES_BN[(h >> 12) % len(SUMMARIES_BN)].format(**words)[:600],
                   BODY_BN[(h >> 16) % len(BODY_BN)].format(**words), "bn")


@dataclass(frozen=True)
class Row:
    """One bench content to write: its number, author (teacher number), state, words, shelf, kind, moments."""

    n: int
    author: int
    state: str
    written: Written
    shelf: Shelf
    kind: str
    published_at: dt.datetime | None
    created_at: dt.datetime


def _stride(teachers: int) -> list[int]:
    strides = [p for p in STRIDES if math.gcd(p, teachers) == 1 and p % teachers]
    return strides or [1]


def plan_ratings(plan: Plan, published: list[int], teachers: int) -> list[int]:
    """Ratings per published content (by index in `published`): skewed (a few contents get many), summing to
    `rating_total(plan)` exactly, none above the teachers who may rate it (all but its author)."""
    total = rating_total(plan)
    cap = max(0, teachers - 1)
    if not published or cap == 0:
        return [0] * len(published)
    total = min(total, cap * len(published))
    weights = [0.2 + ((_mix(SALT + 3_000_000 + n) % 1000) / 1000) ** 3 * 8 for n in published]
    counts = bench_data.apportion(total, weights)
    while True:  # move what is over the cap to the others, in proportion
        excess = sum(max(0, c - cap) for c in counts)
        if not excess:
            return counts
        counts = [min(c, cap) for c in counts]
        room = [float(cap - c) for c in counts]
        extra = bench_data.apportion(excess, room)
        counts = [c + e for c, e in zip(counts, extra, strict=True)]


def _teachers() -> tuple[array[int], array[int], list[tuple[int, int, int, int]]]:
    """Bench teachers by number: user id, school index, and each school's four place ids."""
    ids, schools = array("q"), array("i")
    places: list[tuple[int, int, int, int]] = []
    index: dict[int, int] = {}
    rows = (Role.objects.filter(kind=Role.Kind.TEACHER,
                                           user__phone__gte=bench_data.bench_phone(bench_data.TEACHER_BASE),
                                           user__phone__lt=bench_data.bench_phone(bench_data.HEAD_TEACHER_BASE))
            .order_by("user__phone").values_list("user_id", "school_id", "upazila_id", "district_id", "division_id"))
    for user_id, *place in rows.iterator(chunk_size=50_000):
        s = index.get(place[0])
        if s is None:
            s = index[place[0]] = len(places)
            places.append(tuple(place))  # type: ignore[arg-type]
        ids.append(user_id)
        schools.append(s)
    return ids, schools, places


# ---------------------------------------------------------------- loading


def load_library(plan: Plan, writer: CopyWriter | OrmWriter, tick: Callable[[str], None],
                 log: Callable[[str], None]) -> None:
    """The library part (drops an earlier one first). Needs the people; PostgreSQL only."""
    if not is_supported():
        log("  library: the library part needs PostgreSQL (generate_series); left out")
        return
    from shikhon.demo.bench_practice import _indexes_built_after

    drop_bench_library()
    tick("library_drop")
    # The people were just copied in, in this transaction: without statistics PostgreSQL takes the million-row
    # tables for empty and joins them row by row (a full-scale load stood still for 17 minutes here).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_user")
        cursor.execute("ANALYZE people_role")
    tick("library_analyze_people")
    shelves = curriculum_shelves()
    teacher_ids, school_of, places = _teachers()
    teachers = len(teacher_ids)
    if not teachers:
        raise bench_data.BenchDataError("The bench has no teachers; run `manage.py bench_dataset --reload`.")
    officers: list[int | None] = [*Role.objects.filter(
        kind=Role.Kind.DISTRICT_OFFICER, user__phone__startswith=bench_data.PHONE_PREFIX,
    ).order_by("id").values_list("user_id", flat=True)] or [None]
    tick("library_plan")

    total = content_count(plan)
    authors = max(1, teachers * AUTHOR_PERCENT // 100)
    spacing = max(1, teachers // authors)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    published_state, submitted_state, draft_state = "published", "submitted", "draft"
    # Model contents: the first published contents in an even spread (by number), promoted over the last year.
    models_wanted = model_count(plan)
    published: list[int] = []
    author_of = array("i")

    def content_row(n: int) -> Row:
        h = _mix(SALT + 1_000_000 + n)
        author = (h % authors) * spacing % teachers
        shelf = shelves[(h >> 8) % len(shelves)]
        kind = KINDS[(h >> 16) % len(KINDS)]
        r = (h >> 24) % 100
        state = published_state if r < PUBLISHED_PERCENT else submitted_state if r < 97 else draft_state
        created = now - dt.timedelta(minutes=(_mix(SALT + 2_000_000 + n) >> 4) % (HISTORY_DAYS * 1440) + 60 * 24 * 3)
        published_at = created + dt.timedelta(days=2) if state == published_state else None
        return Row(n, author, state, write_content(n, shelf, kind), shelf, kind, published_at, created)

    rows = [content_row(n) for n in range(total)]
    for row in rows:
        author_of.append(row.author)
        if row.state == published_state:
            published.append(row.n)
    model_every = max(1, len(published) // max(1, models_wanted))
    model_numbers = set(published[::model_every][:models_wanted])
    rating_counts = dict(zip(published, plan_ratings(plan, published, teachers), strict=True))
    tick("library_write")

    def content_rows() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            w, shelf = row.written, row.shelf
            version = ContentVersion(title=w.title, summary=w.summary, body=w.body)
            h = _mix(SALT + 4_000_000 + row.n)
            ratings = rating_counts.get(row.n, 0)
            views = ratings * (6 + h % 25) + (h >> 8) % 40 if row.published_at else 0
            is_model = row.n in model_numbers
            model_since = (max(row.published_at or now, now - dt.timedelta(days=(h >> 12) % 365))
                           if is_model else None)
            yield (content_key(row.n), teacher_ids[row.author], row.state, w.title, w.summary, shelf.grade,
                   shelf.subject_id, shelf.topic_id, row.kind, w.language, search_text_of(version), row.published_at,
                   is_model, model_since, officers[row.n % len(officers)] if is_model else None, 0, "", 0, 0,
                   views, views // 5 if row.published_at else 0, (h >> 16) % 12 if row.published_at else 0,
                   row.created_at, row.published_at or row.created_at, *places[school_of[row.author]])

    log(f"Loading {total:,} library contents ({len(published):,} published, {len(model_numbers):,} model contents)…")
    with _indexes_built_after(Content, True):  # the search indexes are built once, after the rows are complete
        writer.write(Content, CONTENT_FIELDS, content_rows())
        tick("library_contents")
        ids = _load_versions(rows, teacher_ids, total, log)
        tick("library_versions")
    tick("library_content_indexes")

    _load_ratings(plan, ids, author_of, rating_counts, teachers, now, log)
    del ids
    tick("library_ratings")


def _load_versions(rows: list[Row], teacher_ids: array[int], total: int, log: Callable[[str], None]) -> array[int]:
    """One version per content (its body as safe HTML, as the services save it), then each content pointed at it
    (latest; published when it is). Answers the contents' ids by number."""
    ids = array("q", bytes(8 * total))
    for pk, key in bench_contents().values_list("id", "key").iterator(chunk_size=50_000):
        ids[number_of(key)] = pk
    bodies_html: dict[str, str] = {}

    def html(body: str) -> str:
        made = bodies_html.get(body)
        if made is None:
            made = bodies_html[body] = markdown.render(body)
        return made

    def version_rows() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            w, shelf = row.written, row.shelf
            submitted = row.created_at + dt.timedelta(days=1) if row.state != "draft" else None
            yield (ids[row.n], 1, row.state, w.title, w.summary, w.body, html(w.body), shelf.grade, shelf.subject_id,
                   shelf.topic_id, row.kind, w.language, teacher_ids[row.author], row.created_at, submitted,
                   row.published_at)

    log(f"Loading {total:,} content versions…")
    bench_data.CopyWriter().write(ContentVersion, VERSION_FIELDS, version_rows())
    qn = connection.ops.quote_name
    content_table, version_table = qn(Content._meta.db_table), qn(ContentVersion._meta.db_table)
    low, high = key_range()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {content_table} c SET latest_version_id = v.id, "  # noqa: S608 — quoted model names
            f"published_version_id = CASE WHEN c.state = 'published' THEN v.id END "
            f"FROM {version_table} v WHERE v.content_id = c.id AND c.{qn('key')} BETWEEN %s AND %s", [low, high])
    return ids


def _load_ratings(plan: Plan, ids: array[int], author_of: array[int], rating_counts: dict[int, int], teachers: int,
                  now: dt.datetime, log: Callable[[str], None]) -> None:
    """The ratings, in SQL: a plan per content (its id and number, author's number, ratings, stride, quality), the
    teachers by number, one INSERT … SELECT over generate_series (each rating a pure function of the content's
    number, k and the load's moment); then the counters recounted."""
    from shikhon.demo.bench_practice import _indexes_built_after

    qn = connection.ops.quote_name
    strides = _stride(teachers)
    first = bench_data.bench_phone(bench_data.TEACHER_BASE)
    last = bench_data.bench_phone(bench_data.HEAD_TEACHER_BASE)
    user, role = qn(get_user_model()._meta.db_table), qn(Role._meta.db_table)
    rating, content = qn(Rating._meta.db_table), qn(Content._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raters, bench_rating_plan")
        cursor.execute(
            f"CREATE TEMP TABLE bench_raters ON COMMIT DROP AS "  # noqa: S608 — quoted model names
            f"SELECT (row_number() OVER (ORDER BY u.phone) - 1)::int AS n, r.user_id, r.school_id "
            f"FROM {role} r JOIN {user} u ON u.id = r.user_id "
            f"WHERE r.kind = %s AND u.phone >= %s AND u.phone < %s",
            [str(Role.Kind.TEACHER), first, last])
        cursor.execute("ALTER TABLE bench_raters ADD PRIMARY KEY (n)")
        cursor.execute("CREATE TEMP TABLE bench_rating_plan (content_id bigint, number bigint, author_n int, "
                       "ratings int, stride bigint, quality int) ON COMMIT DROP")
        with cursor.cursor.copy("COPY bench_rating_plan FROM STDIN") as copy:
            for n, count in rating_counts.items():
                if count:
                    h = _mix(SALT + 5_000_000 + n)
                    copy.write_row((ids[n], n, author_of[n], count, strides[h % len(strides)], (h >> 8) % 100))
        cursor.execute("ANALYZE bench_raters")
        cursor.execute("ANALYZE bench_rating_plan")
        log(f"Loading {sum(rating_counts.values()):,} ratings…")
        with _indexes_built_after(Rating, True):
            # A rating's moment: over the last year (or since publication), h a hash of (content, k) in [0, 1).
            cursor.execute(
                f"INSERT INTO {rating} (content_id, rater_id, stars, rater_school_id, created_at, updated_at) "  # noqa: S608
                f"SELECT p.content_id, r.user_id, "
                f"  CASE WHEN v < 5 THEN 1 WHEN v < 14 THEN 2 WHEN v < 32 THEN 3 WHEN v < 66 THEN 4 ELSE 5 END, "
                f"  r.school_id, "
                f"  CASE WHEN g.k %% 10 = 0 THEN GREATEST(c.published_at, at - interval '9 days') ELSE at END, at "
                f"FROM bench_rating_plan p JOIN {content} c ON c.id = p.content_id "
                f"CROSS JOIN LATERAL generate_series(1, p.ratings) AS g(k) "
                f"JOIN bench_raters r ON r.n = ((p.author_n + p.stride * g.k) %% %(teachers)s) "
                f"CROSS JOIN LATERAL (SELECT ((p.number * 7919 + g.k * 2654435761) %% 1000003) / 1000003.0::float8 "
                f"  AS h, "
                f"  ((p.number * 31 + g.k * 40503) %% 100 + p.quality) / 2 AS v) x "
                f"CROSS JOIN LATERAL (SELECT %(now)s::timestamptz - LEAST(interval '{RATING_DAYS} days', "
                f"  %(now)s::timestamptz - c.published_at) * x.h AS at) t",
                {"teachers": teachers, "now": now})
        cursor.execute(
            f"UPDATE {content} c SET rating_count = a.n, rating_sum = a.s, "  # noqa: S608
            f"rating_average = round(a.s::numeric / a.n, 2) "
            f"FROM (SELECT content_id, count(*) AS n, sum(stars) AS s FROM {rating} "
            f"      WHERE content_id IN (SELECT content_id FROM bench_rating_plan) GROUP BY content_id) a "
            f"WHERE a.content_id = c.id")


def verify_library(plan: Plan) -> None:
    """Before commit (the load ran with foreign-key triggers off): every bench content and rating points at an
    existing person, and the counters add up."""
    if not is_supported():
        return
    if not is_loaded(plan):
        raise bench_data.BenchDataError("The library contents or ratings were not all written; nothing was saved.")
    qn = connection.ops.quote_name
    content, user = qn(Content._meta.db_table), qn(get_user_model()._meta.db_table)
    low, high = key_range()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {content} c LEFT JOIN {user} u ON u.id = c.author_id "  # noqa: S608
                       f"WHERE c.{qn('key')} BETWEEN %s AND %s AND u.id IS NULL", [low, high])
        broken = cursor.fetchone()[0]
    if broken:
        raise bench_data.BenchDataError(f"{broken} bench contents point at missing people; nothing was saved.")


# ---------------------------------------------------------------- champion selection (batch work)


def time_selection(repeat: int = 3) -> dict[str, Any]:
    """Champion selection of the last finished week over the whole ratings table, as the service does it (no
    writes): `repeat` runs (the first may read from disk), their seconds, and what was found."""
    from shikhon.recognition.bench import bench_select

    runs = [bench_select() for _ in range(max(1, repeat))]
    seconds = [r["seconds"] for r in runs]
    week = runs[0]["week"]
    start = dt.date.fromisoformat(week)
    from shikhon.recognition.activity import week_bounds

    begin, end = week_bounds(start)
    return {"week": week, "seconds": seconds, "median_seconds": sorted(seconds)[len(seconds) // 2],
            "ratings_in_table": Rating.objects.count(),
            "ratings_in_week": Rating.objects.filter(updated_at__gte=begin, updated_at__lt=end).count(),
            "candidates": runs[-1]["candidates"], "champions": runs[-1]["champions"]}


# ---------------------------------------------------------------- search over the whole library (batch work)

# The words of the search mix: common, partial, English, rare (a chapter of a few classes), two words, none found.
SEARCH_MIX_WORDS = (SEARCH_WHOLE_BN, SEARCH_PARTIAL_BN, SEARCH_ENGLISH, "বীজগণিত", "দলে কাজ", "zzzqqq")


def search_mix() -> list[tuple[str, dict[str, Any]]]:
    """The searches `time_searches` makes: every word of SEARCH_MIX_WORDS with each filter a teacher uses (none,
    the busiest class, class and subject, subject, district and upazila of the public contents, a kind, model
    contents only) in every order. Returns (label, ContentFilters keyword arguments) pairs."""
    from shikhon.library.search import parse_query
    from shikhon.library.selectors.search import SORTS

    public = bench_contents().filter(published_version__isnull=False, hidden_at__isnull=True).order_by()

    def busiest(*fields: str) -> dict[str, Any]:
        row = public.values(*fields).annotate(n=models.Count("id")).order_by("-n", *fields).first()
        assert row is not None, "no public bench contents"
        return row

    grade, shelf = busiest("grade"), busiest("grade", "subject_id")
    subject, district, upazila = busiest("subject_id"), busiest("district_id"), busiest("upazila_id")
    filters: list[tuple[str, dict[str, Any]]] = [
        ("no filter", {}),
        (f"class {grade['grade']}", {"grade": grade["grade"]}),
        ("class + subject", {"grade": shelf["grade"], "subject_id": shelf["subject_id"]}),
        ("subject", {"subject_id": subject["subject_id"]}),
        ("district", {"district_id": district["district_id"]}),
        ("upazila", {"upazila_id": upazila["upazila_id"]}),
        ("kind", {"kind": "worksheet"}),
        ("model contents", {"model_only": True}),
    ]
    return [(f"{word} · {name} · {sort}", {"query": parse_query(word), "sort": sort, **kwargs})
            for word in SEARCH_MIX_WORDS for name, kwargs in filters for sort, _label in SORTS]


def time_searches(repeat: int = 3) -> dict[str, Any]:
    """The first page of every search of `search_mix()`, in-process through the search selector (the page's own
    database work, no template): once cold (the plan's probe may run), then `repeat` times. Milliseconds: p50 and
    p95 of the warm runs over the whole mix, and per filter; the slowest searches by name."""
    import time

    from shikhon.library.selectors.search import ContentFilters, search_contents

    def percentile(values: list[float], share: float) -> float:
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)], 1)

    cold: dict[str, float] = {}
    warm: dict[str, list[float]] = {}
    for label, kwargs in search_mix():
        filters = ContentFilters(**kwargs)
        for run in range(1 + repeat):
            started = time.perf_counter()
            list(search_contents(filters))
            elapsed = (time.perf_counter() - started) * 1000
            if run == 0:
                cold[label] = elapsed
            else:
                warm.setdefault(label, []).append(elapsed)
    every = [ms for runs in warm.values() for ms in runs]
    by_filter: dict[str, list[float]] = {}
    for label, runs in warm.items():
        by_filter.setdefault(label.split(" · ")[1], []).extend(runs)
    medians = {label: sorted(runs)[len(runs) // 2] for label, runs in warm.items()}
    return {
        "searches": len(warm), "runs": len(every),
        "p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95), "max_ms": round(max(every), 1),
        "cold_p95_ms": percentile(list(cold.values()), 0.95),
        "by_filter": {name: {"p50_ms": percentile(runs, 0.5), "p95_ms": percentile(runs, 0.95)}
                      for name, runs in by_filter.items()},
        "slowest": [{"search": label, "median_ms": round(ms, 1)}
                    for label, ms in sorted(medians.items(), key=lambda item: -item[1])[:8]],
    }


# ---------------------------------------------------------------- the bench's requests (bench_prepare)

CONTENT_PAGES = 5000


def library_targets(folder: Any, log: Callable[[str], None] = lambda _msg: None,
                    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The issue-12 pages, public (no session), like the portal's: search with a Bangla whole word, a Bangla part
    of a word and an English word; a filter-only browse (a class and a subject); the model contents page; the
    content page over up to CONTENT_PAGES published contents in turn (a file of requests for bench/cycle.lua)."""
    from urllib.parse import urlencode

    from django.core.management.base import CommandError
    from django.urls import reverse

    from shikhon.demo.bench_practice import _cycle_writer

    if not is_supported():
        log("  library: the library part needs PostgreSQL; its pages are left out")
        return [], {}
    public = bench_contents().filter(published_version__isnull=False, hidden_at__isnull=True)
    if not public.exists():
        raise CommandError("The bench dataset has no library part. Run `manage.py bench_dataset` again (it adds "
                           "the library part to an existing dataset).")
    home, models_page = reverse("library:home"), reverse("library:models")
    busiest = (public.order_by().values("grade", "subject_id").annotate(n=models.Count("id"))
               .order_by("-n", "grade", "subject_id").first())
    assert busiest is not None
    step = max(1, public.count() // CONTENT_PAGES)
    pages = list(public.order_by("id").values_list("id", flat=True)[::step][:CONTENT_PAGES]) if step > 1 else list(
        public.order_by("id").values_list("id", flat=True)[:CONTENT_PAGES])
    rows = [("GET", reverse("library:content", kwargs={"pk": pk}), "", "") for pk in pages]
    write = _cycle_writer(folder)

    def search(name: str, label: str, params: dict[str, Any], note: str) -> dict[str, Any]:
        return {"name": name, "label": label, "path": f"{home}?{urlencode(params)}", "headers": {}, "note": note}

    targets = [
        search("library_search_bn_word", f"library search q={SEARCH_WHOLE_BN}", {"q": SEARCH_WHOLE_BN},
               "a Bangla whole word in many titles and bodies; best match first"),
        search("library_search_bn_part", f"library search q={SEARCH_PARTIAL_BN}", {"q": SEARCH_PARTIAL_BN},
               "part of a Bangla word (trigram index); best match first"),
        search("library_search_en", f"library search q={SEARCH_ENGLISH}", {"q": SEARCH_ENGLISH},
               "an English word (English contents); best match first"),
        search("library_browse", "library browse class + subject",
               {"grade": busiest["grade"], "subject": busiest["subject_id"]},
               f"no words: class {busiest['grade']} and the busiest subject ({busiest['n']:,} contents), newest first"),
        {"name": "library_models", "label": "model contents page", "path": models_page, "headers": {},
         "note": "the model contents' page (shelves by class and subject)"},
        {"name": "library_content", "label": "content page (public)", "path": rows[0][1], "headers": {},
         "cycle": write("cycle-library-content.tsv", rows),
         "note": f"{len(rows):,} published contents in turn, no session (each view counted in the cache)"},
    ]
    info = {**library_counts(), "content_pages": len(rows),
            "browse": {"grade": busiest["grade"], "subject_id": busiest["subject_id"], "contents": busiest["n"]}}
    return targets, info


__all__ = ["CONTENTS_AT_FULL_SCALE", "LIBRARY_TABLES", "MODELS_AT_FULL_SCALE", "RATINGS_AT_FULL_SCALE",
           "bench_contents", "content_count", "drop_bench_library", "is_loaded", "library_counts",
           "library_targets", "load_library", "model_count", "rating_total", "search_mix", "time_searches",
           "time_selection", "verify_library", "write_content"]
