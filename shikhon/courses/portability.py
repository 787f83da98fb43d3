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
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.uploads import USES, CheckedUpload, UploadRefused, check_upload, open_archive
from shikhon.courses import audit_actions
from shikhon.courses.codes import ALPHABET, new_short_code
from shikhon.courses.models import Activity, Choice, Course, Module, Question, Quiz
from shikhon.courses.permissions import ensure_can_author
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


def _manifest(course: Course, media: _Media) -> dict[str, Any]:
    modules = []
    for module in _course_tree(course):
        activities = []
        for activity in module.activities.all():
            video = activity.video
            video_data = None
            if video is not None and video.status == Video.Status.READY and video.low:
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


def course_export_to(*, actor: User | None, course: Course, out: IO[bytes]) -> dict[str, Any]:
    """Write the course's package to `out` and answer its manifest. `actor=None` is the server's operator
    (the `course_export` management command); anyone else must be a course author or national admin."""
    if actor is not None:
        ensure_can_author(actor)
    media = _Media()
    manifest = _manifest(course, media)
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


def course_export(*, actor: User | None, course: Course) -> bytes:
    out = io.BytesIO()
    course_export_to(actor=actor, course=course, out=out)
    return out.getvalue()


def export_file_name(course: Course) -> str:
    return f"{course.slug}-v{course.version}.zip"


# ---------------------------------------------------------------- import: checking


class _Refusal(Exception):
    pass


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_package")


