import pytest
from django.urls import reverse

from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant


def url(eiin="100001"):
    return reverse("people:school_teachers", args=[eiin])


@pytest.mark.parametrize("who, status", [
    ("teacher_rubi", 200), ("head_teacher_masuma", 200), ("mentor_hatia", 200), ("officer_hatia", 200),
    ("officer_noakhali", 200), ("officer_chattagram", 200), ("national_admin_nasrin", 200),
    ("teacher_of_other_school", 404), ("teacher_pending_zahid", 404), ("officer_other_upazila", 404),
    ("officer_sylhet_upazila", 404), ("researcher_tanvir", 404), ("no_role_user", 404),
])
def test_who_may_see_the_teachers_of_a_school(client, people, who, status):
    client.force_login(people[who])
    assert client.get(url()).status_code == status


def test_lists_head_teacher_first_and_marks_pending(client, people):
    client.force_login(people["officer_hatia"])
    response = client.get(url())
    assert [r.user for r in response.context["heads"]] == [people["head_teacher_masuma"]]
    listed = {r.user: r.status for r in response.context["page"]}
    assert listed == {people["teacher_rubi"]: Role.Status.ACTIVE, people["teacher_pending_zahid"]: Role.Status.PENDING}
    html = response.content.decode()
    assert "মাসুমা বেগম" in html and "রুবি আক্তার" in html


def test_ended_roles_are_not_listed(client, people, places):
    from datetime import timedelta

    from shikhon.core.clock import dhaka_today

    role = Role.objects.get(user=people["teacher_rubi"])
    role.starts_on = dhaka_today() - timedelta(days=30)
    role.ends_on = dhaka_today() - timedelta(days=1)
    role.save()
    client.force_login(people["head_teacher_masuma"])
    listed = [r.user for r in client.get(url()).context["page"]]
    assert people["teacher_rubi"] not in listed


@pytest.mark.parametrize("eiin", ["999999", "abc", "1" * 500, "১০০০০১x"])
def test_unknown_or_malformed_eiin_is_404(client, people, eiin):
    client.force_login(people["national_admin_nasrin"])
    assert client.get(url(eiin)).status_code == 404


def test_queries_do_not_grow_with_teachers(client, people, places, django_assert_max_num_queries):
    for _ in range(30):
        grant(UserFactory(), Role.Kind.TEACHER, school=places["school_hatia"])
    client.force_login(people["head_teacher_masuma"])
    with django_assert_max_num_queries(8):
        assert client.get(url()).status_code == 200


@pytest.mark.parametrize("who, shown", [("head_teacher_masuma", True), ("officer_hatia", True),
                                         ("teacher_of_other_school", False), ("officer_other_upazila", False)])
def test_school_page_links_to_teachers_only_for_those_who_may_see_them(client, people, who, shown):
    client.force_login(people[who])
    html = client.get(reverse("places:school", args=["100001"])).content.decode()
    assert (url() in html) is shown
