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
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from shikhon.demo import bench_data
from shikhon.people.models import AccessToken, Role, User
from shikhon.people.services import access_token_create, access_token_revoke
from shikhon.places.models import Upazila

TOKEN_NAME = "bench"  # noqa: S105 — a label, not a secret


def _session_cookie(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _probe(client: Client, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """Request the page in-process through the whole stack; count its SQL queries and time it. One client
    serves every probe: a new one would load the middleware again (WhiteNoise scans the static files)."""
    client.cookies.clear()
    extra = {}
    for name, value in headers.items():
        if name == "Cookie":
            for part in value.split(";"):
                key, _, val = part.strip().partition("=")
                client.cookies[key] = val
        else:
            extra[name] = value
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
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
        client = Client(HTTP_HOST="127.0.0.1")
        _probe(client, floor, {})  # loads the middleware once
        for target in targets:
            # The first request may fill caches (cold); then the median of five shows the steady state (warm).
            target["probe_cold"] = _probe(client, target["path"], target["headers"])
            warm = sorted((_probe(client, target["path"], target["headers"]) for _ in range(5)),
                          key=lambda p: p["view_ms"])
            target["probe_warm"] = warm[2]
        data = {
            "busy_upazila": {"id": upazila.pk, "name_en": upazila.name_en, "schools": busy["n"],
                             "teachers": Role.objects.filter(kind=Role.Kind.TEACHER, upazila=upazila).count()},
            "teacher": {"id": teacher.pk, "phone": teacher.phone, "school_id": teacher_role.school_id},
            "officer": {"id": officer.pk, "phone": officer.phone},
            "search_word": word,
            "postgresql": getattr(connection, "pg_version", None),
            "targets": targets,
        }
        Path(options["out"]).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        for t in targets:
            cold, warm = t["probe_cold"], t["probe_warm"]
            self.stdout.write(f"  {t['label']:<28} {t['path'][:60]:<60} status {cold['status']}  "
                              f"queries {cold['queries']}/{warm['queries']} (cold/warm)  view {warm['view_ms']} ms")
