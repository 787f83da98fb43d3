"""core.text.clean_user_text: what is removed, what stays (Bangla needs ZWJ/ZWNJ)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from shikhon.core.text import UserMultilineText, UserText, clean_user_text, has_hidden_characters

RLO = "\u202e"


@pytest.mark.parametrize("char", [*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
                                  "\x00", "\x1b", "\x7f", "\x85", "\x9f", "\ufeff", "\u206a", "\U000e0041"])
def test_hidden_characters_are_removed(char):
    assert clean_user_text(f"রুবি{char} আক্তার") == "রুবি আক্তার"
    assert clean_user_text(f"Rubi{char}", multiline=True) == "Rubi"
    assert has_hidden_characters(f"Rubi{char}")


def test_the_override_no_longer_reverses_what_follows():
    assert clean_user_text(f"Rubi {RLO}gpj.exe") == "Rubi gpj.exe"


def test_joiners_stay_because_bangla_needs_them():
    rab = "র\u200d্যাব"  # ZWJ: র‍্যাব
    non_joined = "ক্\u200cষ"  # ZWNJ: a visible hasant
    assert clean_user_text(rab) == rab
    assert clean_user_text(non_joined, multiline=True) == non_joined
    assert not has_hidden_characters(rab)


def test_text_is_stored_as_written_only_trimmed():
    decomposed = "\u09af\u09bc"  # য় written as two code points: not normalised
    assert clean_user_text(f"  {decomposed} English ১২৩ ") == f"{decomposed} English ১২৩"


def test_one_line_turns_line_breaks_and_tabs_into_spaces():
    assert clean_user_text("Rubi\tAkter\r\nDhaka\u2028x") == "Rubi Akter Dhaka x"


def test_many_lines_keep_newlines_and_tabs():
    assert clean_user_text("one\r\ntwo\rthree\u2029four\n\tfive\x00", multiline=True) == \
        "one\ntwo\nthree\nfour\n\tfive"


def test_lone_surrogates_are_removed():
    assert clean_user_text("a\ud800b") == "ab"


def test_pydantic_types_clean_the_same_way():
    assert TypeAdapter(UserText).validate_python(f" Rubi{RLO}\nAkter ") == "Rubi Akter"
    assert TypeAdapter(UserMultilineText).validate_python(f"a{RLO}\r\nb") == "a\nb"
