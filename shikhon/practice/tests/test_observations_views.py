"""Lesson observation pages: who sees and does what (every role, GET and POST; hidden is 404), the record form
(strengths first, items with descriptors, things to try, follow-up, snapshots; no JavaScript; marked for the
outbox), bad input (a sentence, nothing stored, never a 500), bounded queries on the list."""

from __future__ import annotations

import datetime as dt
import gzip
import uuid

import pytest
from django.urls import reverse

from shikhon.core.clock import dhaka_today
from shikhon.courses.tests.factories import ActivityFactory
from shikhon.practice.models import Instrument, Observation, ObservationEntry, ObservationReply
from shikhon.practice.services import observations as services
from shikhon.practice.services.observations import TryNextSpec

pytestmark = pytest.mark.django_db
S = Observation.Status

MATRIX = [("colleague", 404), ("officer_noakhali", 404), ("national_admin_nasrin", 404), ("researcher_tanvir", 404),
          ("officer_other_upazila", 404), ("teacher_of_other_school", 404), ("head_teacher_subarnachar", 404),
          ("officer_chattagram", 404), ("no_role_user", 404),
          ("officer_hatia", 200), ("mentor_hatia", 200), ("head_teacher_masuma", 200), ("teacher_rubi", 200)]


def who_is(people, colleague, who):
    return colleague if who == "colleague" else people[who]


@pytest.fixture
def proposed(people):
    return services.observation_propose(actor=people["mentor_hatia"], teacher=people["teacher_rubi"],
                                        proposed_on=dhaka_today())


@pytest.fixture
def agreed(people, proposed):
    return services.observation_answer(actor=people["teacher_rubi"], observation=proposed, answer="agree")


@pytest.fixture
def activity():
    return ActivityFactory(title="দশের দল বানাই")


@pytest.fixture
def recorded(people, agreed, activity):
    services.observation_entry_add(actor=people["mentor_hatia"], observation=agreed, strengths="সবাই উপকরণ পেল।",
                                   ratings={"materials": "3"},
                                   try_next=[TryNextSpec("দলে কাজ দিন", activity_id=activity.pk)])
    agreed.refresh_from_db()
    return agreed


def url(name, obs=None):
    return reverse(f"practice:{name}", kwargs={"pk": obs.pk}) if obs is not None else reverse(f"practice:{name}")


def record_data(**over):
    data = {"client_id": str(uuid.uuid4()), "strengths": "শিশুরা জোড়ায় কাজ করল।", "rating_materials": "3",
            "rating_every_turn": "2", "try_text_1": "", "try_link_1": "", "notes": ""}
    data.update(over)
    return data


# ---------------------------------------------------------------- the role matrix


