"""Loads the demo course "আনন্দে গণিত শিখি" from its course package (`packages/anonde-gonit-shikhi.zip`, made
by `course_export`) through `course_import`, so every `make demo` exercises the exchange format; has it
submitted by its author and published by the national admin through the authoring services; makes its
short videos; and puts demo teachers at different stages of it: just started, half-way, certified,
invited to face-to-face training, and trained. Idempotent: a second run finds everything in place,
changes nothing and is fast.

Videos are not in the package (27 of them would be far too big to commit): each activity's slide texts are
in `packages/anonde-gonit-shikhi.videos.json`, by activity key. Videos are drawn once from them
(`media.generate`), processed like an upload (`media.services.video_variants_make`) and kept in a cache
outside MEDIA_ROOT (var/demo-media/<hash>/); later runs — e.g. the browser tests, which start with an
empty MEDIA_ROOT every time — only store the cached files (`media.services.video_create_from_files`).
Without ffmpeg or Bangla text shaping the videos are skipped with a warning."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shikhon.core.bangla import to_bangla_digits
from shikhon.core.clock import dhaka_date, dhaka_datetime, dhaka_today
from shikhon.courses.models import (
    Activity,
    ActivityProgress,
    Course,
    Enrolment,
    Question,
    QuizAttempt,
)
from shikhon.media.models import Video
from shikhon.people.models import User
from shikhon.people.phone import national_format, normalize_phone

log = logging.getLogger(__name__)
Say = Callable[[str], None]

PACKAGES = Path(__file__).resolve().parent / "packages"
PACKAGE = PACKAGES / "anonde-gonit-shikhi.zip"
VIDEOS = PACKAGES / "anonde-gonit-shikhi.videos.json"

AUTHOR_PHONE = "01711000012"      # Shirin, course author
PUBLISHER_PHONE = "01711000001"   # Nasrin, national admin: publishes, sets programmes and costs
OFFICER_PHONE = "01711000004"     # Abul Kalam, upazila officer Hatia: organises the batches
TRAINER_PHONE = "01711000005"     # Selina, mentor Hatia: trains and takes attendance

# Bump when the way demo videos are made changes, so the cache is made again.
VIDEO_VERSION = "1"
SECONDS_PER_SLIDE = 4.0
CACHE_FILES = ("original.mp4", "low.mp4", "poster.jpg", "captions.vtt", "meta.json")

PROGRAMME_TITLE = "আনন্দে গণিত শিখি — মুখোমুখি প্রশিক্ষণ"
PROGRAMME_DESCRIPTION = ("অনলাইন কোর্সের সনদ পাওয়া শিক্ষকদের জন্য পাঁচ দিনের হাতে-কলমে প্রশিক্ষণ: কোর্সের কাজগুলো "
                         "সহকর্মীদের সাথে করে দেখা, নিজের শ্রেণির জন্য উপকরণ বানানো এবং একটি নমুনা পাঠ পরিচালনা।")
VENUE = "উপজেলা রিসোর্স সেন্টার, হাতিয়া"
PAST_BATCH_TITLE = "হাতিয়া ব্যাচ ১"
NEXT_BATCH_TITLE = "হাতিয়া ব্যাচ ২"
BATCH_DAYS = 5
# What one five-day batch costs (BDT): venue, allowances, materials, trainers.
BATCH_COSTS = (Decimal(2000), Decimal(1500), Decimal(500), Decimal(3000))
COURSE_COSTS = {"development": Decimal(350000), "hosting": Decimal(24000), "sms": Decimal(6000),
                "other": Decimal(0)}
COURSE_COST_NOTE = "লেখা ও ভিডিও তৈরি, সার্ভার, এসএমএস"


# ------------------------------------------------------------------------------------------ the course

def _user(phone: str) -> User:
    return User.objects.get(phone=normalize_phone(phone))


@cache
def package_manifest() -> dict[str, Any]:
    """The demo package's manifest (read once per process)."""
    with zipfile.ZipFile(PACKAGE) as package:
        manifest: dict[str, Any] = json.loads(package.read("manifest.json"))
    return manifest


def demo_family() -> uuid.UUID:
    return uuid.UUID(package_manifest()["course"]["family"])


def demo_course() -> Course | None:
    """The demo course here: its published version, else its newest."""
    versions = Course.objects.filter(family=demo_family())
    return (versions.filter(status=Course.Status.PUBLISHED).first()
            or versions.order_by("-version").first())


