"""Recording a learner check round for a teacher's own class (decision 0011). Learners are codes only: a code is
1–12 Latin letters or digits (Bangla digits are read as digits), never a name."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shikhon.core.bangla import localize_digits, to_western_digits
from shikhon.core.clock import dhaka_today
from shikhon.people.selectors import placement_of
from shikhon.practice.checks import LEARNER_CODE, MAX_LEARNERS, definition_of
from shikhon.practice.models import CheckResult, CheckRound, LearnerCheck

if TYPE_CHECKING:
    from shikhon.people.models import User

MAX_AGE_DAYS = 366
MAX_SECTION_CHARS = 20


def code_sentence() -> str:
    return _("Use a code for each learner, not a name (for example L01).")


def learner_code(raw: object) -> str | None:
    """The learner's code as stored (Western digits, capital letters), or None when it is not a code."""
    if not isinstance(raw, str):
        return None
    text = to_western_digits(raw).strip().upper()
    return text if LEARNER_CODE.fullmatch(text) else None


def _check_results(learner_check: LearnerCheck,
                   results: Mapping[str, Mapping[str, bool]]) -> dict[str, dict[str, bool]]:
    definition = definition_of(learner_check)
    codes = set(definition.codes)
    if not results:
        raise ValidationError({"results": _("Mark the answers of at least one learner.")}, code="no_learners")
    if len(results) > MAX_LEARNERS:
        raise ValidationError({"results": _("A round has at most %(max)s learners.") % {
            "max": localize_digits(MAX_LEARNERS)}}, code="too_many_learners")
    clean: dict[str, dict[str, bool]] = {}
    for raw_code, answers in results.items():
        code = learner_code(raw_code)
        if code is None:
            raise ValidationError({"results": code_sentence()}, code="not_a_code")
        if code in clean:
            raise ValidationError({"results": _("The code %(code)s is used for two learners. Give each learner "
                                                "their own code.") % {"code": code}}, code="code_twice")
        if not isinstance(answers, Mapping):
            raise ValidationError({"results": _("The answers could not be read.")}, code="bad_answers")
        unknown = [item for item in answers if item not in codes]
        if unknown:
            raise ValidationError({"results": _("An answer is for a question that is not in this check.")},
                                  code="unknown_item")
        if any(not isinstance(value, bool) for value in answers.values()):
            raise ValidationError({"results": _("The answers could not be read.")}, code="bad_answers")
        # Every item of the check is stored: an item not marked right is wrong.
        clean[code] = {item: bool(answers.get(item, False)) for item in definition.codes}
    return clean


def _check_class(learner_check: LearnerCheck, grade: object, section: object) -> tuple[int, str]:
    if not isinstance(grade, int) or isinstance(grade, bool) or not (
            learner_check.grade_from <= grade <= learner_check.grade_to):
        raise ValidationError({"grade": _("This check is for classes %(first)s to %(last)s.") % {
            "first": localize_digits(learner_check.grade_from), "last": localize_digits(learner_check.grade_to)}},
            code="bad_grade")
    text = " ".join(str(section or "").split())
    if len(text) > MAX_SECTION_CHARS:
        raise ValidationError({"section": _("A section has at most %(max)s characters.") % {
            "max": localize_digits(MAX_SECTION_CHARS)}}, code="bad_section")
    return grade, text


def _check_day(held_on: object) -> dt.date:
    today = dhaka_today()
    if not isinstance(held_on, dt.date) or isinstance(held_on, dt.datetime):
        raise ValidationError({"held_on": _("Give the date of the check.")}, code="bad_date")
    if held_on > today:
        raise ValidationError({"held_on": _("The date of the check cannot be in the future.")}, code="future")
    if held_on < today - dt.timedelta(days=MAX_AGE_DAYS):
        raise ValidationError({"held_on": _("The date of the check cannot be more than a year ago.")},
                              code="too_old")
    return held_on


def baseline_before(*, teacher_id: int, learner_check: LearnerCheck, grade: int, section: str,
                    held_on: dt.date) -> CheckRound | None:
    """Her latest baseline round of this check with this class, held before `held_on`."""
    return (CheckRound.objects.filter(teacher_id=teacher_id, learner_check=learner_check, grade=grade,
                                      section=section, kind=CheckRound.Kind.BASELINE, held_on__lt=held_on)
            .order_by("-held_on", "-pk").first())


def check_round_record(*, actor: User, learner_check: LearnerCheck, kind: str, grade: int, section: str,
                       held_on: dt.date, results: Mapping[str, Mapping[str, bool]],
                       client_id: uuid.UUID | None = None) -> CheckRound:
    """Record a baseline or follow-up round with her own class: `results` maps each learner's code to
    {item code: right?}. The same `client_id` again gives back the round made the first time."""
    if client_id is not None:
        existing = CheckRound.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.teacher_id != actor.pk:
                raise ValidationError(_("This check round could not be saved."), code="not_yours")
            return existing
    placement = placement_of(actor)
    if placement.school_id is None:
        raise ValidationError(_("Only a teacher working at a school records checks with her class."),
                              code="no_school")
    if kind not in CheckRound.Kind.values:
        raise ValidationError({"kind": _("Choose baseline or follow-up.")}, code="bad_kind")
    grade, section = _check_class(learner_check, grade, section)
    held_on = _check_day(held_on)
    clean = _check_results(learner_check, results)
    if kind == CheckRound.Kind.FOLLOW_UP and baseline_before(
            teacher_id=actor.pk, learner_check=learner_check, grade=grade, section=section, held_on=held_on) is None:
        # The code sits on the field's own error (Django drops a code given beside a dict): the API answers 409.
        raise ValidationError({"kind": ValidationError(_(
            "A follow-up needs an earlier baseline round of this check with the same class. Record the baseline "
            "first."), code="no_baseline")})
    check_round = CheckRound(teacher=actor, learner_check=learner_check, kind=kind, grade=grade, section=section,
                             held_on=held_on, **placement.as_fields())
    if client_id is not None:
        check_round.client_id = client_id
    try:
        with transaction.atomic():
            check_round.save()
            CheckResult.objects.bulk_create([
                CheckResult(round=check_round, learner_code=code, item=item, correct=right)
                for code, answers in clean.items() for item, right in answers.items()])
    except IntegrityError:
        # The same client id saved at the same moment by another request: that one counts.
        existing = CheckRound.objects.filter(client_id=check_round.client_id, teacher=actor).first()
        if existing is None:
            raise
        return existing
    return check_round
