"""Writing courses in the site: details, modules, activities (video, captions, printable sheet), quizzes
and questions, and the way from draft through review to published, with new versions.

Every function checks permission (courses.permissions), validates (full_clean), runs in one transaction
and tells people (notifications) only after commit. Only a draft is edited; a published course gets a
new draft version first (`course_new_version`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_number
from shikhon.core.uploads import CheckedUpload, UploadRefused, check_upload
from shikhon.courses import audit_actions, notifications
from shikhon.courses.models import Activity, Choice, Course, Module, Question, Quiz
from shikhon.courses.permissions import ensure_can_author, ensure_can_edit, ensure_can_review
from shikhon.courses.slugs import slug_for_title
from shikhon.notify.services import Tell, notification_send, notifications_send_many
from shikhon.people.selectors import national_admins

if TYPE_CHECKING:
    from shikhon.media.models import Video
    from shikhon.people.models import User

MAX_CHOICES = 5
CHOICE_MAX_LENGTH = 300
UP, DOWN = "up", "down"

COURSE_FIELDS = ("title", "slug", "summary", "subject", "grade_from", "grade_to", "estimated_hours")
ACTIVITY_FIELDS = ("title", "summary", "materials", "duration_minutes", "steps", "learner_actions", "try_prompt")


# ---------------------------------------------------------------- helpers


def _course_of(obj: Course | Module | Activity | Quiz | Question) -> Course:
    if isinstance(obj, Course):
        return obj
    if isinstance(obj, Module):
        return obj.course
    if isinstance(obj, Activity):
        return obj.module.course
    if isinstance(obj, Quiz):
        return obj.module.course
    return obj.quiz.module.course


def _ensure_edit(actor: User, obj: Course | Module | Activity | Quiz | Question) -> Course:
    """The course of `obj`, fresh from the database and locked, after checking it is a draft the actor
    may edit (a course sent for review meanwhile is not edited behind the reviewer's back)."""
    course = _course_of(obj)
    locked = Course.objects.select_for_update().filter(pk=course.pk).first()
    if locked is None:
        raise PermissionDenied
    ensure_can_edit(actor, locked)
    course.status = locked.status
    return locked


def _set_fields(obj: Any, fields: Iterable[str], values: dict[str, Any]) -> None:
    for name in fields:
        if name in values and values[name] is not None:
            setattr(obj, name, values[name])


def _check_slug(course: Course) -> None:
    taken = Course.objects.filter(slug=course.slug).exclude(family=course.family).exists()
    if taken:
        raise ValidationError({"slug": _("Another course already uses this web address name. Choose another one.")},
                              code="slug_taken")


def _check_prerequisites(course: Course, prerequisites: Sequence[Course]) -> list[Course]:
    chosen = list(prerequisites)
    for other in chosen:
        if other.status != Course.Status.PUBLISHED:
            raise ValidationError({"prerequisites": _("A prerequisite must be a published course.")},
                                  code="prerequisite_not_published")
        if other.family == course.family:
            raise ValidationError({"prerequisites": _("A course cannot be its own prerequisite.")},
                                  code="prerequisite_self")
    return chosen


def _renumber(queryset: QuerySet[Any]) -> None:
    """Positions 0..n-1 in the current order, writing only rows whose position changes."""
    for position, row in enumerate(queryset.order_by("position", "pk")):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def _move(obj: Module | Activity, siblings: QuerySet[Any], direction: str) -> None:
    if direction not in (UP, DOWN):
        raise ValidationError(_("Choose up or down."), code="bad_direction")
    _renumber(siblings)
    rows = list(siblings.order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if direction == UP else index + 1
    if other < 0 or other >= len(rows):
        return  # already first or last: nothing to do
    rows[index], rows[other] = rows[other], rows[index]
    for position in (index, other):
        rows[position].position = position
        rows[position].save(update_fields=["position"])
    obj.position = other


def _checked(field: str, use: str, file: UploadedFile) -> CheckedUpload:
    """The shared upload checks (core.uploads), the refusal shown on the form's `field`."""
    try:
        return check_upload(use=use, file=file)
    except UploadRefused as exc:
        raise ValidationError({field: exc.messages}, code=exc.code) from exc


def _after_commit(fn: Any) -> None:
    transaction.on_commit(fn, robust=True)


def _course_url(course: Course) -> str:
    return reverse("author:course", kwargs={"pk": course.pk})


# ---------------------------------------------------------------- courses


@transaction.atomic
def course_create(*, actor: User, title: str, slug: str = "", summary: str = "", subject: str = "",
                  grade_from: int = 1, grade_to: int = 1, estimated_hours: int = 1,
                  prerequisites: Sequence[Course] = ()) -> Course:
    """A new draft. Without a slug, its web address name is made from the title (`slugs.slug_for_title`:
    transliterated from Bangla, numbered when taken); a slug she typed is kept as typed and checked."""
    ensure_can_author(actor)
    course = Course(title=title.strip(), slug=slug.strip(), summary=summary.strip(), grade_from=grade_from,
                    grade_to=grade_to, estimated_hours=estimated_hours, status=Course.Status.DRAFT,
                    created_by=actor)
    if not course.slug:
        course.slug = slug_for_title(course.title, family=course.family)
    if subject:
        course.subject = subject
    _check_slug(course)
    course.full_clean()
    chosen = _check_prerequisites(course, prerequisites)
    course.save()
    course.prerequisites.set(chosen)
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, title: str | None = None, slug: str | None = None,
                  summary: str | None = None, subject: str | None = None, grade_from: int | None = None,
                  grade_to: int | None = None, estimated_hours: int | None = None,
                  prerequisites: Sequence[Course] | None = None) -> Course:
    _ensure_edit(actor, course)
    # An emptied slug field keeps the course's web address name (existing addresses never change by themselves).
    values = {"title": title.strip() if title is not None else None, "slug": (slug or "").strip() or None,
              "summary": summary.strip() if summary is not None else None, "subject": subject or None,
              "grade_from": grade_from, "grade_to": grade_to, "estimated_hours": estimated_hours}
    _set_fields(course, COURSE_FIELDS, values)
    _check_slug(course)
    course.full_clean()
    course.save()
    if prerequisites is not None:
        course.prerequisites.set(_check_prerequisites(course, prerequisites))
    return course


def _missing_parts(course: Course) -> list[str]:
    modules = list(course.modules.order_by("position", "pk").prefetch_related("activities", "quiz__questions"))
    if not modules:
        return [_("the course has no module yet")]
    missing: list[str] = []
    for number, module in enumerate(modules, start=1):
        label = {"number": format_number(number), "title": module.title}
        if not module.activities.all():
            missing.append(_("module %(number)s “%(title)s” has no activity") % label)
        quiz = getattr(module, "quiz", None)
        if quiz is None or not quiz.questions.all():
            missing.append(_("module %(number)s “%(title)s” has no quiz question") % label)
    return missing


def course_missing_parts(*, course: Course) -> list[str]:
    """What must still be added before the course can go for review (empty: complete)."""
    return _missing_parts(course)


@transaction.atomic
def course_submit(*, actor: User, course: Course) -> Course:
    """Draft → review, when every module has an activity and a quiz question. Every national admin is told."""
    course = _ensure_edit(actor, course)
    missing = _missing_parts(course)
    if missing:
        raise ValidationError(_("The course is not complete yet: %(missing)s. Add these, then send it again.")
                              % {"missing": "; ".join(missing)}, code="incomplete")
    now = timezone.now()
    course.status = Course.Status.REVIEW
    course.submitted_at = now
    course.full_clean()
    course.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action=audit_actions.COURSE_SUBMITTED, target=course,
                 summary=f"{course.title} v{course.version}")
    reviewers = list(national_admins())
    pk, title, version, url = course.pk, course.title, course.version, _course_url(course)
    submitted = now.isoformat()

    def tell() -> None:  # every national admin in one bulk write (notify.notifications_send_many)
        notifications_send_many(tells=[
            Tell(recipient_id=reviewer.pk, kind=notifications.COURSE_SUBMITTED,
                 event_key=f"course-submitted:{pk}:{submitted}", params={"course": f"{title} ({version})"}, url=url)
            for reviewer in reviewers])

    _after_commit(tell)
    return course


