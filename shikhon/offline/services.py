"""The sync endpoint's work: each outbox item made on a phone goes through the same course service as
the online form, and its id is stored in a SyncReceipt in the same transaction as the write. A replay
answers the first result; nothing is made twice. The rules are written in docs/decisions/0006."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from shikhon.core.bangla import format_number
from shikhon.courses import selectors as course_selectors
from shikhon.courses import services as learning
from shikhon.courses.models import QuizAttempt
from shikhon.offline import schemas
from shikhon.offline.models import SyncReceipt
from shikhon.people.models import User

MAX_BODY_BYTES = schemas.MAX_BODY_BYTES
BadBatch = schemas.BadBatch


@dataclass(frozen=True)
class Outcome:
    status: str  # created | duplicate | rejected
    message: str
    url: str = ""
    details: Mapping[str, Any] | None = None

    def as_json(self, item_id: uuid.UUID | str | None) -> dict[str, Any]:
        answer: dict[str, Any] = {"id": None if item_id is None else str(item_id), "status": self.status,
                                  "message": self.message, "url": self.url}
        if self.details:
            answer.update({k: v for k, v in self.details.items() if k not in answer})
        return answer


class _Rejected(Exception):
    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


def sync_batch_parse(body: bytes) -> list[Any]:
    """The raw items of a request body `{"items": [{id, kind, payload, made_at}]}` (at most MAX_ITEMS).
    Raises BadBatch with a sentence when the body is not such a batch at all; each item is checked on its
    own by `sync_batch_apply`."""
    return schemas.batch_parse(body)


def sync_batch_apply(*, actor: User, items: list[Any]) -> list[dict[str, Any]]:
    """Apply each item in the order given (the order the phone made them), each in its own transaction,
    and answer one result per item, in the same order. A bad item is rejected with its sentence and
    stores nothing; the others still apply."""
    return [_apply_raw(actor=actor, raw=raw) for raw in items]


def _receipt_outcome(receipt: SyncReceipt) -> Outcome:
    result = dict(receipt.result or {})
    if receipt.outcome == SyncReceipt.Outcome.REJECTED:
        return Outcome("rejected", str(result.get("message", "")), str(result.get("url", "")))
    return Outcome("duplicate", str(result.get("message", "")), str(result.get("url", "")), result)


def _not_yours() -> Outcome:
    return Outcome("rejected", _("This item could not be saved. Please answer again."))


def _apply_raw(*, actor: User, raw: Any) -> dict[str, Any]:
    key = schemas.item_key(raw)
    if key is None:
        try:
            schemas.item_parse(raw)
        except schemas.BadItem as bad:
            return Outcome("rejected", str(bad)).as_json(schemas.item_echo_id(raw))
    assert key is not None  # noqa: S101 - item_parse refuses an item without a UUID id
    # An id seen before answers its first result, whatever the item carries now.
    existing = SyncReceipt.objects.filter(key=key).first()
    if existing is not None:
        return (_receipt_outcome(existing) if existing.user_id == actor.pk else _not_yours()).as_json(key)
    try:
        item = schemas.item_parse(raw)
    except schemas.BadItem as bad:
        return Outcome("rejected", str(bad)).as_json(key)  # nothing stored: she may send it again, mended
    try:
        with transaction.atomic():
            outcome = _run(actor=actor, item=item)
    except IntegrityError:
        # Another request stored the same id at the same moment: answer what it stored.
        existing = SyncReceipt.objects.filter(key=key).first()
        if existing is None or existing.user_id != actor.pk:
            return _not_yours().as_json(key)
        return _receipt_outcome(existing).as_json(key)
    return outcome.as_json(key)


def _run(*, actor: User, item: schemas.QuizSubmitItem | schemas.ActivityProgressItem) -> Outcome:
    """Inside the item's transaction: do the write and store its receipt (or store the rejection).
    `made_at` is only the phone's claim: it is kept on the receipt and decides nothing."""
    try:
        if isinstance(item, schemas.QuizSubmitItem):
            result = _quiz_submit(actor=actor, payload=item.payload)
        else:
            result = _activity_progress(actor=actor, payload=item.payload)
    except _Rejected as rejected:
        # A permanent refusal: stored, so a replay answers the same sentence.
        with transaction.atomic():
            SyncReceipt.objects.create(key=item.id, user=actor, kind=item.kind,
                                       outcome=SyncReceipt.Outcome.REJECTED, made_at=item.made_at,
                                       result={"message": rejected.message, "url": rejected.url})
        return Outcome("rejected", rejected.message, rejected.url)
    receipt = SyncReceipt(key=item.id, user=actor, kind=item.kind, outcome=SyncReceipt.Outcome.CREATED,
                          made_at=item.made_at, result=result)
    receipt.full_clean()
    receipt.save()
    return Outcome("created", str(result["message"]), str(result.get("url", "")), result)


