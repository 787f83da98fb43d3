from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.certificates.services import REASON_MAX


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this certificate revoked?"), max_length=REASON_MAX,
        help_text=_("The teacher reads this, and it is kept in the audit log. For example: the quiz answers were "
                    "copied."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why this certificate is revoked; the teacher will read it.")},
    )
