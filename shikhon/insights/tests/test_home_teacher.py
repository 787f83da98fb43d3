"""A teacher's home puts her next step first, at every stage of the course: not enrolled, just started,
half-way, a quiz ready, certified (and the training it unlocks), invited, trained; with unread notifications."""

from __future__ import annotations

import gzip
import re

from django.urls import reverse

from shikhon.notify.services import Tell, notifications_send_many

HOME = "/"


def _home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response, response.content.decode()


def _cards(response) -> list[str]:
    return response.context["learner"].cards


def _activity_url(course, module: int, activity: int) -> str:
    m = list(course.modules.order_by("position", "pk"))[module]
    a = list(m.activities.order_by("position", "pk"))[activity]
    return reverse("courses:activity", kwargs={"pk": a.pk})


def test_not_enrolled_teacher_is_offered_the_course_with_an_enrol_button(client, people, course):
    response, html = _home(client, people["teacher_rubi"])
    assert _cards(response) == ["recommend"]
    assert reverse("courses:enrol", kwargs={"slug": course.slug}) in html
    assert 'id="continue"' not in html
    # The button enrols her and opens the first activity: one tap.
    enrolled = client.post(reverse("courses:enrol", kwargs={"slug": course.slug}))
    assert enrolled.status_code == 302 and enrolled["Location"] == _activity_url(course, 0, 0)


def test_just_enrolled_she_continues_at_the_first_activity(client, people, course, study):
    study(people["teacher_rubi"])
    response, html = _home(client, people["teacher_rubi"])
    assert _cards(response) == ["course"]
    position = response.context["learner"].position
    assert (position.module_number, position.modules_total, position.percent) == (1, 3, 0)
    assert position.next_kind == "activity" and position.next_title == "কাজ 1.1"
    assert f'href="{_activity_url(course, 0, 0)}" id="next-step"' in html
    assert "০%" in html and "মডিউল 1" in html  # the module title as written; the number in Bangla digits
    assert reverse("courses:enrol", kwargs={"slug": course.slug}) not in html


def test_half_way_she_continues_where_she_left_off_with_progress(client, people, course, study):
    study(people["teacher_rubi"], passed=1, done=1)
    response, html = _home(client, people["teacher_rubi"])
    position = response.context["learner"].position
    # 3 modules × (2 activities + 1 quiz) = 9 steps; done: 2 activities + 1 quiz + 1 activity = 4 → 44 %.
    assert (position.module_number, position.modules_finished, position.percent) == (2, 1, 44)
    assert position.next_url == _activity_url(course, 1, 1)
    assert f'href="{_activity_url(course, 1, 1)}"' in html
    assert "৪৪%" in html
    assert "১ of ৩ module finished" in html  # English msgid, Bangla digits (the test catalogue)
    # One tap: the button's page is the activity itself, open to her.
    assert client.get(position.next_url).status_code == 200


def test_a_quiz_ready_is_her_next_step(client, people, course, study):
    study(people["teacher_rubi"], passed=1, done=2)
    response, html = _home(client, people["teacher_rubi"])
    position = response.context["learner"].position
    quiz = list(course.modules.order_by("position", "pk"))[1].quiz
    assert position.next_kind == "quiz" and position.next_url == reverse("courses:quiz", kwargs={"pk": quiz.pk})
    assert "Your quiz is ready" in html
    assert f'href="{position.next_url}" id="next-step"' in html
    assert client.get(position.next_url).status_code == 200


def test_certified_she_sees_her_certificate_and_the_training_it_unlocks(client, people, course, certify,
                                                                        programme):
    certificate = certify(people["teacher_rubi"])
    response, html = _home(client, people["teacher_rubi"])
    home = response.context["learner"]
    assert home.cards[0] == "certificate" and "course" not in home.cards
    assert home.certificate.pk == certificate.pk and home.certificate_is_new
    assert [p.pk for p in home.unlocks] == [programme.pk]
    assert certificate.get_absolute_url() in html
    assert programme.title in html
    assert "It makes you eligible for face-to-face training:" in html


def test_certified_and_invited_she_answers_the_invitation_first(client, people, course, certify, invite):
    rubi = people["teacher_rubi"]
    certify(rubi)
    invitation = invite(rubi)
    response, html = _home(client, rubi)
    home = response.context["learner"]
    assert home.cards[0] == "invitation"
    assert home.unlocks == []  # invited already: the card does not say "you will be invited"
    action = reverse("training:invitation", kwargs={"pk": invitation.pk})
    assert f'action="{action}"' in html and 'value="accept"' in html and 'value="decline"' in html
    # Accepting right there works, and her home then shows the coming training instead.
    assert client.post(action, {"answer": "accept"}).status_code == 302
    response, html = _home(client, rubi)
    assert response.context["learner"].cards[0] == "coming"
    assert 'value="accept"' not in html


def test_trained_she_sees_the_training_done_and_her_certificates(client, people, course, certify, train):
    rubi = people["teacher_rubi"]
    certify(rubi)
    invitation = train(rubi)
    response, html = _home(client, rubi)
    home = response.context["learner"]
    assert "trained" in home.cards and "invitation" not in home.cards
    assert home.trained.pk == invitation.pk
    assert home.unlocks == []
    assert reverse("certificates:list") in html
    assert "Face-to-face training completed" in html


