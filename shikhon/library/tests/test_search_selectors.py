"""Library search (library/search.py, selectors/search.py) on whichever database the tests run: Bangla spellings
(decomposed and precomposed letters, ZWJ/ZWNJ, Bangla and Western digits), parts of Bangla words, English words,
filters, orders, one page without a count, and drafts and hidden contents never found. Sets are compared where
the two databases may rank differently (decision 0012)."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from shikhon.core.text import ZWJ, ZWNJ
from shikhon.library import search
from shikhon.library.models import Content, Kind
from shikhon.library.search import parse_query
from shikhon.library.selectors.search import (
    SORT_NEWEST,
    SORT_RATED,
    SORT_RELEVANCE,
    SORT_USED,
    ContentFilters,
    model_contents,
    model_shelves,
    public_contents,
    search_contents,
)
from shikhon.library.tests.factories import ContentFactory, subject

pytestmark = pytest.mark.django_db


def found(query: str = "", **filters) -> set[str]:
    page = search_contents(ContentFilters(query=parse_query(query), **filters), per_page=50)
    return {content.title for content in page}


def titles(query: str = "", **filters) -> list[str]:
    return [c.title for c in search_contents(ContentFilters(query=parse_query(query), **filters), per_page=50)]


@pytest.fixture
def shelf(people):
    rubi = people["teacher_rubi"]
    ContentFactory.reset_sequence()
    return {
        "math": ContentFactory(author=rubi, published=True, title="গণিতের মজার খেলা", summary="",
                               body="যোগফল বের করি। ১২টি কাঠি।"),
        "school": ContentFactory(author=rubi, published=True, title="আমাদের বিদ্যালয়", summary="", body="বড় মাঠ, ঢাকঢোল।"),
        "rab": ContentFactory(author=rubi, published=True, title="র‍্যাব আর ক্‌ষ লেখা", summary="", body=""),
        "english": ContentFactory(author=rubi, published=True, title="Fractions with Paper Strips",
                                  summary="Mathematics for class 4", body="Fold the paper.", grade=4),
        "union": ContentFactory(author=rubi, published=True, title="সংযোগ ও বিয়োগ", summary="", body=""),
    }


# ------------------------------------------------------------------------------------------ spellings


def test_decomposed_and_precomposed_letters_find_each_other(shelf):
    # ো precomposed in the row; the query types ে + া. য় ড় as single code points in the row; letter + nukta here.
    assert found("য\u09c7\u09beগফল") == {"গণিতের মজার খেলা"}
    assert found("ঢাকঢ\u09c7\u09beল") == {"আমাদের বিদ্যালয়"}
    assert found(unicodedata.normalize("NFD", "বিদ্যালয়")) == {"আমাদের বিদ্যালয়"}
    assert found("ব\u09a1\u09bc") == {"আমাদের বিদ্যালয়"}  # বড় typed with a nukta


def test_zwj_and_zwnj_are_ignored_on_both_sides(shelf):
    assert found("র্যাব") == {"র‍্যাব আর ক্‌ষ লেখা"}  # the row has a ZWJ, the query none
    assert found("ক্ষ") == {"র‍্যাব আর ক্‌ষ লেখা"}  # the row has a ZWNJ
    assert found(f"ক্{ZWNJ}ষ") == found(f"র{ZWJ}্যাব") == {"র‍্যাব আর ক্‌ষ লেখা"}


def test_bangla_and_western_digits_are_the_same_number(shelf):
    assert found("12টি") == {"গণিতের মজার খেলা"}
    assert found("১২টি") == {"গণিতের মজার খেলা"}
    assert found("12") == {"গণিতের মজার খেলা"}  # two digits: the start of a word


def test_parts_of_bangla_words_are_found(shelf):
    assert found("গণি") == {"গণিতের মজার খেলা"}  # three letters: anywhere in a word
    assert found("ফল") == set()  # two letters match the start of a word only: not "যোগফল"
    assert found("যো") == {"গণিতের মজার খেলা"}  # "যোগফল" starts with it; "সংযোগ" does not
    assert found("যোগ") == {"গণিতের মজার খেলা", "সংযোগ ও বিয়োগ"}  # three letters: inside "সংযোগ" too
    assert found("খেলা বের") == {"গণিতের মজার খেলা"}  # every word must match
    assert found("খেলা নেই") == set()


def test_english_words_any_case_and_parts(shelf):
    assert found("fractions") == {"Fractions with Paper Strips"}
    assert found("PAPER strip") == {"Fractions with Paper Strips"}
    assert found("math") == {"Fractions with Paper Strips"}  # part of "Mathematics"
    assert found("fo") == {"Fractions with Paper Strips"}  # "for", "fold": the start of a word


def test_a_single_letter_is_too_short_and_dropped(shelf):
    query = parse_query("ক")
    assert query.too_short and not query
    assert len(found("ক")) == len(shelf)  # nothing to search for: every public content, newest first
    assert parse_query("ক গণি").words == ("গণি",) and found("ক গণি") == {"গণিতের মজার খেলা"}


@pytest.mark.parametrize("raw", ["%", "_", "'", '"', "\\", "a'b", '"গণি"', "গণি:*", "& | !", "x" * 500,
                                 "\u202egণি", "\x00গণি", "(((", "NEAR(a b)"])
def test_hostile_queries_never_fail(shelf, raw):
    search_contents(ContentFilters(query=parse_query(raw)))
    assert found("%%") == set() and found("__") == set()  # LIKE wildcards are letters here


# ---------------------------------------------------------------------------------------- who is found


def test_drafts_and_hidden_contents_are_never_found(people, shelf):
    rubi = people["teacher_rubi"]
    ContentFactory(author=rubi, title="গণিতের খসড়া", published=False)
    hidden = ContentFactory(author=rubi, title="গণিতের লুকানো পাঠ", published=True)
    Content.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert found("গণি") == {"গণিতের মজার খেলা"}
    assert "গণিতের খসড়া" not in found() and "গণিতের লুকানো পাঠ" not in found()
    assert found("খসড়া") == set() and found("লুকানো") == set()


def test_an_edited_title_is_found_by_its_new_words_only(shelf):
    content = shelf["school"]
    content.title = "নতুন পাঠশালা"
    content.search_text = "নতুন পাঠশালা"
    content.save()
    assert found("পাঠশা") == {"নতুন পাঠশালা"} and found("বিদ্যালয়") == set()
    content.delete()
    assert found("পাঠশা") == set()


# ------------------------------------------------------------------------------------------------ filters


def test_filters(people, library_people, places, shelf):
    other = ContentFactory(author=people["teacher_subarnachar"], published=True, title="গণিতের গল্প",
                           subject=subject("bangla"), grade=2, kind=Kind.WORKSHEET)
    Content.objects.filter(pk=shelf["union"].pk).update(is_model=True, model_since=timezone.now())
    assert found("গণি", grade=2) == {"গণিতের গল্প"}
    assert found(grade=4) == {"Fractions with Paper Strips"}
    assert found("গণি", subject_id=subject("math").pk) == {"গণিতের মজার খেলা"}
    assert found(kind=Kind.WORKSHEET) == {"গণিতের গল্প"}
    assert found(upazila_id=places["subarnachar"].pk) == {"গণিতের গল্প"}
    assert found(upazila_id=places["hatia"].pk) == {c.title for c in shelf.values()}
    assert found(district_id=places["noakhali"].pk) == {*(c.title for c in shelf.values()), other.title}
    assert found(model_only=True) == {"সংযোগ ও বিয়োগ"}
    assert found("যোগ", model_only=True) == {"সংযোগ ও বিয়োগ"}
    assert found(grade=9) == set()


# -------------------------------------------------------------------------------------------------- orders


def _spread(contents: list[Content]) -> None:
    """Publication times an hour apart, in the list's order (the first the oldest)."""
    start = timezone.now() - timedelta(days=1)
    for n, content in enumerate(contents):
        Content.objects.filter(pk=content.pk).update(published_at=start + timedelta(hours=n))


