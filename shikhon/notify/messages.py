"""The words of each kind of notification. Stored notifications keep only their kind and details, so
they read in whatever language the person uses when they open them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shikhon.notify.models import Kind

TEXTS = {
    Kind.MEMBERSHIP_APPROVED: _("Your membership of %(school)s was approved. You are now a member of the school "
                                "on Shikhon."),
    Kind.MEMBERSHIP_REJECTED: _("Your request to join %(school)s was not approved. If this is a mistake, speak to "
                                "your head teacher or upazila education officer."),
    Kind.ADDED_TO_SCHOOL: _("You were added to %(school)s on Shikhon. Sign in with this mobile number."),
    Kind.COURSE_SUBMITTED: _("The course %(course)s is waiting for your review."),
    Kind.COURSE_PUBLISHED: _("Your course %(course)s is published. Teachers can enrol now."),
    Kind.COURSE_RETURNED: _("Your course %(course)s was returned for changes: %(note)s"),
    Kind.VIDEO_READY: _("Your video %(name)s is ready to watch."),
    Kind.VIDEO_FAILED: _("Your video %(name)s could not be processed: %(reason)s"),
    Kind.CERTIFICATE_ISSUED: _("Congratulations! Your certificate for %(course)s is ready. Code: %(code)s"),
    Kind.CERTIFICATE_REVOKED: _("Your certificate for %(course)s was revoked. Reason: %(reason)s"),
    Kind.TRAINING_INVITED: _("You are invited to the face-to-face training %(programme)s at %(venue)s from "
                             "%(starts)s. Please accept or decline on Shikhon."),
    Kind.TRAINING_COMPLETED: _("Your face-to-face training %(programme)s is recorded as completed."),
}

# What comes by SMS when a person has not chosen: the events that change what she can do.
SMS_BY_DEFAULT = frozenset({Kind.MEMBERSHIP_APPROVED, Kind.MEMBERSHIP_REJECTED, Kind.ADDED_TO_SCHOOL,
                            Kind.CERTIFICATE_ISSUED, Kind.CERTIFICATE_REVOKED, Kind.TRAINING_INVITED})


def render(kind: str, params: dict[str, Any]) -> str:
    template = TEXTS.get(kind)  # type: ignore[call-overload]
    if template is None:
        return gettext("You have a new notification.")
    try:
        return str(template) % {key: str(value) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return gettext("You have a new notification.")
