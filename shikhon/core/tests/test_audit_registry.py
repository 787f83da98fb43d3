"""Audit actions come from the registry each app fills: an action registered by a test is recorded, listed
in the audit page's filter and shown with its label, with no change to core; duplicates and unknown actions
are refused with a clear error; an old row of an action nobody registers still shows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation

from shikhon.core.audit import (
    AuditAction,
    audit_action_choices,
    audit_action_label,
    audit_actions,
    audit_record,
    audit_record_many,
)
from shikhon.core.models import AuditEvent
from shikhon.core.registry import UnknownName

pytestmark = pytest.mark.django_db


@pytest.fixture
def homework_action():
    with audit_actions.temporarily(AuditAction("test_homework_set", "Homework set")) as action:
        yield action


def test_an_action_registered_elsewhere_is_recorded_filtered_and_labelled(client, people, homework_action):
    nasrin = people["national_admin_nasrin"]
    event = audit_record(actor=nasrin, action="test_homework_set", target=people["teacher_rubi"], summary="x")
    assert AuditEvent.objects.get(action="test_homework_set") == event
    assert ("test_homework_set", "Homework set") in audit_action_choices()
    client.force_login(nasrin)
    with translation.override("en"):
        page = client.get("/audit/", {"action": "test_homework_set"})
    assert page.status_code == 200 and [e.pk for e in page.context["events"]] == [event.pk]
    assert "Homework set" in page.content.decode()


def test_the_action_column_carries_no_list_of_actions():
    field = AuditEvent._meta.get_field("action")
    assert not field.choices
    assert [v.registry for v in field.validators if hasattr(v, "registry")] == ["shikhon.core.audit.audit_actions"]


def test_an_action_is_registered_once(homework_action):
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        audit_actions.add(AuditAction("test_homework_set", "Again"))
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        audit_actions.add(AuditAction("role_granted", "Mine too"))


def test_an_unknown_action_is_refused_with_a_clear_error(people):
    with pytest.raises(UnknownName, match=r"Unknown audit action 'homework_set'\. Known: .*role_granted"):
        audit_record(actor=people["national_admin_nasrin"], action="homework_set")
    with pytest.raises(ValidationError):
        AuditEvent(action="homework_set").full_clean(exclude=["actor"])
    assert not AuditEvent.objects.exists()


def test_an_old_row_of_an_action_nobody_registers_still_shows(client, people):
    AuditEvent.objects.create(action="gone_action", summary="old")
    client.force_login(people["national_admin_nasrin"])
    with translation.override("en"):
        assert audit_action_label("gone_action") == "Other action (gone_action)"
        page = client.get("/audit/")
    assert page.status_code == 200 and "gone_action" in page.content.decode()


def test_many_events_in_one_statement(people, django_assert_num_queries):
    targets = [people["teacher_rubi"], people["head_teacher_masuma"], people["officer_hatia"]]
    with django_assert_num_queries(1):
        events = audit_record_many(actor=people["national_admin_nasrin"], action="role_granted", targets=targets)
    assert len(events) == 3
    assert set(AuditEvent.objects.values_list("target_id", flat=True)) == {str(t.pk) for t in targets}
