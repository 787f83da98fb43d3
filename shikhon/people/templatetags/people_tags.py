"""Template questions about people, for pages of lower apps (places) that must not import people."""

from __future__ import annotations

from typing import Any

from django import template

from shikhon.people.scope import user_scope

register = template.Library()


@register.simple_tag
def may_see_teachers(user: Any, school: Any) -> bool:
    """Whether `user` may open the teachers page of `school` (works there, or oversees its area)."""
    return user_scope(user).covers(school_id=school.pk, upazila_id=school.upazila_id,
                                   district_id=school.district_id, division_id=school.division_id)


@register.simple_tag
def may_see_progress(user: Any, school: Any) -> bool:
    """Whether `user` may open the progress page of `school`'s teachers (`insights.progress`): she heads it, or
    oversees its area (a teacher of the school sees their names and numbers, not their progress)."""
    scope = user_scope(user)
    return scope.is_head_teacher_of(school.pk) or scope.oversees(
        upazila_id=school.upazila_id, district_id=school.district_id, division_id=school.division_id)
