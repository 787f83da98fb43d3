"""Forms of the practice log: one short page each, thumb-sized, working without JavaScript and kept in the
phone's outbox when offline (the same fields go to /sync/, checked by these forms again: `sync_log`). Digits may
be typed in Bangla; dates are day/month/year boxes (core.forms). Every form carries a `client_id` made when the
page was drawn, so a double tap or a replay saves once."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import to_western_digits
from shikhon.core.clock import dhaka_today
from shikhon.core.forms import DateField, IntegerField
from shikhon.practice.models import PracticeRecord

GRADES = [("", "---------")] + [(str(n), str(n)) for n in range(1, 13)]
RATINGS = [(str(n), str(n)) for n in range(1, 6)]


class GradeField(forms.TypedChoiceField):
    """A class from 1 to 12, chosen from the list (a phone or the API may send Bangla digits)."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(to_western_digits(value).strip() if isinstance(value, str) else value)


class _ClientIdForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": _("This form could not be read. Please open it again and save once more."),
        "invalid": _("This form could not be read. Please open it again and save once more.")})
    # What she tries: a course's activity or a library content, exactly one (`clean`).
    activity = IntegerField(widget=forms.HiddenInput, min_value=1, required=False, error_messages={
        "invalid": _("Choose the activity first: open it in your course and tap “Try it in your class”."),
        "min_value": _("Choose the activity first: open it in your course and tap “Try it in your class”.")})
    content = IntegerField(widget=forms.HiddenInput, min_value=1, required=False, error_messages={
        "invalid": _("Choose the library content first: open it in the library and tap “Use it in your class”."),
        "min_value": _("Choose the library content first: open it in the library and tap “Use it in your "
                       "class”.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"client_id": uuid.uuid4(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "activity" in self.errors or "content" in self.errors or self.data.get("plan"):
            return data  # a plan names what she tried
        activity, content = data.get("activity"), data.get("content")
        if activity is None and content is None:
            self.add_error("activity", forms.ValidationError(
                _("Choose the activity first: open it in your course and tap “Try it in your class”."),
                code="required"))
        elif activity is not None and content is not None:
            self.add_error(None, forms.ValidationError(
                _("Choose one thing to try: an activity of your course or a content of the library."),
                code="activity_or_content"))
        return data

    def hidden_problems(self) -> list[str]:
        """Errors of the hidden fields (she cannot see them beside a box): shown at the top."""
        return [str(e) for name in ("client_id", "activity", "content", "plan") if name in self.errors
                for e in self.errors[name]]


class PlanForm(_ClientIdForm):
    grade = GradeField(label=_("Class"), choices=GRADES, coerce=int, error_messages={
        "required": _("Choose the class."), "invalid_choice": _("Choose the class from the list.")})
    section = forms.CharField(label=_("Section"), required=False, max_length=20,
                              help_text=_("For example ক or A. Leave empty if the class has one section."))
    planned_on = DateField(label=_("Day you will teach it"), error_messages={
        "required": _("Type the day you will teach it.")})
    materials = forms.CharField(label=_("Materials to prepare"), required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("What you will make or bring. Start from the activity's list."))


class RecordForm(_ClientIdForm):
    plan = IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    outcome = forms.ChoiceField(label=_("What happened?"), choices=PracticeRecord.Outcome.choices,
                                widget=forms.RadioSelect, initial=PracticeRecord.Outcome.TAUGHT, error_messages={
                                    "required": _("Choose what happened."),
                                    "invalid_choice": _("Choose what happened.")})
    taught_on = DateField(label=_("Day you taught it"), error_messages={"required": _("Type the day you taught it.")})
    grade = GradeField(label=_("Class"), choices=GRADES, coerce=int, error_messages={
        "required": _("Choose the class."), "invalid_choice": _("Choose the class from the list.")})
    section = forms.CharField(label=_("Section"), required=False, max_length=20)
    learners_present = IntegerField(label=_("Learners present"), required=False, min_value=0, max_value=200)
    minutes = IntegerField(label=_("Minutes it took"), required=False, min_value=1, max_value=240)
    rating = forms.TypedChoiceField(label=_("How did it go? (1 = badly, 5 = very well)"), choices=RATINGS,
                                    coerce=int, required=False, empty_value=None, widget=forms.RadioSelect,
                                    error_messages={"invalid_choice": _("Choose how it went, from 1 to 5.")})
    what_worked = forms.CharField(label=_("What worked?"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    what_to_change = forms.CharField(label=_("What would you change next time?"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    why_not = forms.CharField(label=_("If it did not work: why?"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("“Tried, did not work” is practice too. Say what got in the way."))
    shared_with_circle = forms.BooleanField(label=_("Share with my school's circle"), required=False, initial=True,
                                            help_text=_("Colleagues at your school can read it and encourage you."))
    photo = forms.FileField(label=_("Photo of the board or the learners' work (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                            help_text=_("No faces needed. Sent later when you are offline: add it from the "
                                        "record's page."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"taught_on": dhaka_today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo of the board or the learners' work"),
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                            error_messages={"required": _("Choose a photo first.")})


class EncourageForm(forms.Form):
    comment = forms.CharField(label=_("A short word for her (optional)"), required=False, max_length=200)
