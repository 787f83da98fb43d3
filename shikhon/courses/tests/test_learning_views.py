"""The learning pages: every page for a teacher, enrolment and progress through the forms, short codes,
the printable sheet, visibility (404s), bad input and bounded queries."""

from __future__ import annotations

import gzip
import json

import pytest
from django.urls import reverse

from shikhon.core.bangla import format_number
from shikhon.courses import selectors, services
from shikhon.courses.models import ActivityProgress, Course, Enrolment
from shikhon.courses.tests.factories import course_with_content, do_activities


@pytest.fixture
def course(db):
    return course_with_content(modules=3, activities=3, title="আনন্দে গণিত শিখি", slug="anonde-gonit-shikhi")


@pytest.fixture
def rubi(client, people):
    client.force_login(people["teacher_rubi"])
    return people["teacher_rubi"]


def first_module(course):
    return course.modules.all()[0]


def first_activity(course):
    return first_module(course).activities.all()[0]


def enrol(user, course):
    return services.enrolment_create(actor=user, course=course)


def test_every_page_answers_200_for_a_teacher(client, rubi, course):
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    module = first_module(course)
    activity = first_activity(course)
    attempt = services.quiz_attempt_start(actor=rubi, quiz=module.quiz)
    for url in (reverse("courses:catalogue"), reverse("courses:detail", args=[course.slug]),
                reverse("courses:module", args=[module.pk]), reverse("courses:activity", args=[activity.pk]),
                reverse("courses:quiz", args=[module.quiz.pk]), reverse("courses:attempt", args=[attempt.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        # Teacher pages fit the first round trip on 2G (14 KB compressed).
        assert len(gzip.compress(response.content)) <= 14_000, url


def test_catalogue_search_and_filters(client, rubi, course):
    course_with_content(modules=1, title="Bangla letters", subject="bangla", grade_from=3, grade_to=4)
    response = client.get(reverse("courses:catalogue"), {"q": "গণিত"})
    assert course.title in response.text and "Bangla letters" not in response.text
    response = client.get(reverse("courses:catalogue"), {"subject": "bangla", "grade": "3"})
    assert "Bangla letters" in response.text and course.title not in response.text
    response = client.get(reverse("courses:catalogue"), {"grade": "nonsense", "page": "x"})
    assert response.status_code == 200


def test_catalogue_hides_drafts(client, rubi, course):
    course_with_content(modules=1, title="Secret draft", status=Course.Status.DRAFT)
    assert "Secret draft" not in client.get(reverse("courses:catalogue")).text


def test_enrol_through_the_page_goes_to_the_first_activity(client, rubi, course):
    response = client.post(reverse("courses:enrol", args=[course.slug]), {"enrol": "1"})
    assert response.status_code == 302
    assert response["Location"] == first_activity(course).get_absolute_url()
    assert Enrolment.objects.filter(user=rubi, course=course).count() == 1
    client.post(reverse("courses:enrol", args=[course.slug]), {"enrol": "1"})
    assert Enrolment.objects.filter(user=rubi).count() == 1


def test_enrol_with_missing_prerequisite_says_why(client, rubi, course):
    advanced = course_with_content(modules=1, title="Advanced maths", slug="advanced")
    advanced.prerequisites.add(course)
    response = client.post(reverse("courses:enrol", args=["advanced"]), follow=True)
    assert "First complete these courses" in response.text
    assert not Enrolment.objects.exists()
    detail = client.get(reverse("courses:detail", args=["advanced"]))
    assert course.title in detail.text and "not completed yet" in detail.text


def test_continue(client, rubi, course):
    url = reverse("courses:continue", args=[course.slug])
    assert client.get(url)["Location"] == reverse("courses:detail", args=[course.slug])
    enrol(rubi, course)
    assert client.get(url)["Location"] == first_activity(course).get_absolute_url()


def test_activity_page_contents(client, rubi, course):
    enrol(rubi, course)
    activity = first_activity(course)
    activity.summary = "শিশুরা ১০ পর্যন্ত গুনতে শেখে।"
    activity.save()
    text = client.get(activity.get_absolute_url()).text
    for expected in ("১০টি পাথর", "শিশুদের গোল করে বসান।", "শিশুরা জোড়ায় গোনে।", "কাল প্রথম ঘণ্টায়",
                     activity.short_code, reverse("courses:activity_sheet", args=[activity.pk]),
                     'name="done"', "progress.js", "data-progress-form", activity.summary):
        assert expected in text, expected
    # Opening it remembers where she is.
    assert Enrolment.objects.get(user=rubi).last_activity == activity


def test_mark_done_without_javascript(client, rubi, course):
    enrol(rubi, course)
    activity = first_activity(course)
    response = client.post(reverse("courses:activity_progress", args=[activity.pk]), {"done": "1"}, follow=True)
    assert "Marked as done" in response.text
    assert ActivityProgress.objects.get(activity=activity).done_at is not None
    assert "You marked this activity as done." in response.text


def test_progress_from_the_player_script(client, rubi, course):
    enrol(rubi, course)
    activity = first_activity(course)
    url = reverse("courses:activity_progress", args=[activity.pk])
    response = client.post(url, {"watched_percent": "50"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"watched_percent": 50, "done": False}
    response = client.post(url, json.dumps({"watched_percent": 75}), content_type="application/json")
    assert response.json() == {"watched_percent": 75, "done": False}
    response = client.post(url, {"watched_percent": "২৫"}, HTTP_ACCEPT="application/json")
    assert response.json()["watched_percent"] == 75


@pytest.mark.parametrize("body", ["[" * 100_000, '{"watched_percent": 1e400}', "[1]", "{"])
def test_progress_bad_json_is_a_sentence_not_a_500(client, rubi, course, body):
    enrol(rubi, course)
    url = reverse("courses:activity_progress", args=[first_activity(course).pk])
    response = client.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert not ActivityProgress.objects.exists()


@pytest.mark.parametrize("data", [{"watched_percent": "abc"}, {"watched_percent": "500"}, {}, {"done": "maybe"},
                                  {"watched_percent": "²"}, {"watched_percent": "٣"}, {"watched_percent": "inf"}])
def test_progress_bad_input(client, rubi, course, data):
    enrol(rubi, course)
    activity = first_activity(course)
    ActivityProgress.objects.all().delete()
    url = reverse("courses:activity_progress", args=[activity.pk])
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    if data.get("done") == "maybe":  # a checkbox value: any non-empty value means done
        assert response.status_code == 200
        return
    assert response.status_code == 400 and response.json()["error"]
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert not ActivityProgress.objects.filter(watched_percent__gt=0).exists()
    assert not ActivityProgress.objects.filter(done_at__isnull=False).exists()


def test_progress_bad_json(client, rubi, course):
    enrol(rubi, course)
    url = reverse("courses:activity_progress", args=[first_activity(course).pk])
    for body in ("{not json", "[1, 2]", '"x"'):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400


def test_progress_needs_enrolment(client, rubi, course):
    activity = first_activity(course)
    text = client.get(activity.get_absolute_url()).text
    assert "Enrol to record your progress" in text and 'name="done"' not in text
    response = client.post(reverse("courses:activity_progress", args=[activity.pk]), {"done": "1"}, follow=True)
    assert "Enrol in this course first." in response.text
    assert not ActivityProgress.objects.exists()


def test_locked_module_shows_why(client, rubi, course):
    enrol(rubi, course)
    module = course.modules.all()[1]
    why = selectors.locked_reason(1)
    assert why == f"Finish module {format_number(1)} — its activities and its quiz — to open this."
    page = client.get(module.get_absolute_url()).text
    assert why in page
    # No quiz and no download on a locked module.
    assert reverse("courses:quiz", args=[module.quiz.pk]) not in page and "data-offline-module" not in page
    activity = module.activities.all()[0]
    text = client.get(activity.get_absolute_url()).text
    assert 'name="done"' not in text and why in text
    quiz_page = client.get(reverse("courses:quiz", args=[module.quiz.pk])).text
    assert why in quiz_page and 'name="quiz_start"' not in quiz_page


def test_short_code_opens_the_activity(client, rubi, course):
    activity = first_activity(course)
    code = activity.short_code
    spaced = f" {code[:3].lower()}-{code[3:].lower()} "
    response = client.get(reverse("courses:short_code", args=[code.lower()]))
    assert response["Location"] == activity.get_absolute_url()
    response = client.get(reverse("courses:code_lookup"), {"code": spaced})
    assert response["Location"] == activity.get_absolute_url()
    assert client.get(reverse("courses:short_code", args=["ZZZZZZ"])).status_code == 404
    response = client.get(reverse("courses:code_lookup"), {"code": "ZZZZZZ"}, follow=True)
    assert "No activity has the code" in response.text
    response = client.get(reverse("courses:code_lookup"), follow=True)
    assert "Type the code printed on the activity sheet." in response.text


def test_printable_sheet_is_a_pdf(client, rubi, course):
    activity = first_activity(course)
    response = client.get(reverse("courses:activity_sheet", args=[activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_sheet_template_has_code_and_qr(rf, people, course):
    from django.template.loader import render_to_string

    activity = first_activity(course)
    html = render_to_string("courses/activity_sheet_pdf.html", {
        "activity": activity, "module": activity.module, "course": course, "qr": "data:image/svg+xml,x",
        "code_url": "http://testserver/a/X/", "font_css": "", "font_family": "x"})
    assert activity.short_code in html and "Type this code on Shikhon:" in html and "data:image/svg+xml" in html


def test_quiz_flow_through_the_pages(client, rubi, course):
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    quiz = first_module(course).quiz
    page = client.get(reverse("courses:quiz", args=[quiz.pk])).text
    assert "Pass mark" in page and 'name="quiz_start"' in page
    response = client.post(reverse("courses:quiz_start", args=[quiz.pk]), {"quiz_start": "1"})
    attempt = rubi.enrolments.get().attempts.get()
    assert response["Location"] == attempt.get_absolute_url()
    form = client.get(attempt.get_absolute_url()).text
    assert "data-quiz-form" in form and 'inputmode="decimal"' in form and 'type="radio"' in form
    data = {}
    for question, choices in selectors.attempt_questions(attempt):
        if question.kind == "numeric":
            data[f"q{question.pk}"] = "১২"
        else:
            data[f"q{question.pk}"] = [str(c.pk) for c in choices if c.is_correct]
    response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]), data, follow=True)
    assert "You passed this quiz." in response.text
    assert "Next module" in response.text
    assert "Correct answer" in response.text
    # A replay shows the result, scoring nothing again.
    response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]), {}, follow=True)
    assert "You already sent the answers" in response.text
    attempt.refresh_from_db()
    assert attempt.score_percent == 100


def test_open_attempt_never_shows_the_answers(client, rubi, course):
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    quiz = first_module(course).quiz
    question = quiz.questions.get(kind="numeric")
    question.numeric_answer = 98765
    question.feedback = "SECRET-EXPLANATION"
    question.save()
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    html = client.get(attempt.get_absolute_url()).text
    assert "is_correct" not in html and "correct" not in html.lower().replace("choose every correct answer", "")
    assert "98765" not in html and "৯৮৭৬৫" not in html and "SECRET-EXPLANATION" not in html


@pytest.mark.parametrize("data", [
    {"q999999": "1"}, {"qabc": "x"}, {"q": "1"}, {"csrfmiddlewaretoken": "x"},
])
def test_garbage_submit_is_refused_or_scored_without_500(client, rubi, course, data):
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    attempt = services.quiz_attempt_start(actor=rubi, quiz=first_module(course).quiz)
    response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]), data, follow=True)
    assert response.status_code == 200
    attempt.refresh_from_db()
    if set(data) <= {"q", "csrfmiddlewaretoken"}:  # nothing answered: scored, all wrong
        assert attempt.score_percent == 0
    else:
        assert attempt.submitted_at is None
        assert "do not match this quiz" in response.text