def _hash_member(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with package.open(info) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            size += len(chunk)
            if size > info.file_size:
                raise _Refusal
            digest.update(chunk)
    return digest.hexdigest(), size


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


def _get(data: dict[str, Any], name: str, kind: type | tuple[type, ...], where: _Where, *,
         required: bool = True, nullable: bool = False, default: Any = None) -> Any:
    if name not in data:
        if required:
            raise _problem(where, _("“%(field)s” is missing.") % {"field": name})
        return default
    value = data[name]
    if value is None and nullable:
        return None
    # JSON booleans are ints in Python; refuse them where a number is asked for.
    if not isinstance(value, kind) or (kind in (int, (int, float)) and isinstance(value, bool)):
        raise _problem(where, _("“%(field)s” has the wrong type.") % {"field": name})
    return value


def _dict(value: Any, where: _Where) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _problem(where, _("expected an object."))
    return value


def _list(value: Any, where: _Where, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise _problem(where, _("“%(field)s” has the wrong type.") % {"field": name})
    return value


def _key(data: dict[str, Any], where: _Where) -> uuid.UUID:
    raw = _get(data, "key", str, where)
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise _problem(where, _("“key” is not a valid identifier.")) from exc


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
            messages.extend(f"{label}: {e}" if name != "__all__" else str(e) for e in errors)
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
    manifest: dict[str, Any]
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


COURSE_FIELDS: list[tuple[str, type | tuple[type, ...], bool]] = [
    ("slug", str, False), ("title", str, False), ("summary", str, False), ("subject", str, False),
    ("grade_from", int, False), ("grade_to", int, False), ("estimated_hours", int, False),
]
ACTIVITY_FIELDS: list[tuple[str, type | tuple[type, ...], bool]] = [
    ("title", str, False), ("summary", str, False), ("materials", str, False), ("duration_minutes", int, False),
    ("steps", str, False), ("learner_actions", str, False), ("try_prompt", str, False),
]
QUIZ_FIELDS: list[tuple[str, type | tuple[type, ...], bool]] = [
    ("pass_percent", int, False), ("questions_per_attempt", int, True), ("max_attempts", int, True),
    ("retake_wait_minutes", int, False), ("time_limit_minutes", int, True),
]


def _copy_fields(data: dict[str, Any], spec: list[tuple[str, type | tuple[type, ...], bool]],
                 where: _Where) -> dict[str, Any]:
    values = {}
    for name, kind, nullable in spec:
        values[name] = _get(data, name, kind, where, nullable=nullable)
    return values


def _media_ref(data: dict[str, Any], name: str, where: _Where, files: dict[str, Any], *, use: str,
               uses: list[_MediaUse]) -> str | None:
    ref = _get(data, name, str, where, required=False, nullable=True)
    if ref is None or ref == "":
        return None
    if ref not in files:
        raise _refuse(_("The package refers to %(name)s, which its list of files does not contain.")
                      % {"name": ref})
    uses.append(_MediaUse(member=str(ref), use=use, where=where.at(name)))
    return str(ref)


def _decimal(raw: Any, where: _Where, name: str, *, nullable: bool) -> Decimal | None:
    if raw is None and nullable:
        return None
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise _problem(where, _("“%(field)s” has the wrong type.") % {"field": name})
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


def _plan_course(data: dict[str, Any], files: dict[str, Any],
                 uses: list[_MediaUse]) -> tuple[Course, list[_PlannedModule]]:
    where = _Where()
    course = Course(**_copy_fields(data, COURSE_FIELDS, where), status=Course.Status.DRAFT)
    family = _get(data, "family", str, where)
    try:
        course.family = uuid.UUID(family)
    except ValueError as exc:
        raise _problem(where, _("“family” is not a valid identifier.")) from exc
    course.version = _get(data, "version", int, where)
    _full_clean(course, where, exclude=["created_by", "published_by", "prerequisites"])
    if course.grade_to < course.grade_from:
        raise _problem(where, _("the last grade comes before the first grade."))
    planned: list[_PlannedModule] = []
    module_keys: set[uuid.UUID] = set()
    for m, raw_module in enumerate(_list(data.get("modules"), where, "modules")):
        mwhere = where.at(_("Module %(number)s") % {"number": m + 1})
        module_data = _dict(raw_module, mwhere)
        module = Module(key=_key(module_data, mwhere), position=_get(module_data, "position", int, mwhere),
                        title=_get(module_data, "title", str, mwhere),
                        summary=_get(module_data, "summary", str, mwhere))
        if module.key in module_keys:
            raise _problem(mwhere, _("two modules have the same key."))
        module_keys.add(module.key)
        _full_clean(module, mwhere, exclude=["course"])
        activities: list[_PlannedActivity] = []
        activity_keys: set[uuid.UUID] = set()
        for a, raw_activity in enumerate(_list(module_data.get("activities", []), mwhere, "activities")):
            awhere = mwhere.at(_("activity %(number)s") % {"number": a + 1})
            activity_data = _dict(raw_activity, awhere)
            activity = Activity(key=_key(activity_data, awhere),
                                position=_get(activity_data, "position", int, awhere),
                                **_copy_fields(activity_data, ACTIVITY_FIELDS, awhere))
            code = _get(activity_data, "short_code", str, awhere, required=False, nullable=True) or ""
            activity.short_code = code
            if activity.key in activity_keys:
                raise _problem(awhere, _("two activities of the module have the same key."))
            activity_keys.add(activity.key)
            _full_clean(activity, awhere, exclude=["module", "video", "sheet", "short_code"])
            video = None
            raw_video = activity_data.get("video")
            if raw_video is not None:
                vwhere = awhere.at(_("video"))
                video_data = _dict(raw_video, vwhere)
                video_files = {name: _media_ref(video_data, name, vwhere, files, use=VARIANT_USES[name], uses=uses)
                               for name in VIDEO_VARIANTS}
                if not video_files["low"]:
                    raise _problem(vwhere, _("the video has no low-bitrate variant."))
                duration = _get(video_data, "duration_seconds", (int, float), vwhere, required=False,
                                nullable=True)
                if duration is not None and duration < 0:
                    raise _problem(vwhere, _("the video's duration is negative."))
                video = _PlannedVideo(files=video_files, duration_seconds=None if duration is None else float(duration))
            activities.append(_PlannedActivity(activity=activity, video=video,
                                               sheet=_media_ref(activity_data, "sheet", awhere, files, use="sheet",
                                                                uses=uses)))
        quiz = None
        questions: list[_PlannedQuestion] = []
        raw_quiz = module_data.get("quiz")
        if raw_quiz is not None:
            qwhere = mwhere.at(_("quiz"))
            quiz_data = _dict(raw_quiz, qwhere)
            quiz = Quiz(**_copy_fields(quiz_data, QUIZ_FIELDS, qwhere))
            _full_clean(quiz, qwhere, exclude=["module"])
            if quiz.pass_percent > 100:
                raise _problem(qwhere, _("the pass mark is more than 100%."))
            question_keys: set[uuid.UUID] = set()
            for q, raw_question in enumerate(_list(quiz_data.get("questions", []), qwhere, "questions")):
                question_where = qwhere.at(_("question %(number)s") % {"number": q + 1})
                question_data = _dict(raw_question, question_where)
                question = Question(
                    key=_key(question_data, question_where),
                    position=_get(question_data, "position", int, question_where),
                    kind=_get(question_data, "kind", str, question_where),
                    text=_get(question_data, "text", str, question_where),
                    feedback=_get(question_data, "feedback", str, question_where),
                    numeric_answer=_decimal(question_data.get("numeric_answer"), question_where,
                                            "numeric_answer", nullable=True),
                    numeric_tolerance=_decimal(question_data.get("numeric_tolerance", "0"), question_where,
                                               "numeric_tolerance", nullable=False) or Decimal(0),
                )
                if question.key in question_keys:
                    raise _problem(question_where, _("two questions of the quiz have the same key."))
                question_keys.add(question.key)
                _full_clean(question, question_where, exclude=["quiz", "image"])
                choices = []
                for c, raw_choice in enumerate(_list(question_data.get("choices", []), question_where, "choices")):
                    cwhere = question_where.at(_("answer %(number)s") % {"number": c + 1})
                    choice_data = _dict(raw_choice, cwhere)
                    choice = Choice(position=_get(choice_data, "position", int, cwhere),
                                    text=_get(choice_data, "text", str, cwhere),
                                    is_correct=_get(choice_data, "is_correct", bool, cwhere))
                    _full_clean(choice, cwhere, exclude=["question"])
                    choices.append(choice)
                _check_question(question, choices, question_where)
                questions.append(_PlannedQuestion(
                    question=question, choices=choices,
                    image=_media_ref(question_data, "image", question_where, files, use="question_picture",
                                     uses=uses)))
        planned.append(_PlannedModule(module=module, activities=activities, quiz=quiz, questions=questions))
    return course, planned


def _open_package(data: IO[bytes]) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The package open, with its members: a zip within the size limit, no unsafe names, links, encrypted
    members or zip bombs (the shared upload checks for archives, core.uploads)."""
    try:
        return open_archive(use="course_package", file=data)
    except UploadRefused as exc:
        raise _refuse(exc.messages[0]) from exc


def _read_manifest(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    info = members.get(MANIFEST)
    if info is None:
        raise _refuse(_("The package has no manifest.json, so it is not a Shikhon course package."))
    if info.file_size > MANIFEST_MAX_BYTES:
        raise _refuse(_("The package's manifest.json is too large."))
    try:
        manifest = json.loads(package.read(info).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, zipfile.BadZipFile) as exc:
        raise _refuse(_("The package's manifest.json is not valid JSON.")) from exc
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA:
        raise _refuse(_("The package is not a Shikhon course package (its manifest names another schema)."))
    version = manifest.get("schema_version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise _refuse(_("The package uses schema version %(version)s, which this server cannot read "
                        "(it reads version %(supported)s). Update Shikhon or export the course again.")
                      % {"version": str(version)[:20],
                         "supported": ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))})
    if not isinstance(manifest.get("course"), dict):
        raise _refuse(_("The package's manifest has no course."))
    if not isinstance(manifest.get("files", {}), dict):
        raise _refuse(_("The package's list of files is not valid."))
    return manifest


def _check_files(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], files: dict[str, Any]) -> None:
    for name, entry in files.items():
        if not MEDIA_NAME.match(name):
            raise _refuse(_("The package lists a file with a name Shikhon does not use (%(name)s).")
                          % {"name": str(name)[:200]})
        if (not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str)
                or not isinstance(entry.get("size"), int) or isinstance(entry.get("size"), bool)):
            raise _refuse(_("The package's list of files is not valid at %(name)s.") % {"name": name})
        if name not in members:
            raise _refuse(_("The package is incomplete: %(name)s is listed but missing.") % {"name": name})
    for name in members:
        if name != MANIFEST and name not in files:
            raise _refuse(_("The package holds a file that its manifest does not list: %(name)s. Nothing was "
                            "imported.") % {"name": name})
    for name, entry in files.items():
        info = members[name]
        if info.file_size != entry["size"]:
            raise _refuse(_("The package was changed after export: %(name)s does not have the size its manifest "
                            "gives.") % {"name": name})
        try:
            digest, _size = _hash_member(package, info)
        except (_Refusal, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _refuse(_("The package is damaged: %(name)s cannot be read.") % {"name": name}) from exc
        if digest != entry["sha256"].lower():
            raise _refuse(_("The package was changed after export: %(name)s does not match its checksum.")
                          % {"name": name})


class _Extracted(File):  # type: ignore[type-arg]
    """A package member copied to a temporary file (ffmpeg reads videos from a path)."""

    def temporary_file_path(self) -> str:
        return str(self.file.name)  # type: ignore[union-attr]


def _check_media(package: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], uses: list[_MediaUse],
                 temporary: list[IO[bytes]]) -> dict[tuple[str, str], CheckedUpload]:
    """Every media file through the upload check of its use; the first refusal names where it is used."""
    checked: dict[tuple[str, str], CheckedUpload] = {}
    for media_use in uses:
        key = (media_use.member, media_use.use)
        if key in checked:
            continue
        copy = tempfile.NamedTemporaryFile(prefix="shikhon-import-")  # noqa: SIM115 — closed by the caller
        temporary.append(copy)
        with package.open(members[media_use.member]) as source:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                copy.write(chunk)
        copy.flush()
        copy.seek(0)
        try:
            checked[key] = check_upload(use=media_use.use, file=_Extracted(copy, name=media_use.member))
        except UploadRefused as exc:
            raise _problem(media_use.where, exc.messages[0]) from exc
    return checked


def _check(data: IO[bytes], temporary: list[IO[bytes]]) -> tuple[zipfile.ZipFile, _Plan]:
    package, members = _open_package(data)
    try:
        manifest = _read_manifest(package, members)
        files: dict[str, Any] = manifest.get("files", {})
        _check_files(package, members, files)
        uses: list[_MediaUse] = []
        course, modules = _plan_course(manifest["course"], files, uses)
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
        checked.file.seek(0)
        # Copied, not moved: a member extracted to a temporary file may be stored under several names.
        content = File(checked.file.file) if isinstance(checked.file, _Extracted) else checked.file
        name = default_storage.save(checked.filename(target), content)
        self.saved.append(name)
        self.by_key[key] = name
        return name

    def size(self, member: str | None, use: str) -> int:
        return self.checked[(member, use)].size if member else 0

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
    now = timezone.now()
    month = now.strftime("%Y/%m")
    for pm in plan.modules:
        module = pm.module
        module.course = course
        module.save()
        for pa in pm.activities:
            activity = pa.activity
            activity.module = module
            if pa.video is not None:
                video = Video(title=activity.title[:200], uploaded_by=actor, status=Video.Status.READY,
                              original_name=_("imported with the course"), processed_at=now,
                              duration_seconds=pa.video.duration_seconds)
                folder = f"videos/{video.public_id}"
                for variant in VIDEO_VARIANTS:
                    member = pa.video.files[variant]
                    # Captions get a fresh name per file (the player's address carries it, for caching).
                    stem = f"captions-{member[6:14]}" if variant == "captions" and member else variant
                    setattr(video, variant, writer.save(member, VARIANT_USES[variant], f"{folder}/{stem}"))
                low = pa.video.files["low"]
                assert low is not None
                probe = plan.checked[(low, "video_variant")].probe
                if probe is not None:
                    video.width, video.height = probe.width, probe.height
                video.low_bytes = writer.size(low, "video_variant")
                video.size_bytes = sum(writer.size(f, VARIANT_USES[v]) for v, f in pa.video.files.items())
                if video.duration_seconds:
                    video.low_kbps = round(video.low_bytes * 8 / 1000 / video.duration_seconds)
                video.full_clean(exclude=["uploaded_by"])
                video.save()
                activity.video = video
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
    temporary: list[IO[bytes]] = []
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
                         "asked_slug": asked_slug, "files": len(plan.manifest.get("files", {})),
                         "exported_at": str(plan.manifest.get("exported_at", ""))[:40],
                         "generator": str(plan.manifest.get("generator", ""))[:40],
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
