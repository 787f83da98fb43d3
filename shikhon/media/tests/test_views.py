from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from shikhon.media import services
from shikhon.media.models import Video
from shikhon.media.tests.conftest import upload_of
from shikhon.media.views import Unsatisfiable, parse_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_video(people, video_files, django_capture_on_commit_callbacks) -> Video:
    with django_capture_on_commit_callbacks(execute=True):
        video = services.video_upload(actor=people["course_author_shirin"], file=upload_of(video_files["bigger"]))
    video.refresh_from_db()
    assert video.is_ready
    return video


@pytest.fixture
def signed_in(client, people):
    """Its uploader (a course author): a video in no course is hers and the other authors' to watch."""
    client.force_login(people["course_author_shirin"])
    return client


def test_a_teacher_gets_404_for_a_video_no_course_opens_to_her(client, people, ready_video):
    client.force_login(people["teacher_rubi"])
    for url in (ready_video.low_url, ready_video.poster_url):
        assert client.get(url).status_code == 404


def test_an_app_opens_videos_to_people_through_a_registered_scope(client, people, ready_video, monkeypatch):
    from django.db.models import Q

    from shikhon.media import permissions

    monkeypatch.setattr(permissions, "_SCOPES", [])
    permissions.register_video_scope(lambda user: Q(pk=ready_video.pk) if user.phone else Q(pk__in=[]))
    client.force_login(people["teacher_rubi"])
    response = client.get(ready_video.low_url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_full_file(signed_in, ready_video, media_root):
    response = signed_in.get(ready_video.low_url)
    data = (media_root / ready_video.low.name).read_bytes()
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(data))
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    assert _body(response) == data


def test_gzip_is_never_applied(signed_in, ready_video, media_root):
    response = signed_in.get(ready_video.low_url, HTTP_RANGE="bytes=0-99", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 206
    assert "Content-Encoding" not in response
    assert _body(response) == (media_root / ready_video.low.name).read_bytes()[:100]


@pytest.mark.parametrize("header, first, last", [("bytes=0-99", 0, 99), ("bytes=100-", 100, None),
                                                 ("bytes=-50", -50, None), ("bytes=10-999999999", 10, None)])
def test_ranges(signed_in, ready_video, media_root, header, first, last):
    data = (media_root / ready_video.low.name).read_bytes()
    size = len(data)
    start = first if first >= 0 else size + first
    end = last if last is not None else size - 1
    response = signed_in.get(ready_video.low_url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert _body(response) == data[start:end + 1]


def test_unsatisfiable_range(signed_in, ready_video):
    response = signed_in.get(ready_video.low_url, HTTP_RANGE=f"bytes={ready_video.low_bytes}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{ready_video.low_bytes}"


def test_several_ranges_get_the_whole_file(signed_in, ready_video):
    response = signed_in.get(ready_video.low_url, HTTP_RANGE="bytes=0-1,5-9")
    assert response.status_code == 200
    assert len(_body(response)) == ready_video.low_bytes


def test_if_range_with_an_old_etag_gets_the_whole_file(signed_in, ready_video):
    response = signed_in.get(ready_video.low_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert response.status_code == 200
    current = signed_in.get(ready_video.low_url).headers["ETag"]
    assert signed_in.get(ready_video.low_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=current).status_code == 206


def test_if_none_match_answers_304(signed_in, ready_video):
    etag = signed_in.get(ready_video.low_url)["ETag"]
    response = signed_in.get(ready_video.low_url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_head_has_length_but_no_body(signed_in, ready_video):
    response = signed_in.head(ready_video.low_url)
    assert response.status_code == 200
    assert response["Content-Length"] == str(ready_video.low_bytes)


@pytest.mark.parametrize("variant, content_type", [("standard.mp4", "video/mp4"), ("poster.jpg", "image/jpeg")])
def test_other_variants(signed_in, ready_video, variant, content_type):
    response = signed_in.get(ready_video.file_url(variant))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_captions(signed_in, people, ready_video):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert signed_in.get(ready_video.file_url("captions.vtt")).status_code == 404
    services.video_captions_set(actor=people["course_author_shirin"], video=ready_video,
                                file=SimpleUploadedFile("bn.vtt", b"WEBVTT\n"))
    response = signed_in.get(ready_video.captions_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert _body(response) == b"WEBVTT\n"


def test_not_ready_unknown_or_bad_variant_is_404(signed_in, ready_video):
    Video.objects.filter(pk=ready_video.pk).update(status=Video.Status.PROCESSING)
    assert signed_in.get(ready_video.low_url).status_code == 404
    Video.objects.filter(pk=ready_video.pk).update(status=Video.Status.READY)
    assert signed_in.get(ready_video.file_url("original")).status_code == 404
    unknown = reverse("media:file", kwargs={"public_id": uuid.uuid4(), "variant": "low.mp4"})
    assert signed_in.get(unknown).status_code == 404


def test_missing_file_is_404(signed_in, ready_video, media_root):
    (media_root / ready_video.low.name).unlink()
    assert signed_in.get(ready_video.low_url).status_code == 404


def test_a_visitor_gets_404_for_a_video_that_is_not_public(client, ready_video):
    """Visitors watch only the videos an app made public (a published course's sample); any other is 404, as
    if it did not exist (no sign-in page that would tell it does)."""
    assert client.get(ready_video.low_url).status_code == 404


def test_a_visitor_watches_a_public_video(client, ready_video, monkeypatch):
    from django.db.models import Q

    from shikhon.media import permissions

    monkeypatch.setattr(permissions, "_PUBLIC_SCOPES", [])
    permissions.register_public_video_scope(lambda: Q(pk=ready_video.pk))
    response = client.get(ready_video.low_url)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content)


def test_post_is_not_allowed(signed_in, ready_video):
    assert signed_in.post(ready_video.low_url).status_code == 405


@pytest.mark.parametrize("header, expected", [
    ("", None), ("bytes=0-0", (0, 0)), ("bytes=5-", (5, 9)), ("bytes=-3", (7, 9)), ("bytes=-30", (0, 9)),
    ("bytes=3-1", None), ("items=0-1", None), ("bytes=0-1, 3-4", None), ("bytes=-", None), ("bytes=2-99", (2, 9)),
])
def test_parse_range(header, expected):
    assert parse_range(header, 10) == expected


@pytest.mark.parametrize("header, size", [("bytes=10-", 10), ("bytes=-0", 10), ("bytes=0-", 0)])
def test_parse_range_unsatisfiable(header, size):
    with pytest.raises(Unsatisfiable):
        parse_range(header, size)



def test_object_storage_redirects_to_a_signed_address(signed_in, ready_video, monkeypatch):
    from django.core.files.storage import default_storage

    def no_path(name):
        raise NotImplementedError

    monkeypatch.setattr(default_storage, "path", no_path)
    monkeypatch.setattr(default_storage, "url", lambda name: f"https://bucket.example/{name}?X-Amz-Signature=x")
    response = signed_in.get(ready_video.low_url)
    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.example/{ready_video.low.name}?X-Amz-Signature=x"
    assert response["Cache-Control"] == "private, max-age=300"
