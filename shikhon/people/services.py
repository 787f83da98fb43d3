"""Writes for people: accounts, profiles, sign-in codes, passwords and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from shikhon.core import ratelimit, sms
from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_number, localize_digits, to_western_digits
from shikhon.core.errors import RateLimited
from shikhon.core.text import clean_user_text
from shikhon.people import audit_actions
from shikhon.people.models import AccessToken, LoginCode, User
from shikhon.people.permissions import (
    ensure_can_import_schools,
    ensure_can_keep_cluster_at,
    ensure_can_set_password,
)
from shikhon.people.phone import normalize_phone
from shikhon.places import services as place_services
from shikhon.places.importing import ImportReport, school_import_audited
from shikhon.places.models import Cluster, Upazila

MAX_NAME = 120


@transaction.atomic
def user_create(
    *,
    phone: str,
    name_bn: str,
    name_en: str = "",
    gender: str = "",
    designation: str = "",
) -> User:
    phone = normalize_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise ValidationError(
            {"phone": _("An account with this mobile number already exists. Sign in instead.")},
            code="phone_taken",
        )
    user = User(phone=phone, name_bn=clean_user_text(name_bn or ""),
                name_en=clean_user_text(name_en or ""), gender=gender,
                designation=clean_user_text(designation or ""))
    user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same number registered a moment ago by another request
        raise ValidationError(
            {"phone": _("An account with this mobile number already exists. Sign in instead.")},
            code="phone_taken",
        ) from exc
    return user


def user_get_or_create(*, phone: str, name_bn: str, name_en: str = "") -> tuple[User, bool]:
    phone = normalize_phone(phone)
    existing = User.objects.filter(phone=phone).first()
    if existing:
        return existing, False
    return user_create(phone=phone, name_bn=name_bn, name_en=name_en), True


@transaction.atomic
def user_update_profile(
    *, actor: User, user: User, name_bn: str, name_en: str, gender: str, designation: str
) -> User:
    if actor.pk != user.pk:
        raise PermissionDenied
    fields = ["name_bn", "name_en", "gender", "designation"]
    cleaned = (clean_user_text(name_bn or ""), clean_user_text(name_en or ""),
               clean_user_text(designation or ""))
    user.name_bn, user.name_en, user.designation = cleaned
    user.gender = gender
    try:
        # The number is not changed here: one stored before the phone rule (reported by
        # phones_breaking_rule) must not keep her from correcting her name.
        user.full_clean(exclude=["phone"])
    except ValidationError:
        user.refresh_from_db(fields=fields)  # leave the caller's object as stored
        raise
    user.save(update_fields=fields)
    return user


@sensitive_variables("password")
@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    ensure_can_set_password(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=audit_actions.PASSWORD_SET, target=user)
    return user


# ---------------------------------------------------------------- sign-in codes


def _hash_code(*, phone: str, code: str, salt: str) -> str:
    return hmac.new(str(settings.SECRET_KEY).encode(), f"{phone}:{salt}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CodeRequest:
    phone: str
    # The plain code, returned only so that demo mode can show it; never stored. In demo mode it
    # is returned for unknown numbers too, so the answer never tells whether a number is registered.
    demo_code: str | None


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def too_many_tries(*, window_seconds: int) -> str:
    """The refusal of a password sign-in, naming the real window of its limit."""
    minutes = _minutes(window_seconds)
    return ngettext("Too many tries. Wait %(minutes)s minute, then try again.",
                    "Too many tries. Wait %(minutes)s minutes, then try again.", minutes) % {
        "minutes": localize_digits(minutes)}


def password_attempt_allowed(*, ip: str | None, phone: str) -> bool:
    """Count one password attempt, per address and per number: the officers' sign-in and the admin
    site's share these limits (PASSWORD_SIGN_IN_*)."""
    window = settings.PASSWORD_SIGN_IN_WINDOW_SECONDS
    return ratelimit.hit(key=f"pw-ip:{ip or 'unknown'}", limit=settings.PASSWORD_SIGN_IN_MAX_PER_IP,
                         window_seconds=window) and ratelimit.hit(
        key=f"pw-phone:{phone}", limit=settings.PASSWORD_SIGN_IN_MAX_PER_PHONE, window_seconds=window)


