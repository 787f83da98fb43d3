"""The files part's form: one file at a time, a plain multipart form that works without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = (".pdf,.pptx,.docx,image/jpeg,image/png,image/webp,.mp3,.m4a,.ogg,.wav,video/*,"
          "application/pdf,audio/*")


class FileAddForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, PowerPoint (.pptx) or Word (.docx) file up to 20 MB; a picture up to 5 MB; a sound up "
                    "to 30 MB; a video up to 200 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose a file first."),
                        "empty": _("The file is empty. Choose the file again and upload it.")})
