"""Form helpers shared by the apps' views, and how every form reads in Bangla.

Two halves, so that no app has to remember either:

* **Shown** — `BanglaFormRenderer` (settings.FORM_RENDERER) renders every widget of every form. On a Bangla
  page it writes the value of a number or date box in Bangla digits (a widget is a number box when it is
  `<input type=number>` or carries `inputmode="numeric"`/`"decimal"`), turns `<input type=number>` into a text
  box with `inputmode` (a number box refuses Bangla digits), writes choices that are only a number ("1"–"12",
  "2026") in Bangla digits, and in every language gives the empty choice the words "Choose" ("বেছে নিন")
  instead of Django's "---------". Every date box, in both languages, is a text box filled day/month/year
  with a placeholder saying so (decision in core/README.md: a `type=date` value must be Western ISO digits,
  and what the phone's picker shows follows the phone's language, not the page's). Phone numbers
  (`type=tel`), hidden values and what a person typed in a text box are left as they are.
* **Read back** — the number and date fields accept Bangla digits: Django's IntegerField, DecimalField and
  FloatField already do (Python's int() and Decimal() read any Unicode digit); dates need `DateField` below
  (day/month/year or ISO, Bangla or Western digits), which every form uses (`core/tests/test_forms.py`
  walks all the project's forms to hold that line).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from shikhon.core.bangla import localize_digits, to_bangla_digits, to_western_digits
from shikhon.core.forms_dates import DATE_INPUT_FORMATS, DATE_SHOWN

DJANGO_EMPTY_LABEL = "---------"
_NUMBER_ONLY = re.compile(r"[\d\s.,:/–—-]+")  # "3", "1–3", "2026", "12.5": a choice that is only a number
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC_MODES = frozenset({"numeric", "decimal"})


def _bangla() -> bool:
    return (translation.get_language() or "bn").startswith("bn")


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: each field's errors beside that field when the form
    has it, the rest (and errors without a field) at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ------------------------------------------------------------------------------------ shown


def choose_label() -> str:
    """The empty choice of a list: "বেছে নিন" / "Choose"."""
    return gettext("Choose")


def _option(option: dict[str, Any], bangla: bool) -> dict[str, Any]:
    label = option.get("label")
    if option.get("value") in ("", None) and str(label) == DJANGO_EMPTY_LABEL:
        return {**option, "label": choose_label()}
    if bangla and label is not None and _NUMBER_ONLY.fullmatch(str(label)):
        return {**option, "label": to_bangla_digits(label)}
    return option


def _date_value(value: Any) -> Any:
    """A date box's value: ISO (what a stock widget or the phone sent) written day/month/year."""
    if isinstance(value, str) and (iso := _ISO_DATE.fullmatch(value.strip())):
        year, month, day = iso.groups()
        return f"{day}/{month}/{year}"
    return value


def localize_widget(template_name: str, widget: dict[str, Any]) -> dict[str, Any]:
    """The context of one widget as a page in the active language shows it (see the module's text)."""
    bangla = _bangla()
    widget = dict(widget)
    attrs = dict(widget.get("attrs") or {})
    if widget.get("optgroups"):
        widget["optgroups"] = [(name, [_option(o, bangla) for o in options], index)
                               for name, options, index in widget["optgroups"]]
    if widget.get("subwidgets"):
        widget["subwidgets"] = [localize_widget(w.get("template_name", ""), w) for w in widget["subwidgets"]]
    kind = widget.get("type")
    is_date = kind == "date" or template_name.endswith("/widgets/date.html")
    numeric = kind == "number" or attrs.get("inputmode") in _NUMERIC_MODES
    if is_date:
        widget["type"] = "text"
        attrs.setdefault("placeholder", gettext("dd/mm/yyyy"))
        attrs.setdefault("autocomplete", "off")
        for name in ("min", "max", "step"):  # not allowed on a text box (the field checks the range)
            attrs.pop(name, None)
        widget["value"] = _date_value(widget.get("value"))
    elif kind == "number" and bangla:
        widget["type"] = "text"
        step = str(attrs.pop("step", "1"))
        attrs.setdefault("inputmode", "numeric" if step == "1" else "decimal")
        attrs.pop("min", None)
        attrs.pop("max", None)
    if bangla and (is_date or numeric) and widget.get("value") not in (None, ""):
        widget["value"] = to_bangla_digits(widget["value"])
    widget["attrs"] = attrs
    return widget


class BanglaFormRenderer(DjangoTemplates):
    """Django's form renderer, every widget's context passed through `localize_widget` first."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            context = {**context, "widget": localize_widget(template_name, widget)}
        return super().render(template_name, context, request=request)


# ------------------------------------------------------------------------------------ read back


def _date_example() -> str:
    return localize_digits(dt.date(2026, 12, 3).strftime(DATE_SHOWN))


def _date_sentence() -> str:
    return gettext("This is not a date. Type day/month/year, for example %(example)s.") % {
        "example": _date_example()}


date_sentence = lazy(_date_sentence, str)


class DateInput(forms.DateInput):
    """A text box filled day/month/year (the renderer adds the placeholder and Bangla digits)."""

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})}, format=format or DATE_SHOWN)


class DateField(forms.DateField):
    """A date typed day/month/year (`/`, `-`, `.` or a space between) or ISO, in Bangla or Western digits:
    "০৩/১২/২০২৬", "3-12-2026", "2026-12-03". Anything else gets one sentence with an example."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": date_sentence()}

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str):
            value = " ".join(to_western_digits(value).split())[:40]
        return super().to_python(value)


class _LimitsInBangla:
    """Django's range sentences ("… less than or equal to %(limit_value)s.") with the limit in the page's digits."""

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)  # type: ignore[misc]
        except ValidationError as exc:
            for error in exc.error_list:
                if error.params:
                    error.params = {key: localize_digits(number) if isinstance(number, (int, Decimal)) else number
                                    for key, number in error.params.items()}
            raise


def _digits_typed(value: str, sentence: Any) -> str:
    """What was typed, Western digits, trimmed; longer than any number we keep is refused (never cut)."""
    value = to_western_digits(value).strip()
    if len(value) > 40:
        raise ValidationError(sentence, code="invalid")
    return value


class IntegerField(_LimitsInBangla, forms.IntegerField):
    """A whole number typed with Bangla or Western digits, in a text box with a digit keyboard (a number box
    refuses Bangla digits on many phones)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": gettext_lazy("Type a whole number using digits.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}  # no min/max/step: they are not allowed on a text box; the field checks the range

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = _digits_typed(value, self.error_messages["invalid"])
        return super().to_python(value)


class DecimalField(_LimitsInBangla, forms.DecimalField):
    """A number typed with Bangla or Western digits ("১২.৫"), in a text box with a decimal keyboard."""

    widget = forms.TextInput
    default_error_messages = {"invalid": gettext_lazy("Type a number using digits, for example 12.5.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _digits_typed(value, self.error_messages["invalid"])
        return super().to_python(value)
