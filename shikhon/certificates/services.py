"""Issue (exactly once per completed enrolment, or per issue key for a face-to-face training), render and
revoke certificates.

The PDF is rendered before the row is written, so a certificate never exists half-made; when
rendering fails the row is still written without a PDF and a task stores it later (a download in the
meantime renders it without storing: no GET writes)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shikhon.certificates import audit_actions, notifications
from shikhon.certificates.codes import format_code, new_code, normalize_code
from shikhon.certificates.eligibility import programmes_unlocked_by
from shikhon.certificates.models import Certificate
from shikhon.certificates.permissions import ensure_can_revoke
from shikhon.core.audit import audit_record
from shikhon.core.bangla import format_date, format_number
from shikhon.core.clock import dhaka_date
from shikhon.courses import selectors as course_selectors
from shikhon.courses.selectors import completed_enrolment, enrolments_completed_before
from shikhon.notify.services import notification_send
from shikhon.places.selectors import school_name

if TYPE_CHECKING:
    from shikhon.courses.models import Course
    from shikhon.people.models import User

__all__ = ["authority", "certificate_issue", "certificate_issue_practice", "certificate_issue_training",
           "certificate_pdf_ensure",
           "certificate_pdf_read", "certificate_pdf_render", "certificate_pdf_store", "certificate_pdfs_queue_missing",
           "certificate_pdfs_refresh", "certificate_revoke", "eligibility_text", "logo_url", "normalize_code",
           "public_url"]

logger = logging.getLogger("shikhon.certificates")

REASON_MAX = 300
_LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def public_url(path: str) -> str:
    """The absolute address of `path` as printed on certificates and in their QR codes.

    SHIKHON_PUBLIC_URL when set (e.g. https://shikhon.gov.bd); otherwise the first named host of
    ALLOWED_HOSTS — over https when the site redirects to https, and on port 8000 for a loopback
    address (the development server) — and http://127.0.0.1:8000 when there is none."""
    base = (getattr(settings, "SHIKHON_PUBLIC_URL", "") or "").strip().rstrip("/")
    if not base:
        hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
        host = hosts[0] if hosts else "127.0.0.1"
        if host in _LOOPBACK:
            base = f"http://{host}:8000"
        else:
            scheme = "https" if getattr(settings, "SECURE_SSL_REDIRECT", False) else "http"
            base = f"{scheme}://{host}"
    elif not urlsplit(base).scheme:
        base = f"https://{base}"
    return base + path


def authority() -> tuple[str, str]:
    """The issuing authority as configured now (Bangla, English): stored on each certificate when issued."""
    return (str(getattr(settings, "SHIKHON_CERTIFICATE_AUTHORITY_BN", "") or "")[:200],
            str(getattr(settings, "SHIKHON_CERTIFICATE_AUTHORITY_EN", "") or "")[:200])


def _logo_path() -> str:
    return str(getattr(settings, "SHIKHON_CERTIFICATE_LOGO", "") or "")


def logo_url() -> str:
    """The logo's address for a page ("" when none is configured or the static file is missing)."""
    from django.templatetags.static import static

    path = _logo_path()
    if not path:
        return ""
    try:
        return static(path)
    except ValueError:  # not collected (manifest storage): the page goes without it
        logger.warning("The certificate logo %s is not among the static files", path)
        return ""


def _logo_file_uri() -> str:
    """The logo as a file address WeasyPrint reads ("" when it cannot be found)."""
    from django.contrib.staticfiles import finders

    path = _logo_path()
    if not path:
        return ""
    found = finders.find(path)
    candidate = Path(found if isinstance(found, str) else "") if found else None
    if candidate is None and getattr(settings, "STATIC_ROOT", None):
        candidate = Path(settings.STATIC_ROOT) / path
    if candidate is None or not candidate.is_file():
        logger.warning("The certificate logo %s was not found; the PDF goes without it", path)
        return ""
    return candidate.resolve().as_uri()


def eligibility_text(certificate: Certificate) -> str:
    """The sentence of a course certificate saying which face-to-face training it opens (in the language
    active now); "" for a training certificate or a certificate of practice."""
    if certificate.kind != Certificate.Kind.COURSE:
        return ""
    if certificate.eligible_for:
        return _("This certificate makes its holder eligible for the face-to-face training %(programme)s.") % {
            "programme": certificate.eligible_for}
    return _("This certificate makes its holder eligible for the face-to-face training.")


def _pdf_context(certificate: Certificate) -> dict[str, Any]:
    from shikhon.core.pdf import qr_svg

    verify_url = public_url(certificate.get_verify_url())
    with translation.override("en"):
        issued_en = format_date(certificate.issued_on, "en")
        held_en = _held_text(certificate, "en")
    return {
        "certificate": certificate,
        "code": format_code(certificate.code),
        "verify_url": verify_url,
        "qr": qr_svg(verify_url),
        "issued_bn": format_date(certificate.issued_on, "bn"),
        "issued_en": issued_en,
        "held_bn": _held_text(certificate, "bn"),
        "held_en": held_en,
        "logo": _logo_file_uri(),
    }


def _held_text(certificate: Certificate, language: str) -> str:
    if certificate.held_from is None:
        return ""
    first = format_date(certificate.held_from, language)
    if certificate.held_to is None or certificate.held_to == certificate.held_from:
        return first
    return f"{first} – {format_date(certificate.held_to, language)}"


def certificate_pdf_render(certificate: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF: Bangla first, English smaller below."""
    from shikhon.core.pdf import render_pdf

    template = "certificates/certificate_pdf.html"
    if certificate.kind == Certificate.Kind.TRAINING:
        template = "certificates/training_certificate_pdf.html"
    elif certificate.kind == Certificate.Kind.PRACTICE:
        template = "certificates/practice_certificate_pdf.html"
    with translation.override("bn"):
        return render_pdf(template, _pdf_context(certificate))


def _pdf_file(certificate: Certificate) -> ContentFile[bytes] | None:
    try:
        return ContentFile(certificate_pdf_render(certificate), name=f"{certificate.code}.pdf")
    except Exception:  # the row must still be written; the download page renders the PDF again
        logger.exception("Could not render the PDF of certificate %s", certificate.code)
        return None


def certificate_pdf_read(certificate: Certificate) -> bytes:
    """The certificate's PDF for a download: the stored file, or, when there is none (rendering failed at
    issue, or the file went missing from storage) or it prints another public address than SHIKHON_PUBLIC_URL's
    now (drawn before the site moved or the demo changed port), rendered for this answer only, so its QR code
    opens this site. Writes nothing: storing it is `certificate_pdf_store`'s work, in a task (queued for a
    moved site by `certificate_pdfs_refresh`)."""
    if certificate.pdf and certificate.pdf_public_url == public_url("")[:200]:
        try:
            with certificate.pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            logger.error("The PDF of certificate %s is missing from storage; rendered for this download. "
                         "Queue certificate_pdf_task to store it again.", certificate.code)
    return certificate_pdf_render(certificate)


def certificate_pdf_store(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF of a certificate that has none, or whose file went missing from storage
    (the task of `tasks.certificate_pdf_task`). Safe to run twice: a stored PDF is kept."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return None
    if certificate.pdf.name and not certificate.pdf.storage.exists(certificate.pdf.name):
        Certificate.objects.filter(pk=certificate.pk, pdf=certificate.pdf.name).update(pdf="")
        certificate.pdf = None
    return certificate_pdf_ensure(certificate)


def certificate_pdf_ensure(certificate: Certificate) -> Certificate:
    """Render and store the PDF of a certificate that has none (rendering failed when it was issued)."""
    if certificate.pdf:
        return certificate
    pdf = ContentFile(certificate_pdf_render(certificate), name=f"{certificate.code}.pdf")
    certificate.pdf.save(pdf.name or "certificate.pdf", pdf, save=False)
    base = public_url("")[:200]
    updated = Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=certificate.pdf.name,
                                                                           pdf_public_url=base)
    if not updated:  # another request stored one first: keep theirs, drop ours
        _delete_file(certificate)
        certificate.refresh_from_db(fields=["pdf"])
    return certificate


def _delete_file(certificate: Certificate) -> None:
    if certificate.pdf and certificate.pdf.name:
        certificate.pdf.storage.delete(certificate.pdf.name)


def course_hours(course: Course) -> int | None:
    """The hours of study of a course version: through the courses selector when it offers one
    (`course_hours`), else the version's own field."""
    reader: Callable[[Course], int | None] | None = getattr(course_selectors, "course_hours", None)
    if reader is not None:
        return reader(course)
    hours = getattr(course, "hours", None) or getattr(course, "estimated_hours", None)
    return int(hours) if hours else None


