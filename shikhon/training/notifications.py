"""The notifications training sends, with their words; registered from TrainingConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

TRAINING_INVITED = "training_invited"
TRAINING_COMPLETED = "training_completed"
TRAINING_CHANGED = "training_changed"
TRAINING_CANCELLED = "training_cancelled"
TRAINING_INVITATION_WITHDRAWN = "training_invitation_withdrawn"


def register() -> None:
    for kind in (
        NotificationKind(TRAINING_INVITED, _("I am invited to a face-to-face training"), _(
            "You are invited to the face-to-face training %(programme)s at %(venue)s from %(starts)s. Please "
            "accept or decline on Shikhon."), sms_by_default=True),
        NotificationKind(TRAINING_COMPLETED, _("My face-to-face training is recorded as completed"),
                         _("Your face-to-face training %(programme)s is recorded as completed.")),
        NotificationKind(TRAINING_CHANGED, _("My face-to-face training moves to another day or place"), _(
            "Your face-to-face training %(programme)s has changed: now at %(venue)s, from %(starts)s to %(ends)s."),
            sms_by_default=True),
        NotificationKind(TRAINING_CANCELLED, _("My face-to-face training is cancelled"), _(
            "Your face-to-face training %(programme)s from %(starts)s is cancelled. Reason: %(reason)s"),
            sms_by_default=True),
        NotificationKind(TRAINING_INVITATION_WITHDRAWN, _("My invitation to a face-to-face training is withdrawn"), _(
            "Your invitation to the face-to-face training %(programme)s from %(starts)s was withdrawn. "
            "Reason: %(reason)s"), sms_by_default=True),
    ):
        notification_kinds.add(kind)
