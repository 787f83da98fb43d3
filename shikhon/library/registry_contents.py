"""The contents part's vocabulary in the registries lower apps keep (notification kinds, audit actions, periodic jobs,
offline sync kinds, upload uses): called from LibraryConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

# A teacher sent a content for review: its area's mentors are told (services.contents.content_submit).
CONTENT_SUBMITTED = "library_content_submitted"


def register() -> None:
    notification_kinds.add(NotificationKind(
        CONTENT_SUBMITTED, _("A teacher of my area sends a content for review"),
        _("%(name)s sent “%(title)s” to the library for review. Review it on Shikhon.")))
