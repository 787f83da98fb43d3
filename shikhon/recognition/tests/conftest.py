"""Recognition's test helpers: the library's named people, raters at other schools, a finished week, and ratings
placed inside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shikhon.core.clock import dhaka_datetime, dhaka_today
from shikhon.library.models import Rating, Review, Rubric
from shikhon.library.tests.conftest import library_people  # noqa: F401 - a fixture
from shikhon.library.tests.factories import RatingFactory
from shikhon.people.models import Role
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.tests.factories import SchoolFactory
from shikhon.recognition.services import last_finished_week


@pytest.fixture
def week() -> dt.date:
    """The Sunday of the last finished week."""
    return last_finished_week(dhaka_today())


def in_week(starts_on: dt.date, day: int = 2, hour: int = 10) -> dt.datetime:
    return dhaka_datetime(starts_on + dt.timedelta(days=day), dt.time(hour))


def make_raters(n: int, *, school=None, prefix: str = "r"):  # type: ignore[no-untyped-def]
    """`n` teachers, each at a school of her own (or all at `school`)."""
    raters = []
    for _i in range(n):
        person = UserFactory()
        grant(person, Role.Kind.TEACHER, school=school or SchoolFactory())
        raters.append(person)
    return raters


def rate(content, raters, stars: int, at: dt.datetime) -> list[Rating]:  # type: ignore[no-untyped-def]
    rows = [RatingFactory(content=content, rater=rater, stars=stars) for rater in raters]
    Rating.objects.filter(pk__in=[r.pk for r in rows]).update(updated_at=at)
    return rows


def review(content, reviewer, average: str, at: dt.datetime) -> Review:  # type: ignore[no-untyped-def]
    row = Review.objects.create(version=content.latest_version, content=content, reviewer=reviewer,
                                rubric=Rubric.objects.order_by("-version").first(), scores={},
                                average=Decimal(average), decision=Review.Decision.PUBLISH)
    Review.objects.filter(pk=row.pk).update(created_at=at)
    return row