def _snapshot(*, user: User, school_id: int | None, title: str) -> dict[str, Any]:
    """What every certificate says of its holder and issuer, as it stands at the moment of issue."""
    now = timezone.now()
    authority_bn, authority_en = authority()
    return {
        "user": user, "code": new_code(),
        "holder_name_bn": (user.name_bn or user.name_en or user.display_name)[:150],
        "holder_name_en": user.name_en[:150],
        "school_name": school_name(school_id)[:255] if school_id else "", "course_title": title[:200],
        "authority_bn": authority_bn, "authority_en": authority_en,
        "issued_at": now, "issued_on": dhaka_date(now),
    }


def certificate_issue(*, enrolment_id: int) -> Certificate | None:
    """The certificate of a completed enrolment, issued the first time this is called (None while the
    enrolment is not complete). Safe to call twice, and from two workers at once."""
    existing = Certificate.objects.filter(enrolment_id=enrolment_id).first()
    if existing is not None:
        return existing
    enrolment = completed_enrolment(enrolment_id)
    if enrolment is None:
        return None
    user, course = enrolment.user, enrolment.course
    certificate = Certificate(
        kind=Certificate.Kind.COURSE, enrolment=enrolment, course=course, family=enrolment.family,
        hours=course_hours(course), eligible_for=", ".join(programmes_unlocked_by(enrolment.family))[:300],
        **_snapshot(user=user, school_id=enrolment.school_id, title=course.title),
    )
    certificate.place_at(enrolment)  # placed where the enrolment was
    return _issue(certificate, lambda: Certificate.objects.filter(enrolment_id=enrolment_id).first(),
                  exclude=["enrolment"], what=f"enrolment {enrolment_id}")


