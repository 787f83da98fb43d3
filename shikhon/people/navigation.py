"""Which navigation a signed-in person gets (core.layout's audiences), from her current roles; registered with
core.layout from `PeopleConfig.ready`, since core knows no roles."""

from __future__ import annotations

from typing import Any

from shikhon.core import layout
from shikhon.people.models import Role
from shikhon.people.scope import user_scope

K = Role.Kind


def nav_audience(user: Any) -> str:
    """Her widest role decides: a national admin, an officer, a head teacher, a mentor, a course author;
    everyone else (teachers, researchers, people waiting for approval) gets a teacher's destinations."""
    scope = user_scope(user)
    if scope.is_national_admin:
        return layout.NATIONAL_ADMIN
    if scope.is_officer:
        return layout.OFFICER
    if scope.head_school_ids:
        return layout.HEAD_TEACHER
    if scope.is_mentor:
        return layout.MENTOR
    if scope.is_course_author and not scope.school_ids:
        return layout.COURSE_AUTHOR
    return layout.TEACHER


def register() -> None:
    layout.register_audience(nav_audience)
