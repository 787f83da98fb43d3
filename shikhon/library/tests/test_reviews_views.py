"""Review pages: the mentor's queue and the review page by role and place (others 404), the rubric form without
JavaScript (publish, ask for changes), bad input (a sentence, nothing stored, never a 500), bounded queries on the
queue, and the review panel of a content's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from shikhon.library.models import Review, State
from shikhon.library.page_reviews import content_page_context
from shikhon.library.services.reviews import review_submit
from shikhon.library.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db
GOOD = {"curriculum_fit": 4, "accuracy": 3, "pedagogy": 3, "media": 2, "accessibility": 4}
MENTORS_OF_AREA = ["mentor_hatia", "mentor_noakhali", "mentor_national"]
NOT_REVIEWERS = ["mentor_subarnachar", "teacher_rubi", "head_teacher_masuma", "officer_hatia", "colleague_shirina",
                 "teacher_of_other_school", "national_admin_nasrin", "researcher_tanvir", "no_role_user"]


def submitted(author, **kwargs):
    content = ContentFactory(author=author, **kwargs)
    version = content.latest_version
    version.state, version.submitted_at = State.SUBMITTED, timezone.now()
    version.save()
    content.state = State.SUBMITTED
    content.save()
    return content


def post_data(**overrides):
    data = {f"score_{key}": str(value) for key, value in GOOD.items()}
    data.update({"decision": "publish", "feedback": ""})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def waiting(library_people):
    return submitted(library_people["teacher_rubi"], title="বাংলা বর্ণমালা")


@pytest.mark.parametrize("who", [*MENTORS_OF_AREA, "mentor_subarnachar"])
def test_queue_for_mentors(client, library_people, waiting, who):
    client.force_login(library_people[who])
    body = client.get(reverse("library:review_queue")).content.decode()
    assert ("বাংলা বর্ণমালা" in body) == (who != "mentor_subarnachar")


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia", "national_admin_nasrin",
                                 "researcher_tanvir", "no_role_user"])
def test_queue_is_404_for_non_mentors(client, library_people, who):
    client.force_login(library_people[who])
    assert client.get(reverse("library:review_queue")).status_code == 404


def test_queue_needs_sign_in(client):
    assert client.get(reverse("library:review_queue")).status_code == 302


def test_queue_order_and_own_contents(client, library_people):
    older = submitted(library_people["teacher_rubi"], title="প্রথম পাঠ")
    newer = submitted(library_people["colleague_shirina"], title="দ্বিতীয় পাঠ")
    older.latest_version.submitted_at = timezone.now() - dt.timedelta(days=2)
    older.latest_version.save()
    submitted(library_people["mentor_hatia"], title="আমার নিজের পাঠ")
    ContentFactory(author=library_people["teacher_rubi"], title="খসড়া পাঠ")
    client.force_login(library_people["mentor_hatia"])
    body = client.get(reverse("library:review_queue")).content.decode()
    assert body.index("প্রথম পাঠ") < body.index("দ্বিতীয় পাঠ")
    assert "আমার নিজের পাঠ" not in body and "খসড়া পাঠ" not in body
    assert newer.title in body


def test_queue_queries_are_bounded(client, library_people, django_assert_max_num_queries):
    for _ in range(30):
        submitted(library_people["teacher_rubi"])
    client.force_login(library_people["mentor_hatia"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:review_queue"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("library:review_queue") + "?page=2").status_code == 200


@pytest.mark.parametrize("who", MENTORS_OF_AREA)
def test_review_page_for_mentors_of_the_area(client, library_people, waiting, who):
    client.force_login(library_people[who])
    response = client.get(reverse("library:review", args=[waiting.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="radio"' in body and "score_accuracy" in body and "গুরুতর ভুল আছে" in body


@pytest.mark.parametrize("who", NOT_REVIEWERS)
def test_review_page_is_404_for_others(client, library_people, waiting, who):
    client.force_login(library_people[who])
    assert client.get(reverse("library:review", args=[waiting.pk])).status_code == 404
    assert client.post(reverse("library:review", args=[waiting.pk]), post_data()).status_code == 404
    assert client.post(reverse("library:review_start", args=[waiting.pk])).status_code == 404
    assert not Review.objects.exists()


def test_start_from_the_queue(client, library_people, waiting):
    client.force_login(library_people["mentor_hatia"])
    response = client.post(reverse("library:review_start", args=[waiting.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("library:review", args=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.state == State.UNDER_REVIEW


def test_publish_through_the_form(client, library_people, waiting):
    client.force_login(library_people["mentor_hatia"])
    response = client.post(reverse("library:review", args=[waiting.pk]), post_data(feedback="চমৎকার।"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == State.PUBLISHED and Review.objects.get().feedback == "চমৎকার।"


def test_ask_for_changes_through_the_form(client, library_people, waiting):
    client.force_login(library_people["mentor_national"])
    response = client.post(reverse("library:review", args=[waiting.pk]),
                           post_data(decision="changes", feedback="ছবি যোগ করুন।"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == State.CHANGES_REQUESTED


@pytest.mark.parametrize(("data", "field"), [
    (post_data(score_accuracy="5"), "score_accuracy"),
    (post_data(score_media=None), "score_media"),
    (post_data(decision="maybe"), "decision"),
    (post_data(decision="changes", feedback=" "), "feedback"),
    (post_data(feedback="ক" * 4001), "feedback"),
])
def test_bad_input_is_a_sentence_and_stores_nothing(client, library_people, waiting, data, field):
    client.force_login(library_people["mentor_hatia"])
    response = client.post(reverse("library:review", args=[waiting.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert 'class="errorlist' in response.content.decode()
    assert not Review.objects.exists()
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED


def test_a_decided_content_says_so(client, library_people, waiting):
    review_submit(actor=library_people["mentor_noakhali"], content=waiting, scores=GOOD, decision="publish")
    client.force_login(library_people["mentor_hatia"])
    response = client.get(reverse("library:review", args=[waiting.pk]))
    assert response.status_code == 200 and 'type="radio"' not in response.content.decode()
    response = client.post(reverse("library:review", args=[waiting.pk]), post_data())
    assert response.status_code == 200 and Review.objects.count() == 1


def test_review_page_in_english(client, library_people, waiting):
    client.force_login(library_people["mentor_hatia"])
    response = client.get(reverse("library:review", args=[waiting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Curriculum fit" in body or "পাঠ্যক্রমের সঙ্গে মিল" in body


# ---------------------------------------------------------------- the content page's panel


def panel(user, content):
    request = RequestFactory().get("/")
    request.user = user
    context = content_page_context(request, content)
    return context, render_to_string("library/content_page/_reviews.html", {**context, "content": content},
                                     request=request)


def test_panel_for_the_author_when_changes_are_asked(library_people, waiting, django_assert_max_num_queries):
    review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="changes",
                  feedback="শিখনফল লিখুন।")
    waiting.refresh_from_db()
    for who in ["teacher_rubi", "head_teacher_masuma", "mentor_hatia", "mentor_national"]:
        with django_assert_max_num_queries(6):
            context, html = panel(library_people[who], waiting)
        assert "শিখনফল লিখুন।" in html and len(context["reviews_scores"]) == 5
    for who in ["colleague_shirina", "officer_hatia", "mentor_subarnachar"]:
        context, html = panel(library_people[who], waiting)
        assert "শিখনফল লিখুন।" not in html and context.get("reviews_latest") is None
    context, _html = panel(AnonymousUser(), waiting)
    assert context == {"reviews_is_model": False}


def test_panel_buttons_by_role(library_people, waiting):
    context, html = panel(library_people["mentor_hatia"], waiting)
    assert context["reviews_may_review"] and reverse("library:review", args=[waiting.pk]) in html
    assert not panel(library_people["teacher_rubi"], waiting)[0]["reviews_may_review"]
    review_submit(actor=library_people["mentor_hatia"], content=waiting, scores=GOOD, decision="publish")
    waiting.refresh_from_db()
    context, html = panel(library_people["mentor_noakhali"], waiting)
    assert context["reviews_may_promote"] and reverse("library:promote", args=[waiting.pk]) in html
    assert context["reviews_may_moderate"] and reverse("library:hide", args=[waiting.pk]) in html
    assert not panel(library_people["mentor_hatia"], waiting)[0]["reviews_may_promote"]
    context, html = panel(library_people["colleague_shirina"], waiting)
    assert not (context["reviews_may_promote"] or context["reviews_may_moderate"] or context["reviews_may_review"])
    waiting.is_model = True
    waiting.save()
    context, html = panel(library_people["colleague_shirina"], waiting)
    assert 'class="badge model"' in html
    assert panel(library_people["mentor_national"], waiting)[0]["reviews_may_demote"]


def test_pages_are_light(client, library_people, waiting):
    import gzip

    for _ in range(25):
        submitted(library_people["teacher_rubi"])
    client.force_login(library_people["mentor_hatia"])
    for url in [reverse("library:review_queue"), reverse("library:review", args=[waiting.pk])]:
        body = client.get(url).content
        assert len(gzip.compress(body)) <= 14 * 1024
