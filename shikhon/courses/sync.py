"""The offline work courses takes from a phone's outbox: quiz answers (`quiz_submit`) and activity progress
(`activity_progress`). Each kind has its strict payload model and a handler that runs it through the same
service as the online form; registered in core.outbox from CoursesConfig.ready. offline keeps the protocol
(ids, order, receipts); the rules are in docs/decisions/0006."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BeforeValidator, Field, StringConstraints

from shikhon.core.bangla import format_number, to_western_digits
from shikhon.core.outbox import (
    MAX_FIELDS,
    FieldName,
    FieldValue,
    FormPayload,
    Pk,
    StrictModel,
    SyncKind,
    SyncRejected,
    Values,
    codes_of,
    pk_from,
    sentence_of,
    sync_kinds,
)
from shikhon.courses import selectors, services
from shikhon.courses.models import QuizAttempt

if TYPE_CHECKING:
    from shikhon.people.models import User

QUIZ_SUBMIT = "quiz_submit"
ACTIVITY_PROGRESS = "activity_progress"

_PERCENT = re.compile(r"\d{1,3}(\.\d{1,3})?", flags=re.ASCII)


def _percent(value: object) -> int:
    """A share of a video watched, as the form sends it: a string of a whole or decimal number 0..100
    (Bangla digits too). Never a JSON number, never `inf`, `nan` or an exponent."""
    if not isinstance(value, str):
        raise ValueError("a share watched is a string")  # noqa: TRY004 - pydantic wants ValueError
    text = to_western_digits(value).strip()
    if not _PERCENT.fullmatch(text):
        raise ValueError("a share watched is a number from 0 to 100")
    share = int(Decimal(text))
    if share > 100:
        raise ValueError("a share watched is a number from 0 to 100")
    return share


Percent = Annotated[int, BeforeValidator(_percent)]


class QuizSubmitPayload(FormPayload):
    attempt: Pk | None = None
    fields: Annotated[dict[FieldName, Values], Field(max_length=MAX_FIELDS)]

    def target(self) -> int | None:
        return self.attempt


class ProgressFields(StrictModel):
    """The fields of the "Mark as done" form and of progress.js's posts."""

    done: Annotated[list[Annotated[str, StringConstraints(max_length=10)]], Field(max_length=5)] = []
    watched_percent: Annotated[list[Percent], Field(max_length=5)] = []
    watched: Annotated[list[Percent], Field(max_length=5)] = []
    csrfmiddlewaretoken: Annotated[list[FieldValue], Field(max_length=2)] = []  # ignored

    @property
    def is_done(self) -> bool:
        return bool(self.done) and self.done[-1] in {"1", "true", "on"}

    @property
    def share(self) -> int | None:
        shares = self.watched_percent or self.watched
        return shares[-1] if shares else None


class ActivityProgressPayload(FormPayload):
    activity: Pk | None = None
    fields: ProgressFields

    def target(self) -> int | None:
        return self.activity


def quiz_submit(actor: User, payload: QuizSubmitPayload) -> dict[str, Any]:
    pk = pk_from(payload, "courses:attempt_submit")
    try:
        attempt = selectors.access_attempt(actor, pk, to="submit")
    except Http404:
        raise SyncRejected(_("This quiz attempt was not found. Please open the quiz and answer again.")) from None
    url = attempt.get_absolute_url()
    answers = services.answers_from_fields(payload.fields)
    try:
        # The deadline is judged by the server's clock now, when the answers arrive (decision 0006).
        attempt = services.quiz_attempt_submit(actor=actor, attempt=attempt, answers=answers,
                                               source=QuizAttempt.Source.OFFLINE)
    except ValidationError as error:
        if "already_submitted" in codes_of(error):
            raise SyncRejected(_("These answers were not counted: this quiz attempt had already been submitted. "
                                 "See the result that counts."), url) from None
        raise SyncRejected(sentence_of(error) or _("These answers could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise SyncRejected(_("This quiz attempt was not found. Please open the quiz and answer again.")) from None
    if attempt.passed:
        message = _("Your quiz answers were sent. You scored %(score)s%% and passed.")
    else:
        message = _("Your quiz answers were sent. You scored %(score)s%%.")
    return {"message": message % {"score": format_number(attempt.score_percent or 0)}, "url": url,
            "attempt": attempt.pk, "score": attempt.score_percent, "passed": attempt.passed}


def activity_progress(actor: User, payload: ActivityProgressPayload) -> dict[str, Any]:
    pk = pk_from(payload, "courses:activity_progress")
    try:
        activity = selectors.access_activity(actor, pk)
    except Http404:
        raise SyncRejected(_("This activity was not found.")) from None
    watched, done = payload.fields.share, payload.fields.is_done
    if watched is None and not done:
        raise SyncRejected(_("There was no progress to save."))
    url = activity.get_absolute_url()
    try:
        progress = services.activity_progress_record(actor=actor, activity=activity, watched_percent=watched,
                                                     done=done)
    except ValidationError as error:
        raise SyncRejected(sentence_of(error) or _("Your progress could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise SyncRejected(_("You are not enrolled in this course, so progress was not saved."), url) from None
    return {"message": _("Your progress on “%(title)s” was saved.") % {"title": activity.title}, "url": url,
            "watched_percent": progress.watched_percent, "done": progress.done_at is not None}


def _share_problem(places: Sequence[tuple[str, ...]]) -> str | None:
    if any("watched_percent" in place or "watched" in place for place in places):
        return _("The share of the video watched must be a number from 0 to 100.")
    return None


def register() -> None:
    sync_kinds.add(SyncKind(
        QUIZ_SUBMIT, QuizSubmitPayload, quiz_submit,
        gettext_lazy("These answers could not be read. Please open the quiz and answer again.")))
    sync_kinds.add(SyncKind(
        ACTIVITY_PROGRESS, ActivityProgressPayload, activity_progress,
        gettext_lazy("This progress could not be read. Please open the activity and try again."),
        problem_sentence=_share_problem))
