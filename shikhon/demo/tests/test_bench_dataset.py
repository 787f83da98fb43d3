"""The bench dataset generator (`manage.py bench_dataset`) at a tiny scale, and the bench's floor view.

Runs on SQLite (bulk_create path) and on PostgreSQL (COPY path): set DATABASE_URL to try the latter.
"""

from __future__ import annotations

import importlib
import json
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.test import RequestFactory
from django.urls import clear_url_caches

from shikhon.core.models import AuditEvent
from shikhon.demo import bench_data
from shikhon.demo.views import bench_floor
from shikhon.people.models import AccessToken, Role, User
from shikhon.people.phone import normalize_phone
from shikhon.people.services import access_token_authenticate
from shikhon.places.models import District, Division, School, Upazila

SCALE = 0.001  # 1,000 teachers in 65 schools, and every officer
K = Role.Kind


def load(scale: float = SCALE, **options) -> None:
    call_command("bench_dataset", scale=scale, verbosity=0, **options)


def bench_roles(kind: str):
    return Role.objects.filter(kind=kind, user__phone__startswith=bench_data.PHONE_PREFIX)


def _reload_urls() -> None:
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def bench_urls(monkeypatch):
    """Mount /bench/floor/ as `make bench` does (SHIKHON_BENCH=1), and unmount it afterwards."""
    monkeypatch.setenv("SHIKHON_BENCH", "1")
    _reload_urls()
    yield
    monkeypatch.undo()
    _reload_urls()


@pytest.fixture
def normal_urls(monkeypatch):
    monkeypatch.delenv("SHIKHON_BENCH", raising=False)
    _reload_urls()
    yield
    monkeypatch.undo()
    _reload_urls()


@pytest.mark.django_db
def test_tiny_scale_has_the_planned_people_schools_and_officers():
    load()
    assert bench_data.bench_schools().count() == 65
    assert bench_roles(K.TEACHER).count() == 1000
    assert bench_roles(K.HEAD_TEACHER).count() == 65
    # One head teacher in each school, one officer for every upazila and every district (and division).
    assert set(bench_roles(K.HEAD_TEACHER).values_list("school_id", flat=True)) == set(
        bench_data.bench_schools().values_list("id", flat=True))
    assert bench_roles(K.UPAZILA_OFFICER).values("upazila_id").distinct().count() == Upazila.objects.count() == 494
    assert bench_roles(K.UPAZILA_OFFICER).count() == 494
    assert bench_roles(K.DISTRICT_OFFICER).values("district_id").distinct().count() == District.objects.count()
    assert bench_roles(K.DIVISION_OFFICER).count() == Division.objects.count()
    assert bench_data.bench_users().count() == 1000 + 65 + 494 + 64 + 8
    # Every bench person holds exactly one role, active and current.
    assert Role.objects.filter(user__phone__startswith=bench_data.PHONE_PREFIX).count() == 1631
    assert not Role.objects.exclude(status=Role.Status.ACTIVE).exists()
    assert all(role.is_current for role in bench_roles(K.TEACHER)[:50])


@pytest.mark.django_db
def test_place_ids_are_filled_and_agree_with_the_school():
    load()
    teachers = bench_roles(K.TEACHER)
    assert not teachers.filter(school__isnull=True).exists()
    assert not teachers.exclude(upazila_id=F("school__upazila_id")).exists()
    assert not teachers.exclude(district_id=F("school__district_id")).exists()
    assert not teachers.exclude(division_id=F("school__division_id")).exists()
    schools = bench_data.bench_schools()
    assert not schools.exclude(district_id=F("upazila__district_id")).exists()
    assert not schools.exclude(division_id=F("upazila__division_id")).exists()
    assert not schools.exclude(union__isnull=True).exclude(union__upazila_id=F("upazila_id")).exists()
    officers = bench_roles(K.UPAZILA_OFFICER)
    assert not officers.filter(school__isnull=False).exists()
    assert not officers.exclude(district_id=F("upazila__district_id")).exists()
    for school in schools:
        school.full_clean()  # EIINs of 6 digits, known kinds, names within limits
    # Teachers are spread over the schools, not piled into one.
    per_school = list(teachers.values("school_id").annotate(n=Count("id")).values_list("n", flat=True))
    assert len(per_school) == 65 and min(per_school) >= 1 and max(per_school) <= 3 * 1000 / 65


@pytest.mark.django_db
def test_phones_are_valid_unique_bangladeshi_mobile_numbers_and_nobody_has_a_password():
    load()
    phones = list(bench_data.bench_users().values_list("phone", flat=True))
    assert len(phones) == len(set(phones)) == 1631
    for phone in phones:
        assert re.fullmatch(r"\+8801[3-9]\d{8}", phone)
        assert normalize_phone(phone) == phone
    users = list(bench_data.bench_users()[:20])
    assert all(not user.has_usable_password() and user.name_bn and user.name_en for user in users)


@pytest.mark.django_db
def test_running_again_at_the_same_scale_changes_nothing_and_another_scale_replaces_the_rows():
    load()
    ids = set(bench_data.bench_users().values_list("id", flat=True))
    load()
    assert set(bench_data.bench_users().values_list("id", flat=True)) == ids
    load(scale=0.002)
    assert bench_data.bench_schools().count() == 130
    assert bench_roles(K.TEACHER).count() == 2000
    assert bench_data.bench_users().count() == 2000 + 130 + 494 + 64 + 8
    assert not bench_data.bench_users().filter(id__in=ids).exists()