def _locked_for_review(actor: User, course: Course) -> Course:
    ensure_can_review(actor)
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status != Course.Status.REVIEW:
        raise ValidationError(_("This course is not waiting for review."), code="not_in_review")
    return locked


@transaction.atomic
def course_return(*, actor: User, course: Course, note: str) -> Course:
    """Review → draft with the reviewer's comments; the author is told."""
    course = _locked_for_review(actor, course)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write what the author should change.")}, code="note_required")
    course.status = Course.Status.DRAFT
    course.review_note = note
    course.full_clean()
    course.save(update_fields=["status", "review_note", "updated_at"])
    audit_record(actor=actor, action=audit_actions.COURSE_RETURNED, target=course,
                 summary=f"{course.title} v{course.version}", details={"note": note[:1000]})
    author, pk, title, url = course.created_by, course.pk, course.title, _course_url(course)
    stamp = timezone.now().isoformat()
    if author is not None:
        _after_commit(lambda: notification_send(
            recipient=author, kind=notifications.COURSE_RETURNED, event_key=f"course-returned:{pk}:{stamp}",
            params={"course": title, "note": note[:200]}, url=url))
    return course


@transaction.atomic
def course_publish(*, actor: User, course: Course) -> Course:
    """Review → published. The family's version published before is retired in the same transaction
    (teachers enrolled in it keep it)."""
    course = _locked_for_review(actor, course)
    now = timezone.now()
    Course.objects.filter(family=course.family, status=Course.Status.PUBLISHED).exclude(pk=course.pk).update(
        status=Course.Status.RETIRED, updated_at=now)
    course.status = Course.Status.PUBLISHED
    course.published_at = now
    course.published_by = actor
    course.review_note = ""
    course.full_clean()
    course.save(update_fields=["status", "published_at", "published_by", "review_note", "updated_at"])
    audit_record(actor=actor, action=audit_actions.COURSE_PUBLISHED, target=course,
                 summary=f"{course.title} v{course.version}")
    author, pk, title, url = course.created_by, course.pk, course.title, _course_url(course)
    if author is not None:
        _after_commit(lambda: notification_send(
            recipient=author, kind=notifications.COURSE_PUBLISHED, event_key=f"course-published:{pk}",
            params={"course": title}, url=url))
    return course