def _pk_from(payload: schemas.QuizSubmitPayload | schemas.ActivityProgressPayload, url_name: str) -> int:
    """The object id: given, or read from the form's address (e.g. /attempts/12/submit/), which must be
    the expected page."""
    pk = payload.target()
    if pk is not None:
        return pk
    try:
        match = resolve(str(payload.url))
    except Resolver404:
        raise _Rejected(_("This offline work points to a page that does not exist.")) from None
    if match.view_name != url_name or not isinstance(match.kwargs.get("pk"), int):
        raise _Rejected(_("This offline work points to a page that does not exist."))
    return int(match.kwargs["pk"])


def _sentence(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _codes(error: ValidationError) -> set[str]:
    codes: set[str] = set()
    for part in error.error_list if hasattr(error, "error_list") else [error]:
        if part.code:
            codes.add(str(part.code))
    if hasattr(error, "error_dict"):
        for parts in error.error_dict.values():
            codes.update(str(p.code) for p in parts if p.code)
    return codes


def _quiz_submit(*, actor: User, payload: schemas.QuizSubmitPayload) -> dict[str, Any]:
    pk = _pk_from(payload, "courses:attempt_submit")
    attempt = (QuizAttempt.objects.select_related("enrolment", "quiz")
               .filter(pk=pk, enrolment__user=actor).first()) if pk <= schemas.PK_MAX else None
    if attempt is None:
        raise _Rejected(_("This quiz attempt was not found. Please open the quiz and answer again."))
    url = attempt.get_absolute_url()
    answers = learning.answers_from_fields(payload.fields)
    try:
        # The deadline is judged by the server's clock now, when the answers arrive (decision 0006).
        attempt = learning.quiz_attempt_submit(actor=actor, attempt=attempt, answers=answers,
                                               source=QuizAttempt.Source.OFFLINE)
    except ValidationError as error:
        if "already_submitted" in _codes(error):
            raise _Rejected(_("These answers were not counted: this quiz attempt had already been submitted. "
                              "See the result that counts."), url) from None
        raise _Rejected(_sentence(error) or _("These answers could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise _Rejected(_("This quiz attempt was not found. Please open the quiz and answer again.")) from None
    if attempt.passed:
        message = _("Your quiz answers were sent. You scored %(score)s%% and passed.")
    else:
        message = _("Your quiz answers were sent. You scored %(score)s%%.")
    return {"message": message % {"score": format_number(attempt.score_percent or 0)}, "url": url,
            "attempt": attempt.pk, "score": attempt.score_percent, "passed": attempt.passed}


def _activity_progress(*, actor: User, payload: schemas.ActivityProgressPayload) -> dict[str, Any]:
    pk = _pk_from(payload, "courses:activity_progress")
    activity = (course_selectors.activities_visible(actor).select_related("module").filter(pk=pk).first()
                if pk <= schemas.PK_MAX else None)
    if activity is None:
        raise _Rejected(_("This activity was not found."))
    watched, done = payload.fields.share, payload.fields.is_done
    if watched is None and not done:
        raise _Rejected(_("There was no progress to save."))
    url = activity.get_absolute_url()
    try:
        progress = learning.activity_progress_record(actor=actor, activity=activity, watched_percent=watched,
                                                     done=done)
    except ValidationError as error:
        raise _Rejected(_sentence(error) or _("Your progress could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise _Rejected(_("You are not enrolled in this course, so progress was not saved."), url) from None
    return {"message": _("Your progress on “%(title)s” was saved.") % {"title": activity.title}, "url": url,
            "watched_percent": progress.watched_percent, "done": progress.done_at is not None}
