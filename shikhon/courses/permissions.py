"""Who may write, review, see and study courses.

Course authors (a national role) and national administrators write drafts; national administrators
review and publish. Every signed-in person may study a published course; hidden rows answer 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.courses.models import Course, Enrolment
from shikhon.people.scope import everything_q, nothing_q, user_scope

if TYPE_CHECKING:
    from shikhon.people.models import User


def can_author(user: User) -> bool:
    scope = user_scope(user)
    return scope.is_course_author or scope.is_national_admin


def can_review(user: User) -> bool:
    return user_scope(user).is_national_admin


def ensure_can_author(user: User) -> None:
    if not can_author(user):
        raise PermissionDenied


def ensure_can_edit(user: User, course: Course) -> None:
    """Only drafts are edited (a published course gets a new version first)."""
    ensure_can_author(user)
    if course.status != Course.Status.DRAFT:
        raise PermissionDenied


def ensure_can_review(user: User) -> None:
    if not can_review(user):
        raise PermissionDenied


def courses_authorable_by(user: User) -> Q:
    """Courses shown on the authoring pages: every version, for authors and national admins."""
    return everything_q() if can_author(user) else nothing_q()


def courses_visible_to(user: User) -> Q:
    """Courses a person may open: published ones; the version she is enrolled in (even when a newer
    one replaced it); and, for authors and reviewers, every version. The enrolment test is a subquery on
    her own enrolments, never a join: a published course has hundreds of thousands of them."""
    if can_author(user):
        return everything_q()
    q = Q(status=Course.Status.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        q |= Q(pk__in=Enrolment.objects.filter(user=user).values("course_id"))
    return q


def course_open_to(user: User, course: Course, *, enrolment: Enrolment | None) -> bool:
    """`courses_visible_to` for one course already loaded, given her enrolment in it (or None): the
    same answer, without a query for a published course or an enrolled learner."""
    if course.status == Course.Status.PUBLISHED:
        return True
    if enrolment is not None and enrolment.course_id == course.pk and enrolment.user_id == user.pk:
        return True
    return can_author(user)
