"""The hostile corpus through every page where an author gives us a file (sheet, question picture, video,
captions): the page answers with the sentence of the shared upload checks, nothing is stored, never a 500.
(Package import runs the same corpus in test_portability.py; the school list in places' tests.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from shikhon.core import uploads
from shikhon.core.tests import hostile
from shikhon.courses import authoring
from shikhon.courses.models import Activity, Question
from shikhon.media.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root: Path) -> None:
    """Every test of this file stores media in its own temporary folder (the root conftest's media_root)."""


@pytest.fixture
def author(people):
    return people["course_author_shirin"]


@pytest.fixture
def activity(author):
    course = authoring.course_create(actor=author, title="ফাইল", slug="file-checks", summary="", subject="maths",
                                     grade_from=1, grade_to=2, estimated_hours=1)
    module = authoring.module_create(actor=author, course=course, title="এক")
    activity = authoring.activity_create(actor=author, module=module, title="পাথর গুনি")
    activity.video = Video.objects.create(title="v", uploaded_by=author)  # for the captions form
    activity.save()
    return activity


# place → (corpus kind, upload use, how to post the file)
PLACES = {
    "sheet": ("sheet", "sheet", lambda a: (reverse("author:activity_sheet", args=[a.pk]), "file", {})),
    "video": ("video", "video", lambda a: (reverse("author:activity_video", args=[a.pk]), "file", {})),
    "captions": ("captions", "captions", lambda a: (reverse("author:activity_captions", args=[a.pk]), "file", {})),
    "question_picture": ("picture", "question_picture", lambda a: (
        reverse("author:question_new", args=[a.module_id]), "image",
        {"kind": "numeric", "text": "কয়টি?", "numeric_answer": "3"})),
}


def _cases() -> list[tuple[str, str]]:
    return [(place, case) for place, (kind, _use, _post) in PLACES.items() for case in hostile.hostile(kind)]


@pytest.mark.parametrize(("place", "case"), _cases())
def test_every_upload_page_refuses_the_hostile_corpus(client, author, activity, media_root, place, case):
    kind, use, post = PLACES[place]
    name, data = hostile.hostile(kind)[case]
    url, field, extra = post(activity)
    before_files, before_videos = hostile.stored_files(media_root), Video.objects.count()
    client.force_login(author)
    response = client.post(url, {**extra, field: SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    page = response.content.decode()
    if data:  # an empty file is refused by Django's form before our checks, with its own sentence
        with pytest.raises(uploads.UploadRefused) as refused:
            uploads.check_upload(use=use, file=data)
        assert escape(refused.value.messages[0]) in page
    assert hostile.stored_files(media_root) == before_files and Video.objects.count() == before_videos
    activity.refresh_from_db()
    assert not activity.sheet and not Question.objects.exists()


def test_a_polyglot_sheet_is_stored_re_encoded_under_our_name(client, author, activity):
    client.force_login(author)
    data = hostile.picture("PNG") + hostile.zip_of({"x.html": hostile.HTML})
    response = client.post(reverse("author:activity_sheet", args=[activity.pk]),
                           {"file": SimpleUploadedFile("sheet.pdf", data)})
    assert response.status_code == 302
    activity = Activity.objects.get(pk=activity.pk)
    assert activity.sheet.name.rsplit("/", 1)[1].startswith(str(activity.key))
    assert activity.sheet.name.endswith(".png")
    content = activity.sheet.read()
    assert content.startswith(b"\x89PNG") and b"PK\x03\x04" not in content