def test_orders_newest_best_rated_most_used(people):
    rubi = people["teacher_rubi"]
    a, b, c, d = (ContentFactory(author=rubi, published=True, title=f"পাঠ {n}") for n in "কখগঘ")
    _spread([a, b, c, d])
    Content.objects.filter(pk=a.pk).update(rating_average="4.50", rating_count=2, used_in_class=1)
    Content.objects.filter(pk=b.pk).update(rating_average="4.50", rating_count=9, used_in_class=7)
    Content.objects.filter(pk=c.pk).update(rating_average="3.00", rating_count=30, used_in_class=7)
    assert titles(sort=SORT_NEWEST) == ["পাঠ ঘ", "পাঠ গ", "পাঠ খ", "পাঠ ক"]
    assert titles() == titles(sort=SORT_NEWEST)  # no words: newest
    assert titles(sort=SORT_RATED) == ["পাঠ খ", "পাঠ ক", "পাঠ গ", "পাঠ ঘ"]  # average, then how many; unrated last
    assert titles(sort=SORT_USED) == ["পাঠ গ", "পাঠ খ", "পাঠ ক", "পাঠ ঘ"]  # ties: newest
    assert titles("পাঠ", sort=SORT_RATED) == titles(sort=SORT_RATED)


def test_relevance_puts_a_title_match_before_a_match_deep_in_a_body(people):
    rubi = people["teacher_rubi"]
    deep = ContentFactory(author=rubi, published=True, title="নদীর গল্প",
                          body=" ".join(["নদী বয়ে যায়, নৌকা চলে।"] * 60) + " ভগ্নাংশ")
    title = ContentFactory(author=rubi, published=True, title="ভগ্নাংশ শিখি", body="কাগজ ভাঁজ করি।")
    _spread([title, deep])  # the title match is the older one
    assert titles("ভগ্নাংশ") == ["ভগ্নাংশ শিখি", "নদীর গল্প"]
    assert ContentFilters(query=parse_query("ভগ্নাংশ")).effective_sort == SORT_RELEVANCE
    assert titles("ভগ্নাংশ", sort=SORT_NEWEST) == ["নদীর গল্প", "ভগ্নাংশ শিখি"]


