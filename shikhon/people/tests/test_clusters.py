import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shikhon.people import services
from shikhon.places.models import Cluster
from shikhon.places.tests.factories import SchoolFactory


def new_url(upazila):
    return reverse("people:cluster_new", args=[upazila.pk])


@pytest.mark.parametrize("who, status", [
    ("officer_hatia", 200), ("officer_noakhali", 200), ("officer_chattagram", 200),
    ("officer_other_upazila", 404), ("officer_sylhet_upazila", 404), ("teacher_rubi", 404),
    ("head_teacher_masuma", 404), ("mentor_hatia", 404), ("researcher_tanvir", 404), ("no_role_user", 404),
    ("national_admin_nasrin", 404),
])
def test_who_may_keep_hatia_clusters(client, people, places, who, status):
    client.force_login(people[who])
    assert client.get(new_url(places["hatia"])).status_code == status


def test_officer_makes_a_cluster_of_his_schools(client, people, places):
    client.force_login(people["officer_hatia"])
    response = client.post(new_url(places["hatia"]), {
        "name_bn": "হাতিয়া দক্ষিণ ক্লাস্টার", "name_en": "Hatia South",
        "schools": [places["school_hatia"].pk, places["school_hatia_2"].pk]})
    assert response.status_code == 302
    cluster = Cluster.objects.get(name_bn="হাতিয়া দক্ষিণ ক্লাস্টার")
    assert set(cluster.schools.all()) == {places["school_hatia"], places["school_hatia_2"]}
    listing = client.get(reverse("people:clusters")).content.decode()
    assert "হাতিয়া দক্ষিণ ক্লাস্টার" in listing

    edit = reverse("people:cluster_edit", args=[places["hatia"].pk, cluster.pk])
    client.post(edit, {"name_bn": "হাতিয়া দক্ষিণ ক্লাস্টার", "schools": [places["school_hatia"].pk]})
    assert list(cluster.schools.all()) == [places["school_hatia"]]


def test_a_school_of_another_upazila_is_refused_and_nothing_stored(client, people, places):
    client.force_login(people["officer_hatia"])
    response = client.post(new_url(places["hatia"]), {
        "name_bn": "ভুল ক্লাস্টার", "schools": [places["school_subarnachar"].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Cluster.objects.filter(name_bn="ভুল ক্লাস্টার").exists()


def test_duplicate_name_in_the_upazila_is_a_sentence_not_a_500(client, people, places):
    client.force_login(people["officer_hatia"])
    data = {"name_bn": "একই নাম", "schools": [places["school_hatia"].pk]}
    client.post(new_url(places["hatia"]), data)
    response = client.post(new_url(places["hatia"]), data)
    assert response.status_code == 200
    assert "already has a cluster with this name" in response.content.decode()
    assert Cluster.objects.filter(name_bn="একই নাম").count() == 1


@pytest.mark.parametrize("bad", [{"name_bn": ""}, {"name_bn": "x" * 500}, {"name_bn": "ক", "schools": ["abc"]},
                                 {"name_bn": "ক", "schools": ["99999999"]}])
def test_bad_input_is_refused_with_a_message(client, people, places, bad):
    client.force_login(people["officer_hatia"])
    response = client.post(new_url(places["hatia"]), bad)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Cluster.objects.count() == 0


def test_cluster_of_another_upazila_is_404_even_for_a_real_id(client, people, places):
    other = services.cluster_save(actor=people["officer_other_upazila"], upazila=places["subarnachar"],
                                  name_bn="সুবর্ণচর ক্লাস্টার", school_ids=[places["school_subarnachar"].pk])
    client.force_login(people["officer_hatia"])
    assert client.get(reverse("people:cluster_edit", args=[places["subarnachar"].pk, other.pk])).status_code == 404
    assert client.get(reverse("people:cluster_edit", args=[places["hatia"].pk, other.pk])).status_code == 404
    assert client.get(reverse("people:cluster_edit", args=["x", "y"])).status_code == 404


def test_the_service_checks_permission_itself(people, places):
    with pytest.raises(PermissionDenied):
        services.cluster_save(actor=people["teacher_rubi"], upazila=places["hatia"], name_bn="ক", school_ids=[])
    with pytest.raises(PermissionDenied):
        services.cluster_save(actor=people["officer_other_upazila"], upazila=places["hatia"], name_bn="ক",
                              school_ids=[])
    with pytest.raises(ValidationError):
        services.cluster_save(actor=people["officer_hatia"], upazila=places["hatia"], name_bn="ক",
                              school_ids=[places["school_sylhet"].pk])


def test_cluster_list_queries_are_bounded(client, people, places, django_assert_max_num_queries):
    for n in range(12):
        services.cluster_save(actor=people["officer_hatia"], upazila=places["hatia"], name_bn=f"ক্লাস্টার {n}",
                              school_ids=[SchoolFactory(upazila=places["hatia"]).pk])
    client.force_login(people["officer_noakhali"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("people:clusters"))
    assert len(response.context["clusters"]) == 12


def test_home_links_officers_to_clusters(client, people):
    client.force_login(people["officer_hatia"])
    assert reverse("people:clusters") in client.get("/").content.decode()
    client.force_login(people["teacher_rubi"])
    assert reverse("people:clusters") not in client.get("/").content.decode()
