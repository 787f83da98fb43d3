"""Files people uploaded are served only to those who may see the object that owns them (decision 0007):
author sheets, question pictures and videos; nosniff and a safe Content-Disposition on each; the addresses
the site writes are views, never /media/; object storage gets a signed redirect with the type fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from shikhon.core.tests import hostile
from shikhon.courses import services
from shikhon.courses.models import Activity, Course, Question
from shikhon.courses.tests.factories import course_with_content
from shikhon.media.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root: Path) -> None:
    """Every test of this file stores media in its own temporary folder (the root conftest's media_root)."""


def _with_files(course: Course) -> tuple[Activity, Question, Video]:
    activity = Activity.objects.filter(module__course=course).order_by("module__position", "position").first()
    activity.sheet.save("sheet.pdf", ContentFile(hostile.pdf()), save=False)
    video = Video(title="v", status=Video.Status.READY)
    video.low.save("low.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100), save=False)
    video.poster.save("poster.jpg", ContentFile(hostile.picture("JPEG")), save=False)
    video.save()
    activity.video = video
    activity.save()
    question = Question.objects.filter(quiz__module__course=course).first()
    question.image.save("q.png", ContentFile(hostile.picture("PNG")))
    return activity, question, video


@pytest.fixture
def published(people):
    return _with_files(course_with_content(modules=1, activities=1, slug="prokashito"))


@pytest.fixture
def draft(people):
    return _with_files(course_with_content(modules=1, activities=1, slug="khoshra", status=Course.Status.DRAFT))


def test_the_site_writes_view_addresses_never_media(published):
    activity, question, _video = published
    assert activity.sheet.url.startswith(reverse("courses:activity_sheet_file", args=[activity.pk]) + "?v=")
    assert question.image.url.startswith(reverse("courses:question_picture", args=[question.pk]) + "?v=")
    assert "/media/" not in activity.sheet.url + question.image.url


@pytest.mark.parametrize(("who", "course", "status"), [
    ("teacher_rubi", "published", 200), ("teacher_rubi", "draft", 404),
    ("course_author_shirin", "draft", 200), ("national_admin_nasrin", "draft", 200),
    ("officer_hatia", "draft", 404),
])
def test_files_follow_the_visibility_of_their_course(client, people, request, who, course, status):
    activity, question, video = request.getfixturevalue(course)
    client.force_login(people[who])
    for url in (activity.sheet.url, question.image.url, video.low_url, video.poster_url):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 200:
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"]


def test_an_enrolled_teacher_keeps_her_retired_version(client, people, published):
    activity, _question, video = published
    course = activity.module.course
    services.enrolment_create(actor=people["teacher_rubi"], course=course)
    Course.objects.filter(pk=course.pk).update(status=Course.Status.RETIRED)
    client.force_login(people["teacher_rubi"])
    assert client.get(activity.sheet.url).status_code == 200
    assert client.get(video.low_url).status_code == 200
    client.force_login(people["teacher_of_other_school"])
    assert client.get(activity.sheet.url).status_code == 404
    assert client.get(video.low_url).status_code == 404


def test_headers_of_a_sheet_and_a_picture(client, people, published):
    activity, question, _video = published
    client.force_login(people["teacher_rubi"])
    sheet = client.get(activity.sheet.url)
    assert sheet["Content-Type"] == "application/pdf"
    assert sheet["Content-Disposition"] == f'attachment; filename="shikhon-sheet-{activity.short_code}.pdf"'
    assert b"".join(sheet.streaming_content).startswith(b"%PDF-")
    picture = client.get(question.image.url)
    assert picture["Content-Type"] == "image/png"
    assert picture["Content-Disposition"] == f'inline; filename="shikhon-question-{question.pk}.png"'


def test_a_stored_file_of_an_unknown_kind_is_only_ever_a_download(client, people, published):
    """A file stored before the checks existed, under a name we would not give (say .html), is sent as
    bytes to save, never as a page."""
    activity, _question, _video = published
    name = default_storage.save("sheets/old/evil.html", ContentFile(hostile.HTML))
    Activity.objects.filter(pk=activity.pk).update(sheet=name)
    activity.refresh_from_db()
    client.force_login(people["teacher_rubi"])
    response = client.get(activity.sheet.url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_nothing_is_served_under_media(client, people, published):
    activity, _question, _video = published
    client.force_login(people["course_author_shirin"])
    assert client.get(f"/media/{activity.sheet.name}").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, published):
    activity, question, _video = published
    for url in (activity.sheet.url, question.image.url):
        assert client.get(url).status_code == 302


def test_object_storage_gets_a_signed_redirect_that_fixes_type_and_disposition(client, people, published,
                                                                               monkeypatch):
    activity, _question, video = published
    asked: list[dict[str, str]] = []

    def no_path(name):
        raise NotImplementedError

    def url(name, parameters=None, expire=None):
        asked.append(parameters or {})
        return f"https://bucket.example/{name}?X-Amz-Signature=x"

    monkeypatch.setattr(default_storage, "path", no_path)
    monkeypatch.setattr(default_storage, "url", url)
    client.force_login(people["teacher_rubi"])
    response = client.get(activity.sheet.url)
    assert response.status_code == 302 and response["Location"].startswith("https://bucket.example/sheets/")
    assert asked[-1] == {"ResponseContentType": "application/pdf", "ResponseContentDisposition":
                         f'attachment; filename="shikhon-sheet-{activity.short_code}.pdf"'}
    response = client.get(video.low_url)
    assert response.status_code == 302 and asked[-1]["ResponseContentType"] == "video/mp4"
    client.force_login(people["officer_hatia"])
    Course.objects.filter(pk=activity.module.course_id).update(status=Course.Status.DRAFT)
    assert client.get(activity.sheet.url).status_code == 404  # hidden before any address is signed
