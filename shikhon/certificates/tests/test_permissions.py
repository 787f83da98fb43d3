from __future__ import annotations

import pytest

from shikhon.certificates.models import Certificate
from shikhon.certificates.permissions import can_revoke, certificates_visible_to, sees_others
from shikhon.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(rubi_certificate, certificate_of):
    return {
        "rubi": rubi_certificate,
        "kamrun": certificate_of("teacher_of_other_school", "school_hatia_2"),
        "laila": certificate_of("teacher_subarnachar", "school_subarnachar"),
    }


@pytest.mark.parametrize("who, sees", [
    ("teacher_rubi", {"rubi"}),
    ("teacher_of_other_school", {"kamrun"}),
    ("head_teacher_masuma", {"rubi"}),
    ("head_teacher_subarnachar", {"laila"}),
    ("mentor_hatia", {"rubi", "kamrun"}),
    ("officer_hatia", {"rubi", "kamrun"}),
    ("officer_other_upazila", {"laila"}),
    ("officer_noakhali", {"rubi", "kamrun", "laila"}),
    ("officer_chattagram", {"rubi", "kamrun", "laila"}),
    ("officer_sylhet_upazila", set()),
    ("national_admin_nasrin", {"rubi", "kamrun", "laila"}),
    ("researcher_tanvir", set()),
    ("course_author_shirin", set()),
    ("no_role_user", set()),
    ("teacher_pending_zahid", set()),
])
def test_visible_to(people, three, who, sees):
    visible = set(Certificate.objects.filter(certificates_visible_to(people[who])).values_list("pk", flat=True))
    assert visible == {three[name].pk for name in sees}


def test_visible_to_anonymous(three):
    from django.contrib.auth.models import AnonymousUser

    assert not Certificate.objects.filter(certificates_visible_to(AnonymousUser())).exists()  # type: ignore[arg-type]


@pytest.mark.parametrize("who, rubi, laila", [
    ("officer_hatia", True, False),
    ("officer_other_upazila", False, True),
    ("officer_noakhali", True, True),
    ("officer_chattagram", True, True),
    ("national_admin_nasrin", True, True),
    ("officer_sylhet_upazila", False, False),
    ("mentor_hatia", False, False),
    ("head_teacher_masuma", False, False),
    ("teacher_rubi", False, False),
])
def test_can_revoke(people, three, who, rubi, laila):
    user: User = people[who]
    assert (can_revoke(user, three["rubi"]), can_revoke(user, three["laila"])) == (rubi, laila)


@pytest.mark.parametrize("who, expected", [("teacher_rubi", False), ("head_teacher_masuma", True),
                                           ("mentor_hatia", True), ("officer_hatia", True),
                                           ("national_admin_nasrin", True), ("no_role_user", False)])
def test_sees_others(people, who, expected):
    assert sees_others(people[who]) is expected