@pytest.mark.django_db
def test_reload_keeps_everyone_else_and_unlinks_what_points_at_bench_rows(people):
    load()
    others = set(User.objects.exclude(phone__startswith=bench_data.PHONE_PREFIX).values_list("id", flat=True))
    other_roles = Role.objects.exclude(user__phone__startswith=bench_data.PHONE_PREFIX).count()
    bench_officer = bench_roles(K.UPAZILA_OFFICER).first().user
    AccessToken.objects.create(user=bench_officer, name="bench", prefix="shk_x", token_hash="a" * 64)
    event = AuditEvent.objects.create(actor=bench_officer, action="token_created")
    granted = Role.objects.create(user=people["no_role_user"], kind=K.RESEARCHER, granted_by=bench_officer)

    load(reload=True)

    assert set(User.objects.exclude(phone__startswith=bench_data.PHONE_PREFIX).values_list("id", flat=True)) == others
    assert Role.objects.exclude(user__phone__startswith=bench_data.PHONE_PREFIX).count() == other_roles + 1
    assert not AccessToken.objects.filter(name="bench", prefix="shk_x").exists()
    event.refresh_from_db()
    granted.refresh_from_db()
    assert event.actor_id is None and granted.granted_by_id is None
    assert School.objects.filter(eiin="100001").exists()
    assert bench_roles(K.TEACHER).count() == 1000


@pytest.mark.django_db
def test_json_report_has_counts_and_timings(tmp_path):
    out = tmp_path / "dataset.json"
    load(json_path=str(out))
    data = json.loads(out.read_text())
    assert data["scale"] == SCALE and data["skipped"] is False
    assert data["counts"]["roles_teacher"] == 1000 and data["counts"]["schools"] == 65
    assert data["timings_s"]["total"] >= 0 and "roles" in data["timings_s"]


@pytest.mark.django_db
def test_bad_scales_and_foreign_databases_are_refused_with_a_sentence(monkeypatch):
    with pytest.raises(CommandError, match="at most"):
        load(scale=0)
    with pytest.raises(CommandError, match="at most"):
        load(scale=50)
    monkeypatch.setitem(connection.settings_dict, "NAME", "shikhon_production")
    with pytest.raises(CommandError, match="does not look like a bench or test database"):
        load()
    assert not bench_data.bench_users().exists()


@pytest.mark.django_db
def test_full_scale_needs_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("On PostgreSQL the full scale is allowed (COPY); this checks the refusal elsewhere.")
    with pytest.raises(CommandError, match="PostgreSQL"):
        load(scale=1.0)
    with pytest.raises(CommandError, match="COPY needs PostgreSQL"):
        load(method="copy")
    assert not bench_data.bench_users().exists()
    assert not bench_data.bench_schools().exists()


def test_floor_view_is_tiny_and_public():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/bench/floor/")
    request.user = AnonymousUser()  # the floor asks for the person: with a session it loads her (signed-in floor)
    response = bench_floor(request)
    assert response.status_code == 200 and response.content == b"ok\n"
    assert bench_floor.login_required is False


@pytest.mark.django_db
def test_floor_is_mounted_only_for_the_bench(client, django_assert_num_queries, bench_urls):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_floor_is_not_mounted_normally(client, normal_urls):
    assert client.get("/bench/floor/").status_code == 404


@pytest.mark.django_db
def test_prepare_makes_working_sessions_and_token_and_probes_every_page(tmp_path, bench_urls):
    load()
    out = tmp_path / "targets.json"
    call_command("bench_prepare", out=str(out), verbosity=0)
    data = json.loads(out.read_text())
    targets = {t["name"]: t for t in data["targets"]}
    library = {"library_search_bn_word", "library_search_bn_part", "library_search_en", "library_browse",
               "library_models", "library_content"}  # the library part is PostgreSQL's only (bench_library)
    assert set(targets) == {"floor", "floor_signed_in", "home_teacher", "upazila_officer", "school_search",
                            "api_schools", "activity_teacher", "quiz_submit", "verify_public",
                            "practice_record_sync", "practice_school_head", "practice_area_upazila",
                            "practice_area_district"} | (library if connection.vendor == "postgresql" else set())
    assert targets["floor"]["probe_warm"] == {**targets["floor"]["probe_warm"], "status": 200, "queries": 0}
    # The teacher's cookie is a live session of a bench teacher of the busiest upazila.
    session_key = targets["home_teacher"]["headers"]["Cookie"].split("=", 1)[1]
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    teacher = User.objects.get(pk=session[SESSION_KEY])
    assert teacher.phone.startswith(bench_data.PHONE_PREFIX)
    assert teacher.roles.get().kind == K.TEACHER
    assert teacher.roles.get().upazila_id == data["busy_upazila"]["id"]
    assert targets["home_teacher"]["probe_warm"]["status"] == 200
    # The API token authenticates the officer; running again revokes the earlier bench token.
    raw = targets["api_schools"]["headers"]["Authorization"].removeprefix("Bearer ")
    officer = access_token_authenticate(raw)
    assert officer is not None and officer.roles.get().kind == K.UPAZILA_OFFICER
    call_command("bench_prepare", out=str(out), verbosity=0)
    assert access_token_authenticate(raw) is None
    for target in targets.values():
        assert target["probe_cold"]["queries"] >= target["probe_warm"]["queries"] >= 0
