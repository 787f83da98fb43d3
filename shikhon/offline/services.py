"""The sync endpoint's work: each outbox item made on a phone goes to the handler its kind registered in
`core.outbox.sync_kinds` (courses: quiz answers and progress, through the same services as the online
forms), and its id is stored in a SyncReceipt in the same transaction as the write. A replay answers the
first result; nothing is made twice. The rules are written in docs/decisions/0006."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shikhon.core.outbox import SyncRejected, sync_kinds
from shikhon.offline import schemas
from shikhon.offline.models import SyncReceipt

if TYPE_CHECKING:
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


def _run(*, actor: User, item: schemas.Item) -> Outcome:
    """Inside the item's transaction: do the write through its kind's handler and store its receipt (or
    store the rejection). `made_at` is only the phone's claim: it is kept on the receipt and decides nothing."""
    try:
        result = dict(sync_kinds.get(item.kind).handle(actor, item.payload))
    except SyncRejected as rejected:
        # A permanent refusal: stored, so a replay answers the same sentence.
        with transaction.atomic():
            SyncReceipt.objects.create(key=item.id, user=actor, kind=item.kind,
                                       outcome=SyncReceipt.Outcome.REJECTED, made_at=item.made_at,
                                       result={"message": rejected.message, "url": rejected.url})
        return Outcome("rejected", rejected.message, rejected.url)
    receipt = SyncReceipt(key=item.id, user=actor, kind=item.kind, outcome=SyncReceipt.Outcome.CREATED,
                          made_at=item.made_at, result=result)
    # The unique key is settled by the database, not by a SELECT here: a request syncing the same item at the
    # same moment makes this save raise IntegrityError, which the caller answers with the stored result.
    receipt.full_clean(validate_unique=False, validate_constraints=False)
    receipt.save()
    return Outcome("created", str(result["message"]), str(result.get("url", "")), result)
