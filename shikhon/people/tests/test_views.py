"""The people pages as a phone sees them: sign-in, registration, profile, approvals, invitations, roles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from shikhon.core import sms
from shikhon.core.bangla import to_western_digits
from shikhon.core.models import AuditEvent
from shikhon.people.models import LoginCode, Role, User
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.tests.factories import SchoolFactory

K = Role.Kind
HOME = "/"
RUBI = "+8801711000007"
UNKNOWN = "+8801999888777"
SIGN_IN = reverse("people:sign_in")
CODE = reverse("people:sign_in_code")
PASSWORD = reverse("people:sign_in_password")
REGISTER = reverse("people:register")
APPROVALS = reverse("people:approvals")
INVITE = reverse("people:invite")
ROLES = reverse("people:roles")
PROFILE = reverse("people:profile")

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST and run what the request left for after commit (the SMS), as a real request would."""
    def _post(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)
    return _post


def _code_from_sms(phone):
    bodies = [m.body for m in sms.outbox if m.to == phone]
    assert bodies, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", bodies[-1]).group(1)


def _all_session_data():
    return " ".join(str(s.get_decoded()) for s in Session.objects.all())


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'data-testid="demo-code">\d{6}<', 'data-testid="demo-code">CODE<', html)


# ---------------------------------------------------------------- sign-in by code


def test_sign_in_by_sms_code_end_to_end(client, people, post):
    response = post(SIGN_IN, {"phone": "০১৭১১-০০০০০৭", "next": "/profile/"})
    assert response.status_code == 302 and response["Location"] == CODE
    page = client.get(CODE)
    assert page.status_code == 200
    assert "০১৭১১-০০০০০৭" in page.content.decode()  # the number, in Bangla digits
    code = _code_from_sms(RUBI)
    response = post(CODE, {"code": code})
    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert client.get(PROFILE).status_code == 200
    assert int(client.session["_auth_user_id"]) == people["teacher_rubi"].pk
    assert "signin_phone" not in client.session


def test_the_code_is_never_in_the_session_or_database(client, people, post):
    post(SIGN_IN, {"phone": RUBI})
    client.get(CODE)
    code = _code_from_sms(RUBI)
    assert code not in _all_session_data()
    for row in LoginCode.objects.values():
        assert code not in " ".join(str(v) for v in row.values())


@override_settings(SHIKHON_DEMO_MODE=False)
@pytest.mark.parametrize("phone", [UNKNOWN, "01999-888777"])
def test_same_answer_whether_or_not_the_number_is_registered(client, people, post, phone):
    from django.test import Client

    other = Client()
    known = post(SIGN_IN, {"phone": "01711-000007"})
    unknown = other.post(SIGN_IN, {"phone": phone})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, CODE)
    assert sorted(known.cookies) == sorted(unknown.cookies)
    known_page, unknown_page = client.get(CODE), other.get(CODE)
    assert known_page.status_code == unknown_page.status_code == 200
    known_html = _without_tokens(known_page.content.decode()).replace("০১৭১১-০০০০০৭", "NUMBER")
    unknown_html = _without_tokens(unknown_page.content.decode()).replace("০১৯৯৯-৮৮৮৭৭৭", "NUMBER")
    assert known_html == unknown_html
    # a wrong code answers alike too
    known_wrong, unknown_wrong = client.post(CODE, {"code": "000000"}), other.post(CODE, {"code": "000000"})
    if _code_from_sms(RUBI) != "000000":
        assert _without_tokens(known_wrong.content.decode()).replace("০১৭১১-০০০০০৭", "N") == \
            _without_tokens(unknown_wrong.content.decode()).replace("০১৯৯৯-৮৮৮৭৭৭", "N")
    # only the registered number got an SMS
    assert [m.to for m in sms.outbox] == [RUBI]


@override_settings(SHIKHON_DEMO_MODE=True)
def test_demo_mode_shows_the_code_for_known_and_unknown_numbers(client, people, post):
    from django.test import Client

    post(SIGN_IN, {"phone": RUBI})
    html = client.get(CODE).content.decode()
    shown = re.search(r'data-testid="demo-code">(\d{6})<', html).group(1)
    assert shown == _code_from_sms(RUBI)
    assert shown not in _all_session_data()
    other = Client()
    other.post(SIGN_IN, {"phone": UNKNOWN})
    assert re.search(r'data-testid="demo-code">(\d{6})<', other.get(CODE).content.decode())
    # and the shown code signs Rubi in
    assert client.post(CODE, {"code": shown}).status_code == 302


