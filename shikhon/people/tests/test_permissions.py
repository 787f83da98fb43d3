"""Who may open which people page, and what each role's scope covers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shikhon.people import permissions
from shikhon.people.models import Role, User
from shikhon.people.scope import user_scope
from shikhon.people.tests.factories import UserFactory, grant

K = Role.Kind
EVERYONE = [
    "teacher_rubi", "head_teacher_masuma", "teacher_pending_zahid", "teacher_of_other_school", "teacher_subarnachar",
    "head_teacher_subarnachar", "mentor_hatia", "officer_hatia", "officer_other_upazila", "officer_noakhali",
    "officer_sylhet_upazila", "officer_chattagram", "national_admin_nasrin", "researcher_tanvir", "no_role_user",
    "course_author_shirin",
]
HEADS = {"head_teacher_masuma", "head_teacher_subarnachar"}
OFFICERS = {"officer_hatia", "officer_other_upazila", "officer_noakhali", "officer_sylhet_upazila",
            "officer_chattagram", "national_admin_nasrin"}


def _expected(allowed: set[str]) -> list[tuple[str, int]]:
    return [(who, 200 if who in allowed else 404) for who in EVERYONE]


@pytest.mark.parametrize("who, status", _expected(HEADS | OFFICERS))
def test_approvals_page(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("people:approvals")).status_code == status


@pytest.mark.parametrize("who, status", _expected(HEADS | OFFICERS))
def test_invite_page(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("people:invite")).status_code == status


@pytest.mark.parametrize("who, status", _expected(OFFICERS))
def test_password_page(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("people:password_set")).status_code == status


@pytest.mark.parametrize("who, status", _expected(OFFICERS))
def test_roles_page(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("people:roles")).status_code == status


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_signed_in_has_a_profile_and_join_page(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("people:profile")).status_code == 200
    assert client.get(reverse("people:join")).status_code == 200


@pytest.mark.parametrize("name", ["approvals", "invite", "password_set", "roles", "profile", "join"])
def test_signed_out_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(f"people:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:sign_in"))


@pytest.mark.parametrize("name", ["sign_in", "sign_in_password", "register"])
def test_sign_in_and_register_are_public(client, db, name):
    assert client.get(reverse(f"people:{name}")).status_code == 200


# ---------------------------------------------------------------- scope of each role


def test_scope_of_each_named_person(people, places):
    s = {who: user_scope(people[who]) for who in EVERYONE}
    hatia, hatia_2 = places["school_hatia"].pk, places["school_hatia_2"].pk
    assert s["teacher_rubi"].school_ids == {hatia} and not s["teacher_rubi"].head_school_ids
    assert not s["teacher_rubi"].oversees_area and not s["teacher_rubi"].is_officer
    assert s["head_teacher_masuma"].head_school_ids == {hatia} == s["head_teacher_masuma"].school_ids
    assert s["teacher_of_other_school"].school_ids == {hatia_2}
    assert not s["teacher_pending_zahid"].school_ids and s["teacher_pending_zahid"].pending_school_ids == {hatia}
    assert s["mentor_hatia"].upazila_ids == {places["hatia"].pk}
    assert s["mentor_hatia"].is_mentor and not s["mentor_hatia"].is_officer
    assert not s["mentor_hatia"].officer_upazila_ids
    assert s["officer_hatia"].officer_upazila_ids == {places["hatia"].pk} == s["officer_hatia"].upazila_ids
    assert s["officer_noakhali"].officer_district_ids == {places["noakhali"].pk}
    assert s["officer_chattagram"].officer_division_ids == {places["chattagram"].pk}
    assert s["national_admin_nasrin"].is_national and s["national_admin_nasrin"].is_national_admin
    assert s["researcher_tanvir"].is_researcher and not s["researcher_tanvir"].is_national
    assert not s["researcher_tanvir"].oversees_area and not s["researcher_tanvir"].is_officer
    empty = s["no_role_user"]
    assert not (empty.kinds or empty.school_ids or empty.upazila_ids or empty.is_national)


def test_scope_covers_places_by_level(people, places):
    hatia_school = places["school_hatia"]
    sylhet_school = places["school_sylhet"]

    def covers(who, school):
        return user_scope(people[who]).covers(school_id=school.pk, upazila_id=school.upazila_id,
                                              district_id=school.district_id, division_id=school.division_id)

    for who in ["teacher_rubi", "mentor_hatia", "officer_hatia", "officer_noakhali", "officer_chattagram",
                "national_admin_nasrin"]:
        assert covers(who, hatia_school), who
    for who in ["teacher_rubi", "mentor_hatia", "officer_hatia", "officer_noakhali", "officer_chattagram",
                "teacher_of_other_school", "officer_other_upazila", "researcher_tanvir", "no_role_user"]:
        assert not covers(who, sylhet_school), who
    assert covers("officer_sylhet_upazila", sylhet_school)
    assert not covers("officer_other_upazila", hatia_school)


def test_one_person_may_hold_several_roles(places):
    person = UserFactory()
    grant(person, K.TEACHER, school=places["school_hatia"])
    grant(person, K.HEAD_TEACHER, school=places["school_subarnachar"])
    grant(person, K.MENTOR, district=places["noakhali"])
    scope = user_scope(person)
    assert scope.school_ids == {places["school_hatia"].pk, places["school_subarnachar"].pk}
    assert scope.head_school_ids == {places["school_subarnachar"].pk}
    assert scope.district_ids == {places["noakhali"].pk}
    assert scope.kinds == {K.TEACHER, K.HEAD_TEACHER, K.MENTOR}


@pytest.mark.parametrize("kind, where", [
    (K.TEACHER, "school_hatia"), (K.HEAD_TEACHER, "school_hatia"), (K.MENTOR, "hatia"),
    (K.UPAZILA_OFFICER, "hatia"), (K.DISTRICT_OFFICER, "noakhali"), (K.DIVISION_OFFICER, "chattagram"),
    (K.NATIONAL_ADMIN, None), (K.RESEARCHER, None),
])
def test_a_role_that_ended_yesterday_gives_no_scope(places, kind, where):
    today = timezone.localdate()
    place = places[where] if where else None
    kwargs = {} if place is None else {type(place).__name__.lower(): place}
    current, ended, future = UserFactory(), UserFactory(), UserFactory()
    grant(current, kind, **kwargs)
    grant(ended, kind, **kwargs)
    grant(future, kind, **kwargs)
    Role.objects.filter(user=ended).update(starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    Role.objects.filter(user=future).update(starts_on=today + timedelta(days=1))
    assert user_scope(current).kinds == {kind}
    for person in (ended, future):
        scope = user_scope(person)
        assert not scope.kinds and not scope.school_ids and not scope.upazila_ids
        assert not scope.district_ids and not scope.division_ids and not scope.is_national
        assert not scope.is_researcher


def test_a_role_ending_today_still_counts_today(places):
    person = UserFactory()
    grant(person, K.UPAZILA_OFFICER, upazila=places["hatia"])
    Role.objects.filter(user=person).update(ends_on=timezone.localdate())
    assert user_scope(person).officer_upazila_ids == {places["hatia"].pk}


def test_pending_and_rejected_roles_give_no_scope(places):
    person = UserFactory()
    grant(person, K.HEAD_TEACHER, school=places["school_hatia"], status=Role.Status.PENDING)
    grant(person, K.UPAZILA_OFFICER, upazila=places["hatia"], status=Role.Status.REJECTED)
    scope = user_scope(person)
    assert scope.pending_school_ids == {places["school_hatia"].pk}
    assert not scope.kinds and not scope.head_school_ids and not scope.officer_upazila_ids
    assert not permissions.can_approve(person) and not permissions.can_invite(person)


def test_mentor_placed_at_a_division_is_not_national(places):
    person = UserFactory()
    grant(person, K.MENTOR, division=places["chattagram"])
    scope = user_scope(person)
    assert scope.division_ids == {places["chattagram"].pk} and not scope.is_national


def test_national_mentor_sees_the_country(places):
    person = UserFactory()
    grant(person, K.MENTOR)
    assert user_scope(person).is_national
    assert not permissions.can_approve(person) and not permissions.can_manage_roles(person)


def test_anonymous_scope_is_empty(db):
    from django.contrib.auth.models import AnonymousUser

    scope = user_scope(AnonymousUser())
    assert scope.user_id is None and not scope.kinds


# ---------------------------------------------------------------- which rows


def test_pending_roles_decidable_by_each_person(people):
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    for who in EVERYONE:
        visible = set(Role.objects.filter(permissions.pending_roles_decidable_by(people[who]))
                      .values_list("pk", flat=True))
        expected = {zahid_role.pk} if who in {"head_teacher_masuma", "officer_hatia", "officer_noakhali",
                                              "officer_chattagram", "national_admin_nasrin"} else set()
        assert visible == expected, who


def test_users_visible_to_each_person(people):
    def visible(who):
        return set(User.objects.filter(permissions.users_visible_to(people[who])).values_list("pk", flat=True))

    p = {k: v.pk for k, v in people.items()}
    rubi_sees = visible("teacher_rubi")
    assert {p["teacher_rubi"], p["head_teacher_masuma"], p["teacher_pending_zahid"]} <= rubi_sees
    assert p["teacher_of_other_school"] not in rubi_sees and p["officer_hatia"] not in rubi_sees
    officer_sees = visible("officer_hatia")
    assert {p["teacher_rubi"], p["teacher_of_other_school"], p["mentor_hatia"]} <= officer_sees
    assert p["teacher_subarnachar"] not in officer_sees and p["officer_sylhet_upazila"] not in officer_sees
    assert visible("no_role_user") == {p["no_role_user"]}
    assert visible("researcher_tanvir") == {p["researcher_tanvir"]}
    assert len(visible("national_admin_nasrin")) == len(EVERYONE)


def test_someone_who_left_the_school_is_no_longer_visible_to_colleagues(people):
    Role.objects.filter(user=people["teacher_of_other_school"]).update(
        starts_on=timezone.localdate() - timedelta(days=10), ends_on=timezone.localdate() - timedelta(days=1))
    assert not User.objects.filter(permissions.users_visible_to(people["officer_hatia"]),
                                   pk=people["teacher_of_other_school"].pk).exists()


def test_roles_manageable_by_officers_only_in_their_area(people, places):
    def listed(who):
        return set(Role.objects.filter(permissions.roles_manageable_by(people[who])).values_list("user_id", flat=True))

    p = {k: v.pk for k, v in people.items()}
    hatia = listed("officer_hatia")
    assert {p["teacher_rubi"], p["mentor_hatia"], p["officer_hatia"]} <= hatia
    assert p["teacher_subarnachar"] not in hatia and p["officer_noakhali"] not in hatia
    assert {p["teacher_subarnachar"], p["officer_noakhali"]} <= listed("officer_noakhali")
    assert listed("teacher_rubi") == set() and listed("head_teacher_masuma") == set()
    assert p["officer_sylhet_upazila"] in listed("national_admin_nasrin")


def test_can_end_follows_can_grant(people):
    role_of = {who: Role.objects.get(user=people[who]) for who in ["mentor_hatia", "officer_hatia", "teacher_rubi"]}
    assert permissions.can_end(people["officer_hatia"], role_of["mentor_hatia"])
    assert permissions.can_end(people["officer_hatia"], role_of["teacher_rubi"])
    assert not permissions.can_end(people["officer_hatia"], role_of["officer_hatia"])
    assert permissions.can_end(people["officer_noakhali"], role_of["officer_hatia"])
    assert permissions.can_end(people["head_teacher_masuma"], role_of["teacher_rubi"])
    assert not permissions.can_end(people["officer_other_upazila"], role_of["teacher_rubi"])


def test_grantable_kinds(people):
    assert permissions.grantable_kinds(people["head_teacher_masuma"]) == {K.TEACHER}
    assert permissions.grantable_kinds(people["officer_hatia"]) == {K.TEACHER, K.HEAD_TEACHER, K.MENTOR}
    assert K.DISTRICT_OFFICER in permissions.grantable_kinds(people["officer_chattagram"])
    assert permissions.grantable_kinds(people["national_admin_nasrin"]) == set(K.values)
    assert permissions.grantable_kinds(people["mentor_hatia"]) == set()
    assert permissions.grantable_kinds(people["researcher_tanvir"]) == set()


def test_permission_answers_cost_one_query(people, django_assert_num_queries):
    officer = User.objects.get(pk=people["officer_noakhali"].pk)
    roles = list(Role.objects.all())
    with django_assert_num_queries(1):
        for role in roles:
            permissions.can_end(officer, role)
        permissions.can_approve(officer)
        permissions.can_invite(officer)
        permissions.grantable_kinds(officer)
