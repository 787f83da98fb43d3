"""Every form reads in Bangla (core.forms): the renderer writes number and date boxes and number-only choices
in Bangla digits and says "Choose" for an empty choice; number and date fields read Bangla digits back (that every
form of the project uses such fields is checked in tests/test_bangla_pages.py)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from shikhon.core.forms import DateField, DecimalField, IntegerField, localize_widget


@pytest.fixture(params=["bn", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


class Sample(forms.Form):
    when = DateField(initial=dt.date(2026, 12, 3))
    stock_date = forms.DateField(initial=dt.date(2026, 1, 5), widget=forms.DateInput(attrs={"type": "date"},
                                                                                     format="%Y-%m-%d"))
    places = forms.IntegerField(initial=30, min_value=1, max_value=500)
    days = IntegerField(initial=6, min_value=1)
    amount = DecimalField(initial=Decimal("12.5"), required=False)
    name = forms.CharField(initial="Class 3 maths")
    phone = forms.CharField(initial="01711000007", widget=forms.TextInput(attrs={"type": "tel"}))
    secret = forms.IntegerField(initial=7, widget=forms.HiddenInput)
    grade = forms.TypedChoiceField(required=False, coerce=int,
                                   choices=[("", "All grades"), *[(str(g), str(g)) for g in range(1, 13)]])
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "Room 2"), ("b", "1–3")])
    days_shown = forms.MultipleChoiceField(choices=[("1", "1"), ("2", "2")], widget=forms.CheckboxSelectMultiple)


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_number_and_date_boxes_show_bangla_digits_on_a_bangla_page():
    with translation.override("bn"):
        html = Sample().as_div()
    assert 'value="০৩/১২/২০২৬"' in _input(html, "when")
    stock = _input(html, "stock_date")
    assert 'type="text"' in stock and 'value="০৫/০১/২০২৬"' in stock  # ISO from the widget, day/month/year shown
    places = _input(html, "places")
    assert 'type="text"' in places and 'inputmode="numeric"' in places and 'value="৩০"' in places
    assert "min=" not in places and "max=" not in places  # not allowed on a text box; the field checks
    assert 'value="৬"' in _input(html, "days") and 'inputmode="numeric"' in _input(html, "days")
    assert 'value="১২.৫"' in _input(html, "amount") and 'inputmode="decimal"' in _input(html, "amount")


def test_what_a_person_typed_phones_and_hidden_values_stay_as_they_are():
    with translation.override("bn"):
        html = Sample().as_div()
    assert 'value="Class 3 maths"' in _input(html, "name")
    assert 'value="01711000007"' in _input(html, "phone")
    assert 'value="7"' in _input(html, "secret")


def test_english_pages_keep_western_digits_and_number_boxes(language):
    html = Sample().as_div()
    if language == "en":
        assert 'value="03/12/2026"' in _input(html, "when")
        assert 'type="number"' in _input(html, "places") and 'value="30"' in _input(html, "places")
        assert '<option value="12">12</option>' in html


def test_date_boxes_are_text_boxes_saying_day_month_year_in_both_languages(language):
    html = Sample().as_div()
    for name in ("when", "stock_date"):
        box = _input(html, name)
        assert 'type="text"' in box and 'placeholder="dd/mm/yyyy"' in box and 'autocomplete="off"' in box
        assert 'type="date"' not in box


def test_number_only_choices_in_bangla_digits_other_choices_as_written():
    with translation.override("bn"):
        html = Sample().as_div()
    assert '<option value="12">১২</option>' in html and '<option value="1">১</option>' in html
    assert ">Room 2<" in html  # a label with words is someone's text: as written
    assert ">১–৩<" in html
    assert re.search(r'value="2"[^>]*>\s*২</label>|value="2"[^>]*>২', html) or "> ২</label>" in html


def test_the_empty_choice_reads_choose(language):
    html = Sample().as_div()
    assert "---------" not in html
    assert '<option value="" selected>Choose</option>' in html
    assert '<option value="" selected>All grades</option>' in html  # a label the form chose is kept


def test_model_choice_empty_label_reads_choose():
    from shikhon.core.models import AuditEvent

    class F(forms.Form):
        event = forms.ModelChoiceField(queryset=AuditEvent.objects.none())

    with translation.override("bn"):
        assert '<option value="" selected>Choose</option>' in str(F()["event"])


def test_a_bound_form_shows_what_was_typed_in_bangla_digits():
    with translation.override("bn"):
        form = Sample({"when": "2026-12-03", "places": "12", "days": "x1"})
        html = form.as_div()
    assert 'value="০৩/১২/২০২৬"' in _input(html, "when")
    assert 'value="১২"' in _input(html, "places")
    assert 'value="x১"' in _input(html, "days")  # shown back (in Bangla digits) with its error


def test_localize_widget_leaves_the_callers_context_alone():
    widget = {"type": "number", "value": "5", "attrs": {"min": 1}}
    with translation.override("bn"):
        shown = localize_widget("django/forms/widgets/number.html", widget)
    assert shown["value"] == "৫" and shown["type"] == "text"
    assert widget == {"type": "number", "value": "5", "attrs": {"min": 1}}


# ------------------------------------------------------------------------------------ read back


@pytest.mark.parametrize("typed", ["০৩/১২/২০২৬", "03/12/2026", "3/12/2026", "৩-১২-২০২৬", "03.12.2026", "03 12 2026",
                                   "2026-12-03", "২০২৬-১২-০৩", "  ০৩/১২/২০২৬ ", "03/12/26"])
def test_date_field_reads_day_month_year_and_iso_in_either_digits(language, typed):
    assert DateField().clean(typed) == dt.date(2026, 12, 3)


def test_stock_date_fields_read_day_month_year_in_english_too():
    """Django's English reads 03/12/2026 as the 12th of March; in Bangladesh it is the 3rd of December."""
    with translation.override("en"):
        assert forms.DateField().clean("03/12/2026") == dt.date(2026, 12, 3)


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-13-01", "hello", "১২", "x" * 10_000, "০৩/১২/২০২৬\x00",
                                   "03/12", "٠٣/١٢/٢٠٢٦ 99"])
