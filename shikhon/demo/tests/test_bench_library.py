"""The library part of `manage.py bench_dataset` (issue 12) at a tiny scale — contents with their versions and the
normalised search text the services would write, model contents, ratings (one per rater and content, never by the
author) with the contents' counters recounted from them — the weekly champion selection over them, and
`bench_prepare`'s library targets, each probed through the whole stack.

The part is PostgreSQL only (COPY, generate_series): set DATABASE_URL=postgres://… to run these; on SQLite they are
skipped, and the test that the part is left out there runs instead."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Sum

from shikhon.demo import bench_data, bench_library
from shikhon.library import markdown
from shikhon.library.models import Content, ContentVersion, Rating
from shikhon.library.services.copying import search_text_of
from shikhon.people.models import Role

SCALE = 0.001  # 1,000 teachers → 150 contents, 1 model content, 10,000 ratings

postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the library part of the bench dataset needs PostgreSQL")


def load(scale: float = SCALE, **options) -> None:
    call_command("bench_dataset", scale=scale, verbosity=0, **options)


def snapshot() -> tuple:
    contents = tuple(bench_library.bench_contents().order_by("key").values_list(
        "key", "title", "search_text", "rating_count", "rating_sum", "rating_average", "views", "is_model"))
    ratings = tuple(Rating.objects.order_by("content__key", "rater_id").values_list(
        "content__key", "rater_id", "stars", "updated_at"))
    return contents, ratings


@postgresql
@pytest.mark.django_db
def test_contents_versions_search_text_and_model_contents_at_a_tiny_scale():
    load()
    contents = bench_library.bench_contents()
    assert contents.count() == 150 == Content.objects.count()
    published = contents.filter(published_version__isnull=False)
    assert 120 <= published.count() < 150  # mostly published; a few submitted or drafts
    assert not published.exclude(state="published").exists()
    assert not published.filter(published_at__isnull=True).exists()
    assert not contents.exclude(latest_version_id=F("latest_version__id")).exists()
    assert ContentVersion.objects.count() == 150
    assert contents.filter(is_model=True).count() == 1
    assert not contents.filter(is_model=True, published_version__isnull=True).exists()
    assert {"bn", "en"} <= set(contents.values_list("language", flat=True))
    assert len(set(contents.values_list("grade", flat=True))) >= 5
    # The search key is exactly what the services write: copying.search_text_of(the version).
    for content in contents.select_related("latest_version"):
        version = content.latest_version
        assert content.search_text == search_text_of(version)
        assert (content.title, content.summary, content.grade, content.subject_id, content.topic_id) == (
            version.title, version.summary, version.grade, version.subject_id, version.topic_id)
        assert version.body and version.body_html == markdown.render(version.body)  # as the services save it
        assert "<h3>" in version.body_html and "<li>" in version.body_html
    # Authors are bench teachers, and each content is placed at her school.
    roles = {user: (school, up, di, dv) for user, school, up, di, dv in Role.objects.filter(
        kind=Role.Kind.TEACHER).values_list("user_id", "school_id", "upazila_id", "district_id", "division_id")}
    for author, *place in contents.values_list("author_id", "school_id", "upazila_id", "district_id", "division_id"):
        assert tuple(place) == roles[author]


@postgresql
@pytest.mark.django_db
def test_ratings_are_unique_never_by_the_author_and_the_counters_match_them():
    load()
    assert Rating.objects.count() == 10_000 == bench_library.library_counts()["ratings"]
    assert not Rating.objects.filter(rater_id=F("content__author_id")).exists()
    assert not Rating.objects.filter(content__published_version__isnull=True).exists()
    assert not Rating.objects.filter(updated_at__lt=F("content__published_at")).exists()
    assert not Rating.objects.filter(created_at__gt=F("updated_at")).exists()
    assert set(Rating.objects.values_list("stars", flat=True)) == {1, 2, 3, 4, 5}
    teachers = dict(Role.objects.filter(kind=Role.Kind.TEACHER).values_list("user_id", "school_id"))
    for rater, school in Rating.objects.values_list("rater_id", "rater_school_id")[:500]:
        assert teachers[rater] == school  # her school when she rated
    totals = {pk: (n, s) for pk, n, s in Rating.objects.values("content_id").annotate(
        n=Count("id"), s=Sum("stars")).values_list("content_id", "n", "s")}
    from decimal import ROUND_HALF_UP, Decimal

    for pk, count, total, average, views in bench_library.bench_contents().values_list(
            "pk", "rating_count", "rating_sum", "rating_average", "views"):
        n, s = totals.get(pk, (0, 0))
        assert (count, total) == (n, s)
        expected = (Decimal(s) / Decimal(n)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if n else None
        assert average == expected
        assert views >= count


@postgresql
@pytest.mark.django_db
def test_reloading_changes_nothing_and_the_part_is_added_to_an_older_dataset(tmp_path):
    load()
    before = snapshot()
    users = set(bench_data.bench_users().values_list("id", flat=True))
    load()  # already loaded: nothing to do
    assert snapshot() == before
    bench_library.drop_bench_library()
    assert not Content.objects.exists() and not Rating.objects.exists() and not ContentVersion.objects.exists()
    out = tmp_path / "dataset.json"
    load(json_path=str(out))  # the people are there: only the library part is loaded
    assert set(bench_data.bench_users().values_list("id", flat=True)) == users
    after = snapshot()
    assert [row[:3] + row[6:] for row in after[0]] == [row[:3] + row[6:] for row in before[0]]
    assert [row[:3] for row in after[1]] == [row[:3] for row in before[1]]
    assert [row[:6] for row in after[0]] == [row[:6] for row in before[0]]  # the same counters
    data = json.loads(out.read_text())
    assert data["counts"]["library_contents"] == 150 and data["counts"]["library_ratings"] == 10_000
    assert any(step.startswith("library_") for step in data["timings_s"])
    selection = data["champion_selection"]
    assert selection["ratings_in_table"] == 10_000 and len(selection["seconds"]) == 3
    assert 0 < selection["ratings_in_week"] < 10_000


@postgresql
@pytest.mark.django_db
def test_the_champion_selection_over_the_loaded_ratings_matches_a_count_in_python():
    """The selection's grouped query (by author and rater, then by author) against the ratings counted here."""
    from shikhon.recognition.activity import rating_totals, week_bounds
    from shikhon.recognition.formula import CURRENT
    from shikhon.recognition.services import last_finished_week

    load()
    start, end = week_bounds(last_finished_week())
    found = rating_totals(start=start, end=end, formula=CURRENT)
    raters: dict[int, set[int]] = {}
    own: dict[int, set[int]] = {}
    stars: dict[int, int] = {}
    for author, school, rater, rater_school, star in Rating.objects.filter(
            updated_at__gte=start, updated_at__lt=end, content__published_version__isnull=False,
            content__hidden_at__isnull=True).values_list("content__author_id", "content__school_id", "rater_id",
                                                         "rater_school_id", "stars"):
        if rater == author:
            continue
        raters.setdefault(author, set()).add(rater)
        stars[author] = stars.get(author, 0) + star
        if rater_school is not None and rater_school == school:
            own.setdefault(author, set()).add(rater)
    expected = {a for a, people in raters.items()
                if len(people) - len(own.get(a, ())) + min(len(own.get(a, ())), CURRENT.own_school_cap)
                >= CURRENT.min_raters}
    assert set(found) == expected
    for author, row in found.items():
        assert row["raters"] == len(raters[author]) and row["stars"] == stars[author]