@transaction.atomic
def course_new_version(*, actor: User, course: Course) -> Course:
    """A draft copy (version n+1) of a published or retired version: modules, activities (same keys,
    same video, same sheet file), quizzes, questions, choices and prerequisites. If the family already
    has a draft or a version in review, that one is returned instead. Enrolments stay where they are."""
    ensure_can_author(actor)
    family = list(Course.objects.select_for_update().filter(family=course.family).order_by("-version"))
    for version in family:
        if version.status in (Course.Status.DRAFT, Course.Status.REVIEW):
            return version
    source = Course.objects.get(pk=course.pk)
    copy = Course(family=source.family, version=family[0].version + 1, status=Course.Status.DRAFT,
                  created_by=actor, **{name: getattr(source, name) for name in COURSE_FIELDS})
    copy.full_clean()
    copy.save()
    copy.prerequisites.set(source.prerequisites.all())

    modules = list(source.modules.order_by("position", "pk"))
    new_modules = Module.objects.bulk_create([
        Module(course=copy, key=m.key, position=m.position, title=m.title, summary=m.summary) for m in modules])
    module_map = {old.pk: new for old, new in zip(modules, new_modules, strict=True)}

    activities = list(Activity.objects.filter(module__course=source).order_by("module_id", "position", "pk"))
    Activity.objects.bulk_create([
        Activity(module=module_map[a.module_id], key=a.key, position=a.position, video_id=a.video_id,
                 sheet=a.sheet.name, **{name: getattr(a, name) for name in ACTIVITY_FIELDS})
        for a in activities])

    quizzes = list(Quiz.objects.filter(module__course=source))
    new_quizzes = Quiz.objects.bulk_create([
        Quiz(module=module_map[q.module_id], pass_percent=q.pass_percent,
             questions_per_attempt=q.questions_per_attempt, max_attempts=q.max_attempts,
             retake_wait_minutes=q.retake_wait_minutes, time_limit_minutes=q.time_limit_minutes)
        for q in quizzes])
    quiz_map = {old.pk: new for old, new in zip(quizzes, new_quizzes, strict=True)}

    questions = list(Question.objects.filter(quiz__module__course=source).order_by("quiz_id", "position", "pk"))
    new_questions = Question.objects.bulk_create([
        Question(quiz=quiz_map[q.quiz_id], key=q.key, position=q.position, kind=q.kind, text=q.text,
                 image=q.image.name, numeric_answer=q.numeric_answer, numeric_tolerance=q.numeric_tolerance,
                 feedback=q.feedback)
        for q in questions])
    question_map = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
    Choice.objects.bulk_create([
        Choice(question=question_map[c.question_id], position=c.position, text=c.text, is_correct=c.is_correct)
        for c in Choice.objects.filter(question__quiz__module__course=source).order_by("pk")])
    return copy


