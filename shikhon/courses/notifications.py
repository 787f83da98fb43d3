"""The notifications courses sends, with their words; registered from CoursesConfig.ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shikhon.notify.registry import NotificationKind, notification_kinds

COURSE_SUBMITTED = "course_submitted"
COURSE_PUBLISHED = "course_published"
COURSE_RETURNED = "course_returned"


def register() -> None:
    for kind in (
        NotificationKind(COURSE_SUBMITTED, _("A course waits for my review"),
                         _("The course %(course)s is waiting for your review.")),
        NotificationKind(COURSE_PUBLISHED, _("My course is published"),
                         _("Your course %(course)s is published. Teachers can enrol now.")),
        NotificationKind(COURSE_RETURNED, _("My course is returned with comments"),
                         _("Your course %(course)s was returned for changes: %(note)s")),
    ):
        notification_kinds.add(kind)
