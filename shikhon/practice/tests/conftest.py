"""Practice's named people beyond the shared ones: a colleague of Rubi's at her school (a peer)."""

from __future__ import annotations

import pytest

from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant


@pytest.fixture
def colleague(people, places):
    """শিরিনা, a teacher at Rubi's school (Hatia): a peer who may see what Rubi shares with the circle."""
    user = UserFactory(phone="+8801711000021", name_bn="শিরিনা খাতুন", name_en="Shirina Khatun")
    grant(user, Role.Kind.TEACHER, school=places["school_hatia"])
    return user
