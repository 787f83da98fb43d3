"""access_batch / access_invitation / access_programme: the one way training pages load a row for a
person. Missing and forbidden are the same 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from shikhon.training import selectors, services

pytestmark = pytest.mark.django_db
MISSING = 987_654


@pytest.mark.parametrize("who", ["officer_hatia", "officer_noakhali", "officer_chattagram", "national_admin_nasrin"])
def test_officers_over_the_venue_and_national_admins_organise_the_batch(people, batch, who):
    assert selectors.access_batch(people[who], batch.pk, to="organise") == batch


@pytest.mark.parametrize("who", ["officer_other_upazila", "officer_sylhet_upazila", "teacher_rubi",
                                 "head_teacher_masuma", "mentor_hatia", "researcher_tanvir", "no_role_user"])
def test_others_get_404_for_the_batch(people, batch, who):
    with pytest.raises(Http404):
        selectors.access_batch(people[who], batch.pk)
    with pytest.raises(Http404):
        selectors.access_batch(people[who], batch.pk, to="organise")


@pytest.mark.parametrize("to", ["see", "organise", "attend"])
def test_a_missing_batch_is_the_same_404(people, to):
    with pytest.raises(Http404):
        selectors.access_batch(people["national_admin_nasrin"], MISSING, to=to)


def test_a_trainer_sees_and_attends_but_does_not_organise(people, batch):
    batch.trainers.add(people["mentor_hatia"])
    mentor = people["mentor_hatia"]
    assert selectors.access_batch(mentor, batch.pk) == batch
    assert selectors.access_batch(mentor, batch.pk, to="attend") == batch
    with pytest.raises(Http404):
        selectors.access_batch(mentor, batch.pk, to="organise")


def test_her_own_invitation_only(people, batch, certified):
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    assert selectors.access_invitation(people["teacher_rubi"], inv.pk) == inv
    for who in ("teacher_of_other_school", "teacher_subarnachar", "officer_hatia", "national_admin_nasrin"):
        with pytest.raises(Http404):
            selectors.access_invitation(people[who], inv.pk)
    with pytest.raises(Http404):
        selectors.access_invitation(people["teacher_rubi"], MISSING)


def test_the_invitation_is_placed_at_her_school_in_the_officers_area(people, places, batch, certified):
    """placements_of(…, in_area_of=officer): the invitation copies her school's place ids."""
    [inv] = services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    school = places["school_hatia"]
    assert (inv.school_id, inv.upazila_id, inv.district_id, inv.division_id) == (
        school.pk, school.upazila_id, school.district_id, school.division_id)


def test_programmes_are_kept_by_national_admins_only(people, programme):
    assert selectors.access_programme(people["national_admin_nasrin"], programme.pk) == programme
    for who in ("officer_hatia", "officer_chattagram", "teacher_rubi", "course_author_shirin"):
        with pytest.raises(Http404):
            selectors.access_programme(people[who], programme.pk)
    with pytest.raises(Http404):
        selectors.access_programme(people["national_admin_nasrin"], MISSING)