def _import_and_publish() -> Course:
    """The package imported as the author, sent for review and published by the national admin: the same
    services as a course written in the authoring pages (and their audit records and notifications)."""
    from shikhon.courses import authoring, portability

    author, publisher = _user(AUTHOR_PHONE), _user(PUBLISHER_PHONE)
    course = portability.course_import(actor=author, data=PACKAGE.read_bytes())
    course = authoring.course_submit(actor=author, course=course)
    return authoring.course_publish(actor=publisher, course=course)


def load_demo_course(*, videos: bool = True, say: Say | None = None) -> Course:
    """The published demo course (imported from its package the first time), with a video for every
    activity when `videos`."""
    with transaction.atomic():
        course = demo_course()
        if course is None:
            course = _import_and_publish()
            if say:
                say(f"Demo course imported from {PACKAGE.relative_to(Path(settings.BASE_DIR))}")
    if videos:
        attach_videos(course, say=say)
    return course


# ------------------------------------------------------------------------------------------ the videos

def video_slides() -> dict[str, list[str]]:
    """Each activity's slide texts, by the activity's key."""
    data = json.loads(VIDEOS.read_text(encoding="utf-8"))
    return {key: list(entry["slides"]) for key, entry in data.items()}


def cache_root() -> Path:
    configured = getattr(settings, "SHIKHON_DEMO_MEDIA_CACHE", "") or os.environ.get("SHIKHON_DEMO_MEDIA_CACHE", "")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "demo-media"


def _header(module_position: int, module_title: str) -> str:
    return f"মডিউল {to_bangla_digits(module_position + 1)}: {module_title}"


