"""access_certificate: the one way a page loads a certificate for a person. Missing and hidden are one 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from shikhon.certificates.selectors import access_certificate

pytestmark = pytest.mark.django_db
MISSING = 987_654


def test_access_certificate(people, rubi_certificate):
    for who in ("teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia", "national_admin_nasrin"):
        assert access_certificate(people[who], rubi_certificate.pk) == rubi_certificate
    for who in ("teacher_of_other_school", "head_teacher_subarnachar", "officer_other_upazila",
                "officer_sylhet_upazila", "no_role_user"):
        with pytest.raises(Http404):
            access_certificate(people[who], rubi_certificate.pk)
    for pk in (MISSING, 0, -1, 2**64):
        with pytest.raises(Http404):
            access_certificate(people["national_admin_nasrin"], pk)
