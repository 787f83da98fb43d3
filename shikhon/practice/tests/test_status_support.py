"""Fixtures of the status part's tests (imported by test_status_*.py): a course of three modules with two
activities each, Rubi's practice records, meetings she attends and observations of her."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shikhon.core.clock import dhaka_today
from shikhon.courses.models import Enrolment
from shikhon.courses.tests.factories import ActivityFactory, CourseFactory, ModuleFactory
from shikhon.practice.models import Instrument, Observation
from shikhon.practice.tests.factories import (
    MeetingFactory,
    ObservationFactory,
    PracticeRecordFactory,
    SchoolCircleFactory,
)


class Practice:
    """What a test needs to make practice happen, named for reading."""

    def __init__(self, people: dict[str, Any], places: dict[str, Any]) -> None:
        self.people, self.places = people, places
        self.course: Any = CourseFactory(title="আনন্দে গণিত শিখি")
        self.activities = []
        for m in range(3):
            module = ModuleFactory(course=self.course, position=m)
            self.activities += [ActivityFactory(module=module, position=a) for a in range(2)]
        self.instrument = Instrument.objects.create(code="status-test", version=1, title_bn="পর্যবেক্ষণ",
                                                    title_en="Observation", definition={})
        self._circles: dict[str, Any] = {}

    def record(self, who: Any, *, days_ago: int = 0, activity: int = 0, on: dt.date | None = None,
               acknowledged: bool = False, **fields: Any) -> Any:
        teacher = self.people[who] if isinstance(who, str) else who
        day = (on or dhaka_today()) - dt.timedelta(days=days_ago)
        if acknowledged:
            fields.update(acknowledged_by=self.people["head_teacher_masuma"], acknowledged_at=timezone.now())
        return PracticeRecordFactory(teacher=teacher, activity=self.activities[activity], taught_on=day, **fields)

    def meeting(self, who: Any, *, days_ago: int = 0, school: str = "school_hatia") -> Any:
        teacher = self.people[who] if isinstance(who, str) else who
        circle = self._circles.get(school) or SchoolCircleFactory(school=self.places[school])
        self._circles[school] = circle
        meeting: Any = MeetingFactory(circle=circle, held_on=dhaka_today() - dt.timedelta(days=days_ago),
                                 recorded_by=self.people["head_teacher_masuma"])
        meeting.attendees.add(teacher)
        return meeting

    def observation(self, who: Any, *, days_ago: int = 0, recorded: bool = True) -> Any:
        teacher = self.people[who] if isinstance(who, str) else who
        day = dhaka_today() - dt.timedelta(days=days_ago)
        return ObservationFactory(teacher=teacher, observer=self.people["head_teacher_masuma"],
                                  instrument=self.instrument, proposed_on=day,
                                  status=Observation.Status.RECORDED if recorded else Observation.Status.AGREED,
                                  observed_on=day if recorded else None)

    def ongoing(self, who: Any) -> None:
        """Enough for the default rule: three records on two activities and a meeting, all this week."""
        for activity in (0, 1, 2):
            self.record(who, activity=activity)
        self.meeting(who)

    def completed(self, who: Any, school: str = "school_hatia") -> Enrolment:
        teacher = self.people[who] if isinstance(who, str) else who
        s = self.places[school]
        return Enrolment.objects.create(user=teacher, course=self.course, family=self.course.family,
                                        completed_at=timezone.now(), school_id=s.pk, upazila_id=s.upazila_id,
                                        district_id=s.district_id, division_id=s.division_id)
