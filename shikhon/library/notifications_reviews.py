"""The notifications the reviews part sends (review decided, model content, moderation), with their words;
registered from registry_reviews.register (LibraryConfig.ready). A stored notification keeps the content's title
and the person's name as details, so it reads in the language she uses when she opens it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

PUBLISHED = "library_published"
CHANGES_REQUESTED = "library_changes_requested"
PROMOTED = "library_promoted"
DEMOTED = "library_demoted"
HIDDEN = "library_hidden"
RESTORED = "library_restored"


def register() -> None:
    for kind in (
        NotificationKind(PUBLISHED, _("A mentor publishes my library content"),
                         _("%(name)s reviewed “%(title)s” and published it. Read the feedback beside your content.")),
        NotificationKind(CHANGES_REQUESTED, _("A mentor asks for changes to my library content"), _(
            "%(name)s reviewed “%(title)s” and asks for changes. Read the feedback, revise it and send it again."),
            sms_by_default=True),
        NotificationKind(PROMOTED, _("My library content becomes a model content"),
                         _("“%(title)s” is now a model content: other teachers can adapt it.")),
        NotificationKind(DEMOTED, _("My library content is no longer a model content"),
                         _("“%(title)s” is no longer a model content. Reason: %(reason)s")),
        NotificationKind(HIDDEN, _("A moderator hides my library content"),
                         _("“%(title)s” was hidden by a moderator. Reason: %(reason)s"), sms_by_default=True),
        NotificationKind(RESTORED, _("A moderator shows my library content again"),
                         _("“%(title)s” can be seen again.")),
    ):
        notification_kinds.add(kind)