def video_key(slides: list[str], header: str) -> str:
    from shikhon.media import generate

    recipe = {"version": VIDEO_VERSION, "header": header, "slides": list(slides),
              "seconds": SECONDS_PER_SLIDE, "size": [generate.WIDTH, generate.HEIGHT], "fps": generate.FPS}
    return hashlib.sha256(json.dumps(recipe, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]


def video_tools_missing() -> str:
    """Why demo videos cannot be made here ("" when they can)."""
    try:
        from shikhon.core.ffmpeg import ffmpeg_path
        from shikhon.media import generate

        ffmpeg_path()
        generate.ensure_shaping()
        generate.font_file().stat()
    except Exception as exc:  # noqa: BLE001 - any missing tool means: skip the videos, say why
        return str(exc) or exc.__class__.__name__
    return ""


def _cached(folder: Path) -> bool:
    return all((folder / name).exists() for name in CACHE_FILES)


def _video_from_cache(folder: Path, *, title: str, author: User | None) -> Video:
    """A READY video whose files are copies of the cached ones (fast: no encoding), stored by media."""
    from shikhon.media.services import video_create_from_files

    meta = json.loads((folder / "meta.json").read_text())
    with ExitStack() as stack:
        files = {field: File(stack.enter_context((folder / name).open("rb")), name=name)
                 for field, name in (("original", "original.mp4"), ("low", "low.mp4"), ("standard", "standard.mp4"),
                                     ("poster", "poster.jpg"), ("captions", "captions.vtt"))
                 if (folder / name).exists()}
        return video_create_from_files(title=title, uploaded_by=author, files=files, original_name="original.mp4",
                                       duration_seconds=meta.get("duration_seconds"), width=meta.get("width"),
                                       height=meta.get("height"))


def _make_video(folder: Path, slides: list[str], *, header: str) -> None:
    """Draw the slides and make the variants exactly as an upload's processing does, into the cache
    `folder` (made atomically: a half-made folder is never taken for a cached one)."""
    from shikhon.media import generate
    from shikhon.media.services import video_variants_make

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    work.chmod(0o755)
    try:
        generate.slides_video(slides=slides, out_path=work / "original.mp4", title=header,
                              seconds_per_slide=SECONDS_PER_SLIDE)
        (work / "captions.vtt").write_text(generate.captions_vtt(slides, SECONDS_PER_SLIDE), encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="shikhon-demo-video-") as tmp:
            made = video_variants_make(original=work / "original.mp4", folder=Path(tmp))
            for field, path in made.files.items():
                shutil.copyfile(path, work / {"low": "low.mp4", "standard": "standard.mp4",
                                              "poster": "poster.jpg"}[field])
        meta = {"duration_seconds": made.duration_seconds, "width": made.width, "height": made.height}
        (work / "meta.json").write_text(json.dumps(meta))
        try:
            work.rename(folder)
        except OSError:  # another run cached it first
            pass
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def attach_videos(course: Course, *, say: Say | None = None, only: int | None = None) -> int:
    """Give every activity of the demo course that has slide texts and no ready video one; returns how many
    were attached. `only` limits how many are made (tests)."""
    say = say or (lambda text: None)
    slides_of = video_slides()
    activities = list(Activity.objects.filter(module__course=course).select_related("module", "video")
                      .order_by("module__position", "position"))
    todo = [a for a in activities if (a.video is None or not a.video.is_ready) and str(a.key) in slides_of]
    if only is not None:
        todo = todo[:only]
    if not todo:
        return 0
    missing = video_tools_missing()
    if missing:
        say(f"WARNING: demo videos skipped — {missing}")
        return 0
    author = User.objects.filter(phone=normalize_phone(AUTHOR_PHONE)).first()
    root = cache_root()
    made = copied = 0
    for activity in todo:
        header = _header(activity.module.position, activity.module.title)
        slides = slides_of[str(activity.key)]
        folder = root / video_key(slides, header)
        try:
            if not _cached(folder):
                say(f"  making the video of “{activity.title}” (first run only)…")
                _make_video(folder, slides, header=header)
                made += 1
            else:
                copied += 1
            video = _video_from_cache(folder, title=activity.title, author=author)
        except Exception as exc:  # noqa: BLE001 - a demo video must never break the demo
            log.exception("demo video %r", activity.title)
            say(f"WARNING: the video of “{activity.title}” could not be made: {exc}")
            continue
        old = activity.video
        activity.video = video
        activity.save(update_fields=["video"])
        if old is not None and old.pk != video.pk:
            old.delete()
    say(f"Demo videos: {made} made, {copied} copied from {root}")
    return made + copied


# ------------------------------------------------------------------------------------------ the stages

@dataclass(frozen=True)
class Stage:
    phone: str
    story: str


STAGES = [
    Stage("01711000007", "not enrolled — finds and takes the course"),
    Stage("01711000011", "enrolled, watched the first activity's video (not marked done yet)"),
    Stage("01711000013", "half-way: modules 1–4 passed"),
    Stage("01711000014", "certified: all 9 modules passed"),
    Stage("01711000015", "certified, invited to the Hatia batch 2 (not answered yet)"),
    Stage("01711000016", "certified, trained: attended Hatia batch 1 (completed)"),
]


def _correct_answers(attempt: QuizAttempt, *, wrong: int = 0) -> dict[str, list[str]]:
    """Answers to the attempt's questions, all correct except the first `wrong` ones."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")}
    answers: dict[str, list[str]] = {}
    for n, pk in enumerate(attempt.question_ids):
        question = questions[pk]
        bad = n < wrong
        if question.kind == Question.Kind.NUMERIC:
            value = Decimal(question.numeric_answer or 0) + (1 if bad else 0)
            answers[str(pk)] = [format(value.normalize(), "f")]
            continue
        right = [str(c.pk) for c in question.choices.all() if c.is_correct]
        others = [str(c.pk) for c in question.choices.all() if not c.is_correct]
        answers[str(pk)] = others[:1] if bad else (right if question.kind == Question.Kind.MULTIPLE else right[:1])
    return answers


def _study(user: User, course: Course, *, modules_passed: int, extra_done: int = 0, fail_once: int | None = None,
           watched_next: int = 0) -> Enrolment:
    """Enrol her and study like a teacher would, through the real services: every activity of the first
    `modules_passed` modules done and their quizzes passed (the quiz of module `fail_once` failed once
    first), then `extra_done` activities of the next module done and the one after that watched
    `watched_next` percent."""
    from shikhon.courses.services import (
        activity_progress_record,
        enrolment_create,
        quiz_attempt_start,
        quiz_attempt_submit,
    )

    enrolment = enrolment_create(actor=user, course=course)
    modules = list(course.modules.prefetch_related("activities").select_related("quiz").order_by("position"))
    for index, module in enumerate(modules):
        activities = list(module.activities.all())
        if index < modules_passed:
            for activity in activities:
                activity_progress_record(actor=user, activity=activity, watched_percent=100, done=True)
            if fail_once == index:
                attempt = quiz_attempt_start(actor=user, quiz=module.quiz)
                quiz_attempt_submit(actor=user, attempt=attempt, answers=_correct_answers(attempt, wrong=2))
            attempt = quiz_attempt_start(actor=user, quiz=module.quiz)
            quiz_attempt_submit(actor=user, attempt=attempt, answers=_correct_answers(attempt))
            continue
        for activity in activities[:extra_done]:
            activity_progress_record(actor=user, activity=activity, watched_percent=100, done=True)
        if watched_next and len(activities) > extra_done:
            activity_progress_record(actor=user, activity=activities[extra_done], watched_percent=watched_next)
        break
    enrolment.refresh_from_db()
    return enrolment


def _backdate(enrolment: Enrolment, days: int) -> None:
    """Move her whole study `days` days into the past, so the story reads in order (studied, certified,
    then trained)."""
    delta = dt.timedelta(days=days)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=F("enrolled_at") - delta, last_seen_at=F("last_seen_at") - delta,
        completed_at=F("completed_at") - delta)
    ActivityProgress.objects.filter(enrolment=enrolment, done_at__isnull=False).update(done_at=F("done_at") - delta)
    QuizAttempt.objects.filter(enrolment=enrolment).update(started_at=F("started_at") - delta,
                                                           submitted_at=F("submitted_at") - delta)
    from shikhon.certificates.models import Certificate
    from shikhon.certificates.services import certificate_pdf_store

    storage = Certificate._meta.get_field("pdf").storage
    rows = Certificate.objects.filter(enrolment=enrolment).values_list("pk", "issued_at", "pdf")
    for pk, issued_at, pdf in rows:
        moved = issued_at - delta  # the Dhaka date on the page moves with it, and the PDF is drawn again
        Certificate.objects.filter(pk=pk).update(issued_at=moved, issued_on=dhaka_date(moved), pdf="")
        if pdf:
            storage.delete(pdf)
        certificate_pdf_store(certificate_id=pk)


def _certify(enrolment: Enrolment, say: Say) -> Any:
    """Her certificate, issued by the certificates service (also what the completion task calls)."""
    try:
        from shikhon.certificates.services import certificate_issue
    except ImportError:  # pragma: no cover - the certificates app always has it now
        say("WARNING: certificates.services.certificate_issue is missing; no demo certificates.")
        return None
    return certificate_issue(enrolment_id=enrolment.pk)


def _teacher_stage(phone: str, course: Course, say: Say, **study: Any) -> tuple[Enrolment | None, bool]:
    """(her enrolment, whether it was made now). An existing enrolment is left exactly as it is."""
    user = _user(phone)
    existing = Enrolment.objects.filter(user=user, family=course.family).first()
    if existing is not None:
        return existing, False
    days_ago = study.pop("days_ago", 0)
    enrolment = _study(user, course, **study)
    if enrolment.completed_at is not None:
        _certify(enrolment, say)
    if days_ago:
        _backdate(enrolment, days_ago)
    return enrolment, True


def _training(course: Course, say: Say) -> None:
    """The face-to-face programme, a past batch (one teacher trained) and a coming batch (one invited),
    and what the course and the batches cost."""
    from shikhon.places.models import Upazila
    from shikhon.training import services as training
    from shikhon.training.models import Attendance, Batch, CourseCost, Invitation, Programme

    admin, officer, trainer = _user(PUBLISHER_PHONE), _user(OFFICER_PHONE), _user(TRAINER_PHONE)
    today = dhaka_today()

    if not CourseCost.objects.filter(family=course.family, year=today.year).exists():
        training.course_cost_save(actor=admin, course=course, year=today.year, note=COURSE_COST_NOTE,
                                  **COURSE_COSTS)

    programme = Programme.objects.filter(title=PROGRAMME_TITLE).first()
    if programme is None:
        programme = training.programme_save(actor=admin, title=PROGRAMME_TITLE, description=PROGRAMME_DESCRIPTION,
                                            required_course=course, days=BATCH_DAYS)
    hatia = Upazila.objects.get(code=46)

    # A past batch: Jasim accepted, was present four days of five, and completed it.
    if not Batch.objects.filter(programme=programme, title=PAST_BATCH_TITLE).exists():
        starts = today - dt.timedelta(days=30)
        past = training.batch_save(actor=officer, programme=programme, title=PAST_BATCH_TITLE, upazila=hatia,
                                   venue=VENUE, starts_on=starts, ends_on=starts + dt.timedelta(days=BATCH_DAYS - 1),
                                   capacity=25, trainers=[trainer], cost_venue=BATCH_COSTS[0],
                                   cost_allowances=BATCH_COSTS[1], cost_materials=BATCH_COSTS[2],
                                   cost_trainers=BATCH_COSTS[3])
        jasim = _user("01711000016")
        role = jasim.roles.filter(school__isnull=False).first()
        invited_at = timezone.now() - dt.timedelta(days=38)
        invitation = Invitation(batch=past, teacher=jasim, invited_by=officer, status=Invitation.Status.ACCEPTED,
                                responded_at=invited_at + dt.timedelta(days=1),
                                school_id=role.school_id if role else None,
                                upazila_id=role.upazila_id if role else None,
                                district_id=role.district_id if role else None,
                                division_id=role.division_id if role else None)
        invitation.full_clean(exclude=["batch", "teacher"])
        invitation.save()
        Invitation.objects.filter(pk=invitation.pk).update(invited_at=invited_at)
        for n in range(BATCH_DAYS):
            day = starts + dt.timedelta(days=n)
            training.attendance_take(actor=trainer, batch=past, day=day, present_ids=[] if n == 2 else [jasim.pk])
        training.batch_complete(actor=officer, batch=past)
        finished = dhaka_datetime(past.ends_on, dt.time(17, 0))
        Invitation.objects.filter(pk=invitation.pk, completed_at__isnull=False).update(completed_at=finished)
        Attendance.objects.filter(invitation=invitation).update(marked_at=finished)

    # A coming batch: Roksana is invited and has not answered yet.
    upcoming = Batch.objects.filter(programme=programme, title=NEXT_BATCH_TITLE).first()
    if upcoming is None:
        starts = today + dt.timedelta(days=14)
        upcoming = training.batch_save(actor=officer, programme=programme, title=NEXT_BATCH_TITLE, upazila=hatia,
                                       venue=VENUE, starts_on=starts,
                                       ends_on=starts + dt.timedelta(days=BATCH_DAYS - 1), capacity=25,
                                       trainers=[trainer], cost_venue=BATCH_COSTS[0],
                                       cost_allowances=BATCH_COSTS[1], cost_materials=BATCH_COSTS[2],
                                       cost_trainers=BATCH_COSTS[3])
    roksana = _user("01711000015")
    if not Invitation.objects.filter(batch=upcoming, teacher=roksana).exists():
        _step(say, "invitation", training.invitations_send, actor=officer, batch=upcoming, teacher_ids=[roksana.pk])


def _step(say: Say, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run one stage in a savepoint; if the data was changed by hand so that a rule refuses it, say so
    and go on (the demo must always load)."""
    try:
        with transaction.atomic():
            fn(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        say(f"WARNING: demo stage “{what}” skipped: {exc}")


@transaction.atomic
def load_demo_stages(course: Course, *, say: Say | None = None) -> list[tuple[Stage, User]]:
    """The demo teachers at their stages of the course (people must be loaded first). If a newer
    version of the course was published meanwhile, new enrolments go to that version."""
    say = say or (lambda text: None)
    course = Course.objects.filter(family=course.family, status=Course.Status.PUBLISHED).first() or course
    # Kamrun has only watched the first video: tests/browser/test_offline.py marks that activity done
    # offline, so it must not be done already (`extra_done=1` would make it done).
    _step(say, "Kamrun", _teacher_stage, "01711000011", course, say, modules_passed=0, watched_next=100,
          days_ago=1)
    _step(say, "Nasima", _teacher_stage, "01711000013", course, say, modules_passed=4, extra_done=1,
          watched_next=40, fail_once=3, days_ago=2)
    _step(say, "Shahnaz", _teacher_stage, "01711000014", course, say, modules_passed=9, days_ago=7)
    _step(say, "Roksana", _teacher_stage, "01711000015", course, say, modules_passed=9, days_ago=20)
    _step(say, "Jasim", _teacher_stage, "01711000016", course, say, modules_passed=9, days_ago=45)
    _step(say, "training", _training, course, say)
    users = {u.phone: u for u in User.objects.filter(phone__in=[normalize_phone(s.phone) for s in STAGES])}
    return [(stage, users[normalize_phone(stage.phone)]) for stage in STAGES]


def describe_course(course: Course, stages: Iterable[tuple[Stage, User]]) -> str:
    modules = course.modules.count()
    activities = Activity.objects.filter(module__course=course).count()
    with_video = Activity.objects.filter(module__course=course, video__status=Video.Status.READY).count()
    questions = Question.objects.filter(quiz__module__course=course).count()
    lines = ["", f"Demo course: {course.title} — {course.get_absolute_url()} (published, version {course.version})",
             f"  {modules} modules, {activities} activities ({with_video} with a video), {questions} quiz questions",
             "", "Teachers at each stage of the course:"]
    for stage, user in stages:
        lines.append(f"  {national_format(user.phone)}  {user.name_en:<16} {stage.story}")
    return "\n".join(lines)
