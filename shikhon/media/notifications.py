"""The notifications media sends, with their words; registered from MediaConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

VIDEO_READY = "video_ready"
VIDEO_FAILED = "video_failed"


def register() -> None:
    for kind in (
        NotificationKind(VIDEO_READY, _("My uploaded video is ready"), _("Your video %(name)s is ready to watch.")),
        NotificationKind(VIDEO_FAILED, _("My uploaded video could not be processed"),
                         _("Your video %(name)s could not be processed: %(reason)s")),
    ):
        notification_kinds.add(kind)
