"""Moderation (services.moderation): upholding a report hides the content and closes every open report on it;
dismissing; hiding and restoring directly (a reason needed, the author told); hiding a comment; who may; all
audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shikhon.core.models import AuditEvent
from shikhon.library import audit_actions, notifications_reviews
from shikhon.library.models import Comment, Content, Report
from shikhon.library.services.moderation import (
    comment_hide,
    content_hide,
    content_restore,
    report_dismiss,
    report_uphold,
)
from shikhon.library.tests.factories import ContentFactory
from shikhon.notify.models import Notification

pytestmark = pytest.mark.django_db
MODERATORS = ["mentor_hatia", "mentor_noakhali", "mentor_national", "officer_hatia", "officer_noakhali",
              "national_admin_nasrin"]
OTHERS = ["teacher_rubi", "colleague_shirina", "head_teacher_masuma", "mentor_subarnachar", "officer_other_upazila",
          "researcher_tanvir"]


def report_on(content, reporter, reason="wrong"):
    return Report.objects.create(content=content, reporter=reporter, reason=reason, note="ভুল যোগফল।",
                                 school_id=content.school_id, upazila_id=content.upazila_id,
                                 district_id=content.district_id, division_id=content.division_id)


@pytest.fixture
def content(library_people):
    return ContentFactory(author=library_people["teacher_rubi"], published=True)


@pytest.mark.parametrize("who", MODERATORS)
def test_uphold_hides_and_closes_every_open_report(library_people, content, who,
                                                    django_capture_on_commit_callbacks):
    first = report_on(content, library_people["colleague_shirina"])
    second = report_on(content, library_people["teacher_of_other_school"], reason="copyright")
    actor = library_people[who]
    with django_capture_on_commit_callbacks(execute=True):
        report_uphold(actor=actor, report=first, reason="ভুল তথ্য আছে।")
    content.refresh_from_db()
    assert content.hidden_at is not None and content.hidden_by == actor and content.hidden_reason == "ভুল তথ্য আছে।"
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.UPHELD}
    second.refresh_from_db()
    assert second.decided_by == actor and second.decided_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {audit_actions.REPORT_UPHELD, audit_actions.CONTENT_HIDDEN} <= actions
    told = Notification.objects.get(recipient=library_people["teacher_rubi"])
    assert told.kind == notifications_reviews.HIDDEN and told.params["reason"] == "ভুল তথ্য আছে।"


@pytest.mark.parametrize("who", OTHERS)
def test_others_do_not_moderate(library_people, content, who):
    report = report_on(content, library_people["teacher_of_other_school"])
    comment = Comment.objects.create(content=content, author=library_people["colleague_shirina"], body="বাজে।")
    actor = library_people[who]
    with pytest.raises(PermissionDenied):
        report_uphold(actor=actor, report=report, reason="কারণ।")
    with pytest.raises(PermissionDenied):
        report_dismiss(actor=actor, report=report)
    with pytest.raises(PermissionDenied):
        content_hide(actor=actor, content=content, reason="কারণ।")
    with pytest.raises(PermissionDenied):
        comment_hide(actor=actor, comment=comment)
    assert Content.objects.get(pk=content.pk).hidden_at is None
    assert Report.objects.get().status == Report.Status.OPEN
    assert not AuditEvent.objects.exists()


def test_dismiss(library_people, content):
    report = report_on(content, library_people["colleague_shirina"])
    report_dismiss(actor=library_people["officer_hatia"], report=report)
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED and report.decided_by == library_people["officer_hatia"]
    assert Content.objects.get(pk=content.pk).hidden_at is None
    assert AuditEvent.objects.get().action == audit_actions.REPORT_DISMISSED
    with pytest.raises(ValidationError):
        report_dismiss(actor=library_people["mentor_hatia"], report=report)
    with pytest.raises(ValidationError):
        report_uphold(actor=library_people["mentor_hatia"], report=report, reason="না।")


def test_uphold_needs_a_reason(library_people, content):
    report = report_on(content, library_people["colleague_shirina"])
    with pytest.raises(ValidationError):
        report_uphold(actor=library_people["mentor_hatia"], report=report, reason="  ")
    assert Report.objects.get().status == Report.Status.OPEN and Content.objects.get().hidden_at is None


def test_hide_and_restore(library_people, content, django_capture_on_commit_callbacks):
    report = report_on(content, library_people["colleague_shirina"])
    officer = library_people["officer_hatia"]
    with django_capture_on_commit_callbacks(execute=True):
        content_hide(actor=officer, content=content, reason="অনুমতি ছাড়া নেওয়া।")
    report.refresh_from_db()
    assert report.status == Report.Status.UPHELD
    with pytest.raises(ValidationError):
        content_hide(actor=officer, content=content, reason="আবার।")
    with pytest.raises(ValidationError):
        content_restore(actor=officer, content=content, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        content_restore(actor=officer, content=content, reason="অনুমতি পাওয়া গেছে।")
    content.refresh_from_db()
    assert content.hidden_at is None and content.hidden_by is None and content.hidden_reason == ""
    with pytest.raises(ValidationError):
        content_restore(actor=officer, content=content, reason="আবার।")
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [audit_actions.CONTENT_HIDDEN,
                                                                     audit_actions.CONTENT_RESTORED]
    kinds = list(Notification.objects.filter(recipient=library_people["teacher_rubi"]).order_by("pk")
                 .values_list("kind", flat=True))
    assert kinds == [notifications_reviews.HIDDEN, notifications_reviews.RESTORED]


def test_hide_a_comment(library_people, content):
    comment = Comment.objects.create(content=content, author=library_people["colleague_shirina"], body="বাজে।")
    comment_hide(actor=library_people["mentor_hatia"], comment=comment)
    comment.refresh_from_db()
    assert comment.hidden_at is not None and comment.hidden_by == library_people["mentor_hatia"]
    assert AuditEvent.objects.get().action == audit_actions.COMMENT_HIDDEN
    with pytest.raises(ValidationError):
        comment_hide(actor=library_people["mentor_hatia"], comment=comment)
