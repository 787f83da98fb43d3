"""Promotion POSTs: national mentors and the district mentors of the content's district promote and demote; others
404; a demotion without a reason is a sentence and changes nothing; GET is not allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shikhon.library.models import Content, Review, Rubric
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db
SCORES = {"curriculum_fit": 4, "accuracy": 4, "pedagogy": 3, "media": 3, "accessibility": 3}


@pytest.fixture
def content(library_people):
    content = ContentFactory(author=library_people["teacher_rubi"], published=True)
    Review.objects.create(version=content.published_version, content=content, reviewer=library_people["mentor_hatia"],
                          rubric=Rubric.objects.get(version=1), scores=SCORES, average="3.40", decision="publish")
    return content


@pytest.mark.parametrize("who", ["mentor_noakhali", "mentor_national"])
def test_promote_and_demote(client, library_people, content, who):
    client.force_login(library_people[who])
    assert client.post(reverse("library:promote", args=[content.pk])).status_code == 302
    assert Content.objects.get(pk=content.pk).is_model
    response = client.post(reverse("library:demote", args=[content.pk]), {"reason": ""}, follow=True)
    assert response.status_code == 200 and Content.objects.get(pk=content.pk).is_model
    assert client.post(reverse("library:demote", args=[content.pk]), {"reason": "পুরোনো।"}).status_code == 302
    assert not Content.objects.get(pk=content.pk).is_model


@pytest.mark.parametrize("who", ["mentor_hatia", "mentor_subarnachar", "teacher_rubi", "head_teacher_masuma",
                                 "officer_hatia", "officer_noakhali", "national_admin_nasrin", "colleague_shirina"])
def test_others_get_404(client, library_people, content, who):
    client.force_login(library_people[who])
    assert client.post(reverse("library:promote", args=[content.pk])).status_code == 404
    assert client.post(reverse("library:demote", args=[content.pk]), {"reason": "না।"}).status_code == 404
    assert not Content.objects.get(pk=content.pk).is_model


def test_get_is_not_allowed_and_a_draft_is_404(client, library_people, content):
    client.force_login(library_people["mentor_national"])
    assert client.get(reverse("library:promote", args=[content.pk])).status_code == 405
    draft = ContentFactory(author=library_people["teacher_rubi"])
    assert client.post(reverse("library:promote", args=[draft.pk])).status_code == 404
    assert client.post(reverse("library:promote", args=[999999])).status_code == 404


def test_an_unreviewed_content_is_a_sentence(client, library_people):
    unreviewed = ContentFactory(author=library_people["teacher_rubi"], published=True)
    client.force_login(library_people["mentor_national"])
    response = client.post(reverse("library:promote", args=[unreviewed.pk]), follow=True)
    assert response.status_code == 200 and not Content.objects.get(pk=unreviewed.pk).is_model
    assert [str(m) for m in response.context["messages"]]
