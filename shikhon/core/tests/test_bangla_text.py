"""Numbers in the page's digits: whole numbers, and the numbers inside sentences built elsewhere."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shikhon.core.bangla import format_number, localize_text_digits, to_western_digits


@pytest.mark.parametrize(("text", "bangla"), [
    ("Ensure this value has at most 200 characters (it has 250).",
     "Ensure this value has at most ২০০ characters (it has ২৫০)."),
    ("Upload a MP4, WebM, 3GP or MOV file.", "Upload a MP4, WebM, 3GP or MOV file."),
    ("Save it as UTF-8 in notes2.csv", "Save it as UTF-8 in notes2.csv"),
    ("Code ABCD-2345-EFGH-6789 at https://x.gov.bd:8000/verify/ on 03/12/2026 at 10:30, 12.5 taka",
     "Code ABCD-2345-EFGH-6789 at https://x.gov.bd:8000/verify/ on ০৩/১২/২০২৬ at ১০:৩০, ১২.৫ taka"),
    ("সারি 3: 01712345678", "সারি ৩: ০১৭১২৩৪৫৬৭৮"),
    ("", ""),
])
def test_numbers_in_a_sentence_follow_the_page(text, bangla):
    assert localize_text_digits(text, "bn") == bangla
    assert localize_text_digits(text, "en") == text
    with translation.override("bn"):
        assert Template("{{ t|textdigits }}").render(Context({"t": text})) == Template(
            "{{ t }}").render(Context({"t": bangla}))


@given(st.text())
def test_only_digits_change_and_they_read_back(text):
    changed = localize_text_digits(text, "bn")
    assert len(changed) == len(text)
    assert to_western_digits(changed) == to_western_digits(text)


def test_whole_numbers_are_grouped_the_south_asian_way():
    assert format_number(1234567, "bn") == "১২,৩৪,৫৬৭"
    assert format_number(1234567, "en") == "1,234,567"