def test_a_bad_date_gets_one_sentence_with_an_example(typed):
    with translation.override("bn"):
        with pytest.raises(forms.ValidationError) as caught:
            DateField().clean(typed)
        assert caught.value.messages == ["This is not a date. Type day/month/year, for example ০৩/১২/২০২৬."]
    with translation.override("en"):  # the sentence is made in the language of the page that shows it
        assert caught.value.messages == ["This is not a date. Type day/month/year, for example 03/12/2026."]


def test_an_empty_optional_date_is_none():
    assert DateField(required=False).clean("  ") is None


@pytest.mark.parametrize(("field", "typed", "value"), [
    (IntegerField(), "১২", 12), (IntegerField(), " 12 ", 12), (forms.IntegerField(), "১২", 12),
    (DecimalField(), "১২.৫", Decimal("12.5")), (forms.DecimalField(), "১২.৫", Decimal("12.5")),
    (forms.FloatField(), "১২.৫", 12.5),
])
def test_number_fields_read_bangla_digits(field, typed, value):
    assert field.clean(typed) == value


@pytest.mark.parametrize("typed", ["twelve", "১২ক", "12.5", "১" * 5000])
def test_a_bad_whole_number_gets_a_sentence(typed):
    with translation.override("en"), pytest.raises(forms.ValidationError) as caught:
        IntegerField().clean(typed)
    assert caught.value.messages == ["Type a whole number using digits."]


def test_number_bounds_still_hold_and_are_said_in_the_page_digits():
    with translation.override("bn"), pytest.raises(forms.ValidationError) as caught:
        IntegerField(max_value=14).clean("১৫")
    assert "১৪" in caught.value.messages[0] and "14" not in caught.value.messages[0]
    with translation.override("en"), pytest.raises(forms.ValidationError) as caught:
        DecimalField(min_value=1).clean("0.5")
    assert "1" in caught.value.messages[0]
