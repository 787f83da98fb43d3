"""The learner-check entry form: the class and date, then one fieldset per learner (her code, editable, and one
checkbox per item: ticked is right). Works without JavaScript; offline through the outbox (the same fields)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shikhon.core.bangla import localize_digits, to_western_digits
from shikhon.core.clock import dhaka_today
from shikhon.core.forms import DateField, IntegerField
from shikhon.practice.checks import MAX_LEARNERS, CheckDefinition
from shikhon.practice.models import CheckRound, LearnerCheck
from shikhon.practice.services.checks import code_sentence, learner_code

DEFAULT_LEARNERS = 30


def learner_count(raw: object, default: int = DEFAULT_LEARNERS) -> int:
    """How many rows to show: a whole number 1–80 (Bangla digits too), else the default."""
    text = to_western_digits(str(raw or "")).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        return default
    return min(max(int(text), 1), MAX_LEARNERS)


def default_code(row: int) -> str:
    return f"L{row:02d}"


class CheckRoundForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    count = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_LEARNERS)
    kind = forms.ChoiceField(label=gettext_lazy("Round"), choices=CheckRound.Kind.choices,
                             widget=forms.RadioSelect)
    grade = IntegerField(label=gettext_lazy("Class"))
    section = forms.CharField(label=gettext_lazy("Section"), max_length=20, required=False,
                              help_text=gettext_lazy("For example ক or A. Leave empty if the class has one section."))
    held_on = DateField(label=gettext_lazy("Date of the check"))

    def __init__(self, *args: Any, learner_check: LearnerCheck, definition: CheckDefinition, count: int,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learner_check = learner_check
        self.definition = definition
        self.rows_count = count
        codes = definition.codes
        for row in range(1, count + 1):
            self.fields[f"code_{row}"] = forms.CharField(max_length=40, required=False,
                                                         initial=default_code(row))
            self.fields[f"r_{row}"] = forms.MultipleChoiceField(choices=[(c, c) for c in codes], required=False)

    def rows(self) -> list[dict[str, Any]]:
        """For the template: each row's number, code box and ticked items."""
        out = []
        for row in range(1, self.rows_count + 1):
            code = self[f"code_{row}"]
            ticked = self.data.getlist(f"r_{row}") if isinstance(self.data, QueryDict) else []
            out.append({"n": row, "code": code, "value": code.value() or "", "name": f"r_{row}",
                        "ticked": set(ticked), "errors": [*code.errors, *self[f"r_{row}"].errors]})
        return out

    def clean_grade(self) -> int:
        grade = self.cleaned_data["grade"]
        if not (self.learner_check.grade_from <= grade <= self.learner_check.grade_to):
            raise forms.ValidationError(_("This check is for classes %(first)s to %(last)s.") % {
                "first": localize_digits(self.learner_check.grade_from),
                "last": localize_digits(self.learner_check.grade_to)})
        return grade

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        results: dict[str, dict[str, bool]] = {}
        for row in range(1, self.rows_count + 1):
            raw = (data.get(f"code_{row}") or "").strip()
            ticked = data.get(f"r_{row}") or []
            if not raw:
                if ticked:
                    self.add_error(f"code_{row}", _("Row %(row)s has answers marked but no learner code.") % {
                        "row": localize_digits(row)})
                continue
            code = learner_code(raw)
            if code is None:
                self.add_error(f"code_{row}", code_sentence())
                continue
            if code in results:
                self.add_error(f"code_{row}", _("The code %(code)s is used for two learners. Give each learner "
                                                "their own code.") % {"code": code})
                continue
            results[code] = {item: item in ticked for item in self.definition.codes}
        if not results and not self.errors:
            raise forms.ValidationError(_("Mark the answers of at least one learner."))
        data["results"] = results
        return data


def initial_for(*, kind: str, grade: int | None, section: str, count: int) -> dict[str, Any]:
    return {"client_id": uuid.uuid4(), "count": count,
            "kind": kind if kind in CheckRound.Kind.values else CheckRound.Kind.BASELINE,
            "grade": grade, "section": section, "held_on": dhaka_today()}
