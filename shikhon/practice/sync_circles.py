"""The offline work of the circles part: a meeting recorded on a phone without a network (`practice_meeting`).
The payload is the meeting form as the outbox keeps it (the form's address and its fields); it is read by the
same form and recorded by the same service as online, with the server's clock for its date. The meeting's
`client_id` is the form's hidden `client_id` (made when the form was opened) or the payload's own, so a replay
— of the item or of the form — records nothing twice. A photo is not carried: it is added later, online."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, StringConstraints

from shikhon.core.outbox import FieldName, FormPayload, Pk, SyncKind, SyncRejected, pk_from, sentence_of, sync_kinds
from shikhon.practice import permissions
from shikhon.practice.forms_circles import meeting_form_for
from shikhon.practice.selectors import access_circle
from shikhon.practice.services import circles as services

if TYPE_CHECKING:
    from shikhon.people.models import User

MEETING = "practice_meeting"  # decision 0011 says practice.meeting; a registry name has no dots
MAX_FIELDS = 60  # the form has about forty
MAX_VALUES = 300  # who came, in a large cluster
LongValue = Annotated[str, StringConstraints(max_length=3000)]  # the notes are the longest field


class MeetingPayload(FormPayload):
    """The meeting form as kept on the phone: its address (/practice/circles/<id>/meetings/new/) or the circle's
    id, its fields, and optionally the meeting's client id."""

    circle: Pk | None = None
    client_id: Annotated[str, StringConstraints(max_length=45)] | None = None
    fields: Annotated[dict[FieldName, Annotated[list[LongValue], Field(max_length=MAX_VALUES)]],
                      Field(max_length=MAX_FIELDS)]

    def target(self) -> int | None:
        return self.circle


def _first_sentence(errors: dict[str, Any]) -> str:
    for messages in errors.values():
        for message in messages:
            return str(message)
    return _("This meeting could not be saved.")


def meeting(actor: User, payload: MeetingPayload) -> dict[str, Any]:

    pk = pk_from(payload, "practice:meeting_new")
    try:
        circle = access_circle(actor, pk)
    except Http404:
        raise SyncRejected(_("This circle was not found. Please open your circle and record the meeting "
                             "again.")) from None
    url = circle.get_absolute_url()
    if not permissions.can_lead(actor, circle):
        raise SyncRejected(_("Only the circle's leader can record its meetings."), url)
    data = QueryDict(mutable=True)
    for name, values in payload.fields.items():
        if name != "csrfmiddlewaretoken":
            data.setlist(name, list(values))
    if payload.client_id is not None:
        try:
            data["client_id"] = str(uuid.UUID(payload.client_id))
        except ValueError:
            raise SyncRejected(_("This meeting could not be read. Please open the form and record it "
                                 "again.")) from None
    form = meeting_form_for(circle, actor, data)  # the online form: its choices and checks
    if not form.is_valid():
        raise SyncRejected(_first_sentence(form.errors), url)
    cleaned = form.cleaned_data
    try:
        # Its date is judged by the server's clock now, when it arrives (decision 0006).
        recorded = services.meeting_record(
            actor=actor, circle=circle, held_on=cleaned["held_on"], attendee_ids=form.ids("attendees"),
            activity_ids=form.ids("activities"), reflection_record_ids=form.ids("reflections"),
            notes=cleaned["notes"], plans=cleaned["plans"], client_id=cleaned["client_id"])
    except ValidationError as error:
        raise SyncRejected(sentence_of(error) or _("This meeting could not be saved."), url) from None
    except (PermissionDenied, ObjectDoesNotExist, Http404):
        raise SyncRejected(_("Only the circle's leader can record its meetings."), url) from None
    return {"message": _("The circle's meeting was saved."), "url": recorded.get_absolute_url(),
            "meeting": recorded.pk}


def _problem(places: Sequence[tuple[str, ...]]) -> str | None:
    if any(place[:1] == ("fields",) for place in places):
        return _("This meeting has too many or too long answers. Please open the form and record it again.")
    return None


def register() -> None:
    sync_kinds.add(SyncKind(
        MEETING, MeetingPayload, meeting,
        gettext_lazy("This meeting could not be read. Please open the form and record it again."),
        problem_sentence=_problem))
