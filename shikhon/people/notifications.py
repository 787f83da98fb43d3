"""The notifications people sends, with their words; registered from PeopleConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

MEMBERSHIP_APPROVED = "membership_approved"
MEMBERSHIP_REJECTED = "membership_rejected"
ADDED_TO_SCHOOL = "added_to_school"


def register() -> None:
    for kind in (
        NotificationKind(MEMBERSHIP_APPROVED, _("My school membership is approved"), _(
            "Your membership of %(school)s was approved. You are now a member of the school on Shikhon."),
            sms_by_default=True),
        NotificationKind(MEMBERSHIP_REJECTED, _("My school membership is not approved"), _(
            "Your request to join %(school)s was not approved. If this is a mistake, speak to your head "
            "teacher or upazila education officer."), sms_by_default=True),
        NotificationKind(ADDED_TO_SCHOOL, _("I am added to a school"), _(
            "You were added to %(school)s on Shikhon. Sign in with this mobile number."), sms_by_default=True),
    ):
        notification_kinds.add(kind)
