"""The practice part of `manage.py bench_dataset` (issue 11) at a tiny scale — practice records with plans, school
circles with meetings and who came, recorded observations, one latest ongoing-user status per teacher who
practised — and `bench_prepare`'s practice targets and their request files.

Runs on SQLite (bulk_create path) and on PostgreSQL (COPY path): set DATABASE_URL to try the latter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from shikhon.core.clock import dhaka_today
from shikhon.demo import bench_data, bench_practice
from shikhon.people.models import Role
from shikhon.practice.models import (
    Circle,
    Meeting,
    Observation,
    ObservationEntry,
    OngoingStatus,
    PracticePlan,
    PracticeRecord,
)
from shikhon.practice.rules import ongoing_rule

SCALE = 0.001  # 1,000 teachers in 65 schools → 5,000 practice records


def load(scale: float = SCALE, **options) -> None:
    call_command("bench_dataset", scale=scale, verbosity=0, **options)


def bench_records():
    return PracticeRecord.objects.filter(client_id__range=bench_practice.client_range(bench_practice.KIND_RECORD))


@pytest.mark.django_db
def test_records_plans_circles_meetings_observations_and_statuses_at_a_tiny_scale():
    load()
    records = bench_records()
    assert records.count() == 5000 == PracticeRecord.objects.count()
    course = bench_data.bench_course()
    assert not records.exclude(family=course.family).exists()
    assert not records.exclude(module_id=F("activity__module_id")).exists()
    assert not records.exclude(activity__module__course=course).exists()
    assert not records.filter(taught_on__gt=dhaka_today()).exists()
    # Both outcomes, and the "did not work" ones say why.
    failed = records.filter(outcome=PracticeRecord.Outcome.NOT_WORKING)
    assert 0 < failed.count() < records.count() // 4
    assert not failed.filter(why_not="").exists() and not failed.filter(rating__isnull=False).exists()
    # Every record is by a bench teacher, acknowledged (if at all) by her own school's head teacher.
    teachers = set(Role.objects.filter(kind=Role.Kind.TEACHER, user__phone__startswith=bench_data.PHONE_PREFIX)
                   .values_list("user_id", flat=True))
    assert set(records.values_list("teacher_id", flat=True)) <= teachers
    acknowledged = records.filter(acknowledged_by__isnull=False)
    assert acknowledged.exists()
    heads = dict(Role.objects.filter(kind=Role.Kind.HEAD_TEACHER).values_list("user_id", "school_id"))
    for school_id, head in acknowledged.values_list("school_id", "acknowledged_by")[:200]:
        assert heads[head] == school_id
    # A share of the records came from a plan of the same teacher and activity; some plans are still open.
    planned = records.filter(plan__isnull=False)
    assert records.count() // 5 < planned.count() < records.count() // 2
    assert not planned.exclude(plan__teacher_id=F("teacher_id")).exists()
    assert not planned.exclude(plan__activity_id=F("activity_id")).exists()
    assert not planned.exclude(plan__state__in=["taught", "not_working"]).exists()
    open_plans = PracticePlan.objects.filter(state=PracticePlan.State.PLANNED)
    assert open_plans.exists() and not open_plans.filter(record__isnull=False).exists()
    assert PracticePlan.objects.count() == planned.count() + open_plans.count()
    # Circles in about a quarter of the schools, each with six meetings and people who came.
    circles = Circle.objects.filter(kind=Circle.Kind.SCHOOL)
    assert 5 <= circles.count() <= 30
    meetings = Meeting.objects.all()
    assert meetings.count() == circles.count() * bench_practice.MEETING_MONTHS
    assert not meetings.exclude(school_id=F("circle__school_id")).exists()
    attendees = Meeting.attendees.through.objects
    assert attendees.count() > meetings.count()  # the head teacher and most teachers
    assert not Meeting.objects.annotate(n=Count("activities")).exclude(n=bench_practice.MEETING_ACTIVITIES).exists()
    # Observations of the default instrument, recorded, each with an entry rating every item.
    observations = Observation.objects.all()
    assert observations.exists()
    assert set(observations.values_list("instrument__code", flat=True)) == {bench_practice.DEFAULT_INSTRUMENT}
    assert not observations.exclude(status=Observation.Status.RECORDED).exists()
    assert ObservationEntry.objects.count() == observations.count()
    entry = ObservationEntry.objects.select_related("observation__instrument").first()
    assert entry is not None
    assert entry.strengths and len(entry.ratings) >= 3
    from shikhon.practice.instruments import parse_definition, validate_ratings

    validate_ratings(parse_definition(entry.observation.instrument.definition), entry.ratings)


@pytest.mark.django_db
def test_every_row_has_the_place_ids_of_its_school():
    load()
    schools = {pk: (pk, up, di, dv) for pk, up, di, dv in bench_data.bench_schools().values_list(
        "id", "upazila_id", "district_id", "division_id")}
    role_school = dict(Role.objects.filter(kind=Role.Kind.TEACHER, user__phone__startswith=bench_data.PHONE_PREFIX)
                       .values_list("user_id", "school_id"))
    for model in (PracticeRecord, PracticePlan, Observation, OngoingStatus):
        rows = model.objects.values_list("teacher_id", "school_id", "upazila_id", "district_id", "division_id")
        assert rows.exists()
        for teacher, *place in rows:
            assert tuple(place) == schools[role_school[teacher]], model
    for placed in (Circle.objects.all(), Meeting.objects.all()):
        for school, *place in placed.values_list("school_id", "upazila_id", "district_id", "division_id"):
            assert school is not None and (school, *place) == schools[school]


@pytest.mark.django_db
def test_one_latest_status_per_teacher_who_practised_by_the_rule_in_force():
    load()
    practised = set(bench_records().values_list("teacher_id", flat=True))
    statuses = OngoingStatus.objects.filter(is_latest=True)
    assert statuses.count() == len(practised) == OngoingStatus.objects.count()
    assert set(statuses.values_list("teacher_id", flat=True)) == practised
    rule = ongoing_rule()
    assert set(statuses.values_list("rule_version", flat=True)) == {rule.version}
    ongoing = statuses.filter(is_ongoing=True)
    assert 0 < ongoing.count() < statuses.count()
    # The counts agree with the rows: records and activities in the window, meetings attended, observations.
    p = rule.params
    since = dhaka_today().toordinal() - p.window_days
    for status in statuses.order_by("?")[:40]:
        mine = bench_records().filter(teacher_id=status.teacher_id, taught_on__gt=dhaka_today().fromordinal(since))
        assert status.counts["records"] == mine.count()
        assert status.counts["activities"] == mine.values("activity_id").distinct().count()
        meetings = Meeting.objects.filter(attendees=status.teacher_id, held_on__gt=dhaka_today().fromordinal(since))
        assert status.counts["meetings"] == meetings.count()
        observed = Observation.objects.filter(teacher_id=status.teacher_id,
                                              observed_on__gt=dhaka_today().fromordinal(since))
        assert status.counts["observations"] == observed.count()
        assert status.is_ongoing == (status.counts["records"] >= p.min_records
                                     and status.counts["activities"] >= p.min_activities
                                     and status.counts["meetings"] + status.counts["observations"] >= p.min_support)


@pytest.mark.django_db
def test_the_practice_part_is_added_to_an_older_dataset_without_reloading_the_people(tmp_path):
    load()
    users = set(bench_data.bench_users().values_list("id", flat=True))
    enrolments = set(bench_data.Enrolment.objects.values_list("id", flat=True))
    bench_practice.drop_bench_practice()
    assert not PracticeRecord.objects.exists() and not Circle.objects.exists()
    assert not OngoingStatus.objects.exists() and not Meeting.objects.exists()
    out = tmp_path / "dataset.json"
    load(json_path=str(out))  # people and course are there: only the practice part is loaded
    assert set(bench_data.bench_users().values_list("id", flat=True)) == users
    assert set(bench_data.Enrolment.objects.values_list("id", flat=True)) == enrolments
    assert bench_records().count() == 5000
    data = json.loads(out.read_text())
    assert data["counts"]["practice_records"] == 5000 and data["counts"]["practice_ongoing_latest"] > 0
    assert any(step.startswith("practice_") for step in data["timings_s"])
    load()  # nothing to do
    assert bench_records().count() == 5000
    load(reload=True)
    assert bench_records().count() == 5000 == PracticeRecord.objects.count()
    assert OngoingStatus.objects.filter(is_latest=True).count() == OngoingStatus.objects.count()


@pytest.fixture
def bench_urls(monkeypatch):
    from shikhon.demo.tests.test_bench_dataset import _reload_urls

    monkeypatch.setenv("SHIKHON_BENCH", "1")
    _reload_urls()
    yield
    monkeypatch.undo()
    _reload_urls()


def prepare(out: Path, **options) -> dict:
    call_command("bench_prepare", out=str(out), verbosity=0, learners=5, submit_attempts=10, practice_posts=20,
                 head_teachers=4, **options)
    return {t["name"]: t for t in json.loads(out.read_text())["targets"]}


def cycle_lines(target: dict) -> list[list[str]]:
    return [line.split("\t") for line in Path(target["cycle"]).read_text().splitlines()]


@pytest.mark.django_db
def test_prepare_writes_the_practice_targets_and_their_request_files(tmp_path, bench_urls):
    load()
    targets = prepare(tmp_path / "targets.json")
    sync, school = targets["practice_record_sync"], targets["practice_school_head"]
    upazila, district = targets["practice_area_upazila"], targets["practice_area_district"]
    for target in (sync, school, upazila, district):
        assert target["probe_cold"]["status"] == target["probe_warm"]["status"] == 200, target["name"]
    assert sync["method"] == "POST" and sync["one_time"] and sync["ok_status"] == [200]
    # The check before the run and the six probes each saved a new record.
    posted = PracticeRecord.objects.exclude(client_id__range=bench_practice.client_range(bench_practice.KIND_RECORD))
    assert posted.count() == 7
    lines = cycle_lines(sync)
    assert len(lines) == 20
    bodies = [json.loads(line[3]) for line in lines]
    items = [body["items"][0] for body in bodies]
    assert len({item["id"] for item in items}) == 20  # a fresh item id each
    assert len({item["payload"]["fields"]["client_id"][0] for item in items}) == 20  # and a fresh record
    assert {item["kind"] for item in items} == {"practice_record"}
    for method, path, cookie, _body, header in lines:
        assert method == "POST" and path == "/sync/"
        token = dict(part.split("=", 1) for part in cookie.split("; "))["csrftoken"]
        assert header == f"X-CSRFToken: {token}"
    assert lines[0][2] != lines[1][2]  # consecutive requests by different teachers
    assert len({line[2] for line in lines}) == 5
    # Head teachers of circle schools, officers of every upazila and district, each her own session.
    assert len(cycle_lines(school)) == 4 and len({line[2] for line in cycle_lines(school)}) == 4
    heads = Role.objects.filter(kind=Role.Kind.HEAD_TEACHER, school__practice_circle__isnull=False).count()
    assert heads >= 4
    assert len(cycle_lines(upazila)) == 494 and len(cycle_lines(district)) == 64
    assert {line[1] for line in cycle_lines(upazila)} == {"/practice/area/"}
    # Running again removes the earlier run's posted records (no pile-up over runs).
    prepare(tmp_path / "targets.json")
    assert posted.count() == 7


@pytest.mark.django_db
def test_a_sync_line_as_wrk_sends_it_passes_the_csrf_check_and_records_once(tmp_path, bench_urls):
    from django.test import Client

    load()
    sync = prepare(tmp_path / "targets.json")["practice_record_sync"]
    _method, path, cookie, body, header = cycle_lines(sync)[0]
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    for part in cookie.split("; "):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    name, _, value = header.partition(": ")
    before = PracticeRecord.objects.count()
    answer = client.post(path, data=body, content_type="application/json", headers={name: value})
    assert answer.status_code == 200
    assert answer.json()["results"][0]["status"] == "created"
    assert PracticeRecord.objects.count() == before + 1
    answer = client.post(path, data=body, content_type="application/json", headers={name: value})
    assert answer.json()["results"][0]["status"] == "duplicate"
    assert PracticeRecord.objects.count() == before + 1
    # After the run, the receipts are counted into the results file: the check, six probes and this one.
    results = tmp_path / "latest.json"
    results.write_text(json.dumps({"pages": [{"name": "practice_record_sync", "requests": 1}]}))
    line = bench_practice.report_posted(str(results))
    page = json.loads(results.read_text())["pages"][0]
    assert page["outbox_receipts"] == {"created": 8, "rejected": 0} and "problems" not in page
    assert "8 records saved" in line and not line.startswith("!!")


@pytest.mark.django_db
def test_the_practice_service_finds_nothing_to_change_in_the_loaded_statuses():
    """The statuses were computed by the loader, not by the service: the service, run for a sample of teachers on
    the load day, agrees with every one (no new history row, same status, same counts, same place)."""
    from shikhon.practice.services.status import ongoing_evaluate

    load()
    before = {row.teacher_id: row for row in OngoingStatus.objects.select_related("teacher").order_by("?")[:60]}
    assert any(row.is_ongoing for row in before.values()) and not all(row.is_ongoing for row in before.values())
    for row in before.values():
        after = ongoing_evaluate(teacher=row.teacher, on=row.evaluated_on)
        assert after.pk == row.pk and after.is_ongoing == row.is_ongoing and after.counts == row.counts
    assert OngoingStatus.objects.count() == OngoingStatus.objects.filter(is_latest=True).count()