def test_an_old_certificate_comes_after_her_next_course(client, people, course, certify, study):
    from datetime import timedelta

    from django.utils import timezone

    from shikhon.certificates.models import Certificate
    from shikhon.courses.tests.factories import course_with_content

    rubi = people["teacher_rubi"]
    certificate = certify(rubi)
    old = timezone.now() - timedelta(days=90)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=old, issued_on=old.date())
    study(rubi, on=course_with_content(modules=2, activities=1))
    response, _html = _home(client, rubi)
    assert response.context["learner"].cards[:2] == ["course", "certificate"]


def test_unread_notifications_head_her_list(client, people):
    rubi = people["teacher_rubi"]
    notifications_send_many(tells=[Tell(recipient_id=rubi.pk, kind="membership_approved", event_key=f"test:{n}",
                                        params={"school": "হাতিয়া"}, url="/") for n in range(4)])
    response, html = _home(client, rubi)
    home = response.context["learner"]
    assert home.unread == 4 and len(home.unread_head) == 3
    assert "৪ new notifications" in html
    assert reverse("notify:list") in html


def test_a_revoked_certificate_is_not_her_certificate(client, people, certify):
    from django.utils import timezone

    from shikhon.certificates.models import Certificate

    rubi = people["teacher_rubi"]
    certificate = certify(rubi)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    response, _html = _home(client, rubi)
    assert response.context["learner"].certificate is None


def test_pending_teacher_sees_her_wait_and_the_courses(client, people, course):
    response, html = _home(client, people["teacher_pending_zahid"])
    assert "waiting for the head teacher" in html
    assert response.context["learner"].cards == ["recommend"]


def test_home_is_light_for_a_teacher_mid_course(client, people, course, study, programme, invite):
    study(people["teacher_rubi"], passed=1, done=1)
    notifications_send_many(tells=[Tell(recipient_id=people["teacher_rubi"].pk, kind="membership_approved",
                                        event_key=f"t:{n}", params={"school": "হ"}, url="/") for n in range(3)])
    _response, html = _home(client, people["teacher_rubi"])
    assert len(gzip.compress(html.encode())) <= 14 * 1024
    assert len(html.encode()) <= 40 * 1024


def test_every_number_on_her_home_is_in_bangla_digits(client, people, course, study, certify):
    study(people["teacher_rubi"], passed=1, done=1)
    certify(people["head_teacher_masuma"])
    for who in ("teacher_rubi", "head_teacher_masuma"):
        _response, html = _home(client, people[who])
        main = html.split('<main id="main" tabindex="-1">', 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", main)
        text = re.sub(r"(মডিউল|কাজ) [0-9.]+", "", text)  # the factory's titles, as their author wrote them
        text = re.sub(r"[A-Z0-9]{4}(-[A-Z0-9]{4})+", "", text)  # a certificate's code stays Latin
        assert not re.search(r"[0-9]", text), text


def test_teacher_home_queries_are_bounded_at_every_stage(client, people, course, study, certify, invite,
                                                         django_assert_max_num_queries):
    rubi, kamrun, masuma = people["teacher_rubi"], people["teacher_of_other_school"], people["head_teacher_masuma"]
    study(rubi, passed=1, done=1)
    certify(kamrun)
    invite(kamrun)
    for user in (rubi, kamrun, people["teacher_pending_zahid"]):
        client.force_login(user)
        client.get(HOME)  # her person and scope into the cache, as on every later visit
        with django_assert_max_num_queries(13):
            assert client.get(HOME).status_code == 200
    client.force_login(masuma)
    client.get(HOME)
    with django_assert_max_num_queries(16):
        assert client.get(HOME).status_code == 200


def test_her_home_in_english_when_chosen(client, people, course, study):
    study(people["teacher_rubi"], passed=1, done=1)
    client.force_login(people["teacher_rubi"])
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    html = client.get(HOME).content.decode()
    assert '<html lang="en">' in html
    assert "Continue your course" in html and "44% done" in html and "1 of 3 module finished" in html


def test_her_home_only_reads(client, people, course, study, certify, invite):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    certify(people["teacher_of_other_school"])
    invite(people["teacher_of_other_school"])
    for who in ("teacher_of_other_school", "officer_hatia"):
        client.force_login(people[who])
        client.get(HOME)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME, {"stage": "<script>", "page": "x"}).status_code == 200
        writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE",
                                                                                              "DELETE")]
        assert writes == [], writes


def test_trained_she_opens_her_training_certificate_from_home(client, people, course, certify, train):
    from shikhon.certificates.services import certificate_issue_training

    rubi = people["teacher_rubi"]
    certify(rubi)
    invitation = train(rubi)
    batch = invitation.batch
    certificate = certificate_issue_training(
        key=f"training-invitation:{invitation.pk}", user=rubi, title=batch.programme.title, hours=36,
        venue=batch.venue, held_from=batch.starts_on, held_to=batch.ends_on,
        place={"school_id": invitation.school_id, "upazila_id": invitation.upazila_id,
               "district_id": invitation.district_id, "division_id": invitation.division_id})
    response, html = _home(client, rubi)
    home = response.context["learner"]
    assert home.training_certificate.pk == certificate.pk
    assert home.certificate is not None and home.certificate.pk != certificate.pk  # the course one stays
    assert certificate.get_absolute_url() in html and "Open your training certificate" in html
    assert "My certificates (২)" in html
