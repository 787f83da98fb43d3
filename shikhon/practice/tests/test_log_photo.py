"""A record's photo: checked and re-encoded (EXIF and location gone, bounded size), a non-picture refused with a
sentence and nothing stored, served only to those who may open the record."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import course_with_content
from shikhon.practice.models import PracticeRecord
from shikhon.practice.services import log as services
from shikhon.practice.tests.factories import PracticeRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity() -> Any:
    return course_with_content(modules=1, activities=1).modules.first().activities.first()


def photo_with_exif(kind: str = "JPEG", size: tuple[int, int] = (2400, 1800)) -> bytes:
    picture = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (23.0, 45.0, 0.0)}  # GPS: latitude
    out = io.BytesIO()
    picture.save(out, format=kind, exif=exif.tobytes())
    return out.getvalue()


def stored(record: PracticeRecord) -> Image.Image:
    with default_storage.open(record.photo.name, "rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_photo_with_the_record_is_reencoded(media_root, people, activity):
    upload = SimpleUploadedFile("IMG_0001.jpg", photo_with_exif(), content_type="image/jpeg")
    record = services.record_create(actor=people["teacher_rubi"], activity=activity, taught_on=dhaka_today(),
                                    outcome="taught", grade=1, rating=4, photo=upload)
    picture = stored(record)
    assert picture.format == "JPEG" and not picture.getexif() and max(picture.size) == 1600
    assert record.photo.name.endswith(".jpg") and "IMG_0001" not in record.photo.name


def test_png_becomes_jpeg(media_root, people, activity):
    record = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    upload = SimpleUploadedFile("board.png", photo_with_exif("PNG", (800, 600)), content_type="image/png")
    services.record_photo_add(actor=people["teacher_rubi"], record=record, photo=upload)
    record.refresh_from_db()
    assert stored(record).format == "JPEG" and not stored(record).getexif()


def test_not_a_picture_is_refused_and_nothing_stored(media_root, people, activity):
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo at all", content_type="image/jpeg")
    with pytest.raises(Exception) as error:
        services.record_create(actor=people["teacher_rubi"], activity=activity, taught_on=dhaka_today(),
                               outcome="taught", grade=1, rating=4, photo=upload)
    assert "photo" in error.value.message_dict  # type: ignore[attr-defined]
    assert not PracticeRecord.objects.exists() and not any(media_root.rglob("*.*"))


def test_record_form_with_a_bad_photo_says_so(client, media_root, people, activity):
    client.force_login(people["teacher_rubi"])
    data = {"client_id": str(uuid.uuid4()), "activity": str(activity.pk), "outcome": "taught",
            "taught_on": dhaka_today().strftime("%d/%m/%Y"), "grade": "1", "rating": "4",
            "photo": SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")}
    page = client.post(reverse("practice:record_new"), data)
    assert page.status_code == 200 and "web page code" in page.content.decode()
    assert not PracticeRecord.objects.exists()


def test_photo_add_page_and_serving(client, media_root, people, activity, colleague):
    record = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity, shared_with_circle=False)
    client.force_login(people["teacher_rubi"])
    answer = client.post(reverse("practice:record_photo_add", args=[record.pk]),
                         {"photo": SimpleUploadedFile("p.jpg", photo_with_exif(size=(400, 300)))})
    assert answer.status_code == 302
    record.refresh_from_db()
    url = record.photo.url
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff"
    for who, status in [("head_teacher_masuma", 200), ("officer_hatia", 200), ("teacher_of_other_school", 404),
                        ("officer_other_upazila", 404), ("researcher_tanvir", 404)]:
        client.force_login(people[who])
        assert client.get(url).status_code == status, who
    client.force_login(colleague)  # not shared with the circle
    assert client.get(url).status_code == 404
    assert client.post(reverse("practice:record_photo_add", args=[record.pk]), {}).status_code == 404


def test_only_she_adds_a_photo(client, media_root, people, activity):
    record = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    client.force_login(people["head_teacher_masuma"])
    answer = client.post(reverse("practice:record_photo_add", args=[record.pk]),
                         {"photo": SimpleUploadedFile("p.jpg", photo_with_exif(size=(40, 30)))})
    assert answer.status_code == 403
    record.refresh_from_db()
    assert not record.photo


def test_no_photo_is_404(client, people, activity):
    record = PracticeRecordFactory(teacher=people["teacher_rubi"], activity=activity)
    client.force_login(people["teacher_rubi"])
    assert client.get(reverse("practice:record_photo", args=[record.pk])).status_code == 404
