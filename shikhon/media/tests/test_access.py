"""access_video: the one way a page loads a video for a person (the file server asks it on every request).
Missing, malformed, not ready and forbidden are the same 404."""

from __future__ import annotations

import uuid

import pytest
from django.db.models import Q
from django.http import Http404

from shikhon.media import permissions
from shikhon.media.models import Video
from shikhon.media.selectors import access_video

pytestmark = pytest.mark.django_db
OTHERS = ["head_teacher_masuma", "teacher_of_other_school", "teacher_subarnachar", "mentor_hatia", "officer_hatia",
          "officer_other_upazila", "officer_sylhet_upazila", "researcher_tanvir", "no_role_user"]


def raises_404(*args, **kwargs):
    with pytest.raises(Http404):
        access_video(*args, **kwargs)


def video_row(uploader, status: str = Video.Status.READY) -> Video:
    """A video row as processing leaves it (files named, not stored: access reads only the row)."""
    public_id = uuid.uuid4()
    return Video.objects.create(public_id=public_id, uploaded_by=uploader, status=status,
                                low=f"videos/{public_id}/low.mp4", poster=f"videos/{public_id}/poster.jpg")


@pytest.fixture
def shown_to_rubi(people, monkeypatch):
    """An author's video that an app which shows videos (a registered scope, as courses registers the videos of
    the courses a person may open) opens to teacher_rubi alone. Courses' own scope (published and draft courses)
    is tested in courses/tests/test_access.py: media may not import courses."""
    video = video_row(people["course_author_shirin"])
    rubi = people["teacher_rubi"]
    monkeypatch.setattr(permissions, "_SCOPES", [])
    permissions.register_video_scope(lambda user: Q(pk=video.pk) if user.pk == rubi.pk else Q(pk__in=[]))
    return video


def test_the_one_an_app_opens_it_to_watches_it(people, shown_to_rubi):
    assert access_video(people["teacher_rubi"], shown_to_rubi.public_id) == shown_to_rubi
    assert access_video(people["teacher_rubi"], str(shown_to_rubi.public_id)) == shown_to_rubi


@pytest.mark.parametrize("who", OTHERS)
def test_others_get_404(people, shown_to_rubi, who):
    raises_404(people[who], shown_to_rubi.public_id)


@pytest.mark.parametrize("who", ["course_author_shirin", "national_admin_nasrin"])
def test_authors_and_national_admins_watch_every_ready_video(people, who):
    video = video_row(people["course_author_shirin"])
    assert access_video(people[who], video.public_id) == video


def test_her_own_upload_in_no_course_is_hers(people):
    """An uploader who is no longer an author still fetches what she uploaded; nobody else does."""
    rubi = people["teacher_rubi"]
    video = video_row(rubi)
    assert access_video(rubi, video.public_id) == video
    for who in ("teacher_of_other_school", "head_teacher_masuma", "officer_hatia", "officer_other_upazila"):
        raises_404(people[who], video.public_id)


@pytest.mark.parametrize("status", [Video.Status.PROCESSING, Video.Status.FAILED])
def test_a_video_not_ready_is_404_even_to_authors(people, status):
    video = video_row(people["course_author_shirin"], status=status)
    for who in ("course_author_shirin", "national_admin_nasrin", "teacher_rubi"):
        raises_404(people[who], video.public_id)


@pytest.mark.parametrize("raw", [uuid.UUID("4d3744b3-2845-4f46-a772-09179c8ae5a9"),
                                 "9fd5433e-38bc-4c62-9407-5a6df19a1a3a", "abc", "", None, 12, "x" * 500,
                                 "12345678-1234-1234-1234-1234567890zz"])
def test_missing_or_malformed_ids_are_404(people, raw):
    video_row(people["course_author_shirin"])
    raises_404(people["national_admin_nasrin"], raw)


def test_signed_out_is_404(people, shown_to_rubi):
    from django.contrib.auth.models import AnonymousUser

    raises_404(AnonymousUser(), shown_to_rubi.public_id)
    raises_404(None, shown_to_rubi.public_id)


def test_a_public_video_is_for_everyone(people, shown_to_rubi, monkeypatch):
    """A video an app made public (courses: a published course's sample) is watched signed out too."""
    from django.contrib.auth.models import AnonymousUser

    public = video_row(people["course_author_shirin"])
    monkeypatch.setattr(permissions, "_PUBLIC_SCOPES", [])
    permissions.register_public_video_scope(lambda: Q(pk=public.pk))
    for who in (AnonymousUser(), None, people["teacher_of_other_school"], people["teacher_rubi"]):
        assert access_video(who, public.public_id) == public
    raises_404(AnonymousUser(), shown_to_rubi.public_id)


def test_with_a_file_named_only_that_column_is_loaded(people, shown_to_rubi):
    video = access_video(people["teacher_rubi"], shown_to_rubi.public_id, file="low")
    assert video.low.name == shown_to_rubi.low.name
    assert {"poster", "standard", "captions", "original"} <= video.get_deferred_fields()
    with pytest.raises(ValueError, match="original"):
        access_video(people["teacher_rubi"], shown_to_rubi.public_id, file="original")