# ---------------------------------------------------------------- modules


@transaction.atomic
def module_create(*, actor: User, course: Course, title: str, summary: str = "") -> Module:
    _ensure_edit(actor, course)
    position = course.modules.count()
    module = Module(course=course, title=title.strip(), summary=summary.strip(), position=position)
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def module_update(*, actor: User, module: Module, title: str, summary: str = "") -> Module:
    _ensure_edit(actor, module)
    module.title, module.summary = title.strip(), summary.strip()
    module.full_clean()
    module.save(update_fields=["title", "summary"])
    return module


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> None:
    course = _ensure_edit(actor, module)
    module.delete()
    _renumber(Module.objects.filter(course=course))


@transaction.atomic
def module_move(*, actor: User, module: Module, direction: str) -> Module:
    course = _ensure_edit(actor, module)
    _move(module, Module.objects.filter(course=course), direction)
    return module


# ---------------------------------------------------------------- activities


@transaction.atomic
def activity_create(*, actor: User, module: Module, title: str, summary: str = "", materials: str = "",
                    duration_minutes: int = 20, steps: str = "", learner_actions: str = "",
                    try_prompt: str = "") -> Activity:
    _ensure_edit(actor, module)
    activity = Activity(module=module, position=module.activities.count(), title=title.strip(),
                        summary=summary.strip(), materials=materials.strip(), duration_minutes=duration_minutes,
                        steps=steps.strip(), learner_actions=learner_actions.strip(), try_prompt=try_prompt.strip())
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, title: str | None = None, summary: str | None = None,
                    materials: str | None = None, duration_minutes: int | None = None, steps: str | None = None,
                    learner_actions: str | None = None, try_prompt: str | None = None) -> Activity:
    _ensure_edit(actor, activity)
    values: dict[str, Any] = {"title": title, "summary": summary, "materials": materials, "steps": steps,
                              "learner_actions": learner_actions, "try_prompt": try_prompt}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    values["duration_minutes"] = duration_minutes
    _set_fields(activity, ACTIVITY_FIELDS, values)
    activity.full_clean()
    activity.save(update_fields=list(ACTIVITY_FIELDS))
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    _ensure_edit(actor, activity)
    module = activity.module
    activity.delete()
    _renumber(Activity.objects.filter(module=module))


@transaction.atomic
def activity_move(*, actor: User, activity: Activity, direction: str) -> Activity:
    _ensure_edit(actor, activity)
    _move(activity, Activity.objects.filter(module_id=activity.module_id), direction)
    return activity


def activity_video_upload(*, actor: User, activity: Activity, file: UploadedFile) -> Activity:
    """Store the video (media checks and processes it; processing runs in a task) and link it."""
    from shikhon.media.services import video_upload

    with transaction.atomic():
        _ensure_edit(actor, activity)
        video = video_upload(actor=actor, file=file, title=activity.title)
        activity.video = video
        activity.save(update_fields=["video"])
    return activity


