"""Forms of the learning pages: the catalogue filter, the short-code box and activity progress."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import to_western_digits
from shikhon.courses.grades import grades_label
from shikhon.courses.models import Subject

_grade_label = lazy(lambda grade: grades_label(grade, grade), str)


class CatalogueForm(forms.Form):
    q = forms.CharField(label=_("Search by title"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    subject = forms.ChoiceField(label=_("Subject"), required=False,
                                choices=[("", _("All subjects")), *Subject.choices])
    # Choices read "৩য় শ্রেণি" / "Grade 3".
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("All grades")), *[(str(g), _grade_label(g)) for g in range(1, 13)]])


class ShortCodeForm(forms.Form):
    code = forms.CharField(label=_("Open an activity by its code"), max_length=20,
                           help_text=_("The six letters and digits printed on an activity sheet."),
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                                         "spellcheck": "false"}))


class ProgressForm(forms.Form):
    """`done` (the button) and/or `watched_percent` 0..100 (sent by the video player script)."""

    done = forms.BooleanField(required=False)
    watched_percent = forms.CharField(required=False, max_length=10)

    def clean_watched_percent(self) -> int | None:
        raw = to_western_digits(self.cleaned_data.get("watched_percent") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or int(raw) > 100:  # "²".isdigit() is true, int("²") fails
            raise forms.ValidationError(_("The share watched must be a number from 0 to 100."))
        return int(raw)
