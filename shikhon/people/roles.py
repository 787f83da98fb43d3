"""Writes for roles: self-registration, approval, invitations, grants and endings (all audited)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_date
from shikhon.core.clock import dhaka_today
from shikhon.notify.services import notification_send
from shikhon.people import audit_actions, notifications
from shikhon.people import services as people_services
from shikhon.people.models import Role, User
from shikhon.people.permissions import can_end, can_grant, ensure_can_decide
from shikhon.people.phone import normalize_phone
from shikhon.places.models import District, Division, School, Upazila

K = Role.Kind
SCHOOL_KINDS = frozenset({K.TEACHER, K.HEAD_TEACHER})
UPAZILA_KINDS = frozenset({K.UPAZILA_OFFICER})
DISTRICT_KINDS = frozenset({K.DISTRICT_OFFICER})
DIVISION_KINDS = frozenset({K.DIVISION_OFFICER})
NATIONAL_KINDS = frozenset({K.NATIONAL_ADMIN, K.RESEARCHER, K.COURSE_AUTHOR})
# Mentors work over an upazila, a district or the whole country.


def _placed_role(*, user: User, kind: str, school: School | None = None, upazila: Upazila | None = None,
                 district: District | None = None, division: Division | None = None) -> Role:
    """Build a role placed at the level its kind is held at, with the wider place ids copied
    from the place given (places that do not fit the kind are ignored)."""
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose one of the roles in the list.")}, code="invalid_kind")
    if kind in SCHOOL_KINDS and school is None:
        raise ValidationError({"school": _("Choose the school for this role.")}, code="school_required")
    if kind in UPAZILA_KINDS and upazila is None:
        raise ValidationError({"upazila": _("Choose the upazila for this role.")}, code="upazila_required")
    if kind in DISTRICT_KINDS and district is None:
        raise ValidationError({"district": _("Choose the district for this role.")}, code="district_required")
    if kind in DIVISION_KINDS and division is None:
        raise ValidationError({"division": _("Choose the division for this role.")}, code="division_required")
    if kind == K.MENTOR and upazila is None and district is None and school is not None:
        upazila = school.upazila
    role = Role(user=user, kind=kind)
    if kind in NATIONAL_KINDS:
        return role
    if kind in SCHOOL_KINDS and school is not None:
        if not school.is_active:
            raise ValidationError({"school": _("This school is closed. Check the EIIN.")}, code="school_closed")
        role.school = school
        role.upazila_id, role.district_id, role.division_id = school.upazila_id, school.district_id, school.division_id
    elif kind in UPAZILA_KINDS or (kind == K.MENTOR and upazila is not None):
        assert upazila is not None
        role.upazila = upazila
        role.district_id, role.division_id = upazila.district_id, upazila.division_id
    elif kind in DISTRICT_KINDS or (kind == K.MENTOR and district is not None):
        assert district is not None
        role.district = district
        role.division_id = district.division_id
    elif kind in DIVISION_KINDS:
        assert division is not None
        role.division = division
    # A mentor with no place given is a national mentor.
    return role


def _ensure_no_open_duplicate(role: Role) -> None:
    same_place: dict[str, Any] = {"school_id": role.school_id, "upazila_id": role.upazila_id,
                                  "district_id": role.district_id, "division_id": role.division_id}
    duplicate = Role.objects.filter(
        user=role.user, kind=role.kind, status__in=[Role.Status.PENDING, Role.Status.ACTIVE], **same_place,
    ).filter(_open_q()).exists()
    if duplicate:
        raise ValidationError(_("This person already holds or has asked for this role here."), code="duplicate")


def _open_q() -> Q:
    return Q(ends_on__isnull=True) | Q(ends_on__gte=dhaka_today())


def _save_new(role: Role) -> Role:
    """full_clean and save; a concurrent twin that slipped past the checks answers a sentence."""
    role.full_clean()
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:
        raise ValidationError(_("This person already holds or has asked for this role here."),
                              code="duplicate") from exc
    return role


@transaction.atomic
def teacher_register(*, phone: str, name_bn: str, name_en: str, school: School, kind: str = K.TEACHER) -> Role:
    """Self-registration: a new account with a pending membership of the chosen school."""
    if kind not in SCHOOL_KINDS:
        raise ValidationError({"kind": _("Choose teacher or head teacher.")}, code="invalid_kind")
    if not school.is_active:
        raise ValidationError({"school": _("This school is closed. Check the EIIN.")}, code="school_closed")
    user = people_services.user_create(phone=phone, name_bn=name_bn, name_en=name_en)
    role = _placed_role(user=user, kind=kind, school=school)
    role.status = Role.Status.PENDING
    return _save_new(role)


@transaction.atomic
def membership_request(*, actor: User, school: School, kind: str = K.TEACHER) -> Role:
    """A signed-in person asks to join (another) school."""
    if kind not in SCHOOL_KINDS:
        raise ValidationError({"kind": _("Choose teacher or head teacher.")}, code="invalid_kind")
    role = _placed_role(user=actor, kind=kind, school=school)
    role.status = Role.Status.PENDING
    _ensure_no_open_duplicate(role)
    return _save_new(role)


@transaction.atomic
def membership_decide(*, actor: User, role: Role, approve: bool) -> Role:
    """Approve or reject a pending membership. Deciding twice answers a sentence, not a change."""
    ensure_can_decide(actor, role)
    role = Role.objects.select_for_update(of=("self",)).select_related("user", "school").get(pk=role.pk)
    if role.status != Role.Status.PENDING:
        raise ValidationError(_("This request was already decided. Nothing was changed."), code="decided")
    role.status = Role.Status.ACTIVE if approve else Role.Status.REJECTED
    role.decided_by, role.decided_at = actor, timezone.now()
    update_fields = ["status", "decided_by", "decided_at"]
    if approve:
        role.starts_on = dhaka_today()
        update_fields.append("starts_on")
        if role.ends_on is not None and role.ends_on < role.starts_on:
            role.ends_on = None
            update_fields.append("ends_on")
    role.full_clean()
    role.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action=audit_actions.MEMBERSHIP_APPROVED if approve else audit_actions.MEMBERSHIP_REJECTED,
        target=role, summary=f"{role.user.phone} {role.kind} school={role.school_id}",
        details={"user": role.user_id, "kind": role.kind, "school": role.school_id},
    )
    notification_send(
        recipient=role.user,
        kind=notifications.MEMBERSHIP_APPROVED if approve else notifications.MEMBERSHIP_REJECTED,
        event_key=f"role:{role.pk}:{'approved' if approve else 'rejected'}",
        params={"school": role.school.name_bn if role.school else ""}, url=reverse("insights:home"),
    )
    return role


@transaction.atomic
def role_grant(
    *, actor: User, user: User, kind: str, school: School | None = None, upazila: Upazila | None = None,
    district: District | None = None, division: Division | None = None, starts_on: date | None = None,
    ends_on: date | None = None,
) -> Role:
    """Give `user` an active role over a place. The actor must be allowed to grant that kind there."""
    role = _placed_role(user=user, kind=kind, school=school, upazila=upazila, district=district, division=division)
    if not can_grant(actor, kind=kind, school=role.school, upazila_id=role.upazila_id,
                     district_id=role.district_id, division_id=role.division_id):
        raise PermissionDenied
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot give a role to yourself. Ask another officer."), code="self_grant")
    role.status, role.granted_by = Role.Status.ACTIVE, actor
    if starts_on:
        role.starts_on = starts_on
    role.ends_on = ends_on
    if ends_on is not None and ends_on < role.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date. Choose a later end date.")},
                              code="ends_before_start")
    _ensure_no_open_duplicate(role)
    _save_new(role)
    audit_record(actor=actor, action=audit_actions.ROLE_GRANTED, target=role,
                 summary=f"{user.phone} {kind}",
                 details={"user": user.pk, "kind": kind, "school": role.school_id, "upazila": role.upazila_id,
                          "district": role.district_id, "division": role.division_id,
                          "starts_on": role.starts_on.isoformat(),
                          "ends_on": role.ends_on.isoformat() if role.ends_on else None})
    return role


@transaction.atomic
def role_grant_by_phone(
    *, actor: User, phone: str, name_bn: str = "", kind: str, school: School | None = None,
    upazila: Upazila | None = None, district: District | None = None, division: Division | None = None,
    starts_on: date | None = None, ends_on: date | None = None,
) -> Role:
    """The roles page: grant to the person with this number, making their account if they are new
    (then a Bangla name is needed). Nothing is stored if the grant is refused."""
    phone = normalize_phone(phone)
    user = User.objects.filter(phone=phone).first()
    if user is None:
        if not (name_bn or "").strip():
            raise ValidationError(
                {"name_bn": _("Nobody uses this number yet. Type the person's name in Bangla to make their account.")},
                code="name_required")
        user = people_services.user_create(phone=phone, name_bn=name_bn)
    return role_grant(actor=actor, user=user, kind=kind, school=school, upazila=upazila, district=district,
                      division=division, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def role_end(*, actor: User, role: Role, ends_on: date | None = None) -> Role:
    """End an active role. Without a date it ends at once: its last day was yesterday, so from
    today it gives no scope. A role that had not started yet is closed the same way (its dates
    become yesterday–yesterday; the audit log keeps the dates it had)."""
    if not can_end(actor, role):
        raise PermissionDenied
    role = Role.objects.select_for_update(of=("self",)).select_related("user").get(pk=role.pk)
    today = dhaka_today()
    if role.status != Role.Status.ACTIVE:
        raise ValidationError(_("Only an active role can be ended. Reject a waiting request on the approvals page."),
                              code="not_active")
    if role.ends_on is not None and role.ends_on < today:
        raise ValidationError(_("This role has already ended. Nothing was changed."), code="already_ended")
    before = {"starts_on": role.starts_on.isoformat(), "ends_on": role.ends_on.isoformat() if role.ends_on else None}
    update_fields = ["ends_on"]
    if ends_on is None:
        role.ends_on = today - timedelta(days=1)
        if role.starts_on > role.ends_on:
            role.starts_on = role.ends_on
            update_fields.append("starts_on")
    else:
        if ends_on < role.starts_on:
            raise ValidationError(
                {"ends_on": _("This role starts on %(date)s. Choose an end date on or after it.")
                 % {"date": format_date(role.starts_on)}}, code="ends_before_start")
        if role.ends_on is not None and ends_on > role.ends_on:
            raise ValidationError({"ends_on": _("This role already ends earlier. Choose an earlier date.")},
                                  code="later_end")
        role.ends_on = ends_on
    role.full_clean()
    role.save(update_fields=update_fields)
    audit_record(actor=actor, action=audit_actions.ROLE_ENDED, target=role,
                 summary=f"{role.user.phone} {role.kind}",
                 details={"user": role.user_id, "kind": role.kind, "before": before,
                          "ends_on": role.ends_on.isoformat()})
    return role


@transaction.atomic
def teacher_invite(*, actor: User, phone: str, name_bn: str, school: School, kind: str = K.TEACHER) -> Role:
    """An officer or head teacher adds a teacher by phone; the account is ready at once. A person
    already waiting for approval at that school is approved instead."""
    if kind not in SCHOOL_KINDS:
        raise ValidationError({"kind": _("Choose teacher or head teacher.")}, code="invalid_kind")
    user, created = people_services.user_get_or_create(phone=phone, name_bn=name_bn)
    pending = None if created else (
        Role.objects.filter(user=user, kind=kind, school=school, status=Role.Status.PENDING)
        .filter(_open_q()).first()
    )
    if pending is not None:
        if not can_grant(actor, kind=kind, school=school, upazila_id=school.upazila_id,
                         district_id=school.district_id, division_id=school.division_id):
            raise PermissionDenied
        role = membership_decide(actor=actor, role=pending, approve=True)
    else:
        role = role_grant(actor=actor, user=user, kind=kind, school=school)
    audit_record(actor=actor, action=audit_actions.INVITATION_SENT, target=role,
                 summary=f"{user.phone} {'new' if created else 'existing'}",
                 details={"user": user.pk, "kind": kind, "school": school.pk, "new_account": created})
    if pending is None:
        notification_send(recipient=user, kind=notifications.ADDED_TO_SCHOOL, event_key=f"role:{role.pk}:added",
                          params={"school": school.name_bn}, url=reverse("insights:home"))
    return role
