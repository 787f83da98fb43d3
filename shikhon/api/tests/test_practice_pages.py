"""For every role, an observation, a check round, a circle and its meeting open through the API exactly when their
pages on the site open (both 200, or both 404): the API asks the same `access_*` selectors as the pages."""

from __future__ import annotations

import pytest

from shikhon.api.tests.test_practice_fixtures import *  # noqa: F403 - the practice API's fixtures and helpers
from shikhon.practice.models import Instrument, LearnerCheck
from shikhon.practice.tests.factories import (
    CheckRoundFactory,
    MeetingFactory,
    ObservationFactory,
    SchoolCircleFactory,
)

pytestmark = pytest.mark.django_db

WHO = ["teacher_rubi", "head_teacher_masuma", "colleague", "teacher_of_other_school", "officer_hatia", "mentor_hatia",
       "officer_other_upazila", "officer_noakhali", "researcher_tanvir", "national_admin_nasrin"]


@pytest.mark.parametrize("who", WHO)
def test_the_api_opens_exactly_what_the_pages_open(client, as_, everyone, places, who):
    rubi, masuma = everyone["teacher_rubi"], everyone["head_teacher_masuma"]
    observation = ObservationFactory(teacher=rubi, observer=masuma, instrument=Instrument.objects.first())
    check_round = CheckRoundFactory(teacher=rubi, learner_check=LearnerCheck.objects.first())
    circle = SchoolCircleFactory(school=places["school_hatia"])
    meeting = MeetingFactory(circle=circle, recorded_by=masuma)
    page_client = type(client)()
    page_client.force_login(everyone[who])
    api = as_(who)
    for row, api_path in ((observation, f"/practice/observations/{observation.pk}"),
                          (check_round, f"/practice/check-rounds/{check_round.pk}"),
                          (circle, f"/practice/circles/{circle.pk}"), (meeting, f"/practice/meetings/{meeting.pk}")):
        page = page_client.get(row.get_absolute_url())
        assert page.status_code in (200, 404), (who, row.get_absolute_url(), page.status_code)
        assert api.get(api_path).status_code == page.status_code, (who, api_path)
