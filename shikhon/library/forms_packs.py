"""The form an officer fills to ask for an offline pack."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number
from shikhon.core.forms import choose_label
from shikhon.core.text import clean_user_text
from shikhon.library.models import Subject

GRADES = range(1, 11)


class SubjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PackForm(forms.Form):
    title = forms.CharField(label=_("Name of the pack"), max_length=120,
                            help_text=_("For example: Class 3 mathematics, Hatia"))
    grade = forms.TypedChoiceField(label=_("Class"), required=False, coerce=int, empty_value=None)
    subject = SubjectChoice(label=_("Subject"), required=False, queryset=Subject.objects.order_by("position", "code"))
    model_only = forms.BooleanField(label=_("Model contents only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grade = self.fields["grade"]
        subject = self.fields["subject"]
        assert isinstance(grade, forms.TypedChoiceField) and isinstance(subject, SubjectChoice)  # noqa: S101
        grade.choices = [("", choose_label()), *((g, format_number(g)) for g in GRADES)]
        subject.empty_label = choose_label()

    def clean_title(self) -> str:
        title = clean_user_text(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError(_("Give the pack a name."))
        return title
