"""Reads for certificates: a person's own, the ones a person may see, who holds one, and verification."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from shikhon.certificates.codes import normalize_code
from shikhon.certificates.models import Certificate
from shikhon.certificates.permissions import certificates_visible_to
from shikhon.core.access import row_or_404
from shikhon.core.bangla import to_western_digits
from shikhon.core.clock import dhaka_date

if TYPE_CHECKING:
    from shikhon.people.models import User

SEARCH_MAX = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What the public verification shows, and nothing more (no phone, no pdf path, no ids).
PUBLIC_FIELDS = ("code", "kind", "holder_name_bn", "holder_name_en", "school_name", "course_title", "hours", "venue",
                 "held_from", "held_to", "eligible_for", "authority_bn", "authority_en", "issued_on", "revoked_at")


def certificates_of(user: User) -> QuerySet[Certificate]:
    """Her own certificates, course and training alike, newest first (revoked ones too: the page says so)."""
    return Certificate.objects.filter(user_id=user.pk).order_by("-issued_at", "-pk")


def access_certificate(user: User, certificate_id: int) -> Certificate:
    """The one way a page loads a certificate for a person: hers, her school's (head teacher), her area's
    (officers and mentors), any (national people). Missing and hidden are the same 404."""
    return row_or_404(Certificate.objects.filter(certificates_visible_to(user)), certificate_id)


def certificates_for(user: User, *, query: str = "") -> QuerySet[Certificate]:
    """The certificates a person may see, newest first, narrowed by a name, a phone number or a code."""
    queryset = Certificate.objects.filter(certificates_visible_to(user)).select_related("user")
    # Control characters can't be in a name, phone or code (and PostgreSQL refuses NUL in a query).
    text = " ".join(_CONTROL.sub(" ", query).split())[:SEARCH_MAX]
    if text:
        code = normalize_code(text)
        if code is not None:
            queryset = queryset.filter(code=code)
        else:
            from shikhon.people.selectors import phone_query

            phone = phone_query(to_western_digits(text))
            if phone is not None:
                queryset = queryset.filter(user__phone=phone)
            else:
                for word in text.split()[:6]:
                    queryset = queryset.filter(Q(holder_name_bn__icontains=word) | Q(holder_name_en__icontains=word))
    return queryset.order_by("-issued_at", "-pk")


def certificate_ids_by_key(keys: Iterable[str]) -> dict[str, int]:
    """The id of the certificate issued for each of these issue keys (keys without one are left out); one query."""
    wanted = list(keys)
    if not wanted:
        return {}
    return {key: pk for key, pk in Certificate.objects.filter(issue_key__in=wanted).values_list("issue_key", "pk")
            if key is not None}


def certified_user_ids(family: UUID) -> QuerySet[Certificate, int]:
    """Ids of the people holding a certificate (not revoked) of any version of the course `family`."""
    return (Certificate.objects.filter(family=family, revoked_at__isnull=True)
            .values_list("user_id", flat=True).distinct())


def certificate_counts_by_family(families: Iterable[UUID], *, issued_from: dt.datetime | None = None,
                                 issued_before: dt.datetime | None = None) -> dict[UUID, int]:
    """Certificates (not revoked) of each course family, optionally issued in `[issued_from, issued_before)`;
    one query. Families without any are left out."""
    certificates = Certificate.objects.filter(family__in=list(families), revoked_at__isnull=True)
    if issued_from is not None:
        certificates = certificates.filter(issued_at__gte=issued_from)
    if issued_before is not None:
        certificates = certificates.filter(issued_at__lt=issued_before)
    rows = certificates.values("family").annotate(n=Count("pk")).order_by().values_list("family", "n")
    return {family: n for family, n in rows if family is not None}


def certificate_by_code(code: str) -> dict[str, Any] | None:
    """The public facts of the certificate with this (normalized) code, or None. One indexed query."""
    return Certificate.objects.filter(code=code).values(*PUBLIC_FIELDS).first()


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return dhaka_date(value) if value is not None else None


def verify_codes(codes: list[str]) -> list[dict[str, Any]]:
    """Each code's status (valid, revoked or unknown), in the order given, from one query; "code" is
    the code as sent. A code that cannot be one (wrong length or letters) is unknown, like one that
    was never issued."""
    normalized = [normalize_code(raw) for raw in codes]
    wanted = {code for code in normalized if code is not None}
    found = {row["code"]: row for row in Certificate.objects.filter(code__in=wanted).values(*PUBLIC_FIELDS)} \
        if wanted else {}
    results: list[dict[str, Any]] = []
    for raw, code in zip(codes, normalized, strict=True):
        row = found.get(code) if code is not None else None
        if row is None:
            results.append({"code": raw, "status": "unknown", "kind": None, "holder_name_bn": None,
                            "holder_name_en": None, "course": None, "school": None, "hours": None,
                            "authority": None, "issued_on": None, "revoked_on": None})
            continue
        results.append({
            "code": raw,
            "status": "revoked" if row["revoked_at"] is not None else "valid",
            "kind": row["kind"],
            "holder_name_bn": row["holder_name_bn"],
            "holder_name_en": row["holder_name_en"],
            "course": row["course_title"],
            "school": row["school_name"],
            "hours": row["hours"],
            "authority": row["authority_en"] or row["authority_bn"] or None,
            "issued_on": row["issued_on"],
            "revoked_on": _local_date(row["revoked_at"]),
        })
    return results


def certified_count_in(area: Q) -> int:
    """People holding a course certificate (not revoked) placed in `area` (a `Scope` place filter): the
    "certified" stage of the home page's funnel; one query. A course certificate is the one with a course
    family (a training certificate has none), so training certificates are not counted here."""
    return (Certificate.objects.filter(area, family__isnull=False, revoked_at__isnull=True)
            .values("user_id").distinct().count())


# ---------------------------------------------------------------- area progress (insights.progress)


def certified_counts_by_place(level: str, ids: Iterable[int]) -> dict[int, int]:
    """People holding a course certificate (not revoked), by the certificate's `level` place id, for these ids;
    one grouped query on the indexed place column (training certificates, which have no course family, are
    not counted: the same rule as `certified_count_in`)."""
    from shikhon.people.selectors import place_column

    column = place_column(level)
    rows = (Certificate.objects.filter(family__isnull=False, revoked_at__isnull=True, **{f"{column}__in": list(ids)})
            .values(column).annotate(n=Count("user_id", distinct=True)).order_by())
    return dict(rows.values_list(column, "n"))


def certified_user_ids_in(area: Q) -> QuerySet[Certificate, int]:
    """Ids of the people holding a course certificate (not revoked) placed in `area`, for a subquery."""
    return (Certificate.objects.filter(area, family__isnull=False, revoked_at__isnull=True)
            .values_list("user_id", flat=True))


def course_certificates_of(user_ids: Iterable[int]) -> dict[int, list[Certificate]]:
    """Each person's course certificates (revoked ones too), newest first; one query, only the columns a
    list shows."""
    out: dict[int, list[Certificate]] = {}
    for certificate in (Certificate.objects.filter(user_id__in=list(user_ids), family__isnull=False)
                        .only("pk", "user_id", "course_title", "issued_at", "issued_on", "revoked_at")
                        .order_by("-issued_at", "-pk")):
        out.setdefault(certificate.user_id, []).append(certificate)
    return out
