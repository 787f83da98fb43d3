"""Accounts, profiles, passwords and one-time sign-in codes."""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from shikhon.core import sms
from shikhon.core.errors import RateLimited
from shikhon.core.models import AuditEvent
from shikhon.people import services
from shikhon.people.models import LoginCode, User
from shikhon.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _send_sms_at_once(monkeypatch, django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the SMS) when the service's transaction ends, as in production:
    tests run inside one outer transaction that never commits."""
    real = services.login_code_request

    def request_and_commit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return real(**kwargs)

    monkeypatch.setattr(services, "login_code_request", request_and_commit)

RUBI = "+8801711000007"
UNKNOWN = "+8801999888777"


def _code_from_sms(phone: str) -> str:
    bodies = [m.body for m in sms.outbox if m.to == phone]
    assert bodies, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", bodies[-1]).group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# ---------------------------------------------------------------- accounts


@pytest.mark.parametrize("typed", ["01712345678", "+880 1712-345678", "8801712345678", "০১৭১২৩৪৫৬৭৮"])
def test_user_create_stores_the_number_once_in_e164(typed):
    user = services.user_create(phone=typed, name_bn="  রুবি  ")
    assert user.phone == "+8801712345678"
    assert user.name_bn == "রুবি"
    assert not user.has_usable_password()
    with pytest.raises(ValidationError) as exc:
        services.user_create(phone="01712-345678", name_bn="আবার")
    assert "already exists" in exc.value.message_dict["phone"][0]
    assert User.objects.filter(phone="+8801712345678").count() == 1


@pytest.mark.parametrize("phone", ["0171234567", "+447911123456", "01712345678\x00", "x" * 10_000])
def test_user_create_refuses_other_numbers_with_a_sentence(phone):
    with pytest.raises(ValidationError) as exc:
        services.user_create(phone=phone, name_bn="নাম")
    assert "01712345678" in exc.value.messages[0]
    assert not User.objects.exists()


@pytest.mark.parametrize("name, field", [
    ("\u202e\x00", "name_bn"), ("ক" * 10_000, "name_bn"), ("   ", "name_bn"), ("\x07\u2066\u2069", "name_bn"),
])
def test_user_create_refuses_bad_names_and_stores_nothing(name, field):
    with pytest.raises(ValidationError) as exc:
        services.user_create(phone="01712345678", name_bn=name)
    assert field in exc.value.message_dict
    assert not User.objects.exists()


def test_user_create_stores_names_without_hidden_characters():
    user = services.user_create(phone="01712345678", name_bn="রুবি\x00", name_en="a\x07b")
    user.refresh_from_db()
    assert (user.name_bn, user.name_en) == ("রুবি", "ab")


def test_user_get_or_create_finds_the_same_person_however_typed():
    first, created = services.user_get_or_create(phone="01712345678", name_bn="রুবি")
    again, created_again = services.user_get_or_create(phone="+৮৮০ ১৭১২-৩৪৫৬৭৮", name_bn="অন্য")
    assert created and not created_again
    assert first.pk == again.pk and again.name_bn == "রুবি"


def test_profile_update_by_the_person_themselves():
    user = UserFactory()
    services.user_update_profile(actor=user, user=user, name_bn=" নতুন নাম ", name_en="New",
                                 gender="female", designation="Assistant teacher")
    user.refresh_from_db()
    assert (user.name_bn, user.name_en, user.gender, user.designation) == (
        "নতুন নাম", "New", "female", "Assistant teacher")


def test_profile_update_of_someone_else_is_refused():
    user, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_update_profile(actor=other, user=user, name_bn="x", name_en="", gender="", designation="")


def test_invalid_profile_update_leaves_the_object_and_row_unchanged():
    user = UserFactory(name_bn="আগের নাম")
    with pytest.raises(ValidationError):
        services.user_update_profile(actor=user, user=user, name_bn="ক" * 10_000, name_en="",
                                     gender="", designation="")
    assert user.name_bn == "আগের নাম"
    with pytest.raises(ValidationError):
        services.user_update_profile(actor=user, user=user, name_bn="ঠিক", name_en="",
                                     gender="robot", designation="")
    user.refresh_from_db()
    assert user.name_bn == "আগের নাম" and user.gender == ""


# ---------------------------------------------------------------- passwords


def test_officer_sets_own_password_and_it_is_audited(people):
    officer = people["officer_hatia"]
    services.user_set_password(actor=officer, user=officer, password="correct horse battery")
    officer.refresh_from_db()
    assert officer.check_password("correct horse battery")
    assert "correct horse battery" not in officer.password
    assert AuditEvent.objects.filter(action="password_set", actor=officer).exists()


def test_weak_password_is_refused_with_a_sentence(people):
    officer = people["officer_hatia"]
    with pytest.raises(ValidationError):
        services.user_set_password(actor=officer, user=officer, password="12345")
    officer.refresh_from_db()
    assert not officer.has_usable_password()


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "researcher_tanvir"])
def test_only_officers_may_have_a_password(people, who):
    person = people[who]
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=person, user=person, password="correct horse battery")


def test_nobody_sets_another_persons_password(people):
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=people["national_admin_nasrin"], user=people["officer_hatia"],
                                   password="correct horse battery")


def test_production_hashes_passwords_with_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


# ---------------------------------------------------------------- sign-in codes


def test_code_is_six_digits_texted_and_stored_only_as_a_hash(people, caplog):
    caplog.set_level(logging.DEBUG)
    result = services.login_code_request(phone="01711-000007", ip="10.0.0.1")
    code = _code_from_sms(RUBI)
    assert len(code) == 6 and code.isdigit()
    assert result.phone == RUBI
    row = LoginCode.objects.get(phone=RUBI)
    stored = " ".join(str(getattr(row, f.attname)) for f in LoginCode._meta.concrete_fields)
    assert code not in stored
    assert row.code_hash != code and len(row.code_hash) == 64
    assert code not in caplog.text
    # expires in 5 minutes
    assert timedelta(minutes=4, seconds=59) < row.expires_at - row.created_at <= timedelta(minutes=5)


def test_right_code_signs_in_once(people):
    services.login_code_request(phone=RUBI, ip="10.0.0.1")
    code = _code_from_sms(RUBI)
    assert services.login_code_verify(phone=RUBI, code=code, ip="10.0.0.1") == people["teacher_rubi"]
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone=RUBI, code=code, ip="10.0.0.1")
    assert exc.value.code == "expired"


def test_code_typed_in_bangla_digits_with_spaces_works(people):
    services.login_code_request(phone=RUBI, ip=None)
    code = _code_from_sms(RUBI)
    bangla = code.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    typed = f" {bangla[:3]} {bangla[3:]} "
    assert services.login_code_verify(phone=RUBI, code=typed, ip=None) == people["teacher_rubi"]


def test_code_expires_after_five_minutes(people):
    services.login_code_request(phone=RUBI, ip="10.0.0.1")
    code = _code_from_sms(RUBI)
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone=RUBI, code=code, ip="10.0.0.1")
    assert exc.value.code == "expired"
    assert "Ask for a new code" in exc.value.messages[0]


def test_five_wrong_tries_void_the_code(people):
    services.login_code_request(phone=RUBI, ip="10.0.0.1")
    code = _code_from_sms(RUBI)
    messages = []
    for _ in range(5):
        with pytest.raises(ValidationError) as exc:
            services.login_code_verify(phone=RUBI, code=_wrong(code), ip="10.0.0.1")
        messages.append((exc.value.code, exc.value.messages[0]))
    assert messages[0] == ("wrong_code", "That code is not right. You have ৪ tries left.")
    assert messages[3] == ("wrong_code", "That code is not right. You have ১ try left.")
    assert messages[4][0] == "voided"
    row = LoginCode.objects.get()
    assert row.voided_at is not None and row.failed_attempts == 5
    # now even the right code is refused
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone=RUBI, code=code, ip="10.0.0.1")
    assert exc.value.code == "expired"


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12345\x00", "１２３４５６", "²²²²²²"])
def test_malformed_codes_count_as_wrong_and_never_crash(people, typed):
    services.login_code_request(phone=RUBI, ip=None)
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone=RUBI, code=typed, ip=None)
    assert exc.value.code == "wrong_code"


def test_a_new_code_replaces_the_earlier_one(people):
    services.login_code_request(phone=RUBI, ip=None)
    first = _code_from_sms(RUBI)
    services.login_code_request(phone=RUBI, ip=None)
    second = _code_from_sms(RUBI)
    if first != second:
        with pytest.raises(ValidationError):
            services.login_code_verify(phone=RUBI, code=first, ip=None)
    assert services.login_code_verify(phone=RUBI, code=second, ip=None) == people["teacher_rubi"]


def test_at_most_three_codes_per_number_per_fifteen_minutes(people, monkeypatch):
    from shikhon.core import ratelimit

    for _ in range(3):
        services.login_code_request(phone=RUBI, ip=None)
    with pytest.raises(RateLimited) as exc:
        services.login_code_request(phone=RUBI, ip=None)
    assert "১৫ minutes" in exc.value.messages[0]
    assert len(sms.outbox) == 3
    # the limit is per number: another number is still served
    services.login_code_request(phone="+8801711000006", ip=None)
    # and once the window has passed the number is served again
    LoginCode.objects.filter(phone=RUBI).update(created_at=timezone.now() - timedelta(minutes=16))
    later = time.time() + 16 * 60
    monkeypatch.setattr(ratelimit, "_clock", lambda: later)
    services.login_code_request(phone=RUBI, ip=None)


# ---- issue 8: a stranger cannot keep a teacher out; a flood from many requesters stays bounded

STRANGER_IP, RUBI_IP = "203.0.113.66", "198.51.100.7"


def test_a_strangers_requests_do_not_use_up_the_teachers_codes(people):
    for _ in range(3):
        services.login_code_request(phone=RUBI, ip=STRANGER_IP, device="stranger-device")
    with pytest.raises(RateLimited):
        services.login_code_request(phone=RUBI, ip=STRANGER_IP, device="stranger-device")
    # Rubi, on her own phone and network, still gets her code
    services.login_code_request(phone=RUBI, ip=RUBI_IP, device="rubi-device")
    assert len(sms.outbox) == 4 and sms.outbox[-1].to == RUBI


def test_a_new_address_with_the_same_device_is_still_limited(people):
    for n in range(3):
        services.login_code_request(phone=RUBI, ip=f"203.0.113.{n}", device="stranger-device")
    with pytest.raises(RateLimited):
        services.login_code_request(phone=RUBI, ip="203.0.113.99", device="stranger-device")


def test_without_a_device_cookie_new_addresses_share_one_count(people):
    for n in range(3):
        services.login_code_request(phone=RUBI, ip=f"203.0.113.{n}", device=None)
    with pytest.raises(RateLimited):
        services.login_code_request(phone=RUBI, ip="203.0.113.99", device=None)


@override_settings(LOGIN_CODE_MAX_PER_PHONE_ALL=5)
def test_a_flood_from_many_requesters_is_bounded_per_number(people):
    for n in range(5):
        services.login_code_request(phone=RUBI, ip=f"203.0.113.{n}", device=f"device-{n}")
    with pytest.raises(RateLimited) as exc:
        services.login_code_request(phone=RUBI, ip=RUBI_IP, device="rubi-device")
    assert "Wait ১৫ minutes" in exc.value.messages[0]
    assert len(sms.outbox) == 5  # the SMS cost of the flood is bounded


@override_settings(LOGIN_CODE_PHONE_WINDOW_SECONDS=30 * 60, LOGIN_CODE_MAX_PER_IP=2,
                   LOGIN_CODE_IP_WINDOW_SECONDS=60 * 60)
def test_every_refusal_names_the_window_of_its_limit(people):
    for _ in range(2):
        services.login_code_request(phone=UNKNOWN, ip="203.0.113.5", device="d")
    with pytest.raises(RateLimited) as per_address:
        services.login_code_request(phone=RUBI, ip="203.0.113.5", device="d")
    assert "Wait ৬০ minutes" in per_address.value.messages[0]
    for n in range(3):
        services.login_code_request(phone=RUBI, ip=f"203.0.113.{10 + n}", device="e")
    with pytest.raises(RateLimited) as per_number:
        services.login_code_request(phone=RUBI, ip="203.0.113.20", device="e")
    assert "Wait ৩০ minutes" in per_number.value.messages[0]


def test_registration_texts_the_code_to_every_number(people):
    services.login_code_request(phone=UNKNOWN, ip=None, for_registration=True)
    services.login_code_request(phone=RUBI, ip=None, for_registration=True)
    assert [m.to for m in sms.outbox] == [UNKNOWN, RUBI]
    code = re.search(r"\b(\d{6})\b", sms.outbox[0].body).group(1)
    assert services.phone_code_verify(phone=UNKNOWN, code=code, ip=None) is None  # proven, no account yet


def test_the_per_number_limit_is_the_same_for_unknown_numbers(db):
    for _ in range(3):
        services.login_code_request(phone=UNKNOWN, ip=None)
    with pytest.raises(RateLimited):
        services.login_code_request(phone=UNKNOWN, ip=None)


@override_settings(LOGIN_CODE_MAX_PER_IP=4)
def test_per_address_limit_across_numbers(db):
    for n in range(4):
        services.login_code_request(phone=f"+88017110001{n:02d}", ip="203.0.113.9")
    with pytest.raises(RateLimited):
        services.login_code_request(phone="+8801711000199", ip="203.0.113.9")
    # another address is still served
    services.login_code_request(phone="+8801711000199", ip="203.0.113.10")


def test_unknown_numbers_get_a_code_row_but_no_sms(db):
    result = services.login_code_request(phone=UNKNOWN, ip=None)
    assert result.phone == UNKNOWN
    assert LoginCode.objects.filter(phone=UNKNOWN).count() == 1
    assert sms.outbox == []


@override_settings(SHIKHON_DEMO_MODE=False)
def test_without_demo_mode_the_code_is_not_returned(people):
    assert services.login_code_request(phone=RUBI, ip=None).demo_code is None
    assert services.login_code_request(phone=UNKNOWN, ip=None).demo_code is None


@override_settings(SHIKHON_DEMO_MODE=True)
def test_demo_mode_returns_the_code_for_known_and_unknown_numbers_alike(people):
    known = services.login_code_request(phone=RUBI, ip=None).demo_code
    unknown = services.login_code_request(phone=UNKNOWN, ip=None).demo_code
    assert known == _code_from_sms(RUBI)
    assert unknown is not None and len(unknown) == 6
    with pytest.raises(ValidationError) as exc:
        services.login_code_verify(phone=UNKNOWN, code=unknown, ip=None)
    assert exc.value.code == "no_account"
    assert "Register" in exc.value.messages[0]


def test_inactive_person_cannot_sign_in_and_gets_no_sms(people):
    rubi = people["teacher_rubi"]
    rubi.is_active = False
    rubi.save(update_fields=["is_active"])
    services.login_code_request(phone=RUBI, ip=None)
    assert sms.outbox == []


def test_per_address_limit_on_code_checks(people):
    services.login_code_request(phone=RUBI, ip="198.51.100.7")
    code = _code_from_sms(RUBI)
    from shikhon.core import ratelimit

    for _ in range(60):
        ratelimit.hit(key="verify-ip:198.51.100.7", limit=60, window_seconds=3600)
    with pytest.raises(RateLimited):
        services.login_code_verify(phone=RUBI, code=code, ip="198.51.100.7")
    # the code itself was not spent by the refused try
    assert services.login_code_verify(phone=RUBI, code=code, ip="198.51.100.8") == people["teacher_rubi"]


def test_failing_sms_gateway_does_not_break_the_answer(people, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = ""  # send_sms raises SmsError
    result = services.login_code_request(phone=RUBI, ip=None)
    assert result.phone == RUBI


def test_gateway_sms_for_codes_is_sent_off_the_request_thread(people, settings, monkeypatch):
    import threading

    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "https://sms-gateway.invalid/send"
    seen: dict[str, str] = {}
    done = threading.Event()

    def fake_http(*, to, body):
        seen["thread"] = threading.current_thread().name
        seen["to"] = to
        done.set()

    monkeypatch.setattr(sms, "_send_http", fake_http)
    services.login_code_request(phone=RUBI, ip=None)
    assert done.wait(5)
    assert seen == {"thread": "sms-send", "to": RUBI}
