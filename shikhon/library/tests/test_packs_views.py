"""The packs pages: the list (ready packs for everyone signed in, the form for officers, bounded queries), asking
for a pack through the form (bad input answered on the form, nothing stored; teachers 403), a pack's status page
(a progress bar refreshed without JavaScript while building; an unfinished pack only for its builder and the
officers) and the download (ready packs only; visitors 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile as Bytes
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shikhon.library.models import OfflinePack, Subject
from shikhon.library.tests.test_packs_build import library  # noqa: F401 - the fixture

LIST = "/library/packs/"


def login(client: Client, person: Any) -> Client:
    client.force_login(person)
    return client


def ready_pack(creator: Any, n: int = 1, **kwargs: Any) -> OfflinePack:
    name = default_storage.save(f"packs/test/pack-{n}.zip", Bytes(b"PK\x05\x06" + b"\0" * 18))
    return OfflinePack.objects.create(
        title=f"প্যাক {n}", grade=1, subject=Subject.objects.get(code="math"), created_by=creator,
        status=OfflinePack.Status.READY, file=name, size=22, sha256="0" * 64, progress_done=3, progress_total=3,
        finished_at=timezone.now(), **kwargs)


def test_urls() -> None:
    assert reverse("library:packs") == LIST
    assert reverse("library:pack", kwargs={"pk": 5}) == "/library/packs/5/"
    assert reverse("library:pack_download", kwargs={"pk": 5}) == "/library/packs/5/download/"


@pytest.mark.usefixtures("media_root")
def test_the_list_shows_ready_packs_to_everyone_and_the_form_to_officers(client, people):
    ready_pack(people["officer_hatia"])
    OfflinePack.objects.create(title="অর্ধেক", grade=2, created_by=people["officer_hatia"],
                               status=OfflinePack.Status.BUILDING)
    html = login(client, people["teacher_rubi"]).get(LIST).content.decode()
    assert "প্যাক 1" in html and "অর্ধেক" not in html and 'name="title"' not in html
    officer = login(Client(), people["officer_hatia"]).get(LIST).content.decode()
    assert 'name="title"' in officer and 'name="grade"' in officer and 'name="model_only"' in officer
    assert "অর্ধেক" in officer  # his own pack being built
    other = login(Client(), people["officer_other_upazila"]).get(LIST).content.decode()
    assert 'name="title"' in other and "অর্ধেক" not in other


def test_visitors_are_sent_to_sign_in(client, db):
    assert client.get(LIST).status_code == 302


@pytest.mark.usefixtures("media_root")
def test_the_list_queries_are_bounded(client, people, django_assert_max_num_queries):
    for n in range(25):
        ready_pack(people["officer_hatia"] if n % 2 else people["officer_noakhali"], n)
    login(client, people["officer_hatia"])
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200 and response.content.decode().count("/download/") == 20
    with django_assert_max_num_queries(12):
        assert client.get(LIST + "?page=2").content.decode().count("/download/") == 5


def test_an_officer_asks_for_a_pack_with_the_form(client, people, library, django_capture_on_commit_callbacks):  # noqa: F811
    login(client, people["officer_hatia"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"title": "হাতিয়া গণিত", "grade": "1", "subject": Subject.objects.get(
            code="math").pk})
    pack = OfflinePack.objects.get()
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    assert pack.status == OfflinePack.Status.READY and pack.created_by == people["officer_hatia"]
    page = client.get(pack.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page and f"/library/packs/{pack.pk}/download/" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "x"}, "Choose a class, a subject or model contents only"),
    ({"title": "x", "grade": "12"}, "Select a valid choice"),
    ({"title": "x", "grade": "১২"}, "Select a valid choice"),
    ({"title": "x", "subject": "999999"}, "Select a valid choice"),
    ({"title": "x", "subject": "math"}, "Select a valid choice"),
    ({"title": "   ", "grade": "1"}, "This field is required"),
    ({"title": "x" * 121, "grade": "1"}, "at most 120"),
    ({"title": "x", "grade": "3"}, "No published content matches"),
])
def test_bad_input_is_answered_on_the_form(client, people, library, data, message, settings):  # noqa: F811
    settings.LANGUAGE_CODE = "en"
    response = login(client, people["officer_hatia"]).post(LIST, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OfflinePack.objects.exists()


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "researcher_tanvir"])
def test_others_cannot_ask_for_a_pack(client, people, library, who):  # noqa: F811
    response = login(client, people[who]).post(LIST, {"title": "x", "grade": "1"})
    assert response.status_code == 403
    assert not OfflinePack.objects.exists()


def test_the_status_page_refreshes_while_building(client, people):
    pack = OfflinePack.objects.create(title="প্যাক", grade=1, created_by=people["officer_hatia"],
                                      status=OfflinePack.Status.BUILDING, progress_done=20, progress_total=60)
    response = login(client, people["officer_hatia"]).get(pack.get_absolute_url())
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert '<progress max="60" value="20">' in html
    assert response["Cache-Control"] == "no-store"
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]
    pack.status, pack.error = OfflinePack.Status.FAILED, "ফাইল পাওয়া যায়নি।"
    pack.save()
    html = client.get(pack.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in html and "ফাইল পাওয়া যায়নি।" in html


@pytest.mark.parametrize("state", [OfflinePack.Status.QUEUED, OfflinePack.Status.BUILDING, OfflinePack.Status.FAILED])
@pytest.mark.parametrize(("who", "status"), [
    ("officer_hatia", 200), ("officer_other_upazila", 200), ("national_admin_nasrin", 200),
    ("teacher_rubi", 404), ("head_teacher_masuma", 404), ("mentor_hatia", 404), ("researcher_tanvir", 404),
    ("no_role_user", 404),
])
def test_an_unfinished_pack_is_seen_by_its_builder_and_officers_only(client, people, state, who, status):
    pack = OfflinePack.objects.create(title="প্যাক", grade=1, created_by=people["officer_hatia"], status=state,
                                      error="ফাইল পাওয়া যায়নি।" if state == OfflinePack.Status.FAILED else "")
    assert login(client, people[who]).get(pack.get_absolute_url()).status_code == status


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize(("who", "status"), [
    ("teacher_rubi", 200), ("teacher_subarnachar", 200), ("officer_sylhet_upazila", 200),
    ("officer_other_upazila", 200), ("national_admin_nasrin", 200), ("no_role_user", 200),
])
def test_everyone_signed_in_may_download_a_ready_pack(client, people, who, status):
    pack = ready_pack(people["officer_hatia"])
    response = login(client, people[who]).get(reverse("library:pack_download", kwargs={"pk": pack.pk}))
    assert response.status_code == status
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK")


@pytest.mark.usefixtures("media_root")
def test_downloads_answer_404_to_visitors_and_for_unfinished_packs(client, people):
    pack = ready_pack(people["officer_hatia"])
    url = reverse("library:pack_download", kwargs={"pk": pack.pk})
    assert client.get(url).status_code == 404  # a visitor
    assert client.get(pack.get_absolute_url()).status_code == 302  # the status page asks her to sign in
    login(client, people["teacher_rubi"])
    for status in (OfflinePack.Status.QUEUED, OfflinePack.Status.BUILDING, OfflinePack.Status.FAILED):
        OfflinePack.objects.filter(pk=pack.pk).update(status=status)
        assert client.get(url).status_code == 404
    assert client.get("/library/packs/999999/download/").status_code == 404
    assert client.get("/library/packs/999999/").status_code == 404
    assert client.post(url).status_code == 405