def activity_captions_upload(*, actor: User, activity: Activity, file: UploadedFile) -> Video:
    """Captions (WebVTT) for the activity's video. The video is shared with earlier versions of the
    course, so they get the captions too."""
    from shikhon.media.services import video_captions_set

    with transaction.atomic():
        _ensure_edit(actor, activity)
        video = activity.video if activity.video_id is not None else None
        if video is None:
            raise ValidationError({"file": _("Upload the video first, then its captions.")}, code="no_video")
        video.refresh_from_db()
        video_captions_set(actor=actor, video=video, file=file)
    return video


@transaction.atomic
def activity_sheet_set(*, actor: User, activity: Activity, file: UploadedFile | None) -> Activity:
    """The printable activity sheet: a PDF, PNG or JPEG that passes the shared upload checks (a PDF must
    render, a picture is re-encoded). `file=None` removes the sheet from this version (the file stays for
    earlier versions)."""
    _ensure_edit(actor, activity)
    if file is None:
        activity.sheet = ""  # type: ignore[assignment]
        activity.save(update_fields=["sheet"])
        return activity
    checked = _checked("file", "sheet", file)
    activity.sheet.save(checked.filename(str(activity.key)), checked.file, save=False)
    try:
        activity.save(update_fields=["sheet"])
    except Exception:
        activity.sheet.storage.delete(activity.sheet.name or "")  # nothing stored when the row is not saved
        raise
    return activity


# ---------------------------------------------------------------- quizzes and questions


def _quiz_for(module: Module) -> Quiz:
    quiz, _created = Quiz.objects.get_or_create(module=module)
    return quiz


@transaction.atomic
def quiz_settings_update(*, actor: User, module: Module, pass_percent: int, questions_per_attempt: int | None = None,
                         max_attempts: int | None = None, retake_wait_minutes: int = 0,
                         time_limit_minutes: int | None = None) -> Quiz:
    _ensure_edit(actor, module)
    errors: dict[str, str] = {}
    if not 1 <= pass_percent <= 100:
        errors["pass_percent"] = _("The pass mark must be between 1 and 100.")
    for name, value in (("questions_per_attempt", questions_per_attempt), ("max_attempts", max_attempts),
                        ("time_limit_minutes", time_limit_minutes)):
        if value is not None and value < 1:
            errors[name] = _("Leave this empty or give a number of 1 or more.")
    if retake_wait_minutes < 0:
        errors["retake_wait_minutes"] = _("The wait cannot be negative.")
    if errors:
        raise ValidationError(errors, code="invalid")
    quiz = _quiz_for(module)
    quiz.pass_percent = pass_percent
    quiz.questions_per_attempt = questions_per_attempt
    quiz.max_attempts = max_attempts
    quiz.retake_wait_minutes = retake_wait_minutes
    quiz.time_limit_minutes = time_limit_minutes
    quiz.full_clean()
    quiz.save()
    return quiz


