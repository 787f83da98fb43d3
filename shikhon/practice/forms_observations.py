"""Forms of lesson observations. The record form is built from the instrument's definition: strengths first,
then one set of level buttons per item (with its descriptors), up to three things to try each with an activity or
module, the follow-up of last time's things to try, and time-on-task moments when the instrument has them. It posts
without JavaScript; offline the outbox keeps its fields as they are (kind "practice.observation_entry")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shikhon.core.bangla import format_number
from shikhon.core.forms import DateField
from shikhon.practice.services import observations as services

if TYPE_CHECKING:
    from django.forms import BoundField

    from shikhon.people.models import User
    from shikhon.practice.instruments import Definition, Item, Level
    from shikhon.practice.models import Instrument, Observation, TryNext

PROGRESS_CHOICES = [("not_yet", _("Not yet")), ("started", _("Started")), ("done_well", _("Done well"))]
MAX_ID_DIGITS = 18


def _published_choices(actor: User) -> list[tuple[str, Any]]:
    """One list of activities and modules (grouped by course), values "a<id>" or "m<id>"."""
    modules = list(services.published_modules(actor).select_related("course").order_by(
        "course__title", "course_id", "position", "pk")[:200])
    activities = list(services.published_activities(actor).select_related("module").order_by(
        "module__course_id", "module__position", "module_id", "position", "pk")[:400])
    by_module: dict[int, list[Any]] = {}
    for activity in activities:
        by_module.setdefault(activity.module_id, []).append(activity)
    choices: list[tuple[str, Any]] = [("", _("Choose an activity or a module"))]
    for module in modules:
        group = [(f"m{module.pk}", _("Module: %(title)s") % {"title": module.title})]
        group += [(f"a{activity.pk}", activity.title) for activity in by_module.get(module.pk, [])]
        choices.append((f"{module.course.title} · {module.title}", group))
    return choices


def parse_link(value: str) -> tuple[int | None, int | None]:
    """"a12" → (12, None); "m5" → (None, 5); anything else → (None, None)."""
    if len(value) >= 2 and value[0] in "am" and value[1:].isascii() and value[1:].isdigit() \
            and len(value) <= MAX_ID_DIGITS + 1:
        pk = int(value[1:])
        return (pk, None) if value[0] == "a" else (None, pk)
    return None, None


class ProposeForm(forms.Form):
    proposed_on = DateField(label=_("Date of the lesson"))
    instrument = forms.ChoiceField(label=_("Observation form"))
    activity = forms.ChoiceField(label=_("Activity she will teach (if you know it)"), required=False)
    message = forms.CharField(label=_("Message to the teacher"), required=False, max_length=services.MESSAGE_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = {str(row.pk): row for row in services.instruments_offered()}
        cast("forms.ChoiceField", self.fields["instrument"]).choices = [(pk, row.title_bn if _bn() else row.title_en)
                                             for pk, row in self.instruments.items()]
        cast("forms.ChoiceField", self.fields["activity"]).choices = [
            ("", _("Not decided")),
            *[(f"{a.pk}", a.title) for a in services.published_activities(actor).select_related("module").order_by(
                "module__course_id", "module__position", "position", "pk")[:400]]]

    def chosen_instrument(self) -> Instrument | None:
        return self.instruments.get(self.cleaned_data.get("instrument") or "")


def _bn() -> bool:
    from django.utils import translation

    return (translation.get_language() or "bn").startswith("bn")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        ("agree", _("I agree")), ("other_date", _("Please come on another date")), ("decline", _("I decline"))])
    asked_date = DateField(label=_("The date that suits me (if another date)"), required=False)
    note = forms.CharField(label=_("A note to the observer"), required=False, max_length=services.MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Your reply"), max_length=services.REPLY_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write your reply.")})


@dataclass(frozen=True)
class RatedItem:
    item: Item
    field: BoundField

    @property
    def options(self) -> list[tuple[Any, Level]]:
        """Each radio button with its level (label and descriptor), lowest first."""
        return list(zip(self.field, self.item.levels, strict=False))


@dataclass(frozen=True)
class ItemGroup:
    title: str
    items: list[RatedItem]


@dataclass(frozen=True)
class FollowUpField:
    thing: TryNext
    field: BoundField


class RecordForm(forms.Form):
    """The record of a visit, built from the instrument and the previous observation's things to try."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": _("This form could not be read. Please open it again."),
        "invalid": _("This form could not be read. Please open it again.")})
    strengths = forms.CharField(
        label=_("Her strengths: what went well"), max_length=services.STRENGTHS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Start with what she did well. Be specific: what did you see learners do?"),
        error_messages={"required": _("Write her strengths first: what went well in this lesson.")})
    notes = forms.CharField(label=_("Other notes"), required=False, max_length=services.NOTES_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, actor: User, observation: Observation, definition: Definition,
                 previous: list[TryNext], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_id": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.previous = previous
        for item in definition.items():
            self.fields[f"rating_{item.code}"] = forms.ChoiceField(
                label=item.text, required=False, widget=forms.RadioSelect,
                choices=[(level.value, level.label) for level in item.levels])
        if definition.snapshots is not None:
            for number in range(1, definition.snapshots.count + 1):
                self.fields[f"snapshot_{number}"] = forms.ChoiceField(
                    label=_("Moment %(n)s") % {"n": format_number(number)}, required=False,
                    widget=forms.RadioSelect, choices=[(level.value, level.label)
                                                       for level in definition.snapshots.levels])
        links = _published_choices(actor)
        for number in range(1, services.MAX_TRY_NEXT + 1):
            self.fields[f"try_text_{number}"] = forms.CharField(
                label=_("Thing to try %(n)s") % {"n": format_number(number)}, required=False,
                max_length=services.TRY_TEXT_MAX)
            self.fields[f"try_link_{number}"] = forms.ChoiceField(
                label=_("Activity or module that helps"), required=False, choices=links)
        for thing in previous:
            self.fields[f"follow_{thing.pk}"] = forms.ChoiceField(
                label=thing.text, required=False, widget=forms.RadioSelect, choices=PROGRESS_CHOICES)

    # -- shown in the template
    def groups(self) -> list[ItemGroup]:
        groups = []
        for section in self.definition.sections:
            if section.items:
                groups.append(ItemGroup(section.title, [RatedItem(item, self[f"rating_{item.code}"])
                                                        for item in section.items]))
            for element in section.elements:
                groups.append(ItemGroup(f"{section.title} › {element.title}",
                                        [RatedItem(item, self[f"rating_{item.code}"]) for item in element.items]))
        return groups

    def snapshot_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name.startswith("snapshot_")]

    def try_fields(self) -> list[tuple[BoundField, BoundField]]:
        return [(self[f"try_text_{n}"], self[f"try_link_{n}"]) for n in range(1, services.MAX_TRY_NEXT + 1)]

    def follow_fields(self) -> list[FollowUpField]:
        return [FollowUpField(thing, self[f"follow_{thing.pk}"]) for thing in self.previous]

    # -- read back for the service
    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        ratings = {item.code: data[f"rating_{item.code}"] for item in self.definition.items()
                   if data.get(f"rating_{item.code}")}
        try_next = []
        for number in range(1, services.MAX_TRY_NEXT + 1):
            activity_id, module_id = parse_link(data.get(f"try_link_{number}") or "")
            text = data.get(f"try_text_{number}") or ""
            if text.strip() or activity_id or module_id:
                try_next.append(services.TryNextSpec(text=text, activity_id=activity_id, module_id=module_id))
        follow_up = {str(thing.pk): data[f"follow_{thing.pk}"] for thing in self.previous
                     if data.get(f"follow_{thing.pk}")}
        snapshots = [data[name] for name in self.fields if name.startswith("snapshot_") and data.get(name)]
        return {"strengths": data["strengths"], "ratings": ratings, "try_next": try_next, "follow_up": follow_up,
                "snapshots": snapshots, "notes": data.get("notes") or "", "client_id": data["client_id"]}


def record_form(actor: User, observation: Observation, data: Any = None) -> RecordForm:
    """The record form of this visit, online and for the outbox's handler alike."""
    from shikhon.practice.instruments import parse_definition
    from shikhon.practice.selectors.observations import things_to_follow_up

    return RecordForm(data, actor=actor, observation=observation,
                      definition=parse_definition(observation.instrument.definition),
                      previous=things_to_follow_up(observation))
