"""The rules of supported practice, kept as data (decision 0011): the ongoing-user definition and the certificate
of practice. A `Rule` row per version holds the numbers; this module reads them (pydantic: a wrong number is
refused, never guessed) and writes the sentence every page shows beside a status — from the same numbers, so the
sentence and the decision cannot disagree. Changing a number is a new version (a data change), never code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from shikhon.core.bangla import localize_digits
from shikhon.core.clock import dhaka_today

if TYPE_CHECKING:
    import datetime as dt


class OngoingParams(BaseModel):
    """Default: at least 3 practice records in the last 60 days on at least 2 different activities (a library
    content counts as one: `min_activities` counts activities and contents), and at least one circle meeting
    (attended) or observation (of her lesson, recorded) in the same time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_days: int = Field(default=60, ge=7, le=365)
    min_records: int = Field(default=3, ge=1, le=100)
    min_activities: int = Field(default=2, ge=1, le=100)
    min_support: int = Field(default=1, ge=0, le=100)  # meetings attended + observations recorded


class CertificateParams(BaseModel):
    """Default: the course certificate, at least 6 practice records over at least 8 weeks across at least 3
    modules, at least one acknowledged by her head teacher, and at least one observation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    needs_course_certificate: bool = True
    min_records: int = Field(default=6, ge=1, le=200)
    min_weeks: int = Field(default=8, ge=0, le=104)
    min_modules: int = Field(default=3, ge=1, le=50)
    min_acknowledged: int = Field(default=1, ge=0, le=200)
    min_observations: int = Field(default=1, ge=0, le=50)


DEFAULTS: dict[str, BaseModel] = {"ongoing": OngoingParams(), "certificate": CertificateParams()}
PARAMS: dict[str, type[BaseModel]] = {"ongoing": OngoingParams, "certificate": CertificateParams}


@dataclass(frozen=True)
class OngoingRule:
    version: int
    params: OngoingParams

    def sentence(self) -> str:
        p = self.params
        return _("An ongoing user has made at least %(records)s practice records in the last %(days)s days, on at "
                 "least %(activities)s different activities or library contents, and in the same time took part in "
                 "at least %(support)s circle meeting or lesson observation (definition version %(version)s).") % {
            "records": localize_digits(p.min_records), "days": localize_digits(p.window_days),
            "activities": localize_digits(p.min_activities), "support": localize_digits(p.min_support),
            "version": localize_digits(self.version)}


@dataclass(frozen=True)
class CertificateRule:
    version: int
    params: CertificateParams

    def sentence(self) -> str:
        p = self.params
        text = _("The certificate of practice needs at least %(records)s practice records over at least %(weeks)s "
                 "weeks across at least %(modules)s modules, at least %(acknowledged)s of them acknowledged by your "
                 "head teacher, and at least %(observations)s lesson observation (rule version %(version)s).") % {
            "records": localize_digits(p.min_records), "weeks": localize_digits(p.min_weeks),
            "modules": localize_digits(p.min_modules), "acknowledged": localize_digits(p.min_acknowledged),
            "observations": localize_digits(p.min_observations), "version": localize_digits(self.version)}
        if p.needs_course_certificate:
            text = _("You need the course certificate first.") + " " + text
        return text


def _newest(kind: str, on: dt.date | None = None) -> tuple[int, dict[str, object]] | None:
    from shikhon.practice.models import Rule

    row = (Rule.objects.filter(kind=kind, in_force_from__lte=on or dhaka_today())
           .order_by("-version").values_list("version", "params").first())
    return (row[0], row[1]) if row else None


def ongoing_rule(on: dt.date | None = None) -> OngoingRule:
    """The ongoing-user definition in force (the built-in default as version 1 when none is stored)."""
    row = _newest("ongoing", on)
    if row is None:
        return OngoingRule(version=1, params=OngoingParams())
    return OngoingRule(version=row[0], params=OngoingParams.model_validate(row[1]))


def certificate_rule(on: dt.date | None = None) -> CertificateRule:
    """The certificate-of-practice rule in force (the built-in default as version 1 when none is stored)."""
    row = _newest("certificate", on)
    if row is None:
        return CertificateRule(version=1, params=CertificateParams())
    return CertificateRule(version=row[0], params=CertificateParams.model_validate(row[1]))


def validate_params(kind: str, params: object) -> dict[str, object]:
    """A rule's numbers checked before they are stored (admin, data migrations): the dict to store."""
    return PARAMS[kind].model_validate(params).model_dump()
