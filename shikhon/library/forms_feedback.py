"""Forms of the feedback part: a rating (five labelled radio buttons), a comment and a report. The services check
everything again and answer refusals as sentences; these forms only read what was posted."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number
from shikhon.core.fields import UserMultilineTextFormField
from shikhon.library.models import Report
from shikhon.library.services.feedback import COMMENT_MAX, NOTE_MAX

# What each number of stars means, shown beside its radio button (screen readers read the label, not "★").
STAR_WORDS = {
    1: _("Not useful"),
    2: _("A little useful"),
    3: _("Useful"),
    4: _("Very useful"),
    5: _("Excellent"),
}


def star_choices() -> list[tuple[str, str]]:
    return [(str(n), _("%(n)s — %(words)s") % {"n": format_number(n), "words": STAR_WORDS[n]})
            for n in STAR_WORDS]


class RatingForm(forms.Form):
    # Any value reaches the service, which answers "Choose from 1 to 5 stars." for anything else.
    stars = forms.CharField(label=_("Your rating"), required=False, max_length=10)


class CommentForm(forms.Form):
    body = UserMultilineTextFormField(
        label=_("Your comment"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        help_text=_("At most 1000 characters. Be kind: the author is a teacher like you."))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=Report.Reason.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose what is wrong with this content."),
                                               "invalid_choice": _("Choose what is wrong with this content.")})
    note = UserMultilineTextFormField(
        label=_("Tell the moderator more (needed for “Something else”)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}))
