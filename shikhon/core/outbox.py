"""The kinds of offline work a phone's outbox may carry, and the pieces their payloads are built from.

offline keeps the protocol (the batch, item ids, `made_at`, order, receipts: docs/decisions/0006); it knows
none of the kinds. Each app that takes offline work registers its kinds from its `AppConfig.ready` — the
payload's strict pydantic model, the handler that runs it through the app's own service and the sentence
for a payload that cannot be read — so a new kind touches only that app:

    sync_kinds.add(SyncKind(name="quiz_submit", payload=QuizSubmitPayload, handle=quiz_submit_handle,
                            unreadable=_("These answers could not be read. …")))

The registry lives in core, not in offline, because the apps that own kinds (courses, later practice) sit
below offline, which calls their services for its other pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shikhon.core.registry import Registry

MAX_FIELDS = 200  # form fields in one payload (a quiz has far fewer questions)
MAX_VALUES = 50  # values of one field (the choices of one question)
MAX_VALUE_CHARS = 200  # one typed answer
PK_MAX = 2**63 - 1  # a row id (bigint)

Pk = Annotated[int, Field(ge=1, le=PK_MAX)]
# The address of the form the item was made from (e.g. /attempts/12/submit/), checked again by resolve().
PagePath = Annotated[str, StringConstraints(max_length=200, pattern=r"^/[A-Za-z0-9_/-]*$")]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FieldValue = Annotated[str, StringConstraints(max_length=MAX_VALUE_CHARS)]
Values = Annotated[list[FieldValue], Field(max_length=MAX_VALUES)]


class StrictModel(BaseModel):
    """Every field typed and bounded, unknown fields refused, nothing coerced."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class FormPayload(StrictModel):
    """A form kept on the phone: its address (or the object's id, `target()`) and its fields."""

    url: PagePath | None = None

    @model_validator(mode="after")
    def _points_somewhere(self) -> FormPayload:
        if self.url is None and self.target() is None:
            raise ValueError("the payload needs the form's url or the object's id")
        return self

    def target(self) -> int | None:
        return None


class SyncRejected(Exception):  # noqa: N818 - a refusal, not a failure: it is stored and answered
    """A permanent refusal of one item, with a sentence for the person (stored on the receipt, so a replay
    answers the same) and the page to open."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


# Where in a payload a problem was (pydantic's `loc`, as strings) → a sentence, or None for the default.
ProblemSentence = Callable[[Sequence[tuple[str, ...]]], str | None]


@dataclass(frozen=True)
class SyncKind:
    name: str  # the item's `kind`, kept on its receipt (at most 40 characters)
    payload: type[BaseModel]  # the strict model every payload of this kind must fit
    # Runs inside the item's transaction, through the owning app's service: (actor, payload) → the result
    # answered to the phone and kept on the receipt ({"message": …, "url": …, …}). Raises SyncRejected.
    handle: Callable[[Any, Any], Mapping[str, Any]]
    unreadable: str | Promise  # the sentence for a payload that does not fit its model
    problem_sentence: ProblemSentence | None = None  # a more precise sentence for some problems


sync_kinds: Registry[SyncKind] = Registry("offline sync kind")


def pk_from(payload: FormPayload, url_name: str) -> int:
    """The object id: given, or read from the form's address (e.g. /attempts/12/submit/), which must be the
    page named `url_name`. Raises SyncRejected."""
    pk = payload.target()
    if pk is not None:
        return pk
    try:
        match = resolve(str(payload.url))
    except Resolver404:
        raise SyncRejected(_("This offline work points to a page that does not exist.")) from None
    if match.view_name != url_name or not isinstance(match.kwargs.get("pk"), int):
        raise SyncRejected(_("This offline work points to a page that does not exist."))
    return int(match.kwargs["pk"])


def sentence_of(error: DjangoValidationError) -> str:
    """A service's refusal as one sentence for the phone."""
    return " ".join(str(m) for m in error.messages)


def codes_of(error: DjangoValidationError) -> set[str]:
    codes: set[str] = set()
    for part in error.error_list if hasattr(error, "error_list") else [error]:
        if part.code:
            codes.add(str(part.code))
    if hasattr(error, "error_dict"):
        for parts in error.error_dict.values():
            codes.update(str(p.code) for p in parts if p.code)
    return codes
