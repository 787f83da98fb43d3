"""Why processing a video failed, by code (Video.failure_code): sentences the author reads in her language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FAILURES: dict[str, Promise] = {
    "original_missing": _("The uploaded file could not be found. Please upload the video again."),
    "not_video": _("This file is not a video we can play. Please upload an MP4, WebM, 3GP or MOV video."),
    "encode_failed": _("The video could not be converted; the file may be damaged. Please upload it again "
                       "or try another file."),
    "too_slow": _("Converting the video took too long. Please upload a shorter video."),
    "storage": _("The converted video could not be saved. Please try again later."),
    "unknown": _("Something went wrong while converting the video. Please upload it again."),
    "worker_lost": _("The server stopped several times while converting this video, so we gave up. Please "
                     "upload it again; a shorter video is converted more easily."),
}
