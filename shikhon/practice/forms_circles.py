"""Forms of the circles part: a meeting's record (one page, works without JavaScript; the outbox keeps it when
offline) and the circle's next meeting. The choices are the circle's members, the activities of published
courses and the reflections shared with the circle; the service checks all of it again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shikhon.core.bangla import format_date, format_number
from shikhon.core.clock import dhaka_today
from shikhon.core.fields import UserMultilineTextFormField, UserTextFormField
from shikhon.core.forms import DateField, IntegerField
from shikhon.practice.selectors import circles as circle_selectors
from shikhon.practice.services.circles import MAX_PLANS, PlanRow

PLAN_PARTS = ("teacher", "activity", "date", "grade", "section")


def plan_field(number: int, part: str) -> str:
    return f"plan_{number}_{part}"


class NextMeetingForm(forms.Form):
    on = DateField(label=gettext_lazy("Next meeting"), required=False,
                   help_text=gettext_lazy("Teachers are reminded the day before. Leave empty to clear it."))


class MeetingForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput, error_messages=dict.fromkeys(
        ("invalid", "required"), gettext_lazy("This form could not be read. Please open it again and save once "
                                              "more.")))
    held_on = DateField(label=gettext_lazy("Date of the meeting"))
    attendees = forms.MultipleChoiceField(label=gettext_lazy("Who came"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    activities = forms.MultipleChoiceField(label=gettext_lazy("Activities looked at"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    reflections = forms.MultipleChoiceField(label=gettext_lazy("Reflections shared from last time's practice"),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    notes = UserMultilineTextFormField(label=gettext_lazy("Notes"), required=False, max_length=3000,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    materials_photo = forms.FileField(label=gettext_lazy("Photo of the materials made (optional)"),
                                      required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    def __init__(self, *args: Any, members: Sequence[Any], activities: Sequence[Any], reflections: Sequence[Any],
                 **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_id": uuid.uuid4(), "held_on": dhaka_today()})
        super().__init__(*args, **kwargs)
        people = [(str(m.user.pk), m.user.display_name) for m in members]
        things = [(str(a.pk), a.title) for a in activities]
        self.fields["attendees"].choices = people  # type: ignore[attr-defined]
        self.fields["activities"].choices = things  # type: ignore[attr-defined]
        self.fields["reflections"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), _("%(name)s: “%(activity)s” on %(date)s") % {
                "name": r.teacher.display_name, "activity": r.practised.title, "date": format_date(r.taught_on)})
            for r in reflections]
        for number in range(1, MAX_PLANS + 1):
            self.fields[plan_field(number, "teacher")] = forms.ChoiceField(
                label=_("Teacher"), required=False, choices=[("", _("Choose")), *people])
            self.fields[plan_field(number, "activity")] = forms.ChoiceField(
                label=_("Activity"), required=False, choices=[("", _("Choose")), *things])
            self.fields[plan_field(number, "date")] = DateField(label=_("Day she will try it"), required=False)
            self.fields[plan_field(number, "grade")] = IntegerField(label=_("Class"), required=False, min_value=1,
                                                                    max_value=12)
            self.fields[plan_field(number, "section")] = UserTextFormField(label=_("Section"), required=False,
                                                                           max_length=20)

    def plan_rows(self) -> list[list[forms.BoundField]]:
        """The "who plans to try what" rows, each a list of its bound fields (for the template)."""
        return [[self[plan_field(number, part)] for part in PLAN_PARTS] for number in range(1, MAX_PLANS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plans: list[PlanRow] = []
        for number in range(1, MAX_PLANS + 1):
            values: dict[str, Any] = {part: data.get(plan_field(number, part)) for part in PLAN_PARTS}
            if not any(values[part] not in (None, "") for part in PLAN_PARTS):
                continue
            if any(self.has_error(plan_field(number, part)) for part in PLAN_PARTS):
                continue
            missing = [part for part in ("teacher", "activity", "date", "grade") if values[part] in (None, "")]
            if missing:
                self.add_error(plan_field(number, missing[0]), _(
                    "Plan %(number)s: choose the teacher and the activity, and give the day and the class.") % {
                    "number": format_number(number)})
                continue
            plans.append(PlanRow(teacher_id=int(values["teacher"]), activity_id=int(values["activity"]),
                                 planned_on=values["date"], grade=int(values["grade"]),
                                 section=str(values["section"] or "")))
        data["plans"] = plans
        return data

    def ids(self, name: str) -> list[int]:
        return [int(value) for value in self.cleaned_data.get(name) or []]


def meeting_form_for(circle: Any, user: Any, data: Any = None, files: Any = None) -> MeetingForm:
    """The meeting form of this circle, its choices read for this leader (the online page and the outbox)."""
    members = circle_selectors.circle_members(circle)
    reflections = circle_selectors.reflections_to_share(circle, member_ids={m.user.pk for m in members})
    return MeetingForm(data, files, members=members, activities=circle_selectors.activity_choices(user),
                       reflections=reflections)
