"""The offline work the practice log takes from a phone's outbox: a plan (`practice_plan`) and a record of a
lesson (`practice_record`), the fields of the same forms as online (`forms_log`), checked by a strict pydantic
model first and then by the form and the service, exactly as online. Each form carries its `client_id` (made when
the page was drawn), so a replayed item, or the same form sent online and again from the outbox, saves one row.
Dates are judged by the server's Dhaka date when the item arrives; the phone's clock is only a claim. A photo
never travels in the outbox: she adds it from the record's page when online.

(The registry takes lowercase letters, digits and underscores, so decision 0011's `practice.plan` and
`practice.record` are registered as `practice_plan` and `practice_record`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, StringConstraints, model_validator

from shikhon.core.outbox import FormPayload, StrictModel, SyncKind, SyncRejected, sentence_of, sync_kinds
from shikhon.courses import selectors as course_selectors
from shikhon.library.selectors.access import access_content
from shikhon.practice.forms_log import PlanForm, RecordForm
from shikhon.practice.selectors import log as selectors
from shikhon.practice.services import log as services

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django import forms

    from shikhon.people.models import User

PRACTICE_PLAN = "practice_plan"
PRACTICE_RECORD = "practice_record"

Short = Annotated[str, StringConstraints(max_length=100)]
Text = Annotated[str, StringConstraints(max_length=2000)]
One = Annotated[list[Short], Field(max_length=2)]
OneText = Annotated[list[Text], Field(max_length=2)]
Id = Annotated[list[Short], Field(min_length=1, max_length=2)]


ONE_THING = "activity_or_content"


def _exactly_one(activity: list[str], content: list[str]) -> None:
    """An item names an activity or a library content, never both. (Naming neither is left to the form, whose
    sentence says where to choose one: "Choose the activity first: …"; so exactly one is required in all.)"""
    if any(v.strip() for v in activity) and any(v.strip() for v in content):
        raise ValueError(ONE_THING)


class PlanFields(StrictModel):
    """The plan form's fields (`forms_log.PlanForm`)."""

    client_id: Id
    activity: One = []
    content: One = []  # a library content instead of an activity: exactly one of the two
    grade: One = []
    section: One = []
    planned_on: One = []
    materials: OneText = []
    csrfmiddlewaretoken: One = []  # ignored

    @model_validator(mode="after")
    def _one_thing(self) -> PlanFields:
        _exactly_one(self.activity, self.content)
        return self


class RecordFields(StrictModel):
    """The record form's fields (`forms_log.RecordForm`), without the photo (a file never travels offline)."""

    client_id: Id
    activity: One = []
    content: One = []  # a library content instead of an activity: exactly one of the two (or a plan)
    plan: One = []
    outcome: One = []
    taught_on: One = []
    grade: One = []
    section: One = []
    learners_present: One = []
    minutes: One = []
    rating: One = []
    what_worked: OneText = []
    what_to_change: OneText = []
    why_not: OneText = []
    shared_with_circle: One = []
    csrfmiddlewaretoken: One = []  # ignored

    @model_validator(mode="after")
    def _one_thing(self) -> RecordFields:
        if not any(v.strip() for v in self.plan):
            _exactly_one(self.activity, self.content)
        return self


class PlanPayload(FormPayload):
    fields: PlanFields


class RecordPayload(FormPayload):
    fields: RecordFields


def _data(fields: StrictModel) -> dict[str, str]:
    """The form's data: each field's last value (what a browser's form post gives a Django form)."""
    return {name: values[-1] for name, values in fields.model_dump().items()
            if values and name != "csrfmiddlewaretoken"}


def _page_is(payload: FormPayload, url_name: str) -> None:
    """The item was made from this form's page (its address, when sent, must be that page)."""
    if payload.url is None:
        return
    try:
        match = resolve(str(payload.url))
    except Resolver404:
        raise SyncRejected(_("This offline work points to a page that does not exist.")) from None
    if match.view_name != url_name:
        raise SyncRejected(_("This offline work points to a page that does not exist."))


