"""Forms of face-to-face training. Digits may be typed in Bangla; amounts are whole or decimal taka."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number, to_western_digits
from shikhon.core.forms import DateField
from shikhon.courses.selectors import published_courses
from shikhon.people.phone import national_format, normalize_phone
from shikhon.people.selectors import active_users_with_phones
from shikhon.training.constants import MAX_COST
from shikhon.training.models import Programme

if TYPE_CHECKING:
    from shikhon.courses.models import Course
    from shikhon.people.models import User
    from shikhon.places.models import Upazila

MAX_TRAINERS = 10


class DayField(DateField):
    """A day of a batch: typed day/month/year or ISO, Bangla digits too (core.forms.DateField)."""


class NumberField(forms.IntegerField):
    """A whole number in a text box (a number box refuses Bangla digits on many phones)."""

    default_error_messages = {"invalid": _("Type a whole number, for example 30.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = to_western_digits(value).strip()[:20]
        return super().to_python(value)


class MoneyField(forms.CharField):
    """An amount in taka: Bangla or Western digits, commas and a ৳ sign are fine; never negative."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("initial", "0")
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def clean(self, value: Any) -> Decimal:
        text = to_western_digits(str(super().clean(value) or "")).strip()
        for junk in (",", "৳", "Tk", "tk", "টাকা", " "):
            text = text.replace(junk, "")
        if not text:
            return Decimal(0)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Type the amount in taka using digits, for example 25000."),
                                  code="invalid") from None
        if not amount.is_finite():
            raise ValidationError(_("Type the amount in taka using digits, for example 25000."), code="invalid")
        if amount < 0:
            raise ValidationError(_("A cost cannot be less than zero. Type 0 if there was no cost."),
                                  code="negative_cost")
        if amount > MAX_COST:
            raise ValidationError(_("This cost is too large. Check the amount in taka."), code="cost_too_large")
        return amount.quantize(Decimal("0.01"))


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    required_course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(
        label=_("Certificate required of the course"), required=False, queryset=None,
        help_text=_("Only teachers with this course's certificate can be invited. Any version counts."))
    days = NumberField(label=_("Days"), min_value=1, max_value=14, initial=6)
    hours_per_day = NumberField(label=_("Hours of training a day"), min_value=1, max_value=12, initial=6,
                                required=False,
                                help_text=_("The training certificate states the hours: days × hours a day."))
    is_active = forms.BooleanField(label=_("Open for new batches"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Course]", self.fields["required_course"]).queryset = published_courses()

    @classmethod
    def for_programme(cls, programme: Programme | None, data: Any = None) -> ProgrammeForm:
        if programme is None:
            return cls(data)
        return cls(data, initial={"title": programme.title, "description": programme.description,
                                  "required_course": programme.required_course_id, "days": programme.days,
                                  "hours_per_day": programme.hours_per_day, "is_active": programme.is_active})


class BatchForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    title = forms.CharField(label=_("Batch name"), max_length=200,
                            help_text=_("For example Hatia batch 1, December."))
    upazila: forms.ModelChoiceField[Upazila] = forms.ModelChoiceField(label=_("Upazila of the venue"), queryset=None)
    venue = forms.CharField(label=_("Venue (institute)"), max_length=255,
                            help_text=_("For example Upazila Resource Centre, Hatia."))
    starts_on = DayField(label=_("First day"))
    ends_on = DayField(label=_("Last day"))
    capacity = NumberField(label=_("Places"), min_value=1, max_value=500, initial=30)
    trainer_phones = forms.CharField(
        label=_("Trainers on Shikhon (mobile numbers)"), required=False, max_length=600,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One number per line. They can take attendance."))
    trainer_names = forms.CharField(label=_("Other trainers (names)"), required=False, max_length=300)
    cost_venue = MoneyField(label=_("Venue cost (taka)"))
    cost_allowances = MoneyField(label=_("Allowances for teachers (taka)"))
    cost_materials = MoneyField(label=_("Materials (taka)"))
    cost_trainers = MoneyField(label=_("Trainers' fees (taka)"))

    def __init__(self, *args: Any, upazilas: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Upazila]", self.fields["upazila"]).queryset = upazilas
        cast("forms.ModelChoiceField[Programme]", self.fields["programme"]).queryset = programmes

    def clean_trainer_phones(self) -> list[User]:
        lines = [line.strip() for line in str(self.cleaned_data.get("trainer_phones") or "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_TRAINERS:
            raise ValidationError(_("At most %(max)s trainers.") % {"max": format_number(MAX_TRAINERS)})
        phones = []
        for line in lines:
            try:
                phones.append(normalize_phone(line))
            except ValidationError:
                raise ValidationError(_("“%(typed)s” is not a mobile number. Type one number per line.")
                                      % {"typed": line[:20]}) from None
        users = active_users_with_phones(phones)
        missing = set(phones) - {u.phone for u in users}
        if missing:
            raise ValidationError(_("Nobody on Shikhon has the number %(phone)s. Trainers must be on Shikhon; "
                                    "write other trainers' names in the next box.")
                                  % {"phone": national_format(sorted(missing)[0])})
        return users


def batch_initial(batch: Any) -> dict[str, Any]:
    return {
        "programme": batch.programme_id, "title": batch.title, "upazila": batch.upazila_id, "venue": batch.venue,
        "starts_on": batch.starts_on, "ends_on": batch.ends_on, "capacity": batch.capacity,
        "trainer_phones": "\n".join(national_format(u.phone) for u in batch.trainers.all()),
        "trainer_names": batch.trainer_names, "cost_venue": batch.cost_venue,
        "cost_allowances": batch.cost_allowances, "cost_materials": batch.cost_materials,
        "cost_trainers": batch.cost_trainers,
    }


class ReasonForm(forms.Form):
    """Why a batch is cancelled or an invitation withdrawn: the teacher reads it (and the audit log keeps it)."""

    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The teacher reads this in the app and by SMS. For example: the venue "
                                         "is flooded."))

    def __init__(self, *args: Any, missing: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = missing


class CompleteForm(forms.Form):
    min_days = NumberField(label=_("Days present needed to complete"), min_value=1, max_value=14)


class CourseCostForm(forms.Form):
    course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(label=_("Online course"), queryset=None)
    year = NumberField(label=_("Year"), min_value=2000, max_value=2100)
    development = MoneyField(label=_("Development (taka)"))
    hosting = MoneyField(label=_("Hosting (taka)"))
    sms = MoneyField(label=_("SMS (taka)"))
    other = MoneyField(label=_("Other (taka)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Course]", self.fields["course"]).queryset = published_courses()
