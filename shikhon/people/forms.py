from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shikhon.people.models import User
from shikhon.people.phone import normalize_phone


class PhoneField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("For example 01712345678. Bangla digits are fine."))
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widget.attrs.update({"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value: object) -> str:
        text = super().clean(value)
        return normalize_phone(text) if text else text


class PhoneForm(forms.Form):
    phone = PhoneField()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"), max_length=12, strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name_bn", "name_en", "gender", "designation"]


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               max_length=128, help_text=_("At least 10 characters; not only digits."))
    password2 = forms.CharField(label=_("New password again"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            raise ValidationError(_("The two passwords are not the same."))
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

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Your school's EIIN"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("6 digits. Don't know it? Search for your school below."))
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widget.attrs.update({"inputmode": "numeric"})

    def clean(self, value: object) -> object:
        from shikhon.core.bangla import to_western_digits
        from shikhon.places.models import School

        text = to_western_digits(super().clean(value) or "").strip()
        school = School.objects.filter(eiin=text, is_active=True).first() if text.isdigit() else None
        if school is None:
            raise ValidationError(_("No open school has this EIIN. Check the 6 digits or search by name."),
                                  code="unknown_school")
        return school


class RegisterForm(forms.Form):
    phone = PhoneField()
    name_bn = forms.CharField(label=_("Your name in Bangla"), max_length=120)
    name_en = forms.CharField(label=_("Your name in English (optional)"), max_length=120, required=False)
    school = SchoolChoiceField()
    kind = forms.ChoiceField(label=_("I am"), choices=[("teacher", _("a teacher")),
                                                       ("head_teacher", _("the head teacher"))], initial="teacher")


class JoinForm(forms.Form):
    school = SchoolChoiceField()
    kind = forms.ChoiceField(label=_("I am"), choices=[("teacher", _("a teacher")),
                                                       ("head_teacher", _("the head teacher"))], initial="teacher")


class InviteForm(forms.Form):
    phone = PhoneField(label=_("Teacher's mobile number"))
    name_bn = forms.CharField(label=_("Teacher's name in Bangla"), max_length=120)
    school = SchoolChoiceField(label=_("School EIIN"), help_text=_("6 digits."))
    kind = forms.ChoiceField(label=_("Role"), choices=[("teacher", _("Teacher")), ("head_teacher", _("Head teacher"))],
                             initial="teacher")
