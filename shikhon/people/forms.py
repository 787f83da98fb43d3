from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import localize_digits, to_western_digits
from shikhon.core.fields import UserTextFormField
from shikhon.core.forms import DateField
from shikhon.people.models import Role, User
from shikhon.people.phone import MAX_TYPED, normalize_phone
from shikhon.places.models import District, Division, School, Upazila


class TelInput(forms.TextInput):
    """`<input type="tel">`: the type is the widget's, never an attribute (two `type` attributes are invalid)."""

    input_type = "tel"


def _phone_example() -> str:
    return gettext("For example %(example)s. Bangla digits are fine.") % {"example": localize_digits("01712345678")}


class PhoneField(forms.CharField):
    """A Bangladeshi mobile number as people type it; cleans to E.164. Anything else, however
    long or odd, gets the one sentence that says how to type it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("help_text", lazy(_phone_example, str)())
        kwargs.setdefault("widget", TelInput)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel",
                                  "maxlength": str(MAX_TYPED)})

    def to_python(self, value: Any) -> str:
        # Skip CharField's NUL check: normalize_phone refuses NUL with the phone sentence.
        if value in self.empty_values:
            return ""
        return str(value).strip()

    def run_validators(self, value: Any) -> None:
        return None

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return normalize_phone(text) if text else text


class PhoneForm(forms.Form):
    phone = PhoneField()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"), max_length=12, strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ProfileForm(forms.Form):
    """A plain form (not a ModelForm), so an invalid post never touches the signed-in user object."""

    name_bn = UserTextFormField(label=_("Name (Bangla)"), max_length=120)
    name_en = UserTextFormField(label=_("Name (English)"), max_length=120, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=User.Gender.choices, required=False)
    designation = UserTextFormField(label=_("Designation"), max_length=120, required=False,
                                  help_text=_("For example Assistant teacher."))

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> ProfileForm:
        return cls(data, initial={"name_bn": user.name_bn, "name_en": user.name_en, "gender": user.gender,
                                  "designation": user.designation})


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 10 characters; not only digits."))
    password2 = forms.CharField(label=_("New password again"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            raise ValidationError(_("The two passwords are not the same. Type the same password twice."))
        return data


class PasswordSignInForm(forms.Form):
    phone = PhoneField()
    password = forms.CharField(label=_("Password"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80,
                           help_text=_("What the token is for, for example “district report script”."))


class SchoolChoiceField(forms.CharField):
    """A school typed as its 6-digit EIIN (the school finder fills it in)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Your school's EIIN"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("6 digits. Don't know it? Search for your school below."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def clean(self, value: Any) -> Any:
        text = to_western_digits(super().clean(value) or "").strip()
        if not text and not self.required:
            return None
        school = None
        if len(text) == 6 and text.isascii() and text.isdigit():
            school = School.objects.filter(eiin=text, is_active=True).select_related("upazila").first()
        if school is None:
            raise ValidationError(_("No open school has this EIIN. Check the 6 digits or search by name."),
                                  code="unknown_school")
        return school


SCHOOL_KIND_CHOICES = [("teacher", _("a teacher")), ("head_teacher", _("the head teacher"))]


class RegisterForm(forms.Form):
    phone = PhoneField()
    name_bn = UserTextFormField(label=_("Your name in Bangla"), max_length=120)
    name_en = UserTextFormField(label=_("Your name in English (optional)"), max_length=120, required=False)
    school = SchoolChoiceField()
    kind = forms.ChoiceField(label=_("I am"), choices=SCHOOL_KIND_CHOICES, initial="teacher")


class JoinForm(forms.Form):
    school = SchoolChoiceField()
    kind = forms.ChoiceField(label=_("I am"), choices=SCHOOL_KIND_CHOICES, initial="teacher")


INVITE_KIND_CHOICES = [("teacher", _("Teacher")), ("head_teacher", _("Head teacher"))]


class InviteForm(forms.Form):
    phone = PhoneField(label=_("Teacher's mobile number"))
    name_bn = UserTextFormField(label=_("Teacher's name in Bangla"), max_length=120)
    school = SchoolChoiceField(label=_("School EIIN"), help_text=_("6 digits."))
    kind = forms.ChoiceField(label=_("Role"), choices=INVITE_KIND_CHOICES, initial="teacher")

    def __init__(self, *args: Any, kinds: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = cast(forms.ChoiceField, self.fields["kind"])
            field.choices = [c for c in INVITE_KIND_CHOICES if c[0] in kinds]


class RoleGrantForm(forms.Form):
    """Grant a role by phone over a place in the officer's own area. Place fields that do not fit
    the role are ignored (a teacher needs a school, an upazila officer an upazila, …)."""

    phone = PhoneField(label=_("Person's mobile number"))
    name_bn = UserTextFormField(label=_("Name in Bangla (only for a person new to Shikhon)"), max_length=120,
                              required=False)
    kind = forms.ChoiceField(label=_("Role"))
    school = SchoolChoiceField(label=_("School EIIN (teacher, head teacher)"), required=False,
                               help_text=_("6 digits."))
    upazila = forms.ModelChoiceField(label=_("Upazila (upazila officer, upazila mentor)"), required=False,
                                     queryset=Upazila.objects.none())
    district = forms.ModelChoiceField(label=_("District (district officer, district mentor)"), required=False,
                                      queryset=District.objects.none())
    division = forms.ModelChoiceField(label=_("Division (division officer)"), required=False,
                                      queryset=Division.objects.none())
    ends_on = DateField(label=_("Until (optional)"), required=False,
                        help_text=_("Leave empty for a role with no end date."))

    def __init__(self, *args: Any, kinds: frozenset[str], upazilas: Any, districts: Any, divisions: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(forms.ChoiceField, fields["kind"]).choices = [(k, label) for k, label in Role.Kind.choices
                                                           if k in kinds]
        for name, queryset in (("upazila", upazilas), ("district", districts), ("division", divisions)):
            if queryset is None:
                del fields[name]
            else:
                cast("forms.ModelChoiceField[Any]", fields[name]).queryset = queryset
