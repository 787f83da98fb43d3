"""Certificates: the caller's own (course and face-to-face training certificates), and checking many verification
codes at once (for employers, training offices, audits)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from shikhon.api.auth import caller
from shikhon.api.pagination import PageParams, paginate
from shikhon.api.schemas import ErrorOut, Page
from shikhon.certificates.selectors import certificates_of, verify_codes
from shikhon.certificates.services import public_url
from shikhon.core.clock import dhaka_date

if TYPE_CHECKING:
    from shikhon.certificates.models import Certificate

router = Router(tags=["certificates"])

MAX_CODES = 100


class VerifyIn(Schema):
    codes: list[Annotated[str, Field(max_length=64)]] = Field(
        ..., min_length=1, max_length=MAX_CODES,
        description="1 to 100 verification codes, as printed (ABCD-2345-EFGH-6789) or without dashes.",
    )


class VerifyResult(Schema):
    code: str = Field(..., description="The code as sent.")
    status: Literal["valid", "revoked", "unknown"] = Field(
        ..., description="valid; revoked (no longer valid); unknown (never issued, or not a code at all).")
    holder_name_bn: str | None = None
    holder_name_en: str | None = None
    course: str | None = Field(None, description="The course title, as on the certificate.")
    school: str | None = Field(None, description="The holder's school when it was issued.")
    issued_on: dt.date | None = None
    revoked_on: dt.date | None = None


class VerifyOut(Schema):
    results: list[VerifyResult] = Field(..., description="One result per code, in the order sent.")


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 414: ErrorOut, 422: ErrorOut,
                          429: ErrorOut}


@router.post("/certificates/verify", response={200: VerifyOut, **ERRORS}, summary="Check certificate codes")
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Whether each code belongs to a valid or revoked certificate, and whose it is. Unknown and
    malformed codes answer alike."""
    return {"results": verify_codes(payload.codes)}


class CertificateOut(Schema):
    id: int
    kind: Literal["course", "training", "practice"] = Field(
        ..., description="course: an online course completed; training: a face-to-face training completed; "
                         "practice: a certificate of practice (the course used in class, with classroom evidence).")
    code: str = Field(..., description="The verification code, as printed.")
    title: str = Field(..., description="The course's or the training programme's title, as on the certificate.")
    holder_name_bn: str
    holder_name_en: str
    school: str = Field(..., description="Her school when it was issued.")
    hours: int | None = Field(None, description="Hours of study, when the certificate states them.")
    eligible_for: str = Field(..., description="A course certificate: the face-to-face training it makes her "
                              "eligible for.")
    venue: str = Field(..., description="A training certificate: where the training was held.")
    held_from: dt.date | None = Field(None, description="A training certificate: its first day.")
    held_to: dt.date | None = None
    authority_bn: str = Field(..., description="The issuing authority named on it.")
    authority_en: str
    issued_on: dt.date = Field(..., description="The date printed on it (Dhaka).")
    revoked: bool
    revoked_on: dt.date | None = None
    url: str = Field(..., description="Its page on the site.")
    pdf_url: str
    verify_url: str = Field(..., description="The public address anyone can open to check it (its QR code).")


class CertificatePage(Page):
    items: list[CertificateOut]


def _certificate(certificate: Certificate) -> dict[str, Any]:
    return {
        "id": certificate.pk, "kind": certificate.kind, "code": certificate.code,
        "title": certificate.course_title, "holder_name_bn": certificate.holder_name_bn,
        "holder_name_en": certificate.holder_name_en, "school": certificate.school_name,
        "hours": certificate.hours, "eligible_for": certificate.eligible_for, "venue": certificate.venue,
        "held_from": certificate.held_from, "held_to": certificate.held_to,
        "authority_bn": certificate.authority_bn, "authority_en": certificate.authority_en,
        "issued_on": certificate.issued_on, "revoked": certificate.revoked_at is not None,
        "revoked_on": dhaka_date(certificate.revoked_at) if certificate.revoked_at is not None else None,
        "url": certificate.get_absolute_url(), "pdf_url": reverse("certificates:pdf", kwargs={"pk": certificate.pk}),
        "verify_url": public_url(certificate.get_verify_url()),
    }


@router.get("/me/certificates", response={200: CertificatePage, 401: ErrorOut, 414: ErrorOut, 422: ErrorOut,
                                          429: ErrorOut}, tags=["me"], summary="My certificates")
def my_certificates(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Her certificates, newest first: of courses and of face-to-face trainings; revoked ones too (they say so)."""
    page = paginate(certificates_of(caller(request)), params)
    page["items"] = [_certificate(c) for c in page["items"]]
    return page
