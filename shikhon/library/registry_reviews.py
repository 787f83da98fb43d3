"""The reviews part's vocabulary in the registries lower apps keep (notification kinds, audit actions): called from
LibraryConfig.ready."""

from __future__ import annotations


def register() -> None:
    from shikhon.library import audit_actions, notifications_reviews

    audit_actions.register()
    notifications_reviews.register()
