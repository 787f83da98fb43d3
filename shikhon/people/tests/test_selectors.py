"""Reads for people: scope, approval and role lists, place choices, typed numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shikhon.people import scope as scope_mod
from shikhon.people import selectors
from shikhon.people.models import Role, User
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.models import District, Division, Upazila

K = Role.Kind
pytestmark = pytest.mark.django_db


def test_scope_is_computed_once_per_user_object(people, django_assert_num_queries):
    officer = User.objects.get(pk=people["officer_hatia"].pk)
    with django_assert_num_queries(1):
        first = scope_mod.user_scope(officer)
        second = scope_mod.user_scope(officer)
    assert first is second


def test_scope_place_q_selects_rows_in_scope(people, places):
    scope = scope_mod.user_scope(people["officer_noakhali"])
    in_scope = set(Role.objects.filter(scope.place_q()).values_list("user_id", flat=True))
    assert people["teacher_subarnachar"].pk in in_scope and people["officer_hatia"].pk in in_scope
    assert people["officer_sylhet_upazila"].pk not in in_scope
    assert Role.objects.filter(scope_mod.user_scope(people["national_admin_nasrin"]).place_q()).count() == \
        Role.objects.count()
    assert not Role.objects.filter(scope_mod.user_scope(people["no_role_user"]).place_q()).exists()


def test_officer_place_q_leaves_out_mentor_areas(places):
    person = UserFactory()
    grant(person, K.MENTOR, upazila=places["hatia"])
    scope = scope_mod.user_scope(person)
    assert scope.upazila_ids == {places["hatia"].pk}
    assert not Role.objects.filter(scope.officer_place_q()).exists()
    assert not scope.officer_over(upazila_id=places["hatia"].pk, district_id=None, division_id=None)


def test_current_roles_q_honours_dates_and_status(people):
    today = timezone.localdate()
    Role.objects.filter(user=people["mentor_hatia"]).update(starts_on=today - timedelta(days=9),
                                                            ends_on=today - timedelta(days=1))
    current = set(Role.objects.filter(scope_mod.current_roles_q()).values_list("user_id", flat=True))
    assert people["teacher_rubi"].pk in current
    assert people["mentor_hatia"].pk not in current
    assert people["teacher_pending_zahid"].pk not in current


def test_roles_of_lists_every_role_of_a_person(people, places):
    rubi = people["teacher_rubi"]
    grant(rubi, K.TEACHER, school=places["school_hatia_2"], status=Role.Status.PENDING)
    assert {r.status for r in selectors.roles_of(rubi)} == {Role.Status.ACTIVE, Role.Status.PENDING}


@pytest.mark.parametrize("typed, stored", [
    ("01711-000007", "+8801711000007"), ("০১৭১১০০০০০৭", "+8801711000007"), ("", None), (None, None),
    ("hello", None), ("\x00" * 3, None), ("1" * 5000, None),
])
def test_phone_query(typed, stored):
    assert selectors.phone_query(typed) == stored


def test_pending_approvals_oldest_first(people, places):
    newer = grant(UserFactory(), K.TEACHER, school=places["school_hatia_2"], status=Role.Status.PENDING)
    listed = list(selectors.pending_approvals(people["officer_hatia"]))
    assert [r.user_id for r in listed] == [people["teacher_pending_zahid"].pk, newer.user_id]
    # the head teacher of Hatia school sees only her own school's request
    assert [r.user_id for r in selectors.pending_approvals(people["head_teacher_masuma"])] == [
        people["teacher_pending_zahid"].pk]
    assert list(selectors.pending_approvals(people["teacher_rubi"])) == []


def test_a_pending_request_that_ended_is_not_listed(people):
    Role.objects.filter(user=people["teacher_pending_zahid"]).update(
        starts_on=timezone.localdate() - timedelta(days=9), ends_on=timezone.localdate() - timedelta(days=1))
    assert list(selectors.pending_approvals(people["officer_hatia"])) == []


def test_roles_in_area_lists_current_roles_only(people, places):
    today = timezone.localdate()
    Role.objects.filter(user=people["mentor_hatia"]).update(starts_on=today - timedelta(days=9),
                                                            ends_on=today - timedelta(days=1))
    listed = {r.user_id for r in selectors.roles_in_area(people["officer_hatia"])}
    assert people["teacher_rubi"].pk in listed and people["officer_hatia"].pk in listed
    assert people["mentor_hatia"].pk not in listed             # ended
    assert people["teacher_pending_zahid"].pk not in listed    # pending: on the approvals page
    assert people["teacher_subarnachar"].pk not in listed      # another upazila
    only_rubi = selectors.roles_in_area(people["officer_hatia"], phone=people["teacher_rubi"].phone)
    assert [r.user_id for r in only_rubi] == [people["teacher_rubi"].pk]
    assert list(selectors.roles_in_area(people["mentor_hatia"])) == []


def test_grant_places_follow_the_officer_area(people, places):
    up, dist, div = selectors.grant_places(people["officer_hatia"])
    assert list(up) == [places["hatia"]] and dist is None and div is None
    up, dist, div = selectors.grant_places(people["officer_noakhali"])
    assert set(up) == set(Upazila.objects.filter(district=places["noakhali"]))
    assert list(dist) == [places["noakhali"]] and div is None
    up, dist, div = selectors.grant_places(people["officer_chattagram"])
    assert set(dist) == set(District.objects.filter(division=places["chattagram"]))
    assert places["sylhet_upazila"] not in set(up)
    up, dist, div = selectors.grant_places(people["national_admin_nasrin"])
    assert up.count() == 494 and dist.count() == 64 and div.count() == Division.objects.count() == 8
    assert selectors.grant_places(people["head_teacher_masuma"]) == (None, None, None)


def test_headed_or_overseen_covers_headed_schools_and_areas_not_colleagues(people, places):
    from shikhon.people.models import Role
    from shikhon.people.scope import user_scope

    def schools(who):
        q = user_scope(people[who]).headed_or_overseen_q()
        return set(Role.objects.filter(q, school__isnull=False).values_list("school_id", flat=True))

    assert schools("teacher_rubi") == set()  # a teacher doesn't oversee her colleagues
    assert schools("head_teacher_masuma") == {places["school_hatia"].pk}
    assert places["school_hatia_2"].pk in schools("officer_hatia")
    assert places["school_subarnachar"].pk not in schools("officer_hatia")
    everything = user_scope(people["national_admin_nasrin"]).headed_or_overseen_q()
    assert Role.objects.filter(everything).count() == Role.objects.count()
