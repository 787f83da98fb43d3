"""Writes for roles: self-registration, approval, invitations, grants and endings (all audited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.audit import audit_record
from shikhon.core.models import AuditEvent
from shikhon.core.sms import send_sms
from shikhon.people import services as people_services
from shikhon.people.models import Role, User
from shikhon.people.permissions import can_grant, ensure_can_decide
from shikhon.places.models import District, Division, School, Upazila

K = Role.Kind
SCHOOL_KINDS = {K.TEACHER, K.HEAD_TEACHER}
UPAZILA_KINDS = {K.UPAZILA_OFFICER}
DISTRICT_KINDS = {K.DISTRICT_OFFICER}
DIVISION_KINDS = {K.DIVISION_OFFICER}
NATIONAL_KINDS = {K.NATIONAL_ADMIN, K.RESEARCHER}


def _placed_role(*, user: User, kind: str, school: School | None = None, upazila: Upazila | None = None,
                 district: District | None = None, division: Division | None = None) -> Role:
    """Build a role with the place ids filled in from the most specific place given."""
    if kind in SCHOOL_KINDS and school is None:
        raise ValidationError({"school": _("Choose the school for this role.")}, code="school_required")
    if kind in UPAZILA_KINDS and upazila is None:
        raise ValidationError({"upazila": _("Choose the upazila for this role.")}, code="upazila_required")
    if kind in DISTRICT_KINDS and district is None:
        raise ValidationError({"district": _("Choose the district for this role.")}, code="district_required")
    if kind in DIVISION_KINDS and division is None:
        raise ValidationError({"division": _("Choose the division for this role.")}, code="division_required")
    role = Role(user=user, kind=kind)
    if kind in NATIONAL_KINDS:
        return role
    if school is not None and kind in SCHOOL_KINDS:
        role.school = school
        role.upazila_id, role.district_id, role.division_id = school.upazila_id, school.district_id, school.division_id
    elif upazila is not None:
        role.upazila = upazila
        role.district_id, role.division_id = upazila.district_id, upazila.division_id
    elif district is not None:
        role.district = district
        role.division_id = district.division_id
    elif division is not None:
        role.division = division
    return role


def _ensure_no_open_duplicate(role: Role) -> None:
    duplicate = Role.objects.filter(
        user=role.user, kind=role.kind, school_id=role.school_id, upazila_id=role.upazila_id,
        district_id=role.district_id, division_id=role.division_id,
        status__in=[Role.Status.PENDING, Role.Status.ACTIVE], ends_on__isnull=True,
    ).exists()
    if duplicate:
        raise ValidationError(_("This person already holds or has asked for this role here."), code="duplicate")


@transaction.atomic
def teacher_register(*, phone: str, name_bn: str, name_en: str, school: School, kind: str = K.TEACHER) -> Role:
    """Self-registration: a new account with a pending membership of the chosen school."""
    if kind not in SCHOOL_KINDS:
        raise ValidationError(_("Choose teacher or head teacher."), code="invalid_kind")
    user = people_services.user_create(phone=phone, name_bn=name_bn, name_en=name_en)
    role = _placed_role(user=user, kind=kind, school=school)
    role.status = Role.Status.PENDING
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def membership_request(*, actor: User, school: School, kind: str = K.TEACHER) -> Role:
    """A signed-in person asks to join (another) school."""
    if kind not in SCHOOL_KINDS:
        raise ValidationError(_("Choose teacher or head teacher."), code="invalid_kind")
    role = _placed_role(user=actor, kind=kind, school=school)
    role.status = Role.Status.PENDING
    _ensure_no_open_duplicate(role)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def membership_decide(*, actor: User, role: Role, approve: bool) -> Role:
    ensure_can_decide(actor, role)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.status != Role.Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="decided")
    role.status = Role.Status.ACTIVE if approve else Role.Status.REJECTED
    role.decided_by, role.decided_at = actor, timezone.now()
    if approve:
        role.starts_on = timezone.localdate()
    role.full_clean()
    role.save(update_fields=["status", "decided_by", "decided_at", "starts_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBERSHIP_APPROVED if approve else AuditEvent.Action.MEMBERSHIP_REJECTED,
        target=role, summary=f"{role.user.phone} {role.kind} school={role.school_id}",
    )
    if approve:
        phone = role.user.phone
        body = _("Shikhon: your membership of %(school)s was approved. Sign in to start.") % {
            "school": role.school.name_bn if role.school else ""}
        transaction.on_commit(lambda: send_sms(to=phone, body=body))
    return role


@transaction.atomic
def role_grant(
    *, actor: User, user: User, kind: str, school: School | None = None, upazila: Upazila | None = None,
    district: District | None = None, division: Division | None = None, starts_on=None, ends_on=None,
) -> Role:
    if kind not in K.values:
        raise ValidationError(_("Unknown role."), code="invalid_kind")
    role = _placed_role(user=user, kind=kind, school=school, upazila=upazila, district=district, division=division)
    if not can_grant(actor, kind=kind, school=role.school, upazila_id=role.upazila_id,
                     district_id=role.district_id, division_id=role.division_id):
        raise PermissionDenied
    role.status, role.granted_by = Role.Status.ACTIVE, actor
    if starts_on:
        role.starts_on = starts_on
    role.ends_on = ends_on
    _ensure_no_open_duplicate(role)
    role.full_clean()
    role.save()
    audit_record(actor=actor, action=AuditEvent.Action.ROLE_GRANTED, target=role,
                 summary=f"{user.phone} {kind}", details={"school": role.school_id, "upazila": role.upazila_id,
                                                          "district": role.district_id, "division": role.division_id})
    return role


@transaction.atomic
def role_end(*, actor: User, role: Role, ends_on=None) -> Role:
    if not can_grant(actor, kind=role.kind, school=role.school, upazila_id=role.upazila_id,
                     district_id=role.district_id, division_id=role.division_id):
        raise PermissionDenied
    role.ends_on = ends_on or timezone.localdate()
    if role.ends_on < role.starts_on:
        role.ends_on = role.starts_on
    role.full_clean()
    role.save(update_fields=["ends_on"])
    audit_record(actor=actor, action=AuditEvent.Action.ROLE_ENDED, target=role, summary=f"{role.user.phone} {role.kind}")
    return role


@transaction.atomic
def teacher_invite(*, actor: User, phone: str, name_bn: str, school: School, kind: str = K.TEACHER) -> Role:
    """An officer or head teacher adds a teacher by phone; the account is ready at once."""
    user, created = people_services.user_get_or_create(phone=phone, name_bn=name_bn)
    role = role_grant(actor=actor, user=user, kind=kind, school=school)
    audit_record(actor=actor, action=AuditEvent.Action.INVITATION_SENT, target=role,
                 summary=f"{user.phone} {'new' if created else 'existing'}")
    body = _("Shikhon: you were added as a teacher of %(school)s. Sign in with this number.") % {
        "school": school.name_bn}
    to = user.phone
    transaction.on_commit(lambda: send_sms(to=to, body=body))
    return role
