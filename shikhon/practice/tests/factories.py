"""Factories for supported practice: rows placed where their teacher works (as the services place them)."""

from __future__ import annotations

from typing import Any

import factory

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import ActivityFactory
from shikhon.people.selectors import placement_of
from shikhon.practice.models import CheckRound, Circle, Meeting, Observation, PracticePlan, PracticeRecord


class _Placed(factory.django.DjangoModelFactory):
    """Copies the teacher's current school and area onto the row, like `PlaceScopedModel.place_at`."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        person = kwargs.get("teacher")
        if person is not None and "school_id" not in kwargs:
            kwargs.update(placement_of(person).as_fields())
        return super()._create(model_class, *args, **kwargs)


class PracticePlanFactory(_Placed):
    class Meta:
        model = PracticePlan

    activity = factory.SubFactory(ActivityFactory)
    grade = 1
    section = "ক"
    planned_on = factory.LazyFunction(dhaka_today)
    created_by = factory.SelfAttribute("teacher")


class PracticeRecordFactory(_Placed):
    class Meta:
        model = PracticeRecord

    activity = factory.SubFactory(ActivityFactory)
    module = factory.SelfAttribute("activity.module")
    family = factory.SelfAttribute("activity.module.course.family")
    grade = 1
    section = "ক"
    taught_on = factory.LazyFunction(dhaka_today)
    learners_present = 30
    minutes = 35
    rating = 4
    what_worked = "শিশুরা জোড়ায় পাথর গুনল।"
    what_to_change = "আরও পাথর লাগবে।"


class SchoolCircleFactory(factory.django.DjangoModelFactory):
    """A school's circle (pass `school=`)."""

    class Meta:
        model = Circle

    kind = Circle.Kind.SCHOOL

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        school = kwargs["school"]
        kwargs.update(school_id=school.pk, upazila_id=school.upazila_id, district_id=school.district_id,
                      division_id=school.division_id)
        return super()._create(model_class, *args, **kwargs)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    held_on = factory.LazyFunction(dhaka_today)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        circle = kwargs["circle"]
        kwargs.update(school_id=circle.school_id, upazila_id=circle.upazila_id, district_id=circle.district_id,
                      division_id=circle.division_id)
        return super()._create(model_class, *args, **kwargs)


class ObservationFactory(_Placed):
    """Needs `teacher`, `observer` and `instrument`."""

    class Meta:
        model = Observation

    proposed_on = factory.LazyFunction(dhaka_today)


class CheckRoundFactory(_Placed):
    """Needs `teacher` and `learner_check`."""

    class Meta:
        model = CheckRound

    kind = CheckRound.Kind.BASELINE
    grade = 1
    section = "ক"
    held_on = factory.LazyFunction(dhaka_today)
