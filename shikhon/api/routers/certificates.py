"""Certificates: check many verification codes at once (for employers, training offices, audits)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from shikhon.api.schemas import ErrorOut
from shikhon.certificates.selectors import verify_codes

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