def certificate_issue_training(*, key: str, user: User, title: str, hours: int | None, venue: str,
                               held_from: dt.date, held_to: dt.date,
                               place: Mapping[str, int | None]) -> Certificate:
    """The certificate of a completed face-to-face training, issued once per `key` (training's own name for
    what it certifies, e.g. "training-invitation:42"): a second call, or a racing one, answers the first.
    `place` holds the school/upazila/district/division ids the certificate is placed at."""
    return _issue_by_key(key=key, user=user, title=title, place=place, kind=Certificate.Kind.TRAINING,
                         hours=hours, venue=venue[:255], held_from=held_from, held_to=held_to)


def certificate_issue_practice(*, key: str, user: User, title: str, held_from: dt.date | None,
                               held_to: dt.date | None, place: Mapping[str, int | None]) -> Certificate:
    """The certificate of practice (decision 0011: earned with classroom evidence, not quiz scores), issued once
    per `key` (practice's own name for what it certifies, "practice:<user id>:<course family>"): a second call,
    or a racing one, answers the first. `title` is the course whose activities she practised; `held_from` and
    `held_to` the first and last day she taught one of them. It carries no course family on purpose: the
    "certified" counts and a programme's entry rule read course certificates only (those with a family)."""
    return _issue_by_key(key=key, user=user, title=title, place=place, kind=Certificate.Kind.PRACTICE,
                         held_from=held_from, held_to=held_to)


def _issue_by_key(*, key: str, user: User, title: str, place: Mapping[str, int | None], kind: str,
                  **fields: Any) -> Certificate:
    """A certificate asked for by another app under its own key (no enrolment), issued once per key."""
    key = key.strip()
    if not key or len(key) > 80:
        raise ValueError("An issue key of 1 to 80 characters is needed")
    existing = Certificate.objects.filter(issue_key=key).first()
    if existing is not None:
        return existing
    certificate = Certificate(kind=kind, issue_key=key, **fields,
                              **_snapshot(user=user, school_id=place.get("school_id"), title=title))
    for name in ("school_id", "upazila_id", "district_id", "division_id"):
        setattr(certificate, name, place.get(name))
    return _issue(certificate, lambda: Certificate.objects.filter(issue_key=key).first(),
                  exclude=["issue_key"], what=f"key {key}")


