"""Prepare the load run of `make bench`: sessions for a bench teacher and officer, an API token, the list of
pages to load, and each page requested in-process through the whole stack (status, SQL query count and
time), cold once and then warm, to catch N+1 queries at scale."""

from __future__ import annotations

import json
import time
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from shikhon.certificates.models import Certificate
from shikhon.courses.models import Enrolment, QuizAttempt
from shikhon.demo import bench_data, bench_library, bench_practice
from shikhon.people.models import AccessToken, Role, User
from shikhon.people.services import access_token_create, access_token_revoke
from shikhon.places.models import Upazila

TOKEN_NAME = "bench"  # noqa: S105 — a label, not a secret
FORM = "application/x-www-form-urlencoded"
# Attempts made for the submission page are numbered from here (the dataset's own are 1 and 2), so each
# run removes the previous run's and makes fresh open ones.
SUBMIT_NUMBER_BASE = 1000
VERIFY_CODES = 5000


def _session_cookie(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _probe(client: Client, path: str, headers: dict[str, str], *, method: str = "GET",
           body: str = "") -> dict[str, Any]:
    """Request the page in-process through the whole stack; count its SQL queries and time it. One client
    serves every probe: a new one would load the middleware again (WhiteNoise scans the static files)."""
    client.cookies.clear()
    extra = {}
    for name, value in headers.items():
        if name == "Cookie":
            for part in value.split(";"):
                key, _, val = part.strip().partition("=")
                client.cookies[key] = val
        elif name != "Content-Type":
            extra[name] = value
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if method == "POST":
            response = client.post(path, data=body, content_type=headers.get("Content-Type", FORM), headers=extra)
        else:
            response = client.get(path, headers=extra)
        elapsed = time.perf_counter() - started
    return {
        "status": response.status_code,
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
        "view_ms": round(elapsed * 1000, 1),
        "bytes": len(response.content) if not response.streaming else None,
        "location": response.get("Location"),
    }


class Command(BaseCommand):
    help = "Create bench sessions and an API token, list the pages to load, and count each page's queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Write the targets and probes to this JSON file.")
        parser.add_argument("--search-word", default="সরকারি", help="A common word in school names.")
        parser.add_argument("--learners", type=int, default=200,
                            help="Enrolled bench teachers whose sessions load the activity and quiz pages.")
        parser.add_argument("--submit-attempts", type=int, default=20_000,
                            help="Open quiz attempts made for the submission page (each is submitted once).")
        parser.add_argument("--practice-posts", type=int, default=20_000,
                            help="Outbox items for the practice-record page (each a new record, sent once).")
        parser.add_argument("--head-teachers", type=int, default=200,
                            help="Head teachers of circle schools whose sessions load the school page.")
        parser.add_argument("--clear-cache", action="store_true",
                            help="Empty the cache first, so the first probe of each page is a cold one.")

    def handle(self, *args: Any, **options: Any) -> None:
        busy = (bench_data.bench_schools().order_by().values("upazila_id").annotate(n=models.Count("id"))
                .order_by("-n", "upazila_id").first())
        if busy is None:
            raise CommandError("There is no bench dataset. Run `manage.py bench_dataset` first.")
        upazila = Upazila.objects.get(pk=busy["upazila_id"])
        teacher_role = (Role.objects.filter(kind=Role.Kind.TEACHER, upazila=upazila,
                                            user__phone__startswith=bench_data.PHONE_PREFIX)
                        .select_related("user").order_by("id").first())
        officer_role = (Role.objects.filter(kind=Role.Kind.UPAZILA_OFFICER, upazila=upazila,
                                            user__phone__startswith=bench_data.PHONE_PREFIX)
                        .select_related("user").order_by("id").first())
        if teacher_role is None or officer_role is None:
            raise CommandError(f"The bench dataset has no teacher or officer in {upazila.name_en}; run "
                               "`manage.py bench_dataset --reload`.")
        teacher, officer = teacher_role.user, officer_role.user
        if options["clear_cache"]:
            cache.clear()
        teacher_cookie, officer_cookie = _session_cookie(teacher), _session_cookie(officer)
        for old in AccessToken.objects.filter(user=officer, name=TOKEN_NAME, revoked_at__isnull=True):
            access_token_revoke(actor=officer, token=old)
        _, raw_token = access_token_create(actor=officer, name=TOKEN_NAME)

        word = options["search_word"]
        try:
            floor = reverse("bench_floor")
        except NoReverseMatch as exc:
            raise CommandError("The floor view /bench/floor/ is not mounted: set SHIKHON_BENCH=1.") from exc
        targets: list[dict[str, Any]] = [
            {"name": "floor", "label": "floor (tiny view)", "path": floor, "headers": {}},
            # The same tiny view with a teacher's session: what loading the session and the user costs.
            {"name": "floor_signed_in", "label": "floor, signed in", "path": floor,
             "headers": {"Cookie": teacher_cookie}},
            {"name": "home_teacher", "label": "home, teacher", "path": "/", "headers": {"Cookie": teacher_cookie}},
            {"name": "upazila_officer", "label": "upazila page, officer", "path": f"/places/upazila/{upazila.pk}/",
             "headers": {"Cookie": officer_cookie}},
            {"name": "school_search", "label": f"school search q={word}",
             "path": "/places/search/?" + urlencode({"q": word}), "headers": {"Cookie": teacher_cookie}},
            {"name": "api_schools", "label": "API school list",
             "path": "/api/v1/schools?" + urlencode({"q": word, "upazila": upazila.pk}),
             "headers": {"Authorization": f"Bearer {raw_token}"}},
        ]
        course_targets, course_info = _course_targets(Path(options["out"]).parent, options["learners"],
                                                      options["submit_attempts"])
        targets += course_targets
        practice_targets, practice_info = bench_practice.practice_targets(
            Path(options["out"]).parent, _session_cookie, posters=options["learners"],
            posts=options["practice_posts"], heads=options["head_teachers"], log=self.stdout.write)
        targets += practice_targets
        library_targets, library_info = bench_library.library_targets(Path(options["out"]).parent,
                                                                      log=self.stdout.write)
        targets += library_targets
        client = Client(HTTP_HOST="127.0.0.1")
        _probe(client, floor, {})  # loads the middleware once
        for target in targets:
            # The first request may fill caches (cold); then the median of five shows the steady state (warm).
            # One-time requests (a quiz submission) are probed on attempts kept aside for the probes.
            probes = iter(target.pop("probes", None) or [(target["path"], target.get("body", ""))] * 6)

            def probe(target: dict[str, Any] = target, probes: Any = probes) -> dict[str, Any]:
                path, body = next(probes)
                return _probe(client, path, target["headers"], method=target.get("method", "GET"), body=body)

            target["probe_cold"] = probe()
            warm = sorted((probe() for _ in range(5)), key=lambda p: p["view_ms"])
            target["probe_warm"] = warm[2]
        data = {
            "busy_upazila": {"id": upazila.pk, "name_en": upazila.name_en, "schools": busy["n"],
                             "teachers": Role.objects.filter(kind=Role.Kind.TEACHER, upazila=upazila).count()},
            "teacher": {"id": teacher.pk, "phone": teacher.phone, "school_id": teacher_role.school_id},
            "officer": {"id": officer.pk, "phone": officer.phone},
            "search_word": word,
            "course": course_info,
            "practice": practice_info,
            "library": library_info,
            "postgresql": getattr(connection, "pg_version", None),
            "targets": targets,
        }
        Path(options["out"]).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        for t in targets:
            cold, warm = t["probe_cold"], t["probe_warm"]
            self.stdout.write(f"  {t['label']:<28} {t['path'][:60]:<60} status {cold['status']}  "
                              f"queries {cold['queries']}/{warm['queries']} (cold/warm)  view {warm['view_ms']} ms")


