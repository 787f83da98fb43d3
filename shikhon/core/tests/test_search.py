"""The Bangla search kernel: one key for every spelling, every spelling found in the database, pages in order
with prefix matches first and no count. Rows are `auth.Group` names (a plain table with a text column), so the
kernel is tested on its own, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import unicodedata

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shikhon.core import search

ZWJ, ZWNJ = "\u200d", "\u200c"
BANGLA = st.characters(min_codepoint=0x0980, max_codepoint=0x09FF)
TEXT = st.text(alphabet=st.one_of(BANGLA, st.sampled_from([ZWJ, ZWNJ, " ", "A", "z", "7", "ß", "ﬁ", "①"])),
               max_size=30)
# Words with the letters Unicode writes two ways: য় ড় ঢ় (single code point or letter + nukta), ো ৌ
# (one sign or two), with joiners and digits.
PIECES = ["ক", "ম", "র", "া", "ি", "ে", "্", "\u09df", "\u09af\u09bc", "\u09dc", "\u09a1\u09bc", "\u09dd",
          "\u09cb", "\u09c7\u09be", "\u09cc", "\u09c7\u09d7", "৯", "৩"]
WORDS = st.lists(st.sampled_from(PIECES), min_size=2, max_size=8).map("".join)
DB_EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(TEXT)
def test_normalise_is_idempotent(text):
    once = search.normalise(text)
    assert search.normalise(once) == once


@given(WORDS)
def test_every_spelling_normalises_to_one_key(word):
    keys = {search.normalise(form) for form in (
        word, unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word),
        unicodedata.normalize("NFKC", word), search.spellings(word)[1] if len(search.spellings(word)) > 1 else word,
    )}
    assert len(keys) == 1


def test_normalise_examples():
    assert search.normalise("হাতি\u09df\u09be") == search.normalise("হাতি\u09af\u09bc\u09be")
    assert search.normalise("র\u200d্যাব") == search.normalise("র্যাব")
    assert search.normalise("১২৩ নং") == search.normalise("123  নং") == "123 নং"
    assert search.normalise("Char KING") == "char king"


def test_spellings_cover_both_digits_and_nukta_forms():
    forms = search.spellings("\u09af\u09bc৯")
    assert "\u09df৯" in forms and "\u09af\u09bc৯" in forms and "\u09df9" in forms
    assert search.spellings("king") == ["king"]


def test_clean_query_keeps_joiners_and_caps_length():
    assert search.clean_query("  চর\x00কিং \t\n  school ") == "চরকিং school"
    assert search.clean_query("\u202eর\u200d্যাব\u2066") == "র\u200d্যাব"
    assert len(search.clean_query("ক" * 10_000)) == search.MAX_QUERY


@pytest.mark.parametrize("query, short", [("ক", True), ("কি", False), ("a", True), ("7", False), ("", False),
                                          ("\u09af\u09bc", True)])
def test_too_short(query, short):
    assert search.is_too_short(query) is short


@pytest.mark.parametrize("raw, number", [("2", 2), ("২", 2), ("x", 1), ("0", 1), ("-3", 1), ("9" * 40, 1),
                                         ("999", 40), (None, 1)])
def test_page_number(raw, number):
    assert search.page_number(raw, last=40) == number


# ------------------------------------------------------------------------------------------- database

def names(queryset_or_page) -> list[str]:
    return [group.name for group in queryset_or_page]


def find(query: str) -> list[str]:
    return names(Group.objects.filter(search.words_q(search.clean_query(query), ["name"])))


@pytest.mark.django_db
@DB_EXAMPLES
@given(word=WORDS, stored_form=st.sampled_from(["NFC", "NFD", "single"]),
       typed_form=st.sampled_from(["NFC", "NFD", "single", "western", "mixed"]))
def test_decomposed_and_precomposed_forms_find_each_other(word, stored_form, typed_form):
    forms = {"NFC": unicodedata.normalize("NFC", word), "NFD": unicodedata.normalize("NFD", word),
             "single": search.spellings(word)[1] if len(search.spellings(word)) > 1 else word,
             "western": search.normalise(word), "mixed": unicodedata.normalize("NFC", word).replace("৯", "9")}
    stored = f"বিদ্যালয় {forms[stored_form]} শেষ"
    Group.objects.all().delete()
    Group.objects.create(name=stored)
    if search.normalise(forms[stored_form]) != search.normalise(forms[typed_form]):
        return  # "western" drops joiners as well; compared below by the key alone
    assert find(forms[typed_form]) == [stored]


@pytest.mark.django_db
@pytest.mark.parametrize("stored, typed", [
    ("হাতি\u09df\u09be বিদ্যালয়", "হাতি\u09af\u09bc\u09be"),   # single code point stored, NFC typed
    ("হাতি\u09af\u09bc\u09be বিদ্যালয়", "হাতি\u09df\u09be"),   # letter + nukta stored
    ("ম\u09cbড়", "ম\u09c7\u09be\u09dc"),                         # ো stored as one sign, typed as two
    ("ম\u09c7\u09be\u09a1\u09bc", "ম\u09cb\u09dc"),               # both decomposed in the row
    ("৯ নং সরকারি", "9 নং"),                                       # Bangla digits stored, Western typed
    ("No. 9 School", "৯"),                                          # and the other way
    ("র\u200d্যাব স্কুল", "র\u200d্যাব"),                          # joiner typed and stored
    ("র্যাব স্কুল", "র\u200d্যাব"),                                # joiner typed, not stored
    ("Char King School", "char KING"),                              # any case
])
def test_stored_spellings_are_found(stored, typed):
    Group.objects.create(name=stored)
    Group.objects.create(name="অন্য কিছু")
    assert find(typed) == [stored]


@pytest.fixture
def groups(db):
    # 30 names containing "সরকারি", 4 of them starting with it; one without it.
    made = [Group.objects.create(name=f"গ্রাম {n:02d} সরকারি") for n in range(26)]
    made += [Group.objects.create(name=f"সরকারি {n} প্রথমে") for n in range(4)]
    Group.objects.create(name="বেমিল")
    return made


def page_of(number: int, *, per_page: int = 10, max_results: int = 1000) -> search.SearchPage:
    return search.search_page(Group.objects.all(), "সরকারি", fields=["name"], order_by=["name"], page=number,
                              per_page=per_page, prefix_fields=["name"], max_results=max_results)


def test_search_page_gives_prefix_matches_first_then_the_rest_in_order(groups, django_assert_max_num_queries):
    everything = []
    for number in (1, 2, 3, 4):
        with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 3):
            page = page_of(number)
        assert page.number == number
        assert page.has_previous is (number > 1)
        everything += names(page)
        if not page.has_next:
            break
    assert number == 3 and len(everything) == 30
    assert everything[:4] == sorted(f"সরকারি {n} প্রথমে" for n in range(4))
    assert everything[4:] == sorted(f"গ্রাম {n:02d} সরকারি" for n in range(26))


@pytest.mark.parametrize("per_page", [1, 3, 4, 5, 7, 30, 31])
def test_search_page_boundaries_never_lose_or_repeat_a_row(groups, per_page):
    seen, number = [], 1
    while True:
        page = page_of(number, per_page=per_page)
        seen += names(page)
        if not page.has_next:
            break
        number += 1
    assert len(seen) == 30 and len(set(seen)) == 30
    # A page far beyond the last is empty, not an error.
    assert names(page_of(50, per_page=per_page)) == []


def test_search_page_stops_at_max_results_and_says_so(groups):
    page = page_of(2, per_page=10, max_results=20)
    assert page.capped and not page.has_next and len(page) == 10
    assert page_of(99, per_page=10, max_results=20).number == 2


def test_search_page_without_prefix_fields_and_with_no_words(groups):
    page = search.search_page(Group.objects.all(), "", fields=["name"], order_by=["name"], per_page=100)
    assert len(page) == 31 and not page.has_next and not page.has_other_pages
    page = search.search_page(Group.objects.all(), "প্রথমে সরকারি", fields=["name"], order_by=["name"])
    assert names(page) == sorted(f"সরকারি {n} প্রথমে" for n in range(4))