@pytest.mark.parametrize("who, status", MATRIX)
def test_observation_page(client, people, colleague, recorded, who, status):
    client.force_login(who_is(people, colleague, who))
    response = client.get(recorded.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "সবাই উপকরণ পেল।" in body and "দশের দল বানাই" in body


@pytest.mark.parametrize("who, status", MATRIX)
def test_observation_list_shows_her_area_only_to_her_line(client, people, colleague, recorded, who, status):
    client.force_login(who_is(people, colleague, who))
    response = client.get(url("observations"))
    assert response.status_code == 200
    assert (recorded.get_absolute_url() in response.content.decode()) == (status == 200)


@pytest.mark.parametrize("who, status", [*[(w, 404) for w, s in MATRIX if w != "teacher_rubi"], ("teacher_rubi", 302)])
def test_answer_only_by_her(client, people, colleague, proposed, who, status):
    client.force_login(who_is(people, colleague, who))
    assert client.get(url("observation_answer", proposed)).status_code in (404, 405)
    response = client.post(url("observation_answer", proposed), {"answer": "agree"})
    assert response.status_code == status
    proposed.refresh_from_db()
    assert proposed.status == (S.AGREED if status == 302 else S.PROPOSED)


@pytest.mark.parametrize("who", [w for w, _s in MATRIX if w != "mentor_hatia"])
def test_record_only_by_the_observer(client, people, colleague, agreed, who):
    client.force_login(who_is(people, colleague, who))
    assert client.get(url("observation_record", agreed)).status_code == 404
    assert client.post(url("observation_record", agreed), record_data()).status_code == 404
    assert not ObservationEntry.objects.exists()


@pytest.mark.parametrize("who", [w for w, _s in MATRIX if w != "teacher_rubi"])
def test_reply_only_by_her(client, people, colleague, recorded, who):
    client.force_login(who_is(people, colleague, who))
    assert client.post(url("observation_reply", recorded), {"text": "ধন্যবাদ"}).status_code == 404
    assert not ObservationReply.objects.exists()


@pytest.mark.parametrize("who, status", [("head_teacher_masuma", 200), ("colleague", 200), ("officer_hatia", 200),
                                         ("mentor_hatia", 200), ("teacher_rubi", 404), ("officer_noakhali", 404),
                                         ("officer_other_upazila", 404), ("national_admin_nasrin", 404),
                                         ("researcher_tanvir", 404), ("teacher_of_other_school", 404)])
def test_new_request_page(client, people, colleague, who, status):
    client.force_login(who_is(people, colleague, who))
    target = url("observation_new") + f"?teacher={people['teacher_rubi'].pk}"
    assert client.get(target).status_code == status
    response = client.post(target, {"proposed_on": dhaka_today().isoformat(), "instrument": str(
        Instrument.objects.get(code="primary-maths").pk), "activity": "", "message": ""})
    assert response.status_code == (302 if status == 200 else 404)
    assert Observation.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize("raw", ["abc", "-1", "99999999999999999999999", "0", ""])
def test_new_request_page_junk_teacher(client, people, raw):
    client.force_login(people["head_teacher_masuma"])
    response = client.get(url("observation_new") + f"?teacher={raw}")
    assert response.status_code in (200, 404)


# ---------------------------------------------------------------- the flow through the pages


def test_whole_flow_through_pages(client, people, activity):
    masuma, rubi = people["head_teacher_masuma"], people["teacher_rubi"]
    client.force_login(masuma)
    response = client.post(url("observation_new") + f"?teacher={rubi.pk}", {
        "proposed_on": dhaka_today().isoformat(), "instrument": str(Instrument.objects.get(code="primary-maths").pk),
        "activity": str(activity.pk), "message": "আপনার ক্লাস দেখতে চাই।"})
    obs = Observation.objects.get()
    assert response.status_code == 302 and obs.activity == activity
    assert 'name="strengths"' not in client.get(url("observation_record", obs)).content.decode()  # no consent
    assert client.post(url("observation_record", obs), record_data()).status_code == 200  # no consent yet
    assert not ObservationEntry.objects.exists()
    client.force_login(rubi)
    assert client.post(url("observation_answer", obs), {"answer": "agree"}).status_code == 302
    client.force_login(masuma)
    form_page = client.get(url("observation_record", obs)).content.decode()
    assert 'data-outbox-kind="practice_observation_entry"' in form_page
    assert form_page.index('name="strengths"') < form_page.index('name="rating_materials"')
    data = record_data(try_text_1="দলে কাজ দিন", try_link_1=f"a{activity.pk}")
    assert client.post(url("observation_record", obs), data).status_code == 302
    assert client.post(url("observation_record", obs), data).status_code == 302  # the same form again: one entry
    assert client.post(url("observation_record", obs), record_data(strengths="দ্বিতীয় ফোন")).status_code == 302
    assert ObservationEntry.objects.count() == 2
    client.force_login(rubi)
    page = client.get(obs.get_absolute_url()).content.decode()
    assert "দ্বিতীয় ফোন" in page and "শিশুরা জোড়ায় কাজ করল।" in page
    assert page.index("<h3>") < page.index("দলে কাজ দিন")
    assert client.post(url("observation_reply", obs), {"text": "ধন্যবাদ, চেষ্টা করব।",
                                                       "client_id": str(uuid.uuid4())}).status_code == 302
    assert "ধন্যবাদ, চেষ্টা করব।" in client.get(obs.get_absolute_url()).content.decode()


def test_record_form_follow_up_and_teach_snapshots(client, people, recorded):
    teach = Instrument.objects.get(code="teach-primary-shaped")
    second = services.observation_propose(actor=people["head_teacher_masuma"], teacher=people["teacher_rubi"],
                                          proposed_on=dhaka_today(), instrument=teach)
    services.observation_answer(actor=people["teacher_rubi"], observation=second, answer="agree")
    client.force_login(people["head_teacher_masuma"])
    page = client.get(url("observation_record", second))
    body = page.content.decode()
    assert "দলে কাজ দিন" in body and 'name="snapshot_3"' in body and 'name="rating_respect"' in body
    assert len(gzip.compress(page.content)) <= 14_000
    thing = recorded.entries.get().try_next.get()
    response = client.post(url("observation_record", second), record_data(
        rating_materials="", rating_every_turn="", rating_respect="high", snapshot_1="high", snapshot_2="low",
        **{f"follow_{thing.pk}": "started"}))
    assert response.status_code == 302
    entry = second.entries.get()
    assert entry.follow_up == {str(thing.pk): "started"} and entry.snapshots == ["high", "low"]


def test_primary_maths_record_form_is_light(client, people, agreed):
    client.force_login(people["mentor_hatia"])
    response = client.get(url("observation_record", agreed))
    assert response.status_code == 200 and len(gzip.compress(response.content)) <= 14_000


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("over", [
    {"strengths": ""}, {"strengths": "x" * 2001}, {"rating_materials": "9"}, {"client_id": "not-a-uuid"},
    {"client_id": ""}, {"try_text_1": "কিছু", "try_link_1": ""}, {"try_text_1": "কিছু", "try_link_1": "a999999"},
    {"try_text_1": "কিছু", "try_link_1": "zz"}, {"try_text_1": "x" * 400}, {"notes": "x" * 5000},
])
def test_record_bad_input_gets_a_sentence_and_stores_nothing(client, people, agreed, over):
    client.force_login(people["mentor_hatia"])
    response = client.post(url("observation_record", agreed), record_data(**over))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist' in body or "msg error" in body
    assert not ObservationEntry.objects.exists()


@pytest.mark.parametrize("data", [{}, {"answer": "maybe"}, {"answer": "other_date"},
                                  {"answer": "other_date", "asked_date": "99/99/9999"},
                                  {"answer": "other_date", "asked_date": "01/01/2001"},
                                  {"answer": "agree", "note": "x" * 600}])
def test_answer_bad_input(client, people, proposed, data):
    client.force_login(people["teacher_rubi"])
    response = client.post(url("observation_answer", proposed), data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED


@pytest.mark.parametrize("data", [
    {"proposed_on": ""}, {"proposed_on": "99/99/9999"}, {"proposed_on": "01/01/2001"},
    {"proposed_on": "today", "instrument": "999"}, {"proposed_on": "today", "activity": "999999"},
    {"proposed_on": "today", "message": "x" * 600}, {"proposed_on": "far"}])
def test_propose_bad_input(client, people, data):
    today = dhaka_today()
    if data.get("proposed_on") == "today":
        data["proposed_on"] = today.isoformat()
    elif data.get("proposed_on") == "far":
        data["proposed_on"] = (today + dt.timedelta(days=200)).isoformat()
    data.setdefault("instrument", str(Instrument.objects.get(code="primary-maths").pk))
    client.force_login(people["head_teacher_masuma"])
    response = client.post(url("observation_new") + f"?teacher={people['teacher_rubi'].pk}", data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Observation.objects.exists()


def test_reply_bad_input(client, people, recorded):
    client.force_login(people["teacher_rubi"])
    for data in ({"text": ""}, {"text": "x" * 2500}, {"text": "ঠিক", "client_id": "nope"}):
        assert client.post(url("observation_reply", recorded), data).status_code == 200
    assert not ObservationReply.objects.exists()


def test_missing_observation_is_404(client, people):
    client.force_login(people["teacher_rubi"])
    for name in ("observation", "observation_record"):
        assert client.get(reverse(f"practice:{name}", kwargs={"pk": 999999})).status_code == 404


# ---------------------------------------------------------------- queries


def test_list_queries_bounded(client, people, django_assert_max_num_queries):
    for _n in range(6):
        obs = services.observation_propose(actor=people["mentor_hatia"], teacher=people["teacher_rubi"],
                                           proposed_on=dhaka_today())
        services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="decline")
    for who in ("teacher_rubi", "mentor_hatia", "officer_hatia"):
        client.force_login(people[who])
        with django_assert_max_num_queries(14):
            assert client.get(url("observations")).status_code == 200


def test_observation_page_queries_bounded(client, people, recorded, django_assert_max_num_queries):
    for _n in range(3):
        services.observation_entry_add(actor=people["mentor_hatia"], observation=recorded, strengths="আরও",
                                       ratings={"materials": "4"}, try_next=[])
    client.force_login(people["teacher_rubi"])
    with django_assert_max_num_queries(16):
        assert client.get(recorded.get_absolute_url()).status_code == 200


def test_second_observation_page_shows_strengths_first_then_follow_up_and_change(client, people, recorded):
    second = services.observation_propose(actor=people["head_teacher_masuma"], teacher=people["teacher_rubi"],
                                          proposed_on=dhaka_today())
    services.observation_answer(actor=people["teacher_rubi"], observation=second, answer="agree")
    thing = recorded.entries.get().try_next.get()
    services.observation_entry_add(actor=people["head_teacher_masuma"], observation=second,
                                   strengths="এবার সব দল উপকরণ পেল।", ratings={"materials": "4"}, try_next=[],
                                   follow_up={str(thing.pk): "done_well"})
    client.force_login(people["teacher_rubi"])
    body = client.get(second.get_absolute_url()).content.decode()
    strengths, follow, change = (body.index("এবার সব দল উপকরণ পেল।"), body.index("দলে কাজ দিন"),
                                 body.index("<table"))
    assert strengths < follow < change
    assert client.get(recorded.get_absolute_url()).content.decode().count("<table") == 0  # nothing to compare