def _write_cycle(path: Path, rows: list[tuple[str, str, str, str]]) -> str:
    path.write_text("".join("\t".join(row) + "\n" for row in rows))
    return str(path)


def _course_targets(folder: Path, learners: int, submit_attempts: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The issue-4 pages: an activity page and a quiz submission by many signed-in teachers (their own
    sessions, their own attempts), and public certificate verification over many codes. Each is a file of
    requests that bench/cycle.lua sends in turn."""
    course = bench_data.bench_course()
    if course is None:
        raise CommandError("The bench dataset has no bench course. Run `manage.py bench_dataset` again "
                           "(it adds the course to an existing dataset).")
    shape = bench_data.CourseShape.of(course)
    # Teachers who have not finished the course: module 1 is open to them, and passing its quiz again
    # never completes the course (no certificate is issued during the run).
    enrolments = list(Enrolment.objects.filter(course=course, completed_at__isnull=True)
                      .select_related("user").order_by("id")[:max(1, learners)])
    if not enrolments:
        raise CommandError("The bench course has no unfinished enrolments; run `manage.py bench_dataset --reload`.")
    cookies = {e.pk: _session_cookie(e.user) for e in enrolments}
    csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    module_one = shape.activity_ids[:bench_data.ACTIVITIES_PER_MODULE]
    # Each teacher opens module 1's activities in turn (all teachers once, then all again on the next
    # activity, …): every visit moves her "last opened" activity, so every request writes.
    activity_rows = [("GET", reverse("courses:activity", kwargs={"pk": module_one[(i + j) % len(module_one)]}),
                      cookies[e.pk], "") for j in range(len(module_one)) for i, e in enumerate(enrolments)]

    # Fresh open attempts of module 1's quiz: `per` for each teacher, interleaved so consecutive requests
    # belong to different teachers (one teacher's submissions queue on her enrolment's row lock).
    quiz = shape.quiz_ids[0]
    questions = shape.questions[quiz]
    choice_order = {str(q): shape.choices[q] for q in questions}
    QuizAttempt.objects.filter(enrolment__course=course, number__gte=SUBMIT_NUMBER_BASE).delete()
    per = min(30_000, max(1, submit_attempts // len(enrolments)))  # attempt numbers are small integers
    now = timezone.now()
    probe_count = 6
    QuizAttempt.objects.bulk_create([
        QuizAttempt(enrolment=e, quiz_id=quiz, number=SUBMIT_NUMBER_BASE + j, question_ids=questions,
                    choice_order=choice_order, started_at=now)
        for j in range(per + probe_count) for e in enrolments
        if j < per or e is enrolments[0]], batch_size=2000)  # the probes' attempts: the first teacher's
    ids = {(a, n): pk for a, n, pk in QuizAttempt.objects.filter(
        enrolment__course=course, number__gte=SUBMIT_NUMBER_BASE).values_list("enrolment_id", "number", "id")}
    # All answers right: the submission scores, passes and checks whether the whole course is complete.
    body = urlencode([("csrfmiddlewaretoken", csrf)] + [(f"q{q}", str(shape.correct[q])) for q in questions])
    cookie_of = {e.pk: f"{cookies[e.pk]}; {settings.CSRF_COOKIE_NAME}={csrf}" for e in enrolments}
    first = enrolments[0].pk
    probe_rows = [(reverse("courses:attempt_submit", kwargs={"pk": ids[(first, SUBMIT_NUMBER_BASE + per + k)]}), body)
                  for k in range(probe_count)]
    submit_rows = [("POST", reverse("courses:attempt_submit", kwargs={"pk": ids[(e.pk, SUBMIT_NUMBER_BASE + j)]}),
                    cookie_of[e.pk], body) for j in range(per) for e in enrolments]

    codes = list(Certificate.objects.filter(course=course, revoked_at__isnull=True).order_by("id")
                 .values_list("code", flat=True)[:VERIFY_CODES])
    if not codes:
        raise CommandError("The bench course has no certificates; run `manage.py bench_dataset --reload`.")
    verify_rows = [("GET", reverse("certificates:verify", kwargs={"code": code}), "", "") for code in codes]

    first_cookie = cookie_of[first]
    targets: list[dict[str, Any]] = [
        {"name": "activity_teacher", "label": "activity page, teacher", "path": activity_rows[0][1],
         "headers": {"Cookie": activity_rows[0][2]},
         "cycle": _write_cycle(folder / "cycle-activity.tsv", activity_rows),
         "note": f"{len(enrolments)} enrolled teachers, each with her own session; opening the page records "
                 "her progress (a write)"},
        {"name": "quiz_submit", "label": "quiz submission (POST)", "path": probe_rows[0][0], "method": "POST",
         "body": body, "probes": probe_rows,
         "headers": {"Cookie": first_cookie, "Content-Type": FORM, "X-CSRFToken": csrf},
         "ok_status": [302], "one_time": True,
         "cycle": _write_cycle(folder / "cycle-submit.tsv", submit_rows),
         "note": f"{len(submit_rows):,} fresh open attempts of {len(enrolments)} teachers, each submitted once "
                 "with CSRF; answers scored, attempt and enrolment saved; answers 302 to the result"},
        {"name": "verify_public", "label": "certificate verify (public)", "path": verify_rows[0][1],
         "headers": {}, "cycle": _write_cycle(folder / "cycle-verify.tsv", verify_rows),
         "note": f"{len(codes):,} existing codes in turn, no session; the per-IP limit is raised for the bench"},
    ]
    info = {"id": course.pk, "slug": course.slug, "learners": len(enrolments), "submit_attempts": len(submit_rows),
            "verify_codes": len(codes), **bench_data.course_counts()}
    return targets, info
