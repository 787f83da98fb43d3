"""Adapting a model content: who may, what is copied, lineage both ways, the count of distinct teachers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.library.models import Content, ContentFile, State
from shikhon.library.selectors import lineage
from shikhon.library.services import adapt
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def model_content(library_people):
    content = ContentFactory(author=library_people["teacher_rubi"], published=True, title="মডেল পাঠ: ভগ্নাংশ",
                             body="## ধাপ\n\nকাগজ ভাঁজ করে অর্ধেক দেখাও।")
    Content.objects.filter(pk=content.pk).update(is_model=True, model_since=timezone.now(),
                                                 model_by=library_people["mentor_national"])
    content.refresh_from_db()
    version = content.published_version
    version.body_html = "<h2>ধাপ</h2><p>কাগজ ভাঁজ করে অর্ধেক দেখাও।</p>"
    version.save(update_fields=["body_html"])
    ContentFile.objects.create(version=version, position=0, file_kind="pdf", file="library/2026/12/a.pdf",
                               original_name="পাঠ.pdf", size=1234, sha256="ab" * 32, content_type="application/pdf",
                               preview_state="ready", preview_pages=["library/2026/12/a-1.webp"])
    return content


def test_adapt_copies_the_published_version(library_people, model_content, places):
    laila = library_people["teacher_subarnachar"]
    copy = adapt.content_adapt(actor=laila, content=model_content)
    assert copy.author == laila and copy.adapted_from == model_content and copy.state == State.DRAFT
    assert copy.published_version is None and not copy.is_model
    assert copy.school_id == places["school_subarnachar"].pk and copy.upazila_id == places["subarnachar"].pk
    version = copy.latest_version
    assert version.number == 1 and version.state == State.DRAFT and version.made_by == laila
    source = model_content.published_version
    for name in ("title", "summary", "body", "body_html", "grade", "subject_id", "topic_id", "kind", "language"):
        assert getattr(version, name) == getattr(source, name)
    assert copy.title == "মডেল পাঠ: ভগ্নাংশ" and "ভগ্নাংশ" in copy.search_text
    files = list(version.files.all())
    assert [(f.file.name, f.original_name, f.sha256) for f in files] == [
        ("library/2026/12/a.pdf", "পাঠ.pdf", "ab" * 32)]
    assert model_content.published_version.files.count() == 1  # the original keeps its own
    model_content.refresh_from_db()
    assert model_content.adaptations_count == 1


def test_second_adapt_by_same_teacher_opens_her_draft(library_people, model_content):
    laila = library_people["teacher_subarnachar"]
    first = adapt.content_adapt(actor=laila, content=model_content)
    again = adapt.content_adapt(actor=laila, content=model_content)
    assert again.pk == first.pk and Content.objects.filter(adapted_from=model_content).count() == 1
    adapt.content_adapt(actor=library_people["colleague_shirina"], content=model_content)
    model_content.refresh_from_db()
    assert model_content.adaptations_count == 2


@pytest.mark.parametrize("who", ["teacher_subarnachar", "head_teacher_masuma", "colleague_shirina"])
def test_teachers_may_adapt(library_people, model_content, who):
    assert adapt.content_adapt(actor=library_people[who], content=model_content).author == library_people[who]


@pytest.mark.parametrize("who", ["no_role_user", "teacher_pending_zahid", "officer_hatia", "mentor_hatia",
                                 "researcher_tanvir", "national_admin_nasrin"])
def test_others_may_not_adapt(library_people, model_content, who):
    with pytest.raises(PermissionDenied) as exc:
        adapt.content_adapt(actor=library_people[who], content=model_content)
    assert str(exc.value)
    assert not Content.objects.filter(adapted_from=model_content).exists()


def test_only_published_model_contents(library_people, model_content):
    laila = library_people["teacher_subarnachar"]
    ordinary = ContentFactory(author=library_people["teacher_rubi"], published=True)
    draft = ContentFactory(author=library_people["teacher_rubi"])
    Content.objects.filter(pk=draft.pk).update(is_model=True)
    draft.refresh_from_db()
    for content in (ordinary, draft):
        with pytest.raises(ValidationError):
            adapt.content_adapt(actor=laila, content=content)
    Content.objects.filter(pk=model_content.pk).update(hidden_at=timezone.now())
    model_content.refresh_from_db()
    with pytest.raises(ValidationError):
        adapt.content_adapt(actor=laila, content=model_content)
    assert not Content.objects.filter(adapted_from__isnull=False).exists()


def test_own_model_content_not_adapted(library_people, model_content):
    with pytest.raises(ValidationError):
        adapt.content_adapt(actor=library_people["teacher_rubi"], content=model_content)


def _publish_as_model(content: Content) -> Content:
    now = timezone.now()
    Content.objects.filter(pk=content.pk).update(published_version=content.latest_version, published_at=now,
                                                 state=State.PUBLISHED, is_model=True)
    content.refresh_from_db()
    return content


def test_lineage_both_ways(library_people, model_content):
    laila_copy = adapt.content_adapt(actor=library_people["teacher_subarnachar"], content=model_content)
    _publish_as_model(laila_copy)
    shirina_copy = adapt.content_adapt(actor=library_people["colleague_shirina"], content=laila_copy)
    links, more = lineage.ancestry(shirina_copy)
    assert [(link.pk, link.author_name, link.shown) for link in links] == [
        (laila_copy.pk, "লাইলা", True), (model_content.pk, "রুবি আক্তার", True)] and more is False
    assert list(lineage.published_adaptations(model_content)) == [laila_copy]
    shown, more_shown, mine = lineage.adaptations_panel(model_content, library_people["colleague_shirina"])
    assert shown == [laila_copy] and more_shown is False and mine is None
    shown, _more, mine = lineage.adaptations_panel(laila_copy, library_people["colleague_shirina"])
    assert shown == [] and mine == shirina_copy  # her draft is hers to open, not listed as published


def test_lineage_chain_bounded(library_people, model_content, django_assert_max_num_queries):
    authors = ["teacher_subarnachar", "colleague_shirina", "head_teacher_masuma", "teacher_of_other_school",
               "head_teacher_subarnachar", "teacher_subarnachar"]
    current = model_content
    for who in authors:
        nxt = adapt.content_adapt(actor=library_people[who], content=current)
        current = _publish_as_model(nxt)
    with django_assert_max_num_queries(1):
        links, more = lineage.ancestry(current)
    assert len(links) == lineage.MAX_LINKS and more is True


def test_hidden_ancestor_named_without_link(library_people, model_content):
    copy = adapt.content_adapt(actor=library_people["teacher_subarnachar"], content=model_content)
    Content.objects.filter(pk=model_content.pk).update(hidden_at=timezone.now())
    links, _more = lineage.ancestry(copy)
    assert links[0].shown is False


def test_adapt_rate_limited(library_people, model_content, monkeypatch):
    monkeypatch.setattr(adapt, "ADAPTATIONS_PER_HOUR", 1)
    others = [ContentFactory(author=library_people["teacher_rubi"], published=True) for _ in range(1)]
    for content in others:
        Content.objects.filter(pk=content.pk).update(is_model=True)
        content.refresh_from_db()
    laila = library_people["teacher_subarnachar"]
    adapt.content_adapt(actor=laila, content=model_content)
    with pytest.raises(ValidationError) as exc:
        adapt.content_adapt(actor=laila, content=others[0])
    assert exc.value.code == "rate_limited"
