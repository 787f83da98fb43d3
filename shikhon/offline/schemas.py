"""The shape of what a phone sends to /sync/: the batch, each outbox item and each kind's payload.

Pydantic models, strict: every field has a type, a bound and a length limit; numbers are finite and
in range; ids are UUIDs; unknown fields are refused. Nothing a phone sends reaches a service before it
has passed these models, so an impossible value (`"inf"`, `1e400`, a 5,000-character answer) gets a
sentence back instead of an exception. A failure is turned into one sentence for the person
(`sentence_for`); pydantic's own English messages never reach her. Rules: docs/decisions/0006."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import from_json

from shikhon.core.bangla import to_western_digits

MAX_ITEMS = 50
MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 200  # form fields in one payload (a quiz has far fewer questions)
MAX_VALUES = 50  # values of one field (the choices of one question)
MAX_VALUE_CHARS = 200  # one typed answer
PK_MAX = 2**63 - 1  # a row id (bigint)


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


_PERCENT = re.compile(r"\d{1,3}(\.\d{1,3})?", flags=re.ASCII)


def _percent(value: object) -> int:
    """A share of a video watched, as the form sends it: a string of a whole or decimal number 0..100
    (Bangla digits too). Never a JSON number, never `inf`, `nan` or an exponent."""
    if not isinstance(value, str):
        raise ValueError("a share watched is a string")  # noqa: TRY004
    text = to_western_digits(value).strip()
    if not _PERCENT.fullmatch(text):
        raise ValueError("a share watched is a number from 0 to 100")
    share = int(Decimal(text))
    if share > 100:
        raise ValueError("a share watched is a number from 0 to 100")
    return share


ItemId = Annotated[uuid.UUID, PlainValidator(_item_id)]
MadeAt = Annotated[dt.datetime, PlainValidator(_made_at)]
Percent = Annotated[int, BeforeValidator(_percent)]
Pk = Annotated[int, Field(ge=1, le=PK_MAX)]
# The address of the form the item was made from (e.g. /attempts/12/submit/), checked again by resolve().
PagePath = Annotated[str, StringConstraints(max_length=200, pattern=r"^/[A-Za-z0-9_/-]*$")]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FieldValue = Annotated[str, StringConstraints(max_length=MAX_VALUE_CHARS)]
Values = Annotated[list[FieldValue], Field(max_length=MAX_VALUES)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------------ payloads

class _FormPayload(_Strict):
    """A form kept on the phone: its address (or the object's id) and its fields, `{name: [values]}`."""

    url: PagePath | None = None

    @model_validator(mode="after")
    def _points_somewhere(self) -> _FormPayload:
        if self.url is None and self.target() is None:
            raise ValueError("the payload needs the form's url or the object's id")
        return self

    def target(self) -> int | None:
        return None


class QuizSubmitPayload(_FormPayload):
    attempt: Pk | None = None
    fields: Annotated[dict[FieldName, Values], Field(max_length=MAX_FIELDS)]

    def target(self) -> int | None:
        return self.attempt


class ProgressFields(_Strict):
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


class ActivityProgressPayload(_FormPayload):
    activity: Pk | None = None
    fields: ProgressFields

    def target(self) -> int | None:
        return self.activity


# ------------------------------------------------------------------------------------------ items

class QuizSubmitItem(_Strict):
    id: ItemId
    kind: Literal["quiz_submit"]
    payload: QuizSubmitPayload
    made_at: MadeAt | None = None


class ActivityProgressItem(_Strict):
    id: ItemId
    kind: Literal["activity_progress"]
    payload: ActivityProgressPayload
    made_at: MadeAt | None = None


OutboxItem = Annotated[QuizSubmitItem | ActivityProgressItem, Field(discriminator="kind")]
KINDS = ("quiz_submit", "activity_progress")

_ITEM: TypeAdapter[QuizSubmitItem | ActivityProgressItem] = TypeAdapter(OutboxItem)
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
        raise BadBatch(_("Send at most %(count)s items at a time.") % {"count": MAX_ITEMS})
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


def item_parse(raw: Any) -> QuizSubmitItem | ActivityProgressItem:
    """Check one item against its kind's model. Raises BadItem with a sentence."""
    if not isinstance(raw, dict):
        raise BadItem(_("Each item must be a JSON object."))
    if item_key(raw) is None:
        raise BadItem(_("Each item needs an id (a UUID)."))
    try:
        return _ITEM.validate_python(raw)
    except ValidationError as error:
        raise BadItem(sentence_for(error, kind=raw.get("kind"))) from None


def sentence_for(error: ValidationError, *, kind: object) -> str:
    """One sentence for the person, from where the first problem is."""
    problems = error.errors(include_url=False, include_context=False, include_input=False)
    if any(p["type"].startswith("union_tag") for p in problems):
        return _("This kind of offline work is not known. Please update the page and try again.")
    places = [tuple(str(part) for part in p["loc"][1:]) for p in problems]  # loc[0] is the kind
    if any(place[:1] == ("id",) for place in places):
        return _("Each item needs an id (a UUID).")
    if any(place[:1] == ("made_at",) for place in places):
        return _("The time this was made is not readable. Please answer again.")
    if any("watched_percent" in place or "watched" in place for place in places):
        return _("The share of the video watched must be a number from 0 to 100.")
    if kind == "quiz_submit":
        return _("These answers could not be read. Please open the quiz and answer again.")
    if kind == "activity_progress":
        return _("This progress could not be read. Please open the activity and try again.")
    return _("This offline work could not be read, so it was not saved.")