def _clean_choices(kind: str, choices: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    rows = [(text.strip(), bool(correct)) for text, correct in choices if text and text.strip()]
    if any(len(text) > CHOICE_MAX_LENGTH for text, _ok in rows):
        raise ValidationError({"choices": _("An answer can be at most 300 characters long.")}, code="choice_long")
    if kind == Question.Kind.NUMERIC:
        return []
    correct = sum(1 for _text, ok in rows if ok)
    if kind == Question.Kind.TRUE_FALSE:
        if len(rows) != 2 or correct != 1:
            raise ValidationError({"choices": _("A true or false question needs exactly two answers, one of them "
                                                "marked correct.")}, code="true_false")
        return rows
    if len(rows) < 2:
        raise ValidationError({"choices": _("Give at least two answers.")}, code="too_few_choices")
    if len(rows) > MAX_CHOICES:
        raise ValidationError({"choices": _("Give at most five answers.")}, code="too_many_choices")
    if kind == Question.Kind.SINGLE and correct != 1:
        raise ValidationError({"choices": _("Mark exactly one answer as correct, or choose “Several correct "
                                            "answers”.")}, code="single_correct")
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise ValidationError({"choices": _("Mark at least one answer as correct.")}, code="multiple_correct")
    return rows


def _question_fill(question: Question, *, kind: str, text: str, numeric_answer: Decimal | None,
                   numeric_tolerance: Decimal | None, feedback: str, choices: Sequence[tuple[str, bool]],
                   image: UploadedFile | None, image_clear: bool) -> list[tuple[str, bool]]:
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")}, code="bad_kind")
    question.kind, question.text, question.feedback = kind, text.strip(), feedback.strip()
    if kind == Question.Kind.NUMERIC:
        if numeric_answer is None:
            raise ValidationError({"numeric_answer": _("Give the correct number.")}, code="numeric_required")
        tolerance = numeric_tolerance if numeric_tolerance is not None else Decimal(0)
        if tolerance < 0:
            raise ValidationError({"numeric_tolerance": _("The allowed difference cannot be negative.")},
                                  code="tolerance_negative")
        question.numeric_answer, question.numeric_tolerance = numeric_answer, tolerance
    else:
        question.numeric_answer, question.numeric_tolerance = None, Decimal(0)
    rows = _clean_choices(kind, choices)
    if image_clear:
        question.image = ""  # type: ignore[assignment]
    question.full_clean(exclude=["image"])
    if image is not None:
        checked = _checked("image", "question_picture", image)
        question.image.save(checked.filename(str(question.key)), checked.file, save=False)
    return rows


def _choices_replace(question: Question, rows: list[tuple[str, bool]]) -> None:
    question.choices.all().delete()
    new = [Choice(question=question, position=i, text=text, is_correct=ok) for i, (text, ok) in enumerate(rows)]
    for choice in new:
        choice.full_clean(exclude=["question"])
    Choice.objects.bulk_create(new)


@transaction.atomic
def question_create(*, actor: User, module: Module, kind: str, text: str,
                    choices: Sequence[tuple[str, bool]] = (), numeric_answer: Decimal | None = None,
                    numeric_tolerance: Decimal | None = None, feedback: str = "",
                    image: UploadedFile | None = None) -> Question:
    """A question in the module's quiz (the quiz is made on first use). `choices` are (text, correct)
    pairs; blank texts are left out."""
    _ensure_edit(actor, module)
    quiz = _quiz_for(module)
    question = Question(quiz=quiz, position=quiz.questions.count())
    rows = _question_fill(question, kind=kind, text=text, numeric_answer=numeric_answer,
                          numeric_tolerance=numeric_tolerance, feedback=feedback, choices=choices, image=image,
                          image_clear=False)
    question.save()
    _choices_replace(question, rows)
    return question


@transaction.atomic
def question_update(*, actor: User, question: Question, kind: str, text: str,
                    choices: Sequence[tuple[str, bool]] = (), numeric_answer: Decimal | None = None,
                    numeric_tolerance: Decimal | None = None, feedback: str = "",
                    image: UploadedFile | None = None, image_clear: bool = False) -> Question:
    _ensure_edit(actor, question)
    rows = _question_fill(question, kind=kind, text=text, numeric_answer=numeric_answer,
                          numeric_tolerance=numeric_tolerance, feedback=feedback, choices=choices, image=image,
                          image_clear=image_clear)
    question.save()
    _choices_replace(question, rows)
    return question


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    _ensure_edit(actor, question)
    quiz_id = question.quiz_id
    question.delete()
    _renumber(Question.objects.filter(quiz_id=quiz_id))


def family_versions(*, course: Course) -> list[Course]:
    """Every version of the course's family, newest first."""
    return list(Course.objects.filter(family=course.family).order_by("-version"))


def family_next_version(*, course: Course) -> int:
    top = Course.objects.filter(family=course.family).aggregate(top=Max("version"))["top"] or 0
    return int(top) + 1
