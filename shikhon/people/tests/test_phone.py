import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shikhon.people.phone import national_format, normalize_phone


@pytest.mark.parametrize("typed", [
    "01712345678", "+880 1712-345678", "8801712345678", "০১৭১২৩৪৫৬৭৮", "+৮৮০১৭১২৩৪৫৬৭৮",
    "017 1234 5678", "(+880) 1712345678", "008801712345678", "1712345678",
])
def test_usual_ways_of_typing_a_number_are_stored_once(typed):
    assert normalize_phone(typed) == "+8801712345678"


@pytest.mark.parametrize("typed", [
    "", "0171234567", "017123456789", "01212345678", "+8801212345678", "+447911123456", "hello",
    "01712345678\x00", "0" * 41, "+880-abc", "০১৭১২৩৪৫৬৭", "++8801712345678",
])
def test_anything_else_is_rejected_with_a_sentence(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert "01712345678" in str(exc.value.messages[0])


@given(st.text(max_size=60))
def test_never_crashes_on_any_text(text):
    try:
        result = normalize_phone(text)
    except ValidationError:
        return
    assert result.startswith("+8801") and len(result) == 14


def test_national_format():
    assert national_format("+8801712345678") == "01712-345678"