@postgresql
@pytest.mark.django_db
def test_the_search_mix_is_timed_and_every_filter_and_order_finds_what_python_finds():
    """`time_searches` (make bench: search p95 over 150,000 contents) times every word × filter × order of the mix;
    each of those searches' first page holds exactly the newest (or best) public contents with the words."""
    from shikhon.library.selectors.search import ContentFilters, filtered_contents, search_contents

    load()
    mix = bench_library.search_mix()
    assert len(mix) == len(bench_library.SEARCH_MIX_WORDS) * 8 * 4
    found_any = 0
    for label, kwargs in mix:
        filters = ContentFilters(**kwargs)
        page = [c.pk for c in search_contents(filters, per_page=10)]
        expected = set(filtered_contents(filters).values_list("pk", flat=True))
        assert set(page) <= expected, label
        assert len(page) == min(10, len(expected)), label
        found_any += bool(page)
    assert found_any > len(mix) // 2  # the words are in the contents: most searches find something
    timed = bench_library.time_searches(repeat=1)
    assert timed["searches"] == len(mix) and timed["runs"] == len(mix)
    assert 0 < timed["p50_ms"] <= timed["p95_ms"] <= timed["max_ms"]
    assert set(timed["by_filter"]) == {"no filter", "class + subject", "subject", "district", "upazila", "kind",
                                       "model contents"} | {k for k in timed["by_filter"] if k.startswith("class ")}
    assert len(timed["slowest"]) == 8


@pytest.fixture
def bench_urls(monkeypatch):
    from shikhon.demo.tests.test_bench_dataset import _reload_urls

    monkeypatch.setenv("SHIKHON_BENCH", "1")
    _reload_urls()
    yield
    monkeypatch.undo()
    _reload_urls()


@postgresql
@pytest.mark.django_db
def test_prepare_writes_the_library_targets_and_each_answers_200(tmp_path, bench_urls):
    load()
    out = tmp_path / "targets.json"
    call_command("bench_prepare", out=str(out), verbosity=0, learners=5, submit_attempts=10, practice_posts=20,
                 head_teachers=4)
    data = json.loads(out.read_text())
    targets = {t["name"]: t for t in data["targets"]}
    names = ["library_search_bn_word", "library_search_bn_part", "library_search_en", "library_browse",
             "library_models", "library_content"]
    for name in names:
        target = targets[name]
        assert target["headers"] == {}, name  # public pages, no session
        assert target["probe_cold"]["status"] == target["probe_warm"]["status"] == 200, name
    lines = [line.split("\t") for line in Path(targets["library_content"]["cycle"]).read_text().splitlines()]
    published = bench_library.bench_contents().filter(published_version__isnull=False).count()
    assert len(lines) == published
    assert all(line[0] == "GET" and line[1].startswith("/library/") and line[2] == "" for line in lines)
    assert data["library"]["contents"] == 150 and data["library"]["ratings"] == 10_000
    # The search words are in the contents: each search page lists something.
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for name in names[:3]:
        response = client.get(targets[name]["path"])
        assert response.status_code == 200
        assert re.search(rb'href="/library/\d+/"', response.content), name  # at least one content found


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite: the part is left out")
@pytest.mark.django_db
def test_the_library_part_is_left_out_without_postgresql():
    load()
    assert not Content.objects.exists() and not Rating.objects.exists()
    assert bench_library.is_loaded(bench_data.Plan.for_scale(SCALE, upazilas=1, districts=1, divisions=1))
