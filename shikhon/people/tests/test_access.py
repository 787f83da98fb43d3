"""access_<thing> in people.selectors: the one way a page loads a row for a person. Missing, malformed
and forbidden are the same 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shikhon.people import selectors, services
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.models import Cluster

pytestmark = pytest.mark.django_db
MISSING = 987_654


def raises_404(call, *args):
    with pytest.raises(Http404):
        call(*args)


@pytest.fixture
def hatia_cluster(people, places):
    return services.cluster_save(actor=people["officer_hatia"], upazila=places["hatia"], name_bn="হাতিয়া ক্লাস্টার",
                                 school_ids=[places["school_hatia"].pk])


@pytest.mark.parametrize("who", ["officer_hatia", "officer_noakhali", "officer_chattagram"])
def test_officers_over_the_upazila_keep_its_clusters(people, places, hatia_cluster, who):
    assert selectors.access_kept_upazila(people[who], places["hatia"].pk) == places["hatia"]
    assert selectors.access_cluster(people[who], hatia_cluster.pk) == hatia_cluster


@pytest.mark.parametrize("who", ["officer_other_upazila", "officer_sylhet_upazila", "head_teacher_masuma",
                                 "mentor_hatia", "national_admin_nasrin", "no_role_user"])
def test_others_get_404_for_the_upazila_and_its_clusters(people, places, hatia_cluster, who):
    raises_404(selectors.access_kept_upazila, people[who], places["hatia"].pk)
    raises_404(selectors.access_cluster, people[who], hatia_cluster.pk)


@pytest.mark.parametrize("raw", [MISSING, "abc", "", None, "-1"])
def test_missing_or_malformed_ids_are_404(people, raw):
    raises_404(selectors.access_kept_upazila, people["officer_hatia"], raw)
    raises_404(selectors.access_cluster, people["officer_hatia"], raw)
    raises_404(selectors.access_role_to_decide, people["national_admin_nasrin"], raw)
    raises_404(selectors.access_role_to_end, people["national_admin_nasrin"], raw)


def test_a_cluster_in_another_upazila_answers_404_on_the_wrong_address(client, people, places, hatia_cluster):
    from django.urls import reverse

    client.force_login(people["officer_noakhali"])
    wrong = reverse("people:cluster_edit", args=[places["subarnachar"].pk, hatia_cluster.pk])
    assert client.get(wrong).status_code == 404
    right = reverse("people:cluster_edit", args=[places["hatia"].pk, hatia_cluster.pk])
    assert client.get(right).status_code == 200


def test_cluster_save_checks_the_cluster_belongs_to_the_upazila(people, places, hatia_cluster):
    with pytest.raises(PermissionDenied):
        services.cluster_save(actor=people["officer_noakhali"], upazila=places["subarnachar"],
                              cluster=hatia_cluster, name_bn="অন্য", school_ids=[])
    assert Cluster.objects.get(pk=hatia_cluster.pk).name_bn == "হাতিয়া ক্লাস্টার"


def test_pending_membership_is_decided_where_it_lies(people, places):
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    for who in ("head_teacher_masuma", "officer_hatia", "officer_noakhali", "national_admin_nasrin"):
        assert selectors.access_role_to_decide(people[who], zahid_role.pk) == zahid_role
    for who in ("head_teacher_subarnachar", "officer_other_upazila", "officer_sylhet_upazila", "teacher_rubi",
                "mentor_hatia", "teacher_pending_zahid"):
        raises_404(selectors.access_role_to_decide, people[who], zahid_role.pk)


def test_roles_are_ended_by_officers_of_their_area(people):
    rubi_role = Role.objects.get(user=people["teacher_rubi"])
    for who in ("officer_hatia", "officer_chattagram", "national_admin_nasrin"):
        assert selectors.access_role_to_end(people[who], rubi_role.pk) == rubi_role
    for who in ("officer_other_upazila", "officer_sylhet_upazila", "head_teacher_masuma", "mentor_hatia"):
        raises_404(selectors.access_role_to_end, people[who], rubi_role.pk)


def test_school_staff_for_those_who_work_there_or_oversee_it(people, places):
    eiin = places["school_hatia"].eiin
    for who in ("teacher_rubi", "head_teacher_masuma", "mentor_hatia", "officer_hatia", "national_admin_nasrin"):
        assert selectors.access_school_staff(people[who], eiin) == places["school_hatia"]
    for who in ("teacher_of_other_school", "officer_other_upazila", "officer_sylhet_upazila", "no_role_user"):
        raises_404(selectors.access_school_staff, people[who], eiin)
    raises_404(selectors.access_school_staff, people["national_admin_nasrin"], "999999")


# ---------------------------------------------------------------- placement_of


def test_placement_is_her_most_recent_current_school_role(people, places):
    rubi = people["teacher_rubi"]
    school = places["school_hatia"]
    assert selectors.placement_of(rubi) == selectors.Placement(school.pk, school.upazila_id, school.district_id,
                                                               school.division_id)
    other = places["school_subarnachar"]
    grant(rubi, Role.Kind.TEACHER, school=other)  # granted later, the same start day: the later grant wins
    assert selectors.placement_of(rubi).school_id == other.pk
    # An officer's invitation places her inside his own area.
    assert selectors.placement_of(rubi, in_area_of=people["officer_hatia"]).school_id == school.pk


def test_placement_is_nowhere_without_a_current_school_role(people):
    for who in ("officer_hatia", "teacher_pending_zahid", "no_role_user"):
        assert selectors.placement_of(people[who]) == selectors.NOWHERE
    assert selectors.NOWHERE.as_fields() == {"school_id": None, "upazila_id": None, "district_id": None,
                                             "division_id": None}


def test_placements_of_many_take_one_query(people, django_assert_num_queries):
    ids = [people[k].pk for k in ("teacher_rubi", "head_teacher_masuma", "teacher_subarnachar", "officer_hatia")]
    with django_assert_num_queries(1):
        found = selectors.placements_of(ids)
    assert set(found) == set(ids) - {people["officer_hatia"].pk}


# ---------------------------------------------------------------- the school import checks who imports


def test_schools_import_refuses_anyone_but_a_national_admin(people):
    for who in ("officer_chattagram", "course_author_shirin", "teacher_rubi"):
        with pytest.raises(PermissionDenied):
            services.schools_import(actor=people[who], rows_source=b"eiin\n", file_name="a.csv", dry_run=True)
    report = services.schools_import(actor=people["national_admin_nasrin"], rows_source=b"eiin\n",
                                     file_name="a.csv", dry_run=True)
    assert not report.stored


def test_national_admins_and_school_role_counts(people, places):
    assert set(selectors.national_admins()) == {people["national_admin_nasrin"]}
    hatia = selectors.school_role_counts(upazila_id=places["hatia"].pk)
    assert hatia == {"teachers": 3, "head_teachers": 1}  # Rubi, Masuma, Kamrun (Zahid is pending)
    UserFactory()  # nobody new counts without a role
    assert selectors.school_role_counts()["teachers"] == 5
