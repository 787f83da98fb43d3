import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shikhon.core import sms
from shikhon.notify import selectors, services
from shikhon.notify.models import Notification


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run the after-commit work (the SMS task) as production does when the transaction ends."""
    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notification_send(**kwargs)
    return send


def approved(recipient, key="role:1:approved"):
    return {"recipient": recipient, "kind": "membership_approved", "event_key": key,
            "params": {"school": "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়"}, "url": "/"}


def test_an_event_is_told_once_with_one_sms(people, send_now):
    rubi = people["teacher_rubi"]
    first = send_now(**approved(rubi))
    again = send_now(**approved(rubi))
    assert first.pk == again.pk
    assert Notification.objects.filter(recipient=rubi).count() == 1
    assert [m.to for m in sms.outbox] == [rubi.phone]
    assert "হাতিয়া" in sms.outbox[0].body


def test_delivering_twice_sends_one_sms(people, send_now):
    notification = send_now(**approved(people["teacher_rubi"]))
    assert services.notification_sms_deliver(notification_id=notification.pk) is False
    assert len(sms.outbox) == 1
    notification.refresh_from_db()
    assert notification.sms_sent_at is not None


def test_no_sms_when_she_turned_it_off(people, send_now):
    rubi = people["teacher_rubi"]
    services.sms_preferences_set(actor=rubi, choices={"membership_approved": False})
    send_now(**approved(rubi))
    assert sms.outbox == []
    assert selectors.unread_count(rubi) == 1


def test_unknown_kind_is_refused(people):
    with pytest.raises(ValidationError):
        services.notification_send(recipient=people["teacher_rubi"], kind="nope", event_key="x")
    with pytest.raises(ValidationError):
        services.sms_preferences_set(actor=people["teacher_rubi"], choices={"nope": True})


def test_only_the_recipient_marks_read(people, send_now):
    notification = send_now(**approved(people["teacher_rubi"]))
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=people["head_teacher_masuma"], notification=notification)


def test_text_reads_in_the_readers_language_and_survives_broken_details(people):
    from django.utils import translation

    n = Notification(kind="added_to_school", params={"school": "চরকিং"})
    with translation.override("en"):
        assert "You were added to চরকিং" in selectors.notification_text(n)
        assert selectors.notification_text(Notification(kind="added_to_school", params={})) == (
            "You have a new notification.")  # no KeyError
        assert selectors.notification_text(Notification(kind="gone", params={})) == "You have a new notification."


# --- pages -----------------------------------------------------------------------------------


def test_list_shows_only_my_notifications_and_the_header_counts_unread(client, people, send_now):
    send_now(**approved(people["teacher_rubi"]))
    send_now(**approved(people["head_teacher_masuma"], key="other"))
    client.force_login(people["teacher_rubi"])
    response = client.get(reverse("notify:list"))
    assert [n.recipient for n in response.context["page"]] == [people["teacher_rubi"]]
    assert 'class="count">১' in response.content.decode()


@pytest.mark.parametrize("who, status", [("teacher_rubi", 302), ("head_teacher_masuma", 404),
                                         ("officer_hatia", 404), ("national_admin_nasrin", 404)])
def test_someone_elses_notification_is_404(client, people, send_now, who, status):
    notification = send_now(**approved(people["teacher_rubi"]))
    client.force_login(people[who])
    assert client.post(reverse("notify:open", args=[notification.pk])).status_code == status


def test_opening_marks_read_and_goes_to_its_page_but_never_off_site(client, people, send_now):
    rubi = people["teacher_rubi"]
    notification = send_now(**approved(rubi))
    Notification.objects.filter(pk=notification.pk).update(url="https://evil.example/")
    client.force_login(rubi)
    response = client.post(reverse("notify:open", args=[notification.pk]))
    assert response.url == reverse("notify:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_read_all(client, people, send_now):
    rubi = people["teacher_rubi"]
    for n in range(3):
        send_now(**approved(rubi, key=f"k{n}"))
    client.force_login(rubi)
    client.post(reverse("notify:read_all"))
    assert selectors.unread_count(rubi) == 0


def test_sms_settings_save_and_refuse_junk(client, people):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    assert client.get(reverse("notify:sms_settings")).status_code == 200
    client.post(reverse("notify:sms_settings"), {"added_to_school": "on", "junk\x00": "x" * 10_000})
    choices = selectors.sms_choices(rubi)
    assert choices["added_to_school"] is True and choices["membership_approved"] is False


def test_pages_need_sign_in_and_get_is_not_allowed_for_writes(client, people):
    assert client.get(reverse("notify:list")).status_code == 302
    client.force_login(people["teacher_rubi"])
    assert client.get(reverse("notify:read_all")).status_code == 405


def test_list_queries_are_bounded(client, people, send_now, django_assert_max_num_queries):
    rubi = people["teacher_rubi"]
    for n in range(25):
        send_now(**approved(rubi, key=f"k{n}"))
    client.force_login(rubi)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("notify:list")).status_code == 200