# --------------------------------------------------------------------------------------------------- pages


def test_one_page_at_a_time_without_a_count_in_a_stable_order(people, django_assert_num_queries):
    rubi = people["teacher_rubi"]
    made = [ContentFactory(author=rubi, published=True, title=f"ছবি আঁকা {n}") for n in range(7)]
    Content.objects.filter(pk__in=[c.pk for c in made]).update(published_at=timezone.now())  # all at one time
    filters = ContentFilters(query=parse_query("ছবি"))
    cache.clear()
    # PostgreSQL: + the probe of how common the words are (3 statements: its planner settings set, the probe, put
    # back), + the page's planner settings set and put back (2). SQLite: the page alone.
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 1) as captured:
        first = search_contents(filters, page=1, per_page=3)
        _ = [(c.author.display_name, c.subject.name) for c in first]
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    if connection.vendor == "postgresql":
        with django_assert_num_queries(3):  # the probe's answer is remembered
            search_contents(filters, page=1, per_page=3)
    second = search_contents(filters, page=2, per_page=3)
    third = search_contents(filters, page=3, per_page=3)
    assert first.has_next and second.has_next and not third.has_next and len(third) == 1
    seen = [c.pk for page in (first, second, third) for c in page]
    assert seen == sorted((c.pk for c in made), reverse=True)  # equal times: the newest row first
    assert [c.pk for c in search_contents(filters, page=1, per_page=3)] == seen[:3]
    capped = search_contents(filters, page=5, per_page=3, max_results=6)
    assert capped.number == 2 and capped.capped and not capped.has_next


def test_model_contents_by_class_and_subject(people, django_assert_max_num_queries):
    rubi = people["teacher_rubi"]
    now = timezone.now()
    for n in range(5):
        c = ContentFactory(author=rubi, published=True, title=f"মডেল {n}", grade=1 + n % 2)
        Content.objects.filter(pk=c.pk).update(is_model=True, model_since=now + timedelta(minutes=n))
    ContentFactory(author=rubi, published=True, title="সাধারণ পাঠ")
    draft = ContentFactory(author=rubi, title="মডেল খসড়া")
    Content.objects.filter(pk=draft.pk).update(is_model=True, model_since=now)
    with django_assert_max_num_queries(1):
        page = model_contents(per_page=3)
    assert [c.title for c in page] == ["মডেল 4", "মডেল 3", "মডেল 2"] and page.has_next
    assert {c.title for c in model_contents(grade=2)} == {"মডেল 1", "মডেল 3"}
    assert {c.title for c in model_contents(grade=1, subject_id=subject("math").pk)} == {"মডেল 0", "মডেল 2", "মডেল 4"}
    assert model_contents(subject_id=subject("english").pk).object_list == []
    with django_assert_max_num_queries(2):
        shelves = model_shelves()
    assert [(s.grade, s.subject.code, s.count) for s in shelves] == [(1, "math", 3), (2, "math", 2)]
    assert [(s.grade, s.count) for s in model_shelves(grade=2)] == [(2, 2)]


