"""Reads for places: query cleaning, school search, geography lists."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shikhon.core.access import parse_pk
from shikhon.places import selectors
from shikhon.places.models import District, School, Upazila
from shikhon.places.tests.factories import ClusterFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(places):
    closed = SchoolFactory(eiin="100003", name_bn="বন্ধ চরকিং বিদ্যালয়", name_en="Closed Char King School",
                           upazila=places["hatia"], is_active=False)
    return {**places, "closed": closed}


def eiins(queryset) -> list[str]:
    return [school.eiin for school in queryset]


def test_clean_query_drops_control_characters_caps_length_and_normalises():
    assert selectors.clean_query("  চর\x00কিং \t\n  school ") == "চরকিং school"
    assert selectors.clean_query(None) == ""
    # Bidi controls go; the joiners Bangla spelling needs stay (র‍্যাব), so a name typed with one is found.
    assert selectors.clean_query("\u202eর\u200d্যাব\u2066 ক্\u200cষ") == "র\u200d্যাব ক্\u200cষ"
    assert len(selectors.clean_query("ক" * 10_000)) == selectors.MAX_QUERY
    # য় written as য + nukta and as the single code point are the same query.
    assert selectors.clean_query("হাতি\u09df\u09be") == selectors.clean_query("হাতি\u09af\u09bc\u09be")


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), ("১২", 12), (" 7 ", 7), ("0", None), ("-1", None), ("abc", None), ("", None), (None, None),
    ("9" * 19, None), (str(2**63 - 1), 2**63 - 1), ("1e3", None), ("²", None),
])
def test_parse_pk(raw, expected):
    assert parse_pk(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("100001", "100001"), ("১০০০০১", "100001"), ("10000", None), ("1000011", None), ("10000a", None),
    ("100\x00001", None), ("", None),
])
def test_parse_eiin(raw, expected):
    assert selectors.parse_eiin(raw) == expected


@pytest.mark.parametrize("query, expected", [
    ("চরকিং", ["100002"]),                                  # Bangla, part of the name
    ("প্রাথমিক চরকিং", ["100002"]),                          # words in any order
    ("char king", ["100002"]),                               # English, any case
    ("KING GOVERNMENT", ["100002"]),
    ("hatia", ["100001"]),
    ("100001", ["100001"]),                                  # EIIN
    ("১০০০০১", ["100001"]),                                  # EIIN in Bangla digits
    ("100", ["100001", "100002", "100101"]),                 # EIIN prefix
    ("100002 চরকিং", ["100002"]),                            # EIIN and a word
    ("1000011", []),                                         # too long for an EIIN
    ("নেই এমন", []),
    ("%", []),                                               # LIKE wildcards are literal
    ("_", []),
    ("' OR 1=1 --", []),
    ("'); DROP TABLE places_school; --", []),
])
def test_school_search(schools, query, expected):
    assert sorted(eiins(selectors.school_search(query))) == expected
    assert School.objects.count() == 5


@pytest.mark.parametrize("stored, typed", [
    ("নোয়াখালী আদর্শ বিদ্যালয়".replace("\u09af\u09bc", "\u09df"), "নোয়াখালী"),   # stored as one code point
    ("নোয়াখালী আদর্শ বিদ্যালয়", "নো\u09dfাখালী"),                               # typed as one code point
    ("বড়বাড়ি বিদ্যালয়".replace("\u09a1\u09bc", "\u09dc"), "বড়বাড়ি"),
])
def test_school_search_matches_both_spellings_of_nukta_letters(places, stored, typed):
    SchoolFactory(eiin="100200", name_bn=stored, upazila=places["hatia"])
    assert eiins(selectors.school_search(typed)) == ["100200"]


def test_school_search_hides_closed_schools_and_filters_by_upazila(schools):
    assert "100003" not in eiins(selectors.school_search("Char King"))
    assert eiins(selectors.school_search("", upazila_id=schools["subarnachar"].pk)) == ["100101"]
    assert eiins(selectors.school_search("Government", upazila_id=schools["subarnachar"].pk)) == ["100101"]
    assert eiins(selectors.school_search("চরকিং", upazila_id=schools["subarnachar"].pk)) == []


def test_school_search_with_empty_query_lists_open_schools_by_name(schools):
    assert eiins(selectors.school_search(None)) == ["100101", "100002", "100001", "300001"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_school_search_never_fails(places, query):
    list(selectors.school_search(query)[:25])
    selectors.school_search(query).count()


def test_upazilas_with_school_counts_in_one_query(places, django_assert_num_queries):
    noakhali = District.objects.get(pk=places["noakhali"].pk)
    SchoolFactory(eiin="100004", upazila=places["hatia"], is_active=False)
    with django_assert_num_queries(1):
        counts = {u.code: u.school_count for u in selectors.upazilas_with_school_counts(noakhali)}
    assert counts[46] == 2 and counts[47] == 1
    assert len(counts) == Upazila.objects.filter(district=noakhali).count()
    assert sum(counts.values()) == 3


def test_upazila_schools_and_clusters(places, django_assert_max_num_queries):
    hatia = places["hatia"]
    cluster = ClusterFactory(upazila=hatia, name_bn="হাতিয়া ক্লাস্টার ১")
    cluster.schools.add(places["school_hatia"], places["school_hatia_2"])
    with django_assert_max_num_queries(2):
        listed = list(selectors.upazila_schools(hatia))
        assert [list(s.clusters.all()) for s in listed] == [[cluster], [cluster]]
    assert [(c.name_bn, c.school_count) for c in selectors.upazila_clusters(hatia)] == [("হাতিয়া ক্লাস্টার ১", 2)]


def test_lists_are_ordered_by_name_in_the_readers_language(places):
    from django.utils import translation

    with translation.override("en"):
        assert [d.name_en for d in selectors.divisions()][:2] == ["Barisal", "Chattagram"]
    with translation.override("bn"):
        names = [d.name_bn for d in selectors.divisions()]
        assert names == sorted(names)


def test_search_page_stops_at_the_cap_and_says_so(places):
    for n in range(7):
        SchoolFactory(name_bn=f"সরকারি বিদ্যালয় {n}", name_en=f"Government School {n}", upazila=places["hatia"])
    last = selectors.school_search_page("সরকারি", page=2, per_page=2, cap=4)
    assert last.capped and not last.has_next and len(last) == 2
    everything = selectors.school_search_page("সরকারি", per_page=100)
    assert not everything.capped and not everything.has_next
    names = [s.name_bn for s in everything]
    # Names that start with the word first, each part in name order.
    starts = [n for n in names if n.startswith("সরকারি")]
    assert names[:len(starts)] == sorted(starts) and len(starts) == 7
    assert names[len(starts):] == sorted(names[len(starts):]) and len(names) > 7


def test_search_page_in_english_orders_by_english_name(places):
    from django.utils import translation

    with translation.override("en"):
        names = [s.name_en for s in selectors.school_search_page("government")]
    assert names == sorted(names, key=lambda n: (not n.lower().startswith("government"), n))


def test_search_page_by_eiin_digits(places):
    assert [s.eiin for s in selectors.school_search_page("১০০০০")] == ["100001", "100002"]
    assert list(selectors.school_search_page("1234567")) == []
