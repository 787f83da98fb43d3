"""The feedback part's vocabulary in the registries lower apps keep (notification kinds, audit actions, periodic jobs,
offline sync kinds, upload uses): called from LibraryConfig.ready."""

from __future__ import annotations


def register() -> None:
    from shikhon.library import notifications_feedback

    notifications_feedback.register()
