"""The shape of what a phone sends to /sync/: the batch and each outbox item. Each kind's payload has the
model its app registered in `core.outbox.sync_kinds` (courses: `courses/sync.py`); offline knows no kind.

Pydantic models, strict: every field has a type, a bound and a length limit; numbers are finite and
in range; ids are UUIDs; unknown fields are refused. Nothing a phone sends reaches a service before it
has passed these models, so an impossible value (`"inf"`, `1e400`, a 5,000-character answer) gets a
sentence back instead of an exception. A failure is turned into one sentence for the person
(`sentence_for`); pydantic's own English messages never reach her. Rules: docs/decisions/0006."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, PlainValidator, StringConstraints, TypeAdapter, ValidationError
from pydantic_core import from_json

from shikhon.core.bangla import format_number
from shikhon.core.outbox import SyncKind, sync_kinds

MAX_ITEMS = 50
MAX_BODY_BYTES = 64 * 1024


class BadBatch(ValueError):
    """The body is not a batch of outbox items at all; the message is a sentence for the person."""


class BadItem(ValueError):
    """One item does not have the shape of its kind; the message is a sentence for the person."""


# ------------------------------------------------------------------------------------------ field types

def _item_id(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or len(value) > 45:
        raise ValueError("an id is a UUID string")  # noqa: TRY004 - pydantic wants ValueError
    return uuid.UUID(value)


def _made_at(value: object) -> dt.datetime:
    """When the phone says the item was made: an ISO 8601 time. A claim, kept on the receipt; it never
    decides anything (deadlines are judged by the server's clock)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("made_at is an ISO 8601 string")  # noqa: TRY004
    made_at = dt.datetime.fromisoformat(value)
    if timezone.is_naive(made_at):
        made_at = timezone.make_aware(made_at, timezone.get_current_timezone())
    try:
        return made_at.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("made_at is out of range") from None


ItemId = Annotated[uuid.UUID, PlainValidator(_item_id)]
MadeAt = Annotated[dt.datetime, PlainValidator(_made_at)]


# ------------------------------------------------------------------------------------------ items

class _Envelope(BaseModel):
    """What every item carries, whatever its kind; the payload is checked by its kind's model."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    id: ItemId
    kind: Annotated[str, StringConstraints(max_length=40)]
    payload: Any
    made_at: MadeAt | None = None


@dataclass(frozen=True)
class Item:
    """One checked outbox item: its id, its registered kind, its payload (the kind's model) and the
    phone's claim of when it was made."""

    id: uuid.UUID
    kind: str
    payload: Any
    made_at: dt.datetime | None = None


_ENVELOPE: TypeAdapter[_Envelope] = TypeAdapter(_Envelope)
_ID: TypeAdapter[uuid.UUID] = TypeAdapter(ItemId)


class _Batch(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    items: list[Any]


# ------------------------------------------------------------------------------------------ parsing

def batch_parse(body: bytes) -> list[Any]:
    """The list of raw items of a request body `{"items": [...]}`; each item is checked on its own by
    `item_parse`, so one bad item does not refuse the others. Raises BadBatch with a sentence."""
    try:
        # pydantic-core's parser: a depth limit (never a RecursionError), no lone surrogates.
        data = from_json(body)
    except ValueError:
        raise BadBatch(_("The request is not valid JSON.")) from None
    try:
        batch = _Batch.model_validate(data)
    except ValidationError:
        raise BadBatch(_("The request must be a JSON object with a list of items.")) from None
    if len(batch.items) > MAX_ITEMS:
        raise BadBatch(_("Send at most %(count)s items at a time.") % {"count": format_number(MAX_ITEMS)})
    return batch.items


def item_key(raw: Any) -> uuid.UUID | None:
    """The item's id when it is a UUID, else None (the item cannot have a receipt)."""
    if not isinstance(raw, dict):
        return None
    try:
        return _ID.validate_python(raw.get("id"))
    except ValidationError:
        return None


def item_echo_id(raw: Any) -> str | None:
    """What to answer as the `id` of an item whose id is not a UUID: what it sent, if it is short text."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return value[:64] if isinstance(value, str) else None


def item_parse(raw: Any) -> Item:
    """Check one item: the envelope, then the payload against the model its kind registered
    (core.outbox.sync_kinds). Raises BadItem with a sentence."""
    if not isinstance(raw, dict):
        raise BadItem(_("Each item must be a JSON object."))
    if item_key(raw) is None:
        raise BadItem(_("Each item needs an id (a UUID)."))
    kind = sync_kinds.find(raw.get("kind"))  # a kind nobody registered, or not a string
    if kind is None:
        raise BadItem(_("This kind of offline work is not known. Please update the page and try again."))
    places: list[tuple[str, ...]] = []
    envelope = payload = None
    try:
        envelope = _ENVELOPE.validate_python(raw)
    except ValidationError as error:
        places += _places(error)
    try:
        payload = kind.payload.model_validate(raw.get("payload"))
    except ValidationError as error:
        places += [("payload", *place) for place in _places(error)]
    if envelope is None or payload is None:
        raise BadItem(sentence_for(places, kind=kind))
    return Item(id=envelope.id, kind=kind.name, payload=payload, made_at=envelope.made_at)


def _places(error: ValidationError) -> list[tuple[str, ...]]:
    problems = error.errors(include_url=False, include_context=False, include_input=False)
    return [tuple(str(part) for part in p["loc"]) for p in problems]


def sentence_for(places: list[tuple[str, ...]], *, kind: SyncKind) -> str:
    """One sentence for the person, from where the first problem is: the protocol's own fields first, then
    what the kind says about its payload."""
    if any(place[:1] == ("id",) for place in places):
        return _("Each item needs an id (a UUID).")
    if any(place[:1] == ("made_at",) for place in places):
        return _("The time this was made is not readable. Please answer again.")
    in_payload = [place[1:] for place in places if place[:1] == ("payload",)]
    if kind.problem_sentence is not None:
        sentence = kind.problem_sentence(in_payload)
        if sentence:
            return sentence
    return str(kind.unreadable)
