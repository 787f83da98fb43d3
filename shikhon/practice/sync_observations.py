"""The offline work of lesson observations: an observer's record of a visit (`practice_observation_entry`), the
fields of the same record form as online (`forms_observations.RecordForm`), checked by a strict pydantic model
first and then by the form and the service, exactly as online.

The form carries its `client_id` (made when the page was drawn): it is the entry's client id. The same item sent
again, or the same form saved online and again from the outbox, stores one entry; two phones recording the same
visit send two ids and two entries are kept, side by side (append-only). The record needs the teacher's consent,
judged when the item arrives.

(The registry takes lowercase letters, digits and underscores, so decision 0011's `practice.observation_entry`
is registered as `practice_observation_entry`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, StringConstraints, model_validator

from shikhon.core.outbox import FormPayload, Pk, SyncKind, SyncRejected, pk_from, sentence_of, sync_kinds
from shikhon.practice import permissions
from shikhon.practice.forms_observations import record_form
from shikhon.practice.selectors import access_observation
from shikhon.practice.services import observations as services

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shikhon.people.models import User

OBSERVATION_ENTRY = "practice_observation_entry"

FieldKey = Annotated[str, StringConstraints(
    max_length=64, pattern=r"^(client_id|strengths|notes|csrfmiddlewaretoken|rating_[a-z0-9][a-z0-9_-]{0,39}"
                           r"|snapshot_[1-5]|try_text_[1-3]|try_link_[1-3]|follow_[1-9][0-9]{0,17})$")]
Value = Annotated[str, StringConstraints(max_length=3000)]
Values = Annotated[list[Value], Field(max_length=2)]


class EntryPayload(FormPayload):
    """The record form as the outbox keeps it: its address (or the observation's id) and its fields."""

    observation: Pk | None = None
    fields: Annotated[dict[FieldKey, Values], Field(max_length=80)]

    def target(self) -> int | None:
        return self.observation

    @model_validator(mode="after")
    def _has_client_id(self) -> EntryPayload:
        if not self.fields.get("client_id"):
            raise ValueError("the record form's client_id is missing")
        return self


def _data(fields: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[-1] for name, values in fields.items() if values and name != "csrfmiddlewaretoken"}


def observation_entry(actor: User, payload: EntryPayload) -> dict[str, Any]:
    pk = pk_from(payload, "practice:observation_record")
    try:
        observation = access_observation(actor, pk)
    except Http404:
        raise SyncRejected(_("This observation was not found.")) from None
    if not permissions.is_observer(actor, observation):
        raise SyncRejected(_("Only the observer can record this observation."))
    url = observation.get_absolute_url()
    form = record_form(actor, observation, _data(payload.fields))
    if not form.is_valid():
        problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
        raise SyncRejected(problem or _("This observation could not be read. Please record it again."), url)
    try:
        entry = services.observation_entry_add(actor=actor, observation=observation, **form.service_arguments())
    except ValidationError as error:
        raise SyncRejected(sentence_of(error) or _("This observation could not be saved."), url) from None
    except PermissionDenied:
        raise SyncRejected(_("Only the observer can record this observation.")) from None
    return {"message": _("Your observation of %(name)s's lesson was saved.")
            % {"name": observation.teacher.display_name}, "url": url, "entry": entry.pk}


def _problem(places: Sequence[tuple[str, ...]]) -> str | None:
    if any(place[:1] == ("fields",) for place in places):
        return _("A text in this observation is too long, or a box holds something unexpected. Open the form and "
                 "save it again.")
    return None


def register() -> None:
    sync_kinds.add(SyncKind(
        OBSERVATION_ENTRY, EntryPayload, observation_entry,
        gettext_lazy("This observation could not be read. Please open the observation and record it again."),
        problem_sentence=_problem))