@override_settings(SHIKHON_DEMO_MODE=False)
def test_without_demo_mode_no_code_is_shown(client, people, post):
    post(SIGN_IN, {"phone": RUBI})
    html = client.get(CODE).content.decode()
    assert "demo-code" not in html and _code_from_sms(RUBI) not in html


def test_wrong_codes_say_how_many_tries_are_left_then_void(client, people, post):
    post(SIGN_IN, {"phone": RUBI})
    code = _code_from_sms(RUBI)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    first = client.post(CODE, {"code": wrong})
    assert first.status_code == 200 and "৪ tries left" in first.content.decode()
    for _ in range(4):
        last = client.post(CODE, {"code": wrong})
    assert "Ask for a new code" in last.content.decode()
    assert client.post(CODE, {"code": code}).status_code == 200  # voided: the right code no longer works
    assert "_auth_user_id" not in client.session


def test_code_page_without_a_number_goes_back_to_step_one(client, db):
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.post(CODE, {"code": "123456"})["Location"] == SIGN_IN


def test_fourth_code_in_fifteen_minutes_is_refused_with_a_sentence(client, people, post):
    for _ in range(3):
        assert post(SIGN_IN, {"phone": RUBI}).status_code == 302
    response = post(SIGN_IN, {"phone": RUBI})
    assert response.status_code == 200
    assert "Wait ১৫ minutes" in response.content.decode()
    assert len(sms.outbox) == 3


