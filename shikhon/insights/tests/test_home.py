import pytest
from django.urls import reverse

from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.tests.factories import SchoolFactory

HOME = "/"


def test_anonymous_visitor_gets_the_bangla_welcome(client, places):
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="bn">' in html
    assert reverse("people:sign_in") in html
    # 494 upazilas, in Bangla digits
    assert "৪৯৪" in html


def test_welcome_in_english_when_chosen(client, places):
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    html = client.get(HOME).content.decode()
    assert '<html lang="en">' in html
    assert "494" in html


def test_teacher_sees_her_school_and_next_steps(client, people, places):
    client.force_login(people["teacher_rubi"])
    html = client.get(HOME).content.decode()
    assert places["school_hatia"].name_bn in html
    assert "১০০০০১" in html  # EIIN in Bangla digits
    assert reverse("people:invite") not in html  # not a head teacher


def test_head_teacher_sees_waiting_approvals_and_invite(client, people):
    client.force_login(people["head_teacher_masuma"])
    html = client.get(HOME).content.decode()
    assert reverse("people:approvals") in html
    assert reverse("people:invite") in html


def test_pending_teacher_is_told_she_is_waiting(client, people, places):
    client.force_login(people["teacher_pending_zahid"])
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.context["pending_schools"] == [places["school_hatia"]]
    assert response.context["schools"] == []


@pytest.mark.parametrize("who, level", [
    ("officer_hatia", "upazila"), ("mentor_hatia", "upazila"), ("officer_noakhali", "district"),
    ("officer_chattagram", "division"), ("national_admin_nasrin", "national"),
])
def test_officers_see_their_area_counts(client, people, who, level):
    client.force_login(people[who])
    areas = client.get(HOME).context["areas"]
    assert [a["level"] for a in areas] == [level]
    assert areas[0]["schools"] >= 2
    assert areas[0]["teachers"] >= 2


def test_upazila_counts_are_exact_and_exclude_pending_and_ended(client, people, places):
    client.force_login(people["officer_hatia"])
    area = client.get(HOME).context["areas"][0]
    # Hatia: 2 schools; rubi, masuma, kamrun are current; zahid is pending.
    assert area == {**area, "schools": 2, "teachers": 3, "head_teachers": 1}


def test_officer_of_other_upazila_sees_only_his(client, people, places):
    client.force_login(people["officer_other_upazila"])
    areas = client.get(HOME).context["areas"]
    assert [a["name"] for a in areas] == [places["subarnachar"].name_bn]


def test_user_without_role_is_invited_to_join(client, people):
    client.force_login(people["no_role_user"])
    html = client.get(HOME).content.decode()
    assert reverse("people:join") in html


def test_home_queries_are_bounded_for_a_teacher_of_many_schools(client, people, places,
                                                               django_assert_max_num_queries):
    teacher = UserFactory()
    for _ in range(15):
        grant(teacher, Role.Kind.TEACHER, school=SchoolFactory(upazila=places["hatia"]))
    client.force_login(teacher)
    with django_assert_max_num_queries(12):
        assert client.get(HOME).status_code == 200


def test_officer_home_queries_are_bounded(client, people, django_assert_max_num_queries):
    client.force_login(people["officer_chattagram"])
    with django_assert_max_num_queries(14):
        assert client.get(HOME).status_code == 200


def test_bangla_first_even_when_the_phone_asks_for_english(client, places):
    html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="bn">' in html


def test_the_chosen_language_is_remembered(client, places):
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="bn")
    assert '<html lang="en">' in client.get(reverse("people:sign_in")).content.decode()


def test_national_admin_home_links_to_audit_log_and_import(client, people):
    client.force_login(people["national_admin_nasrin"])
    html = client.get(HOME).content.decode()
    assert reverse("insights:audit") in html
    assert reverse("people:import_schools") in html
    client.force_login(people["officer_hatia"])
    html = client.get(HOME).content.decode()
    assert reverse("insights:audit") not in html


def test_area_counts_cost_the_same_for_one_area_and_five(client, people, places):
    """The home's area counts (open schools, teachers, head teachers) when nothing is cached: grouped by level, not
    read place by place."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mentor = UserFactory()
    grant(mentor, Role.Kind.MENTOR, upazila=places["hatia"])

    def queries() -> int:
        client.force_login(mentor)
        client.get(HOME)
        cache.clear()
        client.force_login(mentor)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    more = list(places["noakhali"].upazilas.exclude(pk=places["hatia"].pk)[:4])
    assert len(more) == 4
    for upazila in more:
        grant(mentor, Role.Kind.MENTOR, upazila=upazila)
    assert queries() == one
    client.force_login(mentor)
    areas = client.get(HOME).context["areas"]
    assert len(areas) == 5
    hatia = next(a for a in areas if a["name"] == places["hatia"].name_bn)
    assert (hatia["schools"], hatia["teachers"], hatia["head_teachers"]) == (2, 3, 1)


@pytest.mark.parametrize("level", ["upazila", "district", "division"])
def test_grouped_area_counts_agree_with_one_place_at_a_time(people, places, level):
    from django.core.cache import cache

    from shikhon.insights.selectors import _area_counts, _area_counts_many
    from shikhon.places.selectors import areas_by_ids

    ids = {"upazila": [places["hatia"].pk, places["subarnachar"].pk, places["sylhet_upazila"].pk],
           "district": [places["noakhali"].pk, places["sylhet_upazila"].district_id],
           "division": [places["chattagram"].pk, places["sylhet_upazila"].division_id]}[level]
    assert len(list(areas_by_ids(level, ids))) == len(ids)
    grouped = _area_counts_many(level, ids)
    cache.clear()
    assert grouped == {pk: _area_counts(level, pk) for pk in ids}
    assert any(c["teachers"] for c in grouped.values())
