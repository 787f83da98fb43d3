"""Forms for the authoring pages (the courses app shows them): upload a video, attach captions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VideoUploadForm(forms.Form):
    title = forms.CharField(label=_("Title of the video"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Video file"),
        help_text=_("MP4, WebM, 3GP or MOV. We make a small version for slow connections."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
    )


class CaptionsForm(forms.Form):
    file = forms.FileField(
        label=_("Captions file (WebVTT)"),
        help_text=_("A .vtt file saved as UTF-8, at most 200 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