def test_foreign_choice_through_the_page(client, rubi, course):
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    attempt = services.quiz_attempt_start(actor=rubi, quiz=first_module(course).quiz)
    single = next(q for q, _c in selectors.attempt_questions(attempt) if q.kind == "single")
    numeric = next(q for q, _c in selectors.attempt_questions(attempt) if q.kind == "numeric")
    for data in ({f"q{single.pk}": "999999"}, {f"q{numeric.pk}": "বারো"}):
        response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]), data, follow=True)
        assert response.status_code == 200
        assert "not valid" in response.text or "Please type a number" in response.text
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_word_for_a_number_keeps_her_answers(client, rubi, course):
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    attempt = services.quiz_attempt_start(actor=rubi, quiz=first_module(course).quiz)
    items = selectors.attempt_questions(attempt)
    single, choices = next((q, c) for q, c in items if q.kind == "single")
    numeric = next(q for q, _c in items if q.kind == "numeric")
    response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]),
                           {f"q{single.pk}": str(choices[1].pk), f"q{numeric.pk}": "বারো"})
    assert response.status_code == 200
    assert "Please type a number" in response.text and "Please check this answer." in response.text
    assert 'value="বারো"' in response.text and 'aria-invalid="true"' in response.text
    assert f'value="{choices[1].pk}" id="c{choices[1].pk}" checked' in response.text
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_final_pass_says_the_certificate_is_coming(client, rubi):
    course = course_with_content(modules=1, activities=1)
    enrol(rubi, course)
    do_activities(rubi, first_module(course))  # the module's quiz waits for its activities
    attempt = services.quiz_attempt_start(actor=rubi, quiz=first_module(course).quiz)
    data = {}
    for question, choices in selectors.attempt_questions(attempt):
        data[f"q{question.pk}"] = "12" if question.kind == "numeric" else [str(c.pk) for c in choices if c.is_correct]
    response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]), data, follow=True)
    assert "Your certificate is being prepared" in response.text
    assert reverse("learning:home") in response.text
