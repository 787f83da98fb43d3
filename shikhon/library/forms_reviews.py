"""Forms of the reviews part. The review form is built from the rubric in force: one group of four radio buttons per
criterion (each level with its descriptor), the decision and the feedback. It posts without JavaScript; the service
checks everything again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number
from shikhon.library.models import Review
from shikhon.library.services.models import REASON_MAX
from shikhon.library.services.reviews import FEEDBACK_MAX

if TYPE_CHECKING:
    from django.forms import BoundField

    from shikhon.library.rubric import Criterion, Definition, Level


@dataclass(frozen=True)
class ScoredCriterion:
    criterion: Criterion
    field: BoundField

    @property
    def options(self) -> list[tuple[Any, Level]]:
        """Each radio button with its level's descriptor, 1 first."""
        return list(zip(self.field, self.criterion.levels, strict=False))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect, choices=Review.Decision.choices,
                                 error_messages={"required": _("Choose: publish, or ask for changes."),
                                                 "invalid_choice": _("Choose: publish, or ask for changes.")})
    feedback = forms.CharField(
        label=_("Feedback for the author"), required=False, max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Start with what is good, then what to change. Needed when you ask for changes."))

    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for criterion in definition.criteria:
            self.fields[f"score_{criterion.key}"] = forms.TypedChoiceField(
                label=criterion.name, widget=forms.RadioSelect, coerce=int,
                choices=[(score, format_number(score)) for score in range(1, len(criterion.levels) + 1)],
                error_messages={"required": _("Give a score from 1 to 4."),
                                "invalid_choice": _("Each score is from 1 to 4.")})

    @property
    def criteria(self) -> list[ScoredCriterion]:
        return [ScoredCriterion(criterion, self[f"score_{criterion.key}"]) for criterion in self.definition.criteria]

    def scores(self) -> dict[str, int]:
        return {criterion.key: self.cleaned_data[f"score_{criterion.key}"] for criterion in self.definition.criteria}


class ReasonForm(forms.Form):
    """Why: demoting a model content, hiding or showing a content again, upholding a report."""

    reason = forms.CharField(label=_("Reason (the author reads it)"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Write the reason: the author reads it.")})
