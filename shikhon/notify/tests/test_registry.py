"""Kinds of notification come from the registry each app fills: a kind registered by a test works end to
end (told once, its words on the list page, its SMS, its line among the SMS choices) without any change to
notify; duplicates and unknown kinds are refused with a clear error; an old row of a kind no app registers
any more reads neutrally."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import translation

from shikhon.core import sms
from shikhon.core.registry import UnknownName
from shikhon.notify import selectors, services
from shikhon.notify.models import Notification, SmsPreference
from shikhon.notify.registry import NotificationKind, notification_kinds, render

pytestmark = pytest.mark.django_db


@pytest.fixture
def homework_kind():
    """A throwaway kind, as a future app would register it from its AppConfig.ready."""
    kind = NotificationKind("test_homework_due", "My homework is due", "Your homework %(title)s is due.",
                            sms_by_default=True)
    with notification_kinds.temporarily(kind):
        yield kind


def test_a_kind_registered_elsewhere_works_end_to_end(client, people, homework_kind,
                                                      django_capture_on_commit_callbacks):
    rubi = people["teacher_rubi"]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notification_send(recipient=rubi, kind="test_homework_due", event_key="homework:1",
                                           params={"title": "ভগ্নাংশ"}, url="/")
        again = services.notification_send(recipient=rubi, kind="test_homework_due", event_key="homework:1",
                                           params={"title": "ভগ্নাংশ"}, url="/")
    assert first.pk == again.pk
    assert [m.body for m in sms.outbox] == ["Shikhon: Your homework ভগ্নাংশ is due."]
    client.force_login(rubi)
    with translation.override("en"):
        assert "Your homework ভগ্নাংশ is due." in client.get(reverse("notify:list")).content.decode()
        choices_page = client.get(reverse("notify:sms_settings")).content.decode()
    assert "My homework is due" in choices_page
    client.post(reverse("notify:sms_settings"), {"added_to_school": "on"})  # homework left unticked
    assert SmsPreference.objects.get(user=rubi, kind="test_homework_due").sms is False
    assert selectors.sms_choices(rubi)["test_homework_due"] is False


def test_the_kind_columns_carry_no_list_of_kinds():
    """So a new kind ships no migration in notify: the columns are checked against the registry."""
    for model in (Notification, SmsPreference):
        field = model._meta.get_field("kind")
        assert not field.choices
        assert [v.registry for v in field.validators if hasattr(v, "registry")] == [
            "shikhon.notify.registry.notification_kinds"]


def test_a_kind_is_registered_once(homework_kind):
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        notification_kinds.add(NotificationKind("test_homework_due", "Again", "Again"))
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        notification_kinds.add(NotificationKind("certificate_issued", "Mine too", "Mine too"))


@pytest.mark.parametrize("name", ["", "Certificate", "has space", "x" * 41, "৳"])
def test_a_kind_name_fits_the_column(name):
    with pytest.raises(ImproperlyConfigured, match="lowercase"):
        notification_kinds.add(NotificationKind(name, "label", "text"))


def test_an_unknown_kind_is_refused_with_a_clear_error(people):
    with pytest.raises(UnknownName, match=r"Unknown notification kind 'homework_due'\. Known: .*certificate_issued"):
        notification_kinds.get("homework_due")
    with pytest.raises(ValidationError):
        services.notification_send(recipient=people["teacher_rubi"], kind="homework_due", event_key="x")
    with pytest.raises(ValidationError):
        Notification(recipient=people["teacher_rubi"], kind="homework_due", event_key="x").full_clean()
    assert not Notification.objects.exists()


def test_an_old_row_of_a_kind_nobody_registers_reads_neutrally(client, people):
    rubi = people["teacher_rubi"]
    Notification.objects.create(recipient=rubi, kind="gone_kind", event_key="old:1", params={"x": 1})
    SmsPreference.objects.create(user=rubi, kind="gone_kind", sms=True)
    client.force_login(rubi)
    with translation.override("en"):
        page = client.get(reverse("notify:list"))
        assert page.status_code == 200 and "You have a new notification." in page.content.decode()
        assert client.get(reverse("notify:sms_settings")).status_code == 200
        assert render("gone_kind", {"x": 1}) == "You have a new notification."
    assert "gone_kind" not in selectors.sms_choices(rubi)


def test_every_kind_the_apps_register_has_words_and_a_label():
    names = notification_kinds.names()
    assert {"membership_approved", "course_published", "video_ready", "certificate_issued",
            "training_invited"} <= set(names)
    for kind in notification_kinds:
        assert str(kind.label) and (str(kind.text) or kind.render is not None), kind.name