def _form_problem(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _content(actor: User, raw: object) -> Any:
    try:
        return access_content(actor, raw)
    except Http404:
        raise SyncRejected(_("This library content was not found. Open it in the library and plan it again."),
                           ) from None


def _activity(actor: User, raw: object) -> Any:
    try:
        activity, _enrolment = course_selectors.access_activity_to_study(actor, raw)
    except Http404:
        raise SyncRejected(_("This activity was not found. Open the activity in your course and plan it again."),
                           ) from None
    return activity


def practice_plan(actor: User, payload: PlanPayload) -> dict[str, Any]:
    _page_is(payload, "practice:plan_new")
    form = PlanForm(_data(payload.fields))
    if not form.is_valid():
        raise SyncRejected(_form_problem(form) or _("This plan could not be read. Please plan it again."))
    data = form.cleaned_data
    if data.get("content") is not None:
        activity, content = None, _content(actor, data["content"])
        page = content.get_absolute_url()
    else:
        activity, content = _activity(actor, data["activity"]), None
        page = activity.get_absolute_url()
    thing = activity if activity is not None else content
    try:
        plan = services.plan_create(actor=actor, activity=activity, content=content, grade=data["grade"],
                                    section=data["section"],
                                    planned_on=data["planned_on"], materials=data["materials"],
                                    client_id=data["client_id"])
    except ValidationError as error:
        raise SyncRejected(sentence_of(error) or _("This plan could not be saved."), page) from None
    except PermissionDenied:
        raise SyncRejected(_("You can plan only for yourself.")) from None
    return {"message": _("Your plan to try “%(title)s” was saved.") % {"title": thing.title},
            "url": plan.get_absolute_url(), "plan": plan.pk}


def practice_record(actor: User, payload: RecordPayload) -> dict[str, Any]:
    _page_is(payload, "practice:record_new")
    data = _data(payload.fields)
    done = selectors.record_with_client_id(actor, data.get("client_id"))
    if done is not None:  # the same form, saved online or by another item already
        return {"message": _("Your practice was already recorded."), "url": done.get_absolute_url(),
                "record": done.pk}
    form = RecordForm(data)
    if not form.is_valid():
        raise SyncRejected(_form_problem(form) or _("This record could not be read. Please record it again."))
    cleaned = form.cleaned_data
    plan = None
    if cleaned.get("plan"):
        plan = selectors.plan_of_teacher(actor, cleaned["plan"])
        if plan is None:
            raise SyncRejected(_("This plan was not found, or it already has a record. Record the lesson from your "
                                 "practice page."))
    if plan is not None:
        activity, content = plan.activity, plan.content
    elif cleaned.get("content") is not None:
        activity, content = None, _content(actor, cleaned["content"])
    else:
        activity, content = _activity(actor, cleaned["activity"]), None
    thing = activity if activity is not None else content
    try:
        record = services.record_create(
            actor=actor, activity=activity, content=content, taught_on=cleaned["taught_on"], outcome=cleaned["outcome"],
            grade=cleaned["grade"], section=cleaned["section"], learners_present=cleaned["learners_present"],
            minutes=cleaned["minutes"], rating=cleaned["rating"], what_worked=cleaned["what_worked"],
            what_to_change=cleaned["what_to_change"], why_not=cleaned["why_not"], plan=plan,
            shared_with_circle=cleaned["shared_with_circle"], client_id=cleaned["client_id"])
    except ValidationError as error:
        raise SyncRejected(sentence_of(error) or _("This record could not be saved.")) from None
    except PermissionDenied:
        raise SyncRejected(_("You can record only your own lessons.")) from None
    return {"message": _("Your practice of “%(title)s” was recorded. Add a photo from its page if you like.")
            % {"title": thing.title}, "url": record.get_absolute_url(), "record": record.pk}  # type: ignore[union-attr]


def _text_problem(places: Sequence[tuple[str, ...]]) -> str | None:
    if any(tuple(place) == ("fields",) for place in places):
        return _("Choose one thing to try: an activity of your course or a content of the library.")
    if any(place[:1] == ("fields",) and place[1:2] != ("client_id",) for place in places):
        return _("A text in this form is too long, or a box holds something unexpected. Open the form and save it "
                 "again.")
    return None


def register() -> None:
    sync_kinds.add(SyncKind(
        PRACTICE_PLAN, PlanPayload, practice_plan,
        gettext_lazy("This plan could not be read. Please open the activity and plan it again."),
        problem_sentence=_text_problem))
    sync_kinds.add(SyncKind(
        PRACTICE_RECORD, RecordPayload, practice_record,
        gettext_lazy("This record could not be read. Please record the lesson again."),
        problem_sentence=_text_problem))