def test_the_plan_follows_how_common_the_words_are(people, monkeypatch):
    rubi = people["teacher_rubi"]
    for n in range(4):
        ContentFactory(author=rubi, published=True, title=f"ছবি আঁকা {n}")
    ContentFactory(author=rubi, published=True, title="নদীর পাড়")
    ContentFactory(author=rubi, title="নদী খসড়া 1")  # drafts are not counted
    ContentFactory(author=rubi, title="নদী খসড়া 2")
    monkeypatch.setattr(search, "PROBE_MATCHES", 3)
    cache.clear()
    matches = {word: public_contents().filter(search.matching_q(parse_query(word))) for word in ("ছবি", "নদী")}
    if connection.vendor != "postgresql":
        assert search.plan_for(parse_query("ছবি"), matches["ছবি"]) == ""  # SQLite: FTS5 decides
        return
    assert search.plan_for(parse_query("ছবি"), matches["ছবি"]) == search.WALK
    assert search.plan_for(parse_query("নদী"), matches["নদী"]) == search.BITMAP
    assert search.plan_for(parse_query(""), public_contents()) == ""


@pytest.mark.parametrize("way", ["walk", "bitmap"])
def test_either_plan_finds_the_same_pages_and_the_settings_are_put_back(shelf, people, way):
    queries = ["গণি", "যো", "Paper", "বিদ্যালয় মাঠ", "zzz", "১২টি"]
    sorts = [SORT_RELEVANCE, SORT_NEWEST, SORT_RATED, SORT_USED]
    math = shelf["math"]
    # Each filter has its own newest-first index on PostgreSQL (migration 0007): the walk may take any of them.
    wheres = [{}, {"grade": 4}, {"grade": math.grade, "subject_id": math.subject_id}, {"subject_id": math.subject_id},
              {"district_id": math.district_id}, {"upazila_id": math.upazila_id}, {"kind": math.kind},
              {"model_only": True}]
    cases = [(q, s_, i) for q in queries for s_ in sorts for i in range(len(wheres))]

    def pages() -> dict:
        return {(q, s_, i): [c.pk for c in search_contents(ContentFilters(query=parse_query(q), sort=s_,
                                                                          **wheres[i]))]
                for q, s_, i in cases}

    expected = pages()
    with search.planner(way):
        got = pages()
    assert got == expected
    assert expected[("Paper", SORT_NEWEST, 1)] == [shelf["english"].pk]
    assert expected[("গণি", SORT_NEWEST, 2)] == [math.pk]
    assert expected[("গণি", SORT_RELEVANCE, 0)] == [shelf["math"].pk]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_sort'), current_setting('enable_bitmapscan'), "
                           "current_setting('enable_seqscan'), current_setting('jit')")
            assert cursor.fetchone() == ("on", "on", "on", "on")


def test_search_uses_the_indexes_on_postgresql(shelf):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    from importlib import import_module

    FILTER_INDEXES = import_module("shikhon.library.migrations.0007_search_filter_indexes").FILTER_INDEXES  # noqa: N806
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'library_content'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"library_content_search_words_idx", "library_content_search_trgm_idx",
            "library_content_public_newest_idx", "library_content_models_shelf_idx",
            *FILTER_INDEXES} <= names


def test_the_sqlite_index_follows_the_rows_and_is_repaired_after_a_table_rebuild(shelf):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 table")
    from shikhon.library.search import FTS_TABLE, ensure_sqlite_index

    assert not ensure_sqlite_index()  # whole
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS_TABLE}_insert")  # as a later ALTER TABLE on SQLite would
    assert ensure_sqlite_index()
    ContentFactory(author=shelf["math"].author, published=True, title="নতুন কবিতা")
    assert found("কবিতা") == {"নতুন কবিতা"}
