"""The library's demo (issue 12): a few hundred contents in every state, files with previews, model contents with
adaptations, champions of four weeks (the latest waiting for an officer), the Hatia mentor's queues, an offline
pack; loading twice makes nothing twice."""

from __future__ import annotations

import pytest
from django.apps import apps

from shikhon.demo import data
from shikhon.demo.library import HATIA_MENTOR, LIBRARY_PEOPLE, load_demo_library
from shikhon.people.models import User
from shikhon.people.phone import normalize_phone

MODELS = ["library.Content", "library.ContentVersion", "library.ContentFile", "library.Review", "library.Rating",
          "library.Comment", "library.Report", "library.OfflinePack", "recognition.ChampionWeek",
          "recognition.Champion", "practice.PracticeRecord", "people.User", "people.Role"]


def _counts() -> dict[str, int]:
    return {name: apps.get_model(name).objects.count() for name in MODELS}


def _user(phone: str) -> User:
    return User.objects.get(phone=normalize_phone(phone))


@pytest.fixture
def demo(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    data.load_demo()
    data.load_people(data.PRACTICE_PEOPLE)
    said: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):  # "used in class" counts are kept after commit
        load_demo_library(videos=False, say=said.append)
    assert not [line for line in said if "WARNING" in line], said
    return said


def test_the_library_demo(demo):
    from shikhon.library.models import Content, ContentFile, ContentVersion, Report, State
    from shikhon.library.permissions import reviewable_q
    from shikhon.places.models import Upazila
    from shikhon.recognition.models import ChampionWeek

    contents = Content.objects.all()
    assert contents.count() >= 300
    by_state = {state: contents.filter(state=state).count() for state in State.values}
    assert by_state[State.PUBLISHED] > 200
    assert by_state[State.DRAFT] >= 14 and by_state[State.SUBMITTED] >= 4
    assert by_state[State.CHANGES_REQUESTED] >= 3
    changed = Content.objects.filter(state=State.CHANGES_REQUESTED).first()
    assert changed is not None
    assert changed.reviews.exclude(feedback="").exists()
    assert contents.filter(hidden_at__isnull=False).count() == 1
    assert Report.objects.filter(status=Report.Status.UPHELD).count() >= 1
    assert ContentVersion.objects.filter(state=State.SUPERSEDED).count() >= 20
    assert contents.filter(language="en").exists() and contents.values("grade").distinct().count() == 10
    assert contents.values("school_id").distinct().count() >= 8

    # A published content with a PDF and its first-page preview; pictures with theirs.
    pdf = ContentFile.objects.get(file_kind=ContentFile.FileKind.PDF, version__content__state=State.PUBLISHED)
    assert pdf.preview_state == ContentFile.Preview.READY and pdf.preview_pages and pdf.sha256
    assert ContentFile.objects.filter(file_kind=ContentFile.FileKind.PICTURE,
                                      preview_state=ContentFile.Preview.READY).count() >= 2

    # Model contents, one adapted by several teachers (lineage both ways).
    assert 25 <= contents.filter(is_model=True).count() <= 35
    model = contents.filter(is_model=True).order_by("-adaptations_count").first()
    assert model is not None
    assert model.adaptations_count >= 2
    assert all(a.author_id != model.author_id for a in model.adaptations.all())

    # Ratings one per teacher, realistic; the champions of four weeks, the latest waiting for confirmation.
    rated = contents.filter(rating_count__gt=0)
    assert rated.count() > 200 and {int(c.rating_average) for c in rated if c.rating_average} >= {3, 4}
    weeks = list(ChampionWeek.objects.order_by("starts_on"))
    assert len(weeks) == 4
    assert [w.status for w in weeks] == [ChampionWeek.Status.ANNOUNCED] * 3 + [ChampionWeek.Status.COMPUTED]
    assert all(w.champions.count() == 3 for w in weeks)

    # Mentor 005's review queue and moderation queue in Hatia.
    mentor = _user(HATIA_MENTOR)
    assert Content.objects.filter(reviewable_q(mentor), state=State.SUBMITTED).count() >= 4
    assert Report.objects.filter(status=Report.Status.OPEN,
                                 upazila_id=Upazila.objects.get(code=data.HATIA).pk).count() >= 2

    # Used in class; the offline pack of class 1 maths.
    assert contents.filter(used_in_class__gt=0).exists()
    pack = apps.get_model("library.OfflinePack").objects.get()
    assert pack.status == "ready" and pack.file and pack.progress_done >= 10

    # Loading twice makes nothing twice.
    before = _counts()
    said: list[str] = []
    load_demo_library(videos=False, say=said.append)
    assert _counts() == before
    assert not [line for line in said if "WARNING" in line], said


def test_library_people_are_new_contiguous_numbers():
    phones = [p.phone for p in LIBRARY_PEOPLE]
    known = {p.phone for p in data.PEOPLE} | {p.phone for p in data.PRACTICE_PEOPLE}
    assert not set(phones) & known
    assert phones == [f"01711{n:06d}" for n in range(25, 25 + len(phones))]
