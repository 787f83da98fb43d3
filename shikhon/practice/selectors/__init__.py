"""Reads for supported practice. Every list starts from what the person may see (`permissions`), and
`access_<thing>(user, id)` is the one way a page or the API loads a row for a person: missing, malformed and
hidden are the same 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shikhon.core.access import row_or_404
from shikhon.practice import permissions
from shikhon.practice.models import CheckRound, Circle, Meeting, Observation, PracticePlan, PracticeRecord

if TYPE_CHECKING:
    from shikhon.people.models import User


def access_plan(user: User, plan_id: object) -> PracticePlan:
    rows = PracticePlan.objects.filter(permissions.plans_visible_to(user)).select_related("activity__module",
                                                                                         "content")
    return row_or_404(rows, plan_id)


def access_record(user: User, record_id: object) -> PracticeRecord:
    rows = PracticeRecord.objects.filter(permissions.records_visible_to(user)).select_related(
        "activity__module", "content", "teacher")
    return row_or_404(rows, record_id)


def access_circle(user: User, circle_id: object) -> Circle:
    rows = Circle.objects.filter(permissions.circles_visible_to(user)).distinct().select_related("school", "cluster")
    return row_or_404(rows, circle_id)


def access_meeting(user: User, meeting_id: object) -> Meeting:
    rows = Meeting.objects.filter(permissions.meetings_visible_to(user)).distinct().select_related("circle")
    return row_or_404(rows, meeting_id)


def access_observation(user: User, observation_id: object) -> Observation:
    rows = Observation.objects.filter(permissions.observations_visible_to(user)).select_related(
        "teacher", "observer", "instrument", "activity")
    return row_or_404(rows, observation_id)


def access_check_round(user: User, round_id: object) -> CheckRound:
    rows = CheckRound.objects.filter(permissions.check_rounds_visible_to(user)).select_related("learner_check")
    return row_or_404(rows, round_id)
