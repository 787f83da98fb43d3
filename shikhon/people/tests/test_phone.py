import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from shikhon.people.phone import INVALID_PHONE, is_stored_phone, national_format, normalize_phone

BANGLA = "০১২৩৪৫৬৭৮৯"


@pytest.mark.parametrize("typed", [
    "01712345678", "+880 1712-345678", "8801712345678", "০১৭১২৩৪৫৬৭৮", "+৮৮০১৭১২৩৪৫৬৭৮",
    "017 1234 5678", "(+880) 1712345678", "008801712345678", "+88 01712345678", "01712.345.678",
    " 01712345678\n", "০১৭১২-345678", "01712\u00a0345678",
])
def test_usual_ways_of_typing_a_number_are_stored_once(typed):
    assert normalize_phone(typed) == "+8801712345678"


@pytest.mark.parametrize("prefix", ["013", "014", "015", "016", "017", "018", "019"])
def test_every_mobile_operator_prefix_is_accepted(prefix):
    assert normalize_phone(prefix + "12345678") == "+88" + prefix + "12345678"


@pytest.mark.parametrize("typed", [
    "", "0171234567", "017123456789", "01212345678", "+8801212345678", "+447911123456", "hello",
    "01712345678\x00", "0" * 41, "+880-abc", "০১৭১২৩৪৫৬৭", "++8801712345678",
    # issue 8: a prefix outside 013–019
    "01012345678", "01112345678", "+8801112345678", "01212345678",
    # issue 8: ten digits with the leading 0 missing
    "1712345678", "১৭১২৩৪৫৬৭৮",
    # issue 8: digits of other scripts (Devanagari, Arabic-Indic, Extended Arabic-Indic, fullwidth, Thai)
    "०१७१२३४५६७८", "٠١٧١٢٣٤٥٦٧٨", "۰۱۷۱۲۳۴۵۶۷۸", "０１７１２３４５６７８", "๐๑๗๑๒๓๔๕๖๗๘",
    "0171234567٨",
    # the trunk 0 kept after +880, a plus in the middle, a stray prefix, control characters
    "+88001712345678", "017+12345678", "+01712345678", "0001712345678", "8801712345678 ext 5",
    "01712\x1c345678", "01712/345678", "+1 01712345678", "88 1712345678",
])
def test_anything_else_is_rejected_with_a_sentence(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "invalid_phone"
    assert "01712345678" in str(exc.value.messages[0])


@pytest.mark.parametrize("value", [None, 1712345678, b"01712345678"])
def test_non_text_is_rejected(value):
    with pytest.raises(ValidationError):
        normalize_phone(value)


# ---------------------------------------------------------------- properties

_digit = st.sampled_from([str(d) for d in range(10)])
_separator = st.sampled_from(["", "", "", " ", "-", ".", "(", ")", "\u00a0"])
_prefix = st.sampled_from(["", "+88", "88", "0088"])


@st.composite
def typed_numbers(draw):
    """A valid number: the 11 digits, one of the prefixes, separators between any characters,
    each digit in Bangla or Western at random. Returns (typed, expected E.164)."""
    operator = draw(st.sampled_from("3456789"))
    rest = "".join(draw(st.lists(_digit, min_size=8, max_size=8)))
    national = "01" + operator + rest
    prefix = draw(_prefix)
    chars = list(prefix + national)
    plus = chars[0] == "+"
    if plus:
        chars = chars[1:]
    out = ["+"] if plus else []
    for ch in chars:
        out.append(draw(_separator))
        bangla = draw(st.booleans())
        out.append(BANGLA[int(ch)] if bangla else ch)
    out.append(draw(_separator))
    typed = "".join(out)
    return typed, "+88" + national


@given(typed_numbers())
@example(("+8801712345678", "+8801712345678"))
def test_every_valid_way_of_typing_normalises_to_the_same_e164(case):
    typed, expected = case
    try:
        result = normalize_phone(typed)
    except ValidationError:
        assert len(typed) > 40  # only the length guard may refuse a valid number
        return
    assert result == expected
    assert is_stored_phone(result)


_OTHER_DIGITS = [chr(c) for c in range(0x110000) if chr(c).isdigit() and chr(c) not in "0123456789" + BANGLA]


@given(typed_numbers(), st.data())
def test_one_digit_of_another_script_is_refused(case, data):
    typed, _ = case
    positions = [i for i, ch in enumerate(typed) if ch in "0123456789" + BANGLA]
    i = data.draw(st.sampled_from(positions))
    foreign = data.draw(st.sampled_from(_OTHER_DIGITS))
    with pytest.raises(ValidationError):
        normalize_phone(typed[:i] + foreign + typed[i + 1:])


@given(st.sampled_from("012"), st.lists(_digit, min_size=8, max_size=8), _prefix)
def test_a_prefix_outside_013_to_019_is_refused(operator, rest, prefix):
    with pytest.raises(ValidationError):
        normalize_phone(prefix + "01" + operator + "".join(rest))


@given(st.sampled_from("3456789"), st.lists(_digit, min_size=0, max_size=14), _prefix)
def test_a_wrong_length_is_refused(operator, rest, prefix):
    if len(rest) == 8:
        rest = rest + ["5"]
    with pytest.raises(ValidationError):
        normalize_phone(prefix + "01" + operator + "".join(rest))


@given(st.sampled_from("3456789"), st.lists(_digit, min_size=8, max_size=8), _prefix)
def test_the_leading_zero_is_never_optional(operator, rest, prefix):
    with pytest.raises(ValidationError):
        normalize_phone(prefix + "1" + operator + "".join(rest))


@given(st.one_of(st.text(max_size=60), st.text(alphabet="+0123456789০১২৩৪৫৬৭৮৯ -().٠१０", max_size=20)))
def test_never_any_exception_but_the_sentence(text):
    try:
        result = normalize_phone(text)
    except ValidationError as exc:
        assert exc.messages == [str(INVALID_PHONE)]
        return
    assert is_stored_phone(result)


def test_national_format():
    assert national_format("+8801712345678") == "01712-345678"
