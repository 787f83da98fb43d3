"""Moderation pages: the queue of open reports by role and place (non-moderators 404), bounded queries, uphold and
dismiss, hide and restore, hiding a comment; bad input is a sentence and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.library.models import Comment, Content, Report
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db
MODERATORS = ["mentor_hatia", "mentor_noakhali", "mentor_national", "officer_hatia", "officer_noakhali",
              "national_admin_nasrin"]


def report_on(content, reporter, reason="wrong"):
    return Report.objects.create(content=content, reporter=reporter, reason=reason, note="ভুল যোগফল।",
                                 school_id=content.school_id, upazila_id=content.upazila_id,
                                 district_id=content.district_id, division_id=content.division_id)


@pytest.fixture
def content(library_people):
    return ContentFactory(author=library_people["teacher_rubi"], published=True, title="গুণের নামতা")


@pytest.fixture
def report(library_people, content):
    return report_on(content, library_people["colleague_shirina"])


@pytest.mark.parametrize("who", MODERATORS)
def test_queue_for_moderators_of_the_area(client, library_people, report, who):
    client.force_login(library_people[who])
    response = client.get(reverse("library:moderation"))
    assert response.status_code == 200 and "গুণের নামতা" in response.content.decode()


@pytest.mark.parametrize("who", ["mentor_subarnachar", "officer_other_upazila"])
def test_queue_of_another_area_does_not_show_it(client, library_people, report, who):
    client.force_login(library_people[who])
    response = client.get(reverse("library:moderation"))
    assert response.status_code == 200 and "গুণের নামতা" not in response.content.decode()
    assert client.post(reverse("library:report_dismiss", args=[report.pk])).status_code == 404
    assert client.post(reverse("library:report_uphold", args=[report.pk]), {"reason": "না।"}).status_code == 404
    assert client.post(reverse("library:hide", args=[report.content_id]), {"reason": "না।"}).status_code == 404
    assert Report.objects.get().status == Report.Status.OPEN


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "colleague_shirina", "researcher_tanvir",
                                 "no_role_user"])
def test_non_moderators_get_404(client, library_people, report, who):
    client.force_login(library_people[who])
    assert client.get(reverse("library:moderation")).status_code == 404
    assert client.post(reverse("library:report_uphold", args=[report.pk]), {"reason": "না।"}).status_code == 404
    assert client.post(reverse("library:report_dismiss", args=[report.pk])).status_code == 404
    assert client.post(reverse("library:hide", args=[report.content_id]), {"reason": "না।"}).status_code == 404
    assert Report.objects.get().status == Report.Status.OPEN and Content.objects.get().hidden_at is None


def test_queue_queries_are_bounded(client, library_people, django_assert_max_num_queries):
    for _ in range(30):
        report_on(ContentFactory(author=library_people["teacher_rubi"], published=True),
                  library_people["colleague_shirina"])
    client.force_login(library_people["officer_hatia"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("library:moderation")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("library:moderation") + "?page=2").status_code == 200


def test_uphold_and_dismiss(client, library_people, content, report):
    other = report_on(ContentFactory(author=library_people["teacher_rubi"], published=True),
                      library_people["colleague_shirina"])
    client.force_login(library_people["mentor_hatia"])
    response = client.post(reverse("library:report_uphold", args=[report.pk]), {"reason": ""}, follow=True)
    assert response.status_code == 200 and Report.objects.get(pk=report.pk).status == Report.Status.OPEN
    response = client.post(reverse("library:report_uphold", args=[report.pk]), {"reason": "ভুল আছে।"})
    assert response.status_code == 302 and Content.objects.get(pk=content.pk).hidden_at is not None
    assert client.post(reverse("library:report_dismiss", args=[other.pk])).status_code == 302
    assert Report.objects.get(pk=other.pk).status == Report.Status.DISMISSED
    response = client.post(reverse("library:report_dismiss", args=[other.pk]), follow=True)
    assert response.status_code == 200  # handled already: a sentence, not a 500


def test_hide_and_restore_from_the_content_page(client, library_people, content):
    client.force_login(library_people["officer_hatia"])
    client.post(reverse("library:hide", args=[content.pk]), {"reason": " "})
    assert Content.objects.get().hidden_at is None
    assert client.post(reverse("library:hide", args=[content.pk]), {"reason": "অনুমতি নেই।"}).status_code == 302
    assert Content.objects.get().hidden_reason == "অনুমতি নেই।"
    assert client.post(reverse("library:restore", args=[content.pk]), {"reason": "ঠিক আছে।"}).status_code == 302
    assert Content.objects.get().hidden_at is None
    assert client.get(reverse("library:hide", args=[content.pk])).status_code == 405


def test_hide_a_comment(client, library_people, content):
    comment = Comment.objects.create(content=content, author=library_people["colleague_shirina"], body="বাজে।")
    client.force_login(library_people["teacher_of_other_school"])
    assert client.post(reverse("library:comment_hide", args=[comment.pk])).status_code == 404
    client.force_login(library_people["mentor_hatia"])
    response = client.post(reverse("library:comment_hide", args=[comment.pk]),
                           {"next": reverse("library:moderation")})
    assert response.status_code == 302 and response["Location"] == reverse("library:moderation")
    assert Comment.objects.get().hidden_at is not None
    assert client.post(reverse("library:comment_hide", args=[987654])).status_code == 404
