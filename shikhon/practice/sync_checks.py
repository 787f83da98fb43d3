"""The offline kind of learner checks: `practice_check_results`, the entry form kept on the phone (its address
and fields, as offline.js keeps every form). Read with a strict payload, then the same form and service as online;
the round's `client_id` (a hidden field made when the form was shown) makes replays create nothing twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from shikhon.core.outbox import (
    MAX_FIELDS,
    FieldName,
    FormPayload,
    SyncKind,
    SyncRejected,
    Values,
    sentence_of,
    sync_kinds,
)
from shikhon.people.scope import user_scope
from shikhon.practice.checks import definition_of
from shikhon.practice.forms_checks import CheckRoundForm, learner_count
from shikhon.practice.selectors import checks as selectors
from shikhon.practice.services.checks import check_round_record

if TYPE_CHECKING:
    from shikhon.people.models import User

CHECK_RESULTS = "practice_check_results"  # a registry name: no dots


class CheckResultsPayload(FormPayload):
    fields: Annotated[dict[FieldName, Values], Field(max_length=MAX_FIELDS)]


def _form_errors(form: CheckRoundForm) -> str:
    sentences: list[str] = []
    for errors in form.errors.values():
        for error in errors:
            if str(error) not in sentences:
                sentences.append(str(error))
    return " ".join(sentences)


def check_results(actor: User, payload: CheckResultsPayload) -> dict[str, Any]:
    try:
        match = resolve(str(payload.url or ""))
    except Resolver404:
        match = None
    if match is None or match.view_name != "practice:check_new":
        raise SyncRejected(_("This offline work points to a page that does not exist."))
    learner_check = selectors.default_check()
    if learner_check is None or not user_scope(actor).school_ids:
        raise SyncRejected(_("Only a teacher working at a school records checks with her class."))
    data = QueryDict(mutable=True)
    for name, values in payload.fields.items():
        data.setlist(name, list(values))
    count = learner_count(data.get("count"))
    form = CheckRoundForm(data, learner_check=learner_check, definition=definition_of(learner_check), count=count)
    new_url = str(payload.url)
    if not form.is_valid():
        raise SyncRejected(_form_errors(form) or _("This check could not be saved."), new_url)
    cleaned = form.cleaned_data
    try:
        check_round = check_round_record(
            actor=actor, learner_check=learner_check, kind=cleaned["kind"], grade=cleaned["grade"],
            section=cleaned["section"], held_on=cleaned["held_on"], results=cleaned["results"],
            client_id=cleaned["client_id"])
    except ValidationError as error:
        raise SyncRejected(sentence_of(error) or _("This check could not be saved."), new_url) from None
    except PermissionDenied:
        raise SyncRejected(_("Only a teacher working at a school records checks with her class.")) from None
    url = check_round.get_absolute_url()
    return {"message": _("Your learner check was saved."), "url": url, "round": check_round.pk}


def register() -> None:
    sync_kinds.add(SyncKind(
        CHECK_RESULTS, CheckResultsPayload, check_results,
        gettext_lazy("This learner check could not be read. Please open the form and record it again.")))
