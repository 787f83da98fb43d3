"""Model contents (services.models): who promotes (national mentors, district mentors of the content's district),
what (a published content a mentor reviewed), demoting with a reason; audited, the author told."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.core.models import AuditEvent
from shikhon.library import audit_actions, notifications_reviews
from shikhon.library.models import Content, Review, Rubric
from shikhon.library.services.models import content_demote, content_promote
from shikhon.library.tests.factories import ContentFactory
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db
SCORES = {"curriculum_fit": 4, "accuracy": 4, "pedagogy": 3, "media": 3, "accessibility": 3}


def reviewed(author, reviewer, **kwargs):
    content = ContentFactory(author=author, published=True, **kwargs)
    Review.objects.create(version=content.published_version, content=content, reviewer=reviewer,
                          rubric=Rubric.objects.get(version=1), scores=SCORES, average="3.40", decision="publish")
    return content


@pytest.fixture
def content(library_people):
    return reviewed(library_people["teacher_rubi"], library_people["mentor_hatia"])


@pytest.mark.parametrize("who", ["mentor_noakhali", "mentor_national"])
def test_promote_and_demote(library_people, content, who, django_capture_on_commit_callbacks):
    actor = library_people[who]
    with django_capture_on_commit_callbacks(execute=True):
        content_promote(actor=actor, content=content)
    content.refresh_from_db()
    assert content.is_model and content.model_by == actor and content.model_since is not None
    assert AuditEvent.objects.filter(action=audit_actions.CONTENT_PROMOTED, actor=actor).exists()
    with django_capture_on_commit_callbacks(execute=True):
        content_demote(actor=actor, content=content, reason="পুরোনো পাঠ্যক্রম।")
    content.refresh_from_db()
    assert not content.is_model and content.model_by is None
    event = AuditEvent.objects.get(action=audit_actions.CONTENT_DEMOTED)
    assert event.details["reason"] == "পুরোনো পাঠ্যক্রম।"
    kinds = set(Notification.objects.filter(recipient=library_people["teacher_rubi"]).values_list("kind", flat=True))
    assert kinds == {notifications_reviews.PROMOTED, notifications_reviews.DEMOTED}


@pytest.mark.parametrize("who", ["mentor_hatia", "mentor_subarnachar", "officer_hatia", "officer_noakhali",
                                 "national_admin_nasrin", "head_teacher_masuma", "teacher_rubi"])
def test_others_do_not_promote(library_people, content, who):
    with pytest.raises(PermissionDenied):
        content_promote(actor=library_people[who], content=content)
    assert not Content.objects.get(pk=content.pk).is_model
    assert not AuditEvent.objects.filter(action=audit_actions.CONTENT_PROMOTED).exists()


def test_only_a_reviewed_published_content(library_people):
    unreviewed = ContentFactory(author=library_people["teacher_rubi"], published=True)
    with pytest.raises(ValidationError):
        content_promote(actor=library_people["mentor_national"], content=unreviewed)
    draft = ContentFactory(author=library_people["teacher_rubi"])
    with pytest.raises(PermissionDenied):
        content_promote(actor=library_people["mentor_national"], content=draft)
    hidden = reviewed(library_people["teacher_rubi"], library_people["mentor_hatia"], hidden_at=timezone.now())
    with pytest.raises(PermissionDenied):
        content_promote(actor=library_people["mentor_national"], content=hidden)


def test_twice_and_bad_reasons(library_people, content):
    national = library_people["mentor_national"]
    content_promote(actor=national, content=content)
    with pytest.raises(ValidationError):
        content_promote(actor=national, content=content)
    for reason in ["", "   ", "ক" * 501]:
        with pytest.raises(ValidationError) as caught:
            content_demote(actor=national, content=content, reason=reason)
        assert "reason" in caught.value.error_dict
    assert Content.objects.get(pk=content.pk).is_model
    content_demote(actor=national, content=content, reason="ভুল আছে।")
    with pytest.raises(ValidationError):
        content_demote(actor=national, content=content, reason="আবার।")
