"""Who may write, review, see and study courses; which enrolments a person may see.

Course authors (a national role) and national administrators write drafts; national administrators
review and publish. Every signed-in person may study a published course. Officers, mentors and head
teachers see the enrolments of their area or school; hidden rows answer 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shikhon.courses.models import Course, Enrolment
from shikhon.people.models import User
from shikhon.people.selectors import user_scope


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
    return Q() if can_author(user) else Q(pk__in=[])


def courses_visible_to(user: User) -> Q:
    """Courses a person may open: published ones; the version she is enrolled in (even when a newer
    one replaced it); and, for authors and reviewers, every version. The enrolment test is a subquery on
    her own enrolments, never a join: a published course has hundreds of thousands of them."""
    if can_author(user):
        return Q()
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


def enrolments_visible_to(user: User) -> Q:
    """Her own enrolments; those of the schools she heads; those in the area she oversees."""
    scope = user_scope(user)
    if scope.is_national or scope.is_researcher:
        return Q()  # (an empty Q would vanish from an OR: Q(a) | Q() is Q(a))
    return Q(user=user) | scope.headed_or_overseen_q()