@override_settings(LOGIN_CODE_MAX_PER_IP=3)
def test_per_address_limit_on_asking_for_codes(client, db, post):
    for n in range(3):
        assert post(SIGN_IN, {"phone": f"+88017110009{n:02d}"}).status_code == 302
    response = post(SIGN_IN, {"phone": "+8801711000999"}, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200 and "Too many codes" in response.content.decode()
    assert post(SIGN_IN, {"phone": "+8801711000999"}, REMOTE_ADDR="127.0.0.2").status_code == 302


@pytest.mark.parametrize("phone", [
    "", "hello", "0171234567", "01712345678\x00", "০" * 10_000, "+447911123456", "01212345678", "'; DROP TABLE--",
])
def test_malformed_numbers_get_a_sentence_not_an_error(client, db, phone):
    response = client.post(SIGN_IN, {"phone": phone})
    assert response.status_code == 200
    html = response.content.decode()
    assert "01712345678" in html or "০১৭১২৩৪৫৬৭৮" in html or "This field is required" in html or "প্রয়োজন" in html
    assert not LoginCode.objects.exists()


@pytest.mark.parametrize("code", ["\x00", "x" * 10_000, "১২৩", "<script>"])
def test_malformed_codes_never_500(client, people, post, code):
    post(SIGN_IN, {"phone": RUBI})
    assert client.post(CODE, {"code": code}).status_code == 200


# ---------------------------------------------------------------- open redirects


@pytest.mark.parametrize("evil", [
    "//evil.example", "https://evil.example", "http://evil.example/x", "javascript:alert(1)",
    "/\\evil.example", "\\\\evil.example", "https:evil.example", " //evil.example", "//evil.example/%2F..",
    "data:text/html,hi", "\x00//evil.example", "/" + "a" * 5000,
])
def test_next_never_leaves_the_site_after_code_sign_in(client, people, post, evil):
    assert post(SIGN_IN, {"phone": RUBI, "next": evil}).status_code == 302
    response = post(CODE, {"code": _code_from_sms(RUBI)})
    assert response.status_code == 302 and response["Location"] == HOME


@pytest.mark.parametrize("evil", ["//evil.example", "https://evil.example", "javascript:alert(1)"])
def test_next_is_not_echoed_into_the_sign_in_form(client, db, evil):
    html = client.get(SIGN_IN, {"next": evil}).content.decode()
    assert re.search(r'name="next" value="/"', html)


def test_a_next_on_this_site_is_kept(client, people, post):
    post(SIGN_IN, {"phone": RUBI, "next": "/places/?q=hatia"})
    assert post(CODE, {"code": _code_from_sms(RUBI)})["Location"] == "/places/?q=hatia"


# ---------------------------------------------------------------- password sign-in (officers)


@pytest.fixture
def officer_with_password(people):
    officer = people["officer_hatia"]
    officer.set_password("correct horse battery")
    officer.save()
    return officer


def test_officer_signs_in_with_password(client, officer_with_password):
    response = client.post(PASSWORD, {"phone": "01711-000004", "password": "correct horse battery",
                                      "next": "https://evil.example"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert int(client.session["_auth_user_id"]) == officer_with_password.pk


def test_wrong_password_and_unknown_number_answer_alike(client, officer_with_password):
    wrong = client.post(PASSWORD, {"phone": "01711000004", "password": "wrong password here"})
    unknown = client.post(PASSWORD, {"phone": "01999888777", "password": "wrong password here"})
    assert wrong.status_code == unknown.status_code == 200
    assert "not right" in wrong.content.decode() and "not right" in unknown.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_sign_in_is_rate_limited(client, officer_with_password):
    for _ in range(10):
        client.post(PASSWORD, {"phone": "01711000004", "password": "wrong password here"})
    response = client.post(PASSWORD, {"phone": "01711000004", "password": "correct horse battery"})
    assert response.status_code == 200 and "Wait ১৫ minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_former_officer_cannot_use_the_old_password(client, officer_with_password):
    Role.objects.filter(user=officer_with_password).update(
        starts_on=timezone.localdate() - timedelta(days=30), ends_on=timezone.localdate() - timedelta(days=1))
    response = client.post(PASSWORD, {"phone": "01711000004", "password": "correct horse battery"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_officer_sets_a_password_on_the_page(client, people):
    officer = people["officer_noakhali"]
    client.force_login(officer)
    mismatch = client.post(reverse("people:password_set"), {"password": "correct horse battery",
                                                            "password2": "something else entirely"})
    assert mismatch.status_code == 200 and "not the same" in mismatch.content.decode()
    weak = client.post(reverse("people:password_set"), {"password": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    ok = client.post(reverse("people:password_set"), {"password": "correct horse battery",
                                                      "password2": "correct horse battery"})
    assert ok.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("correct horse battery")
    assert client.get(PROFILE).status_code == 200  # still signed in after the change


# ---------------------------------------------------------------- registration and joining


def test_teacher_registers_and_waits_for_approval(client, places, post):
    response = post(REGISTER, {"phone": "০১৭১২৩৪৫৬৭৮", "name_bn": "নতুন শিক্ষক", "name_en": "",
                               "school": "১০০০০১", "kind": "teacher"})
    assert response.status_code == 302 and response["Location"] == CODE
    # nothing is made until the code proves the phone is hers
    assert not User.objects.filter(phone="+8801712345678").exists()
    response = post(CODE, {"code": _code_from_sms("+8801712345678")})
    assert response.status_code == 302
    user = User.objects.get(phone="+8801712345678")
    assert user.name_bn == "নতুন শিক্ষক" and int(client.session["_auth_user_id"]) == user.pk
    role = Role.objects.get(user=user)
    assert role.status == Role.Status.PENDING and role.school == places["school_hatia"]
    assert "register_pending" not in client.session
    assert "অনুমোদন" in client.get(HOME).content.decode() or "approve" in client.get(HOME).content.decode()


@pytest.mark.parametrize("next_url, expected", [
    ("/courses/anonde-gonit-shikhi/", "/courses/anonde-gonit-shikhi/"),  # back to the course she wanted
    ("https://evil.example/", None), ("//evil.example", None), ("", None),  # else her home, never elsewhere
])
def test_registration_returns_her_to_next_through_the_code_step(client, places, post, next_url, expected):
    page = client.get(REGISTER, {"next": next_url}).content.decode()
    assert f'name="next" value="{expected or HOME}"' in page
    response = post(REGISTER, {"phone": "01712345678", "name_bn": "নতুন শিক্ষক", "name_en": "",
                               "school": "100001", "kind": "teacher", "next": next_url})
    assert response.status_code == 302 and response["Location"] == CODE
    response = post(CODE, {"code": _code_from_sms("+8801712345678")})
    assert response.status_code == 302 and response["Location"] == (expected or HOME)


def test_sign_in_page_passes_next_to_registration(client, db):
    html = client.get(SIGN_IN, {"next": "/courses/x/"}).content.decode()
    assert 'href="/register/?next=/courses/x/"' in html or "?next=%2Fcourses%2Fx%2F" in html


@pytest.mark.parametrize("data, field_hint", [
    ({"phone": "0171234567"}, "01712345678"),
    ({"phone": "01712345678\x00"}, "01712345678"),
    ({"name_bn": "ক" * 10_000}, "120"),
    ({"name_bn": "\u202e\x00\u2066"}, ""),  # only hidden characters: nothing is left of the name
    ({"name_en": "x" * 10_000}, "120"),
    ({"school": "999999"}, "EIIN"),
    ({"school": "abc\x00"}, ""),
    ({"school": "9" * 10_000}, ""),
    ({"kind": "national_admin"}, ""),
])
def test_bad_registration_input_gets_a_sentence_and_stores_nothing(client, places, data, field_hint):
    form = {"phone": "01712345678", "name_bn": "নতুন", "name_en": "", "school": "100001", "kind": "teacher"}
    form.update(data)
    response = client.post(REGISTER, form)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode() or 'role="alert"' in response.content.decode()
    assert field_hint in to_western_digits(response.content.decode())  # errors say numbers in Bangla digits
    assert not User.objects.filter(phone="+8801712345678").exists()
    assert not Role.objects.filter(status=Role.Status.PENDING).exists()
    assert not sms.outbox  # details are checked before a code is sent, never after it is used


def test_registration_stores_a_name_without_its_hidden_characters(client, places, post):
    post(REGISTER, {"phone": "01712345678", "name_bn": "নতুন\x00 \u202eশিক্ষক", "name_en": "",
                    "school": "100001", "kind": "teacher"})
    post(CODE, {"code": _code_from_sms("+8801712345678")})
    assert User.objects.get(phone="+8801712345678").name_bn == "নতুন শিক্ষক"


@override_settings(SHIKHON_DEMO_MODE=False)
def test_registration_answers_a_registered_number_like_a_new_one(client, people, places, post,
                                                                django_capture_on_commit_callbacks):
    """Issue 8: registration told a stranger whether a number has an account. Now both get the code
    page, the same cookies and the same SMS; only the code holder learns the difference."""
    from django.test import Client

    other = Client()
    form = {"name_bn": "কেউ", "name_en": "", "school": "100002", "kind": "teacher"}
    known = post(REGISTER, {**form, "phone": "01711-000007"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = other.post(REGISTER, {**form, "phone": "01999-888777"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, CODE)
    assert sorted(known.cookies) == sorted(unknown.cookies)
    known_html = _without_tokens(client.get(CODE).content.decode()).replace("০১৭১১-০০০০০৭", "NUMBER")
    unknown_html = _without_tokens(other.get(CODE).content.decode()).replace("০১৯৯৯-৮৮৮৭৭৭", "NUMBER")
    assert known_html == unknown_html
    assert sorted(m.to for m in sms.outbox) == sorted([RUBI, UNKNOWN])  # both texted alike
    # after the code: Rubi is told she already has an account and is signed in; nothing new is made
    roles_before = Role.objects.filter(user=people["teacher_rubi"]).count()
    response = post(CODE, {"code": _code_from_sms(RUBI)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == people["teacher_rubi"].pk
    assert "already has an account" in client.get(response["Location"]).content.decode()
    assert Role.objects.filter(user=people["teacher_rubi"]).count() == roles_before
    assert User.objects.get(pk=people["teacher_rubi"].pk).name_bn != "কেউ"
    # the new number goes on to register
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(CODE, {"code": _code_from_sms(UNKNOWN)}).status_code == 302
    assert Role.objects.get(user__phone=UNKNOWN).status == Role.Status.PENDING


def test_a_wrong_code_registers_nothing(client, places, post):
    post(REGISTER, {"phone": "01712345678", "name_bn": "নতুন", "school": "100001", "kind": "teacher"})
    right = _code_from_sms("+8801712345678")
    response = post(CODE, {"code": "000000" if right != "000000" else "111111"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert not User.objects.filter(phone="+8801712345678").exists()


def test_a_school_closed_before_the_code_sends_her_back_to_the_form(client, places, post):
    post(REGISTER, {"phone": "01712345678", "name_bn": "নতুন", "school": "100001", "kind": "teacher"})
    places["school_hatia"].__class__.objects.filter(pk=places["school_hatia"].pk).update(is_active=False)
    response = post(CODE, {"code": _code_from_sms("+8801712345678")})
    assert response.status_code == 302 and response["Location"] == REGISTER
    assert "register_pending" not in client.session
    assert not Role.objects.filter(status=Role.Status.PENDING).exists()
    assert client.get(REGISTER).status_code == 200  # the sentence is shown on the form


def test_sign_in_and_registration_pages_give_a_signed_device_cookie(client, db):
    response = client.get(SIGN_IN)
    cookie = response.cookies["shikhon_device"]
    assert cookie["httponly"] and cookie.value.count(":") >= 2  # signed
    assert "shikhon_device" not in client.get(SIGN_IN).cookies  # given once
    assert "shikhon_device" in Client_fresh().get(REGISTER).cookies


def Client_fresh():  # noqa: N802 - reads like the class it makes
    from django.test import Client

    return Client()


def test_a_stranger_cannot_keep_a_teacher_out(client, people, post):
    from django.test import Client

    stranger = Client(REMOTE_ADDR="203.0.113.66")
    stranger.get(SIGN_IN)
    for _ in range(4):
        stranger.post(SIGN_IN, {"phone": RUBI})
    assert "Wait ১৫ minutes" in stranger.post(SIGN_IN, {"phone": RUBI}).content.decode()
    client.get(SIGN_IN)  # Rubi's own phone, with its own device cookie
    assert post(SIGN_IN, {"phone": RUBI}, REMOTE_ADDR="198.51.100.7").status_code == 302


@override_settings(SHIKHON_REGISTER_MAX_PER_IP_PER_HOUR=2)
def test_registration_is_limited_per_address(client, places, post):
    for n in range(2):
        client.cookies.clear()
        post(REGISTER, {"phone": f"0171200000{n}", "name_bn": "ক", "school": "100001", "kind": "teacher"})
    client.cookies.clear()
    response = post(REGISTER, {"phone": "01712000009", "name_bn": "ক", "school": "100001", "kind": "teacher"})
    assert response.status_code == 200 and "Too many registrations" in response.content.decode()
    assert not User.objects.filter(phone="+8801712000009").exists()


def test_signed_in_person_is_sent_from_register_to_join(client, people):
    client.force_login(people["teacher_rubi"])
    assert client.get(REGISTER)["Location"] == reverse("people:join")


def test_join_another_school(client, people, places):
    client.force_login(people["teacher_rubi"])
    response = client.post(reverse("people:join"), {"school": "100101", "kind": "teacher"})
    assert response.status_code == 302
    assert Role.objects.filter(user=people["teacher_rubi"], school=places["school_subarnachar"],
                               status=Role.Status.PENDING).exists()
    again = client.post(reverse("people:join"), {"school": "100101", "kind": "teacher"})
    assert again.status_code == 200 and "already" in again.content.decode()


def test_unknown_or_closed_school_eiin_is_refused(client, people):
    SchoolFactory(eiin="555555", is_active=False)
    client.force_login(people["no_role_user"])
    for eiin in ["555555", "000000", "12345", "²²²²²²"]:
        response = client.post(reverse("people:join"), {"school": eiin, "kind": "teacher"})
        assert response.status_code == 200 and "EIIN" in response.content.decode()
    assert not Role.objects.filter(user=people["no_role_user"]).exists()


# ---------------------------------------------------------------- profile


def test_profile_edit(client, people):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    response = client.post(PROFILE, {"name_bn": "রুবি আক্তার খান", "name_en": "Rubi Akter Khan",
                                     "gender": "female", "designation": "Assistant teacher"})
    assert response.status_code == 302
    rubi.refresh_from_db()
    assert (rubi.name_bn, rubi.gender, rubi.designation) == ("রুবি আক্তার খান", "female", "Assistant teacher")
    html = client.get(PROFILE).content.decode()
    assert "রুবি আক্তার খান" in html and places_name(people) in html


def places_name(people):
    return Role.objects.get(user=people["teacher_rubi"]).school.name_bn


@pytest.mark.parametrize("data", [
    {"name_bn": "ক" * 10_000}, {"name_bn": "\u202e\x00"}, {"name_bn": ""}, {"gender": "robot"},
    {"designation": "x" * 10_000}, {"name_en": "x" * 121},
])
def test_bad_profile_input_changes_nothing(client, people, data):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    form = {"name_bn": "নতুন", "name_en": "", "gender": "", "designation": ""}
    form.update(data)
    response = client.post(PROFILE, form)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    rubi.refresh_from_db()
    assert rubi.name_bn == "রুবি আক্তার"


def test_profile_lists_own_roles_and_officer_links(client, people):
    client.force_login(people["officer_hatia"])
    html = client.get(PROFILE).content.decode()
    assert reverse("people:password_set") in html and ROLES in html
    client.force_login(people["teacher_rubi"])
    html = client.get(PROFILE).content.decode()
    assert reverse("people:password_set") not in html and ROLES not in html


# ---------------------------------------------------------------- approvals


def _zahid_role(people):
    return Role.objects.get(user=people["teacher_pending_zahid"])


def test_head_teacher_approves_on_the_page(client, people, post):
    client.force_login(people["head_teacher_masuma"])
    html = client.get(APPROVALS).content.decode()
    assert people["teacher_pending_zahid"].name_bn in html
    role = _zahid_role(people)
    response = post(APPROVALS, {"role": role.pk, "decision": "approve"}, REMOTE_ADDR="203.0.113.77")
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.status == Role.Status.ACTIVE
    event = AuditEvent.objects.get(action="membership_approved")
    assert event.actor == people["head_teacher_masuma"] and event.ip_address == "203.0.113.77"
    assert sms.outbox[-1].to == people["teacher_pending_zahid"].phone
    client.get(APPROVALS)  # shows the "now a member" message once
    assert people["teacher_pending_zahid"].name_bn not in client.get(APPROVALS).content.decode()


def test_double_approval_answers_with_a_sentence(client, people):
    client.force_login(people["officer_hatia"])
    role = _zahid_role(people)
    assert client.post(APPROVALS, {"role": role.pk, "decision": "approve"}).status_code == 302
    again = client.post(APPROVALS, {"role": role.pk, "decision": "reject"}, follow=True)
    assert again.status_code == 200 and "already decided" in again.content.decode()
    role.refresh_from_db()
    assert role.status == Role.Status.ACTIVE
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("who", ["officer_other_upazila", "officer_sylhet_upazila", "head_teacher_subarnachar"])
def test_another_areas_pending_role_answers_404(client, people, who):
    client.force_login(people[who])
    role = _zahid_role(people)
    assert client.post(APPROVALS, {"role": role.pk, "decision": "approve"}).status_code == 404
    role.refresh_from_db()
    assert role.status == Role.Status.PENDING


@pytest.mark.parametrize("role_id", ["", "abc", "-1", "1.5", "²", "9" * 30, "1\x00", "99999999"])
def test_tampered_role_ids_answer_404(client, people, role_id):
    client.force_login(people["national_admin_nasrin"])
    assert client.post(APPROVALS, {"role": role_id, "decision": "approve"}).status_code == 404


@pytest.mark.parametrize("decision", ["", "APPROVE", "delete", "approve\x00"])
def test_unknown_decision_answers_404(client, people, decision):
    client.force_login(people["officer_hatia"])
    assert client.post(APPROVALS, {"role": _zahid_role(people).pk, "decision": decision}).status_code == 404
    assert _zahid_role(people).status == Role.Status.PENDING


def test_an_active_role_cannot_be_re_decided_through_the_page(client, people):
    client.force_login(people["officer_hatia"])
    rubi_role = Role.objects.get(user=people["teacher_rubi"])
    response = client.post(APPROVALS, {"role": rubi_role.pk, "decision": "reject"}, follow=True)
    assert response.status_code == 200 and "already decided" in response.content.decode()
    rubi_role.refresh_from_db()
    assert rubi_role.status == Role.Status.ACTIVE


def test_approvals_list_query_count_is_bounded(client, people, places, django_assert_max_num_queries):
    for _ in range(40):
        grant(UserFactory(), K.TEACHER, school=places["school_hatia"], status=Role.Status.PENDING)
    client.force_login(people["officer_noakhali"])
    # session, user, scope, count, page — the same for 40 rows as for 4
    with django_assert_max_num_queries(6):
        response = client.get(APPROVALS)
    assert response.status_code == 200
    assert response.content.decode().count('name="decision" value="approve"') == 25
    assert client.get(APPROVALS, {"page": "2"}).content.decode().count('value="approve"') == 16
    assert client.get(APPROVALS, {"page": "x" * 1000}).status_code == 200


# ---------------------------------------------------------------- invitations


def test_head_teacher_invites_on_the_page(client, people, post):
    client.force_login(people["head_teacher_masuma"])
    html = client.get(INVITE).content.decode()
    assert 'value="head_teacher"' not in html  # a head teacher adds teachers only
    response = post(INVITE, {"phone": "01712-345678", "name_bn": "নতুন শিক্ষক", "school": "100001",
                             "kind": "teacher"}, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 302
    assert Role.objects.get(user__phone="+8801712345678").status == Role.Status.ACTIVE
    assert sms.outbox[-1].to == "+8801712345678"
    event = AuditEvent.objects.get(action="invitation_sent")
    assert event.actor == people["head_teacher_masuma"] and event.ip_address == "203.0.113.8"


def test_invitation_to_another_areas_school_is_a_form_error(client, people):
    client.force_login(people["officer_hatia"])
    response = client.post(INVITE, {"phone": "01712345678", "name_bn": "নতুন", "school": "300001",
                                    "kind": "teacher"})
    assert response.status_code == 200 and "your own area" in response.content.decode()
    assert not User.objects.filter(phone="+8801712345678").exists()


@pytest.mark.parametrize("data", [
    {"phone": "not a phone"}, {"name_bn": "ক" * 10_000}, {"name_bn": "\x00"}, {"school": "999999"},
    {"kind": "national_admin"},
])
def test_bad_invitation_input_never_500s(client, people, data):
    client.force_login(people["officer_hatia"])
    form = {"phone": "01712345678", "name_bn": "নতুন", "school": "100001", "kind": "teacher"}
    form.update(data)
    response = client.post(INVITE, form)
    assert response.status_code == 200
    assert not User.objects.filter(phone="+8801712345678").exists()


# ---------------------------------------------------------------- roles page


def test_officer_grants_a_role_on_the_page(client, people, places):
    client.force_login(people["officer_hatia"])
    response = client.post(ROLES, {"action": "grant", "phone": "01712345678", "name_bn": "নতুন মেন্টর",
                                   "kind": "mentor", "upazila": places["hatia"].pk}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    role = Role.objects.get(user__phone="+8801712345678")
    assert role.kind == K.MENTOR and role.upazila == places["hatia"] and role.granted_by == people["officer_hatia"]
    event = AuditEvent.objects.get(action="role_granted")
    assert event.ip_address == "203.0.113.9"
    assert "নতুন মেন্টর" in client.get(ROLES).content.decode()


def test_the_form_offers_only_what_the_officer_may_grant(client, people, places):
    client.force_login(people["officer_hatia"])
    html = client.get(ROLES).content.decode()
    assert 'value="mentor"' in html and 'value="upazila_officer"' not in html
    assert f'value="{places["subarnachar"].pk}"' not in html  # another upazila is not offered
    response = client.post(ROLES, {"action": "grant", "phone": "01712345678", "name_bn": "ক",
                                   "kind": "mentor", "upazila": places["subarnachar"].pk})
    assert response.status_code == 200 and not Role.objects.filter(user__phone="+8801712345678").exists()


def test_granting_in_another_area_is_a_form_error(client, people):
    client.force_login(people["officer_hatia"])
    response = client.post(ROLES, {"action": "grant", "phone": "01712345678", "name_bn": "ক",
                                   "kind": "teacher", "school": "300001"})
    assert response.status_code == 200 and "own area" in response.content.decode()
    assert not User.objects.filter(phone="+8801712345678").exists()


@pytest.mark.parametrize("data", [
    {"phone": "\x00"}, {"kind": "king"}, {"upazila": "abc"}, {"upazila": "9" * 40}, {"name_bn": "ক" * 10_000},
    {"ends_on": "not a date"}, {"ends_on": "2000-01-01"}, {"school": "\x00"}, {"kind": "teacher"},
])
def test_bad_grant_input_never_500s(client, people, places, data):
    client.force_login(people["officer_noakhali"])
    form = {"action": "grant", "phone": "01712345678", "name_bn": "নতুন", "kind": "mentor",
            "upazila": places["hatia"].pk}
    form.update(data)
    response = client.post(ROLES, form)
    assert response.status_code == 200
    assert not Role.objects.filter(user__phone="+8801712345678").exists()


def test_officer_ends_a_role_on_the_page(client, people):
    client.force_login(people["officer_hatia"])
    role = Role.objects.get(user=people["mentor_hatia"])
    response = client.post(ROLES, {"action": "end", "role": role.pk}, follow=True)
    assert response.status_code == 200 and "ended" in response.content.decode()
    role.refresh_from_db()
    assert role.ends_on == timezone.localdate() - timedelta(days=1)
    assert AuditEvent.objects.filter(action="role_ended", actor=people["officer_hatia"]).exists()
    # an ended role leaves the list
    assert people["mentor_hatia"].name_bn not in client.get(ROLES).content.decode()


@pytest.mark.parametrize("who, target", [
    ("officer_other_upazila", "mentor_hatia"),     # another area: hidden
    ("officer_sylhet_upazila", "teacher_rubi"),
    ("officer_hatia", "officer_noakhali"),         # above him: hidden
    ("officer_hatia", "officer_hatia"),            # listed, but nobody ends their own role
])
def test_ending_a_role_one_may_not_end_answers_404(client, people, who, target):
    client.force_login(people[who])
    role = Role.objects.get(user=people[target])
    assert client.post(ROLES, {"action": "end", "role": role.pk}).status_code == 404
    role.refresh_from_db()
    assert role.ends_on is None


@pytest.mark.parametrize("role_id", ["", "x", "²", "9" * 30, "-3"])
def test_tampered_end_ids_answer_404(client, people, role_id):
    client.force_login(people["national_admin_nasrin"])
    assert client.post(ROLES, {"action": "end", "role": role_id}).status_code == 404


def test_end_buttons_only_where_allowed(client, people):
    client.force_login(people["officer_hatia"])
    html = client.get(ROLES).content.decode()
    own = Role.objects.get(user=people["officer_hatia"]).pk
    mentor = Role.objects.get(user=people["mentor_hatia"]).pk
    assert f'name="role" value="{mentor}"' in html
    assert f'name="role" value="{own}"' not in html


def test_roles_list_filters_by_phone(client, people):
    client.force_login(people["officer_hatia"])
    html = client.get(ROLES, {"phone": "০১৭১১-০০০০০৭"}).content.decode()
    assert people["teacher_rubi"].name_bn in html and people["mentor_hatia"].name_bn not in html
    assert client.get(ROLES, {"phone": "\x00" * 50}).status_code == 200


@pytest.mark.parametrize("who", ["officer_hatia", "officer_chattagram", "national_admin_nasrin"])
def test_roles_list_query_count_is_bounded(client, people, places, who, django_assert_max_num_queries):
    for n in range(40):
        school = places["school_hatia"] if n % 2 else places["school_hatia_2"]
        grant(UserFactory(), K.TEACHER, school=school)
    client.force_login(people[who])
    # session, user, scope, count, page, and one per place list in the form
    with django_assert_max_num_queries(9):
        response = client.get(ROLES)
    assert response.status_code == 200
    assert response.content.decode().count('name="action" value="end"') == 25
    with django_assert_max_num_queries(9):
        assert client.get(ROLES, {"page": "2"}).status_code == 200


def test_sign_in_pages_are_never_cached(client, people, post):
    assert "no-store" in client.get(SIGN_IN)["Cache-Control"]
    post(SIGN_IN, {"phone": RUBI})
    assert "no-store" in client.get(CODE)["Cache-Control"]


def test_signing_out_clears_what_the_phone_saved(client, people):
    client.force_login(people["teacher_rubi"])
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
