"""Moving a course between Shikhon servers: one zip with `manifest.json` and the course's media files.

`course_export` writes the course tree (modules, activities, quizzes, questions, answers) and the
processed video variants, activity sheets and question images under `media/`, each named by its SHA-256.
`course_import` checks the whole package first — zip structure, sizes, names, checksums, the schema, every
field, and every media file through the shared upload checks (core.uploads: a sheet must be a PDF that
renders or a re-encoded picture, a poster a re-encoded picture, a video a playable MP4, captions WebVTT),
exactly as if an author had uploaded each one — and only then writes: a new draft course (the next
version of its family if the family is already here), READY videos made from the imported variants, and
the cleaned files under names we choose. Any problem answers one sentence and stores nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails

from shikhon.core.audit import audit_record
from shikhon.core.bangla import localize_digits, localize_text_digits
from shikhon.core.uploads import (
    USES,
    CheckedUpload,
    ExtractedMember,
    MemberUnreadable,
    UploadRefused,
    check_upload,
    extract_member,
    member_sha256,
    open_archive,
    read_member,
)
from shikhon.courses import audit_actions
from shikhon.courses.codes import ALPHABET, new_short_code
from shikhon.courses.models import Activity, Choice, Course, Module, Question, Quiz
from shikhon.courses.permissions import ensure_can_author
from shikhon.media.services import video_create_from_files

if TYPE_CHECKING:
    from shikhon.media.models import Video
    from shikhon.people.models import User

SCHEMA = "shikhon.course"
SCHEMA_VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 5 * 1024 * 1024
CHUNK = 1024 * 1024
MEDIA_NAME = re.compile(r"^media/[0-9a-f]{64}\.(mp4|webm|jpg|jpeg|png|webp|gif|vtt|pdf)$")
ALLOWED_EXTENSIONS = {"mp4", "webm", "jpg", "jpeg", "png", "webp", "gif", "vtt", "pdf"}
SHORT_CODE = re.compile(f"^[{ALPHABET}]{{4,8}}$")
VIDEO_VARIANTS = ("low", "standard", "poster", "captions")
# The upload check (core.uploads) each kind of media in a package must pass, as if an author uploaded it.
VARIANT_USES = {"low": "video_variant", "standard": "video_variant", "poster": "poster", "captions": "captions"}


def max_import_bytes() -> int:
    """The package limit, the same the upload check applies (0: no limit)."""
    return USES["course_package"].max_bytes()


# ---------------------------------------------------------------- export


def _course_tree(course: Course) -> list[Module]:
    return list(course.modules.order_by("position", "pk").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("position", "pk").select_related("video")),
        Prefetch("quiz__questions", queryset=Question.objects.order_by("position", "pk").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))),
    ).select_related("quiz"))


def _quiz_of(module: Module) -> Quiz | None:
    try:
        return module.quiz
    except Quiz.DoesNotExist:
        return None


def _extension(name: str, default: str) -> str:
    ext = posixpath.splitext(name)[1].lower().lstrip(".")
    return ext if ext in ALLOWED_EXTENSIONS else default


class _Media:
    """The files of one export: storage name → package name, hashed once each."""

    def __init__(self) -> None:
        self.by_storage_name: dict[str, str] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, str] = {}  # package name → storage name

    def add(self, file: FieldFile | None, default_ext: str) -> str | None:
        if not file or not file.name:
            return None
        name = str(file.name)
        if name in self.by_storage_name:
            return self.by_storage_name[name]
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
        package_name = f"media/{digest.hexdigest()}.{_extension(name, default_ext)}"
        self.by_storage_name[name] = package_name
        self.files[package_name] = {"sha256": digest.hexdigest(), "size": size}
        self.sources.setdefault(package_name, name)
        return package_name


def _manifest(course: Course, media: _Media, *, videos: bool = True) -> dict[str, Any]:
    modules = []
    for module in _course_tree(course):
        activities = []
        for activity in module.activities.all():
            video = activity.video
            video_data = None
            if videos and video is not None and video.is_ready and video.low:
                video_data = {
                    "low": media.add(video.low, "mp4"), "standard": media.add(video.standard, "mp4"),
                    "poster": media.add(video.poster, "jpg"), "captions": media.add(video.captions, "vtt"),
                    "duration_seconds": video.duration_seconds,
                }
            activities.append({
                "key": str(activity.key), "position": activity.position, "title": activity.title,
                "summary": activity.summary, "materials": activity.materials,
                "duration_minutes": activity.duration_minutes, "steps": activity.steps,
                "learner_actions": activity.learner_actions, "try_prompt": activity.try_prompt,
                "short_code": activity.short_code, "video": video_data,
                "sheet": media.add(activity.sheet, "pdf"),
            })
        quiz = _quiz_of(module)
        quiz_data = None
        if quiz is not None:
            quiz_data = {
                "pass_percent": quiz.pass_percent, "questions_per_attempt": quiz.questions_per_attempt,
                "max_attempts": quiz.max_attempts, "retake_wait_minutes": quiz.retake_wait_minutes,
                "time_limit_minutes": quiz.time_limit_minutes,
                "questions": [{
                    "key": str(q.key), "position": q.position, "kind": q.kind, "text": q.text,
                    "image": media.add(q.image, "jpg"),
                    "numeric_answer": None if q.numeric_answer is None else str(q.numeric_answer),
                    "numeric_tolerance": str(q.numeric_tolerance), "feedback": q.feedback,
                    "choices": [{"position": c.position, "text": c.text, "is_correct": c.is_correct}
                                for c in q.choices.all()],
                } for q in quiz.questions.all()],
            }
        modules.append({"key": str(module.key), "position": module.position, "title": module.title,
                        "summary": module.summary, "activities": activities, "quiz": quiz_data})
    return {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"), "generator": "Shikhon",
        "course": {
            "slug": course.slug, "title": course.title, "summary": course.summary, "subject": course.subject,
            "grade_from": course.grade_from, "grade_to": course.grade_to,
            "estimated_hours": course.estimated_hours, "family": str(course.family), "version": course.version,
            "modules": modules,
        },
        "files": dict(sorted(media.files.items())),
    }


def course_export_to(*, actor: User | None, course: Course, out: IO[bytes], videos: bool = True) -> dict[str, Any]:
    """Write the course's package to `out` and answer its manifest. `actor=None` is the server's operator
    (the `course_export` management command); anyone else must be a course author or national admin.
    `videos=False` leaves the videos out (the demo course's package: its videos are made where it loads)."""
    if actor is not None:
        ensure_can_author(actor)
    media = _Media()
    manifest = _manifest(course, media, videos=videos)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        for package_name, storage_name in sorted(media.sources.items()):
            # Video and images are compressed already; deflating them again only costs time.
            compress = zipfile.ZIP_DEFLATED if package_name.endswith((".vtt", ".pdf")) else zipfile.ZIP_STORED
            info = zipfile.ZipInfo(package_name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compress
            info.external_attr = 0o644 << 16
            with default_storage.open(storage_name, "rb") as source, package.open(info, "w") as target:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    target.write(chunk)
    return manifest


def course_export(*, actor: User | None, course: Course, videos: bool = True) -> bytes:
    out = io.BytesIO()
    course_export_to(actor=actor, course=course, out=out, videos=videos)
    return out.getvalue()


def export_file_name(course: Course) -> str:
    return f"{course.slug}-v{course.version}.zip"


# ---------------------------------------------------------------- import: the manifest's shape

# The manifest is read by these pydantic models: types are strict (a JSON `true` is not a number, "1" is
# not a number), unknown keys are ignored (a newer exporter may add some), identifiers are UUID strings.
# A problem is answered with our own sentence naming where it is (`_shape_problem`); what the models cannot
# say (Django's field rules, the rules of a question) is checked after, on the model instances.

Key = Annotated[uuid.UUID, Field(strict=False)]


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class FileEntry(_Shape):
    sha256: str
    size: int


class VideoShape(_Shape):
    low: str | None = None
    standard: str | None = None
    poster: str | None = None
    captions: str | None = None
    duration_seconds: float | None = None


class ActivityShape(_Shape):
    key: Key
    position: int
    title: str
    summary: str
    materials: str
    duration_minutes: int
    steps: str
    learner_actions: str
    try_prompt: str
    short_code: str | None = None
    video: VideoShape | None = None
    sheet: str | None = None


class ChoiceShape(_Shape):
    position: int
    text: str
    is_correct: bool


class QuestionShape(_Shape):
    key: Key
    position: int
    kind: str
    text: str
    feedback: str
    image: str | None = None
    numeric_answer: str | int | None = None
    numeric_tolerance: str | int = "0"
    choices: list[ChoiceShape] = Field(default_factory=list)


class QuizShape(_Shape):
    pass_percent: int
    questions_per_attempt: int | None
    max_attempts: int | None
    retake_wait_minutes: int
    time_limit_minutes: int | None
    questions: list[QuestionShape] = Field(default_factory=list)


class ModuleShape(_Shape):
    key: Key
    position: int
    title: str
    summary: str
    activities: list[ActivityShape] = Field(default_factory=list)
    quiz: QuizShape | None = None


class CourseShape(_Shape):
    slug: str
    title: str
    summary: str
    subject: str
    grade_from: int
    grade_to: int
    estimated_hours: int
    family: Key
    version: int
    modules: list[ModuleShape]


class Manifest(_Shape):
    """`manifest.json` of a course package (schema `shikhon.course`, version 1)."""

    schema_: str = Field(alias="schema")
    schema_version: int
    exported_at: Any = ""  # told in the audit record only
    generator: Any = ""
    course: CourseShape
    files: dict[str, FileEntry] = Field(default_factory=dict)


# Where a place in the manifest is named in a sentence: the list it is in → how one of its items is called.
_ITEM_NAMES: dict[str, Callable[[int], str]] = {
    "modules": lambda n: _("Module %(number)s") % {"number": localize_digits(n)},
    "activities": lambda n: _("activity %(number)s") % {"number": localize_digits(n)},
    "questions": lambda n: _("question %(number)s") % {"number": localize_digits(n)},
    "choices": lambda n: _("answer %(number)s") % {"number": localize_digits(n)},
}
_PART_NAMES: dict[str, Callable[[], str]] = {"quiz": lambda: _("quiz"), "video": lambda: _("video")}


def _shape_problem(error: ErrorDetails) -> ValidationError:
    """Our sentence for the first problem pydantic found, naming where it is ("Module 2, activity 1")."""
    loc = [str(part) if not isinstance(part, int) else part for part in error["loc"]]
    kind = error["type"]
    if loc[:1] == ["files"]:
        if len(loc) == 1:
            return _refuse(_("The package's list of files is not valid."))
        return _refuse(_("The package's list of files is not valid at %(name)s.") % {"name": str(loc[1])[:200]})
    if loc == ["course"]:
        return _refuse(_("The package's manifest has no course."))
    where = _Where()
    field_name = ""
    parts = loc[1:] if loc[:1] == ["course"] else loc
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        if isinstance(part, str) and part in _ITEM_NAMES and isinstance(following, int):
            where = where.at(_ITEM_NAMES[part](following + 1))
            field_name = ""
            index += 2
            continue
        if isinstance(part, str) and part in _PART_NAMES and following is not None:
            where = where.at(_PART_NAMES[part]())
            field_name = ""
        elif isinstance(part, str) and not field_name:  # after a field's name come only its union's tags
            field_name = part
        index += 1
    if kind in ("model_type", "model_attributes_type", "dict_type") and not field_name:
        return _problem(where, _("expected an object."))
    name = field_name or "?"
    if kind == "missing":
        return _problem(where, _("“%(field)s” is missing.") % {"field": name})
    if kind.startswith("uuid"):
        return _problem(where, _("“%(field)s” is not a valid identifier.") % {"field": name})
    return _problem(where, _("“%(field)s” has the wrong type.") % {"field": name})


# ---------------------------------------------------------------- import: checking


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_package")


@dataclass
class _Where:
    """Names the place of a problem in the course: "Module 2, activity 1, title"."""

    parts: list[str] = field(default_factory=list)

    def at(self, part: str) -> _Where:
        return _Where([*self.parts, part])

    def __str__(self) -> str:
        return ", ".join(self.parts) if self.parts else _("Course")


def _problem(where: _Where, message: str) -> ValidationError:
    return _refuse(_("The course in the package is not valid. %(where)s: %(problem)s")
                   % {"where": where, "problem": message})


def _full_clean(instance: models.Model, where: _Where, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        messages: list[str] = []
        for name, errors in exc.message_dict.items():
            label = name
            if name != "__all__":
                try:
                    label = str(getattr(instance._meta.get_field(name), "verbose_name", name))
                except Exception:  # noqa: BLE001 — a name that is not a field: show it as it is
                    label = name
            # Django's sentences ("at most 200 characters (it has 250)") with the numbers in the page's digits
            messages.extend(f"{label}: {localize_text_digits(e)}" if name != "__all__" else localize_text_digits(e)
                            for e in errors)
        raise _problem(where, " ".join(messages)) from exc


@dataclass
class _PlannedVideo:
    files: dict[str, str | None]
    duration_seconds: float | None


@dataclass
class _PlannedActivity:
    activity: Activity
    video: _PlannedVideo | None
    sheet: str | None


@dataclass
class _PlannedQuestion:
    question: Question
    image: str | None
    choices: list[Choice]


@dataclass
class _PlannedModule:
    module: Module
    activities: list[_PlannedActivity]
    quiz: Quiz | None
    questions: list[_PlannedQuestion]


@dataclass
class _MediaUse:
    """One use of a package file: which check it must pass, and where the course uses it."""

    member: str
    use: str
    where: _Where


@dataclass
class _Plan:
    course: Course
    modules: list[_PlannedModule]
    manifest: Manifest
    members: dict[str, zipfile.ZipInfo]
    checked: dict[tuple[str, str], CheckedUpload] = field(default_factory=dict)


@dataclass
class ImportResult:
    course: Course
    asked_slug: str
    new_family: bool
    short_codes_changed: int
    files: int

    @property
    def renamed(self) -> bool:
        return self.course.slug != self.asked_slug


def _media_ref(ref: str | None, name: str, where: _Where, files: Mapping[str, FileEntry], *, use: str,
               uses: list[_MediaUse]) -> str | None:
    if not ref:
        return None
    if ref not in files:
        raise _refuse(_("The package refers to %(name)s, which its list of files does not contain.")
                      % {"name": ref[:200]})
    uses.append(_MediaUse(member=ref, use=use, where=where.at(name)))
    return ref


def _decimal(raw: str | int | None, where: _Where, name: str) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise _problem(where, _("“%(field)s” is not a number.") % {"field": name}) from exc
    if not value.is_finite():
        raise _problem(where, _("“%(field)s” is not a number.") % {"field": name})
    return value


def _check_question(question: Question, choices: list[Choice], where: _Where) -> None:
    correct = sum(1 for c in choices if c.is_correct)
    kind = question.kind
    if kind == Question.Kind.NUMERIC:
        if question.numeric_answer is None:
            raise _problem(where, _("a number question needs its correct number."))
        if choices:
            raise _problem(where, _("a number question cannot have answer choices."))
        return
    if kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
        raise _problem(where, _("a true-or-false question needs exactly two answers."))
    if len(choices) < 2:
        raise _problem(where, _("a question needs at least two answers to choose from."))
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
        raise _problem(where, _("a question with one correct answer must mark exactly one answer correct "
                                "(this one marks %(count)s).") % {"count": correct})
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise _problem(where, _("a question with several correct answers must mark at least one correct."))


def _plan_activity(data: ActivityShape, where: _Where, files: Mapping[str, FileEntry],
                   uses: list[_MediaUse]) -> _PlannedActivity:
    activity = Activity(key=data.key, position=data.position, title=data.title, summary=data.summary,
                        materials=data.materials, duration_minutes=data.duration_minutes, steps=data.steps,
                        learner_actions=data.learner_actions, try_prompt=data.try_prompt,
                        short_code=data.short_code or "")
    _full_clean(activity, where, exclude=["module", "video", "sheet", "short_code"])
    video = None
    if data.video is not None:
        vwhere = where.at(_("video"))
        video_files = {name: _media_ref(getattr(data.video, name), name, vwhere, files, use=VARIANT_USES[name],
                                        uses=uses)
                       for name in VIDEO_VARIANTS}
        if not video_files["low"]:
            raise _problem(vwhere, _("the video has no low-bitrate variant."))
        duration = data.video.duration_seconds
        if duration is not None and duration < 0:
            raise _problem(vwhere, _("the video's duration is negative."))
        video = _PlannedVideo(files=video_files, duration_seconds=duration)
    return _PlannedActivity(activity=activity, video=video,
                            sheet=_media_ref(data.sheet, "sheet", where, files, use="sheet", uses=uses))


def _plan_quiz(data: QuizShape, where: _Where, files: Mapping[str, FileEntry],
               uses: list[_MediaUse]) -> tuple[Quiz, list[_PlannedQuestion]]:
    quiz = Quiz(pass_percent=data.pass_percent, questions_per_attempt=data.questions_per_attempt,
                max_attempts=data.max_attempts, retake_wait_minutes=data.retake_wait_minutes,
                time_limit_minutes=data.time_limit_minutes)
    _full_clean(quiz, where, exclude=["module"])
    if quiz.pass_percent > 100:
        raise _problem(where, _("the pass mark is more than 100%."))
    questions: list[_PlannedQuestion] = []
    keys: set[uuid.UUID] = set()
    for q, question_data in enumerate(data.questions):
        qwhere = where.at(_("question %(number)s") % {"number": localize_digits(q + 1)})
        question = Question(
            key=question_data.key, position=question_data.position, kind=question_data.kind,
            text=question_data.text, feedback=question_data.feedback,
            numeric_answer=_decimal(question_data.numeric_answer, qwhere, "numeric_answer"),
            numeric_tolerance=_decimal(question_data.numeric_tolerance, qwhere, "numeric_tolerance") or Decimal(0))
        if question.key in keys:
            raise _problem(qwhere, _("two questions of the quiz have the same key."))
        keys.add(question.key)
        _full_clean(question, qwhere, exclude=["quiz", "image"])
        choices = []
        for c, choice_data in enumerate(question_data.choices):
            choice = Choice(position=choice_data.position, text=choice_data.text, is_correct=choice_data.is_correct)
            answer = _("answer %(number)s") % {"number": localize_digits(c + 1)}
            _full_clean(choice, qwhere.at(answer), exclude=["question"])
            choices.append(choice)
        _check_question(question, choices, qwhere)
        questions.append(_PlannedQuestion(question=question, choices=choices,
                                          image=_media_ref(question_data.image, "image", qwhere, files,
                                                           use="question_picture", uses=uses)))
    return quiz, questions


def _plan_course(data: CourseShape, files: Mapping[str, FileEntry],
                 uses: list[_MediaUse]) -> tuple[Course, list[_PlannedModule]]:
    where = _Where()
    course = Course(slug=data.slug, title=data.title, summary=data.summary, subject=data.subject,
                    grade_from=data.grade_from, grade_to=data.grade_to, estimated_hours=data.estimated_hours,
                    family=data.family, version=data.version, status=Course.Status.DRAFT)
    _full_clean(course, where, exclude=["created_by", "published_by", "prerequisites"])
    if course.grade_to < course.grade_from:
        raise _problem(where, _("the last grade comes before the first grade."))
    planned: list[_PlannedModule] = []
    module_keys: set[uuid.UUID] = set()
    for m, module_data in enumerate(data.modules):
        mwhere = where.at(_("Module %(number)s") % {"number": localize_digits(m + 1)})
        module = Module(key=module_data.key, position=module_data.position, title=module_data.title,
                        summary=module_data.summary)
        if module.key in module_keys:
            raise _problem(mwhere, _("two modules have the same key."))
        module_keys.add(module.key)
        _full_clean(module, mwhere, exclude=["course"])
        activities: list[_PlannedActivity] = []
        activity_keys: set[uuid.UUID] = set()
        for a, activity_data in enumerate(module_data.activities):
            awhere = mwhere.at(_("activity %(number)s") % {"number": localize_digits(a + 1)})
            if activity_data.key in activity_keys:
                raise _problem(awhere, _("two activities of the module have the same key."))
            activity_keys.add(activity_data.key)
            activities.append(_plan_activity(activity_data, awhere, files, uses))
        quiz, questions = (None, []) if module_data.quiz is None else _plan_quiz(
            module_data.quiz, mwhere.at(_("quiz")), files, uses)
        planned.append(_PlannedModule(module=module, activities=activities, quiz=quiz, questions=questions))
    return course, planned


def _open_package(data: IO[bytes]) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The package open (once), with its members: a zip within the size limit, no unsafe names, links,
    encrypted members or zip bombs (the shared upload checks for archives, core.uploads)."""
    try:
        return open_archive(use="course_package", file=data)
    except UploadRefused as exc:
        raise _refuse(exc.messages[0]) from exc


def _read_manifest(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> Manifest:
    info = members.get(MANIFEST)
    if info is None:
        raise _refuse(_("The package has no manifest.json, so it is not a Shikhon course package."))
    if info.file_size > MANIFEST_MAX_BYTES:
        raise _refuse(_("The package's manifest.json is too large."))
    try:
        data = json.loads(read_member(package, info).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, MemberUnreadable) as exc:
        raise _refuse(_("The package's manifest.json is not valid JSON.")) from exc
    # Which schema and version come first: another program's package, or a newer one, is named as such
    # rather than by its first field we do not know.
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise _refuse(_("The package is not a Shikhon course package (its manifest names another schema)."))
    version = data.get("schema_version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise _refuse(_("The package uses schema version %(version)s, which this server cannot read "
                        "(it reads version %(supported)s). Update Shikhon or export the course again.")
                      % {"version": str(version)[:20],
                         "supported": ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))})
    try:
        return Manifest.model_validate(data)
    except PydanticValidationError as exc:
        raise _shape_problem(exc.errors(include_url=False, include_context=False)[0]) from None


def _check_files(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                 files: Mapping[str, FileEntry]) -> None:
    for name in files:
        if not MEDIA_NAME.match(name):
            raise _refuse(_("The package lists a file with a name Shikhon does not use (%(name)s).")
                          % {"name": name[:200]})
        if name not in members:
            raise _refuse(_("The package is incomplete: %(name)s is listed but missing.") % {"name": name})
    for name in members:
        if name != MANIFEST and name not in files:
            raise _refuse(_("The package holds a file that its manifest does not list: %(name)s. Nothing was "
                            "imported.") % {"name": name})
    for name, entry in files.items():
        info = members[name]
        if info.file_size != entry.size:
            raise _refuse(_("The package was changed after export: %(name)s does not have the size its manifest "
                            "gives.") % {"name": name})
        try:
            digest = member_sha256(package, info)
        except MemberUnreadable as exc:
            raise _refuse(_("The package is damaged: %(name)s cannot be read.") % {"name": name}) from exc
        if digest != entry.sha256.lower():
            raise _refuse(_("The package was changed after export: %(name)s does not match its checksum.")
                          % {"name": name})


def _check_media(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], uses: list[_MediaUse],
                 temporary: list[ExtractedMember]) -> dict[tuple[str, str], CheckedUpload]:
    """Every media file through the upload check of its use; the first refusal names where it is used."""
    checked: dict[tuple[str, str], CheckedUpload] = {}
    for media_use in uses:
        key = (media_use.member, media_use.use)
        if key in checked:
            continue
        try:
            copy = extract_member(package, members[media_use.member])
        except MemberUnreadable as exc:
            raise _refuse(_("The package is damaged: %(name)s cannot be read.") % {"name": media_use.member}) from exc
        temporary.append(copy)
        try:
            checked[key] = check_upload(use=media_use.use, file=copy)
        except UploadRefused as exc:
            raise _problem(media_use.where, exc.messages[0]) from exc
    return checked


def _check(data: IO[bytes], temporary: list[ExtractedMember]) -> tuple[zipfile.ZipFile, _Plan]:
    package, members = _open_package(data)
    try:
        manifest = _read_manifest(package, members)
        _check_files(package, members, manifest.files)
        uses: list[_MediaUse] = []
        course, modules = _plan_course(manifest.course, manifest.files, uses)
        checked = _check_media(package, members, uses, temporary)
    except BaseException:
        package.close()
        raise
    return package, _Plan(course=course, modules=modules, manifest=manifest, members=members, checked=checked)


# ---------------------------------------------------------------- import: writing


def _free_slug(wanted: str, family: uuid.UUID) -> str:
    taken = set(Course.objects.exclude(family=family).filter(slug__startswith=wanted[:70])
                .values_list("slug", flat=True))
    if wanted not in taken:
        return wanted
    base = slugify(wanted)[:70] or "course"
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _short_codes(plan: _Plan) -> int:
    """Keep each activity's short code unless it is malformed, repeated, or already used here."""
    activities = [pa.activity for pm in plan.modules for pa in pm.activities]
    wanted = [a.short_code for a in activities if a.short_code]
    taken = set(Activity.objects.filter(short_code__in=wanted).values_list("short_code", flat=True))
    changed = 0
    for activity in activities:
        code = activity.short_code
        if not code or not SHORT_CODE.match(code) or code in taken:
            code = new_short_code()
            while code in taken or Activity.objects.filter(short_code=code).exists():
                code = new_short_code()
            changed += bool(activity.short_code)
        activity.short_code = code
        taken.add(code)
    return changed


def _content(checked: CheckedUpload) -> File:
    """What to store of a checked file. A member extracted to a temporary file is copied, not moved (the
    storage would move a file that has a temporary path, and one member may be stored under several names)."""
    checked.file.seek(0)
    return File(checked.file.file) if isinstance(checked.file, ExtractedMember) else checked.file


class _Writer:
    """Writes the checked media to storage under names we choose, remembering what it wrote so a failure
    can remove it."""

    def __init__(self, plan: _Plan) -> None:
        self.checked = plan.checked
        self.saved: list[str] = []
        self.by_key: dict[tuple[str, str, str], str] = {}

    def save(self, member: str | None, use: str, target: str) -> str:
        if not member:
            return ""
        key = (member, use, target)
        if key in self.by_key:
            return self.by_key[key]
        checked = self.checked[(member, use)]
        name = default_storage.save(checked.filename(target), _content(checked))
        self.saved.append(name)
        self.by_key[key] = name
        return name

    def video(self, planned: _PlannedVideo, *, title: str, actor: User | None) -> Video:
        """A READY video of the checked variants, made by media (its files remembered for a failure)."""
        low = planned.files["low"]
        assert low is not None  # checked by _plan_activity
        probe = self.checked[(low, "video_variant")].probe
        files = {variant: _content(self.checked[(member, VARIANT_USES[variant])])
                 for variant, member in planned.files.items() if member}
        video = video_create_from_files(
            title=title, uploaded_by=actor, files=files, original_name=_("imported with the course"),
            duration_seconds=planned.duration_seconds, width=probe.width if probe else None,
            height=probe.height if probe else None)
        self.saved.extend(getattr(video, variant).name for variant in VIDEO_VARIANTS if getattr(video, variant))
        return video

    def remove_all(self) -> None:
        for name in self.saved:
            try:
                default_storage.delete(name)
            except OSError:  # pragma: no cover — best effort; the orphan is harmless
                pass


def _write(plan: _Plan, writer: _Writer, actor: User | None) -> Course:
    course = plan.course
    # Lock the family's versions (PostgreSQL refuses FOR UPDATE with an aggregate, so read them).
    latest = max(Course.objects.select_for_update().filter(family=course.family)
                 .values_list("version", flat=True), default=None)
    if latest is not None:
        course.version = latest + 1
    course.slug = _free_slug(course.slug, course.family)
    course.status = Course.Status.DRAFT
    course.created_by = actor
    course.full_clean(exclude=["created_by", "published_by", "prerequisites"])
    course.save()
    month = timezone.now().strftime("%Y/%m")
    for pm in plan.modules:
        module = pm.module
        module.course = course
        module.save()
        for pa in pm.activities:
            activity = pa.activity
            activity.module = module
            if pa.video is not None:
                activity.video = writer.video(pa.video, title=activity.title, actor=actor)
            if pa.sheet:
                activity.sheet = writer.save(pa.sheet, "sheet", f"sheets/{month}/{uuid.uuid4().hex[:12]}")
            activity.full_clean(exclude=["module", "video"])
            activity.save()
        if pm.quiz is not None:
            quiz = pm.quiz
            quiz.module = module
            quiz.save()
            for pq in pm.questions:
                question = pq.question
                question.quiz = quiz
                if pq.image:
                    question.image = writer.save(pq.image, "question_picture",
                                                 f"questions/{month}/{uuid.uuid4().hex[:12]}")
                question.save()
                for choice in pq.choices:
                    choice.question = question
                Choice.objects.bulk_create(pq.choices)
    return course


def _as_file(data: IO[bytes] | bytes) -> IO[bytes]:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def course_import_detailed(*, actor: User | None, data: IO[bytes] | bytes) -> ImportResult:
    """Check the whole package, then store it as a new draft course. `actor=None` only for the server's
    operator; otherwise a course author or national admin."""
    if actor is not None:
        ensure_can_author(actor)
    temporary: list[ExtractedMember] = []
    try:
        package, plan = _check(_as_file(data), temporary)
    except BaseException:
        for copy in temporary:
            copy.close()
        raise
    asked_slug = plan.course.slug
    writer = _Writer(plan)
    try:
        with transaction.atomic():
            new_family = not Course.objects.filter(family=plan.course.family).exists()
            changed = _short_codes(plan)
            course = _write(plan, writer, actor)
            audit_record(
                actor=actor, action=audit_actions.COURSE_IMPORTED, target=course,
                summary=_("Imported %(title)s as version %(version)s") % {"title": course.title,
                                                                          "version": course.version},
                details={"family": str(course.family), "version": course.version, "slug": course.slug,
                         "asked_slug": asked_slug, "files": len(plan.manifest.files),
                         "exported_at": str(plan.manifest.exported_at)[:40],
                         "generator": str(plan.manifest.generator)[:40],
                         "short_codes_changed": changed},
            )
    except BaseException:
        # Nothing of a failed import stays: the rows roll back and the files written so far go.
        writer.remove_all()
        raise
    finally:
        package.close()
        for copy in temporary:
            copy.close()
    return ImportResult(course=course, asked_slug=asked_slug, new_family=new_family,
                        short_codes_changed=changed, files=len(writer.saved))


def course_import(*, actor: User | None, data: IO[bytes] | bytes) -> Course:
    return course_import_detailed(actor=actor, data=data).course


__all__ = ["ImportResult", "course_export", "course_export_to", "course_import", "course_import_detailed",
           "export_file_name", "max_import_bytes"]