def _issue(certificate: Certificate, find_existing: Callable[[], Certificate | None], *, exclude: list[str],
           what: str) -> Certificate:
    """Render and insert a new certificate once: a concurrent run that inserted first wins (its row is
    answered, our PDF deleted); a code clash takes another code."""
    # Cleaned first (core.fields: no bidi override from an old name), so the PDF says what the row says.
    certificate.full_clean(exclude=[*exclude, "code", "pdf"], validate_constraints=False)
    pdf = _pdf_file(certificate)  # slow (about half a second): before any row is locked
    if pdf is not None:
        certificate.pdf.save(pdf.name or "certificate.pdf", pdf, save=False)
        certificate.pdf_public_url = public_url("")[:200]
    # The unique columns (the subject and the code) are the database's to decide.
    certificate.full_clean(exclude=[*exclude, "code"], validate_constraints=False)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
                _notify_issued(certificate)
                if not certificate.pdf:  # rendering failed (or the PDF showed a clashing code): try again later
                    transaction.on_commit(functools.partial(_queue_pdf, certificate.pk))
            return certificate
        except IntegrityError:
            existing = find_existing()
            if existing is not None:  # a concurrent run issued it first
                if certificate.pdf:
                    _delete_file(certificate)
                return existing
            # A code clash (one in 2**80): another code, and the PDF printed with the old one goes.
            certificate.pk = None
            certificate.code = new_code()
            if certificate.pdf:
                _delete_file(certificate)
                certificate.pdf = None
    raise RuntimeError(f"Could not issue a certificate for {what}")


def certificates_issue_missing(*, completed_before: datetime, limit: int = 500) -> int:
    """Queue the issuing task again for completed enrolments that still have no certificate (their task was
    lost: given up by the reaper after its workers died, or never queued). Completions newer than
    `completed_before` are left to the task already on its way. Safe to run any time: issuing is once."""
    from shikhon.certificates.tasks import certificate_issue_task

    issued = Certificate.objects.filter(enrolment_id=OuterRef("pk"))
    missing = list(enrolments_completed_before(completed_before).filter(~Exists(issued))
                   .values_list("pk", flat=True)[:limit])
    for enrolment_id in missing:
        certificate_issue_task.enqueue(enrolment_id=enrolment_id)
    if missing:
        logger.warning("Queued the certificate task again for %d completed enrolments without a certificate",
                       len(missing))
    return len(missing)


def _queue_pdf(certificate_id: int) -> None:
    from shikhon.certificates.tasks import certificate_pdf_task

    certificate_pdf_task.enqueue(certificate_id=certificate_id)


def certificate_pdfs_refresh(*, limit: int = 500) -> int:
    """Draw again (by the PDF task) the stored PDFs that print another public address than SHIKHON_PUBLIC_URL's
    now (the demo on another port, a site that moved): their files are dropped and the task stores new ones.
    A download meanwhile renders the PDF with the current address."""
    base = public_url("")[:200]
    stale = list(Certificate.objects.exclude(pdf="").exclude(pdf_public_url=base).order_by("pk")[:limit])
    for certificate in stale:
        if Certificate.objects.filter(pk=certificate.pk, pdf=certificate.pdf.name).update(pdf="", pdf_public_url=""):
            _delete_file(certificate)
            _queue_pdf(certificate.pk)
    return len(stale)


def certificate_pdfs_queue_missing(*, limit: int = 500) -> int:
    """Queue the PDF task for certificates still without a stored PDF (its task was lost). Safe any time."""
    missing = list(Certificate.objects.filter(pdf="").order_by("pk").values_list("pk", flat=True)[:limit])
    for certificate_id in missing:
        _queue_pdf(certificate_id)
    if missing:
        logger.warning("Queued the PDF task for %d certificates without a PDF", len(missing))
    return len(missing)


def _notify_issued(certificate: Certificate) -> None:
    notification_send(
        recipient=certificate.user, kind=notifications.CERTIFICATE_ISSUED,
        event_key=f"certificate:{certificate.pk}:issued",
        params={"course": certificate.course_title, "code": format_code(certificate.code)},
        url=certificate.get_absolute_url(),
    )


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate (officers over its place, national admins). Verification then says
    "revoked", with the date; the holder is told why."""
    ensure_can_revoke(actor, certificate)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Write why this certificate is revoked; the teacher will read it.")},
                              code="required")
    if len(reason) > REASON_MAX:
        too_long = _("Write the reason in at most %(max)s characters.") % {"max": format_number(REASON_MAX)}
        raise ValidationError({"reason": too_long}, code="max_length")
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."), code="already_revoked")
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason
    locked.full_clean()
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action=audit_actions.CERTIFICATE_REVOKED, target=locked,
                 summary=f"{format_code(locked.code)} — {locked.course_title}", details={"reason": reason})
    notification_send(
        recipient=locked.user, kind=notifications.CERTIFICATE_REVOKED, event_key=f"certificate:{locked.pk}:revoked",
        params={"course": locked.course_title, "reason": reason}, url=locked.get_absolute_url(),
    )
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = (
        locked.revoked_at, locked.revoked_by, locked.revoke_reason)
    return certificate