def _too_many_requests(*, window_seconds: int) -> RateLimited:
    """The refusal names the window of the limit that refused, from the same constant."""
    minutes = _minutes(window_seconds)
    return RateLimited(
        ngettext("Too many codes were asked for. Wait %(minutes)s minute, then try again.",
                 "Too many codes were asked for. Wait %(minutes)s minutes, then try again.", minutes)
        % {"minutes": localize_digits(minutes)},
        code="rate_limited",
    )


def _requester_key(value: str | None) -> str:
    """A short hash, so that keys stay short and a device cookie is never stored as it is."""
    return hashlib.sha256((value or "none").encode()).hexdigest()[:32]


@sensitive_variables("code", "body")
def login_code_request(*, phone: str, ip: str | None, device: str | None = None,
                       for_registration: bool = False) -> CodeRequest:
    """Make a 6-digit code and text it.

    Signing in, unknown numbers get the same answer and no SMS. Registering (`for_registration`),
    every number gets the SMS, registered or not: the answer and the SMS are the same either way, and
    only the code tells her which it is (views.sign_in_code).

    Limits, so that a stranger cannot keep a teacher out (decision 0002):
    * LOGIN_CODE_MAX_PER_PHONE codes per number *and requester* per LOGIN_CODE_PHONE_WINDOW_SECONDS,
      counted separately per address (`ip`) and per device (`device`, the signed random cookie of the
      sign-in pages; no cookie counts as one shared device);
    * LOGIN_CODE_MAX_PER_PHONE_ALL codes per number per window from everyone together (counted in the
      database rows of the codes), which bounds the SMS a flood from many addresses can cost;
    * LOGIN_CODE_MAX_PER_IP per address per LOGIN_CODE_IP_WINDOW_SECONDS.
    Every refusal names the window of the limit that refused. Only an HMAC of the code is stored; the
    plain code lives in memory until the SMS is sent.
    """
    phone = normalize_phone(phone)
    ip_window = settings.LOGIN_CODE_IP_WINDOW_SECONDS
    if not ratelimit.hit(key=f"code-ip:{ip or 'unknown'}", limit=settings.LOGIN_CODE_MAX_PER_IP,
                         window_seconds=ip_window):
        raise _too_many_requests(window_seconds=ip_window)
    window = settings.LOGIN_CODE_PHONE_WINDOW_SECONDS
    per_requester = settings.LOGIN_CODE_MAX_PER_PHONE
    for requester in (f"ip:{ip or 'unknown'}", f"device:{_requester_key(device)}"):
        if not ratelimit.hit(key=f"code-phone:{phone}:{requester}", limit=per_requester, window_seconds=window):
            raise _too_many_requests(window_seconds=window)
    now = timezone.now()
    window_start = now - timedelta(seconds=window)
    with transaction.atomic():
        recent = LoginCode.objects.select_for_update().filter(phone=phone, created_at__gte=window_start)
        if len(recent) >= settings.LOGIN_CODE_MAX_PER_PHONE_ALL:
            raise _too_many_requests(window_seconds=window)
        # A new code replaces any earlier one for this number.
        LoginCode.objects.filter(phone=phone, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        salt = secrets.token_hex(8)
        LoginCode.objects.create(
            phone=phone, code_hash=_hash_code(phone=phone, code=code, salt=salt), salt=salt, ip_address=ip,
            created_at=now, expires_at=now + timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
        )
        if for_registration or User.objects.filter(phone=phone, is_active=True).exists():
            body = _("Your Shikhon sign-in code is %(code)s. It expires in 5 minutes. Never share it.") % {
                "code": code}
            # robust: a failing SMS gateway must not turn this answer into an error page, which
            # would tell a stranger that the number is registered.
            # (send_sms_detached also keeps the answer's timing independent of the gateway).
            transaction.on_commit(lambda: sms.send_sms_detached(to=phone, body=body), robust=True)
    return CodeRequest(phone=phone, demo_code=code if settings.SHIKHON_DEMO_MODE else None)


@sensitive_variables("code")
def phone_code_verify(*, phone: str, code: str, ip: str | None) -> User | None:
    """Check the code texted to `phone`: the active account of the number when it is right, None when
    it is right and no active account has the number (she proved the phone is hers; registration goes
    on). A wrong, expired or used code raises a ValidationError saying what to do.

    A code works once, for LOGIN_CODE_TTL_SECONDS; LOGIN_CODE_MAX_ATTEMPTS wrong tries void it.
    """
    phone = normalize_phone(phone)
    if not ratelimit.hit(key=f"verify-ip:{ip or 'unknown'}", limit=60, window_seconds=3600):
        raise RateLimited(_("Too many tries from this network. Wait an hour, then try again."), code="rate_limited")
    code = to_western_digits(code or "").strip().replace(" ", "")
    now = timezone.now()
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if login_code is None:
            raise ValidationError(_("This code has expired or was used. Ask for a new code."), code="expired")
        right = len(code) == 6 and code.isascii() and code.isdigit() and hmac.compare_digest(
            login_code.code_hash, _hash_code(phone=phone, code=code, salt=login_code.salt)
        )
        if right:
            login_code.used_at = now
            login_code.save(update_fields=["used_at"])
            return User.objects.filter(phone=phone, is_active=True).first()
        login_code.failed_attempts += 1
        if login_code.failed_attempts >= settings.LOGIN_CODE_MAX_ATTEMPTS:
            login_code.voided_at = now
        login_code.save(update_fields=["failed_attempts", "voided_at"])
    left = settings.LOGIN_CODE_MAX_ATTEMPTS - login_code.failed_attempts
    if left <= 0:
        raise ValidationError(_("Too many wrong codes. Ask for a new code."), code="voided")
    raise ValidationError(
        ngettext("That code is not right. You have %(left)s try left.",
                 "That code is not right. You have %(left)s tries left.", left) % {"left": localize_digits(left)},
        code="wrong_code",
    )


@sensitive_variables("code")
def login_code_verify(*, phone: str, code: str, ip: str | None) -> User:
    """Signing in: the user when the code is right; otherwise a ValidationError saying what to do."""
    user = phone_code_verify(phone=phone, code=code, ip=ip)
    if user is None:
        # Only someone who saw the code gets here, and signing in never texts a code to an unknown
        # number, so this tells a stranger nothing (in demo mode the page shows every code anyway).
        raise ValidationError(_("No account uses this number yet. Register first, then sign in."),
                              code="no_account")
    return user


# ---------------------------------------------------------------- API tokens

TOKEN_PREFIX = "shk_"  # noqa: S105 - a public prefix, not a secret


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def access_token_create(*, actor: User, name: str) -> tuple[AccessToken, str]:
    """Create a token and return it with its secret, which is shown once and never again."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError({"name": _("Give the token a name of up to %(count)s letters.")
                               % {"count": format_number(80)}}, code="invalid")
    if AccessToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= 20:
        raise ValidationError(_("You have %(count)s active tokens. Revoke one before making another.")
                              % {"count": format_number(20)}, code="limit")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user=actor, name=name, prefix=raw[:10], token_hash=_hash_token(raw))
    token.full_clean()
    token.save()
    audit_record(actor=actor, action=audit_actions.TOKEN_CREATED, target=token, summary=name)
    return token, raw


@transaction.atomic
def access_token_revoke(*, actor: User, token: AccessToken) -> AccessToken:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=audit_actions.TOKEN_REVOKED, target=token, summary=token.name)
    return token


def access_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ---------------------------------------------------------------- clusters of schools


def cluster_save(*, actor: User, upazila: Upazila, name_bn: str, name_en: str = "",
                 school_ids: Iterable[int], cluster: Cluster | None = None) -> Cluster:
    """An officer of the upazila (or of its district or division) makes or changes a cluster."""
    ensure_can_keep_cluster_at(actor, upazila)
    if cluster is not None and cluster.upazila_id != upazila.pk:
        raise PermissionDenied
    return place_services.cluster_save(upazila=upazila, name_bn=name_bn, name_en=name_en,
                                       school_ids=school_ids, cluster=cluster)


def schools_import(*, actor: User, rows_source: IO[bytes] | bytes, file_name: str,
                   dry_run: bool = False) -> ImportReport:
    """A person imports the national school list (national admins only; places.importing does the work
    and the audit). The management command, run by the system, calls `school_import_audited` itself."""
    ensure_can_import_schools(actor)
    return school_import_audited(actor=actor, rows_source=rows_source, file_name=file_name,
                                 dry_run=dry_run, source="page")
