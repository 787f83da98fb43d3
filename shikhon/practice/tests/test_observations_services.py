"""Lesson observations' services: consent before any record, answers, strengths first, at most three things to
try linked to published activities or modules, ratings checked against the instrument, append-only entries (two
phones, two entries; a replay, one), the follow-up of the previous observation, notifications."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shikhon.core.clock import dhaka_today
from shikhon.courses.models import Course
from shikhon.courses.tests.factories import ActivityFactory, CourseFactory, ModuleFactory
from shikhon.notify.models import Notification
from shikhon.practice.models import Instrument, Observation, ObservationEntry, ObservationReply, TryNext
from shikhon.practice.selectors import observations as selectors
from shikhon.practice.services import observations as services
from shikhon.practice.services.observations import TryNextSpec

pytestmark = pytest.mark.django_db
S = Observation.Status


@pytest.fixture
def activity():
    return ActivityFactory()


@pytest.fixture
def maths():
    return Instrument.objects.get(code="primary-maths", version=1)


@pytest.fixture
def teach():
    return Instrument.objects.get(code="teach-primary-shaped", version=1)


def propose(people, who="mentor_hatia", **kw):
    kw.setdefault("proposed_on", dhaka_today())
    return services.observation_propose(actor=people[who], teacher=people["teacher_rubi"], **kw)


def agreed(people, who="mentor_hatia", **kw):
    obs = propose(people, who, **kw)
    return services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="agree")


def record(people, obs, who="mentor_hatia", **kw):
    kw.setdefault("strengths", "শিশুরা জোড়ায় পাথর গুনল; সবাই অংশ নিল।")
    kw.setdefault("ratings", {"materials": "3", "pairs_groups": "2"})
    kw.setdefault("try_next", [])
    return services.observation_entry_add(actor=people[who], observation=obs, **kw)


def codes(exc: ValidationError) -> set[str]:
    found = {e.code for e in getattr(exc, "error_list", [])}
    for errors in getattr(exc, "error_dict", {}).values():
        found |= {e.code for e in errors}
    return found


# ---------------------------------------------------------------- proposing


def test_propose_places_it_at_her_school_with_default_instrument_and_tells_her(people, places, maths,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obs = propose(people, message="আপনার পাঠ দেখতে চাই।")
    assert obs.status == S.PROPOSED and obs.instrument == maths
    assert obs.school_id == places["school_hatia"].pk and obs.upazila_id == places["hatia"].pk
    told = Notification.objects.get(recipient=people["teacher_rubi"])
    assert told.kind == "observation_proposed" and told.url == obs.get_absolute_url()


@pytest.mark.parametrize("who", ["head_teacher_masuma", "mentor_hatia", "officer_hatia"])
def test_observers_of_her_line_and_peers_may_propose(people, who, colleague):
    assert propose(people, who).observer == people[who]
    assert services.observation_propose(actor=colleague, teacher=people["teacher_rubi"],
                                        proposed_on=dhaka_today()).observer == colleague


@pytest.mark.parametrize("who", ["teacher_rubi", "officer_other_upazila", "officer_noakhali", "national_admin_nasrin",
                                 "researcher_tanvir", "teacher_of_other_school", "no_role_user"])
def test_others_may_not_propose(people, who):
    with pytest.raises(PermissionDenied):
        propose(people, who)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("days, code", [(-1, "past"), (91, "too_far")])
def test_date_today_to_ninety_days(people, days, code):
    with pytest.raises(ValidationError) as exc:
        propose(people, proposed_on=dhaka_today() + dt.timedelta(days=days))
    assert code in codes(exc.value) and not Observation.objects.exists()
    assert propose(people, proposed_on=dhaka_today() + dt.timedelta(days=90)).pk


def test_date_is_dhaka_today_in_the_small_hours(people, dhaka_small_hours):
    assert propose(people, proposed_on=dhaka_today()).proposed_on == dhaka_today()


def test_unpublished_activity_refused(people):
    draft = ActivityFactory(module=ModuleFactory(course=CourseFactory(status=Course.Status.DRAFT)))
    with pytest.raises(ValidationError) as exc:
        propose(people, activity=draft)
    assert "activity_unpublished" in codes(exc.value)


def test_second_open_request_refused_and_client_id_replay_returns_the_first(people):
    key = uuid.uuid4()
    first = propose(people, client_id=key)
    assert propose(people, client_id=key) == first
    with pytest.raises(ValidationError) as exc:
        propose(people)
    assert "already_open" in codes(exc.value)
    assert Observation.objects.count() == 1


# ---------------------------------------------------------------- answering (consent)


def test_entry_before_she_agrees_is_refused_with_a_sentence(people):
    obs = propose(people)
    with pytest.raises(ValidationError) as exc:
        record(people, obs)
    assert "no_consent" in codes(exc.value)
    assert exc.value.messages  # a sentence
    assert not ObservationEntry.objects.exists()


def test_decline_then_nothing_can_be_recorded(people, django_capture_on_commit_callbacks):
    obs = propose(people)
    with django_capture_on_commit_callbacks(execute=True):
        obs = services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="decline",
                                          note="এ সপ্তাহে পরীক্ষা।")
    assert obs.status == S.DECLINED and obs.answer_note == "এ সপ্তাহে পরীক্ষা।"
    assert Notification.objects.filter(recipient=people["mentor_hatia"], kind="observation_answered").exists()
    with pytest.raises(ValidationError) as exc:
        record(people, obs)
    assert "declined" in codes(exc.value)
    with pytest.raises(ValidationError):
        services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="agree")


def test_other_date_needs_a_date_then_she_may_still_agree(people):
    obs = propose(people)
    with pytest.raises(ValidationError) as exc:
        services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="other_date")
    assert "required" in codes(exc.value)
    later = dhaka_today() + dt.timedelta(days=7)
    obs = services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="other_date",
                                      asked_date=later)
    assert obs.status == S.OTHER_DATE and obs.asked_date == later
    with pytest.raises(ValidationError):
        record(people, obs)
    # The observer proposes the date she asked for: the old request gives way.
    again = propose(people, proposed_on=later)
    obs.refresh_from_db()
    assert obs.status == S.CANCELLED and again.status == S.PROPOSED


@pytest.mark.parametrize("who", ["mentor_hatia", "head_teacher_masuma", "colleague"])
def test_only_she_answers(people, colleague, who):
    obs = propose(people)
    actor = colleague if who == "colleague" else people[who]
    with pytest.raises(PermissionDenied):
        services.observation_answer(actor=actor, observation=obs, answer="agree")


def test_unknown_answer_refused(people):
    obs = propose(people)
    with pytest.raises(ValidationError):
        services.observation_answer(actor=people["teacher_rubi"], observation=obs, answer="maybe")
    obs.refresh_from_db()
    assert obs.status == S.PROPOSED


# ---------------------------------------------------------------- recording


def test_record_sets_recorded_and_observed_on_and_tells_her(people, activity, django_capture_on_commit_callbacks):
    obs = agreed(people)
    with django_capture_on_commit_callbacks(execute=True):
        entry = record(people, obs, try_next=[TryNextSpec("প্রত্যেক দলে উপকরণ দিন।", activity_id=activity.pk)])
    obs.refresh_from_db()
    assert obs.status == S.RECORDED and obs.observed_on == dhaka_today()
    assert entry.strengths.startswith("শিশুরা") and entry.try_next.get().activity == activity
    assert Notification.objects.filter(recipient=people["teacher_rubi"], kind="observation_recorded").exists()


def test_strengths_required(people):
    obs = agreed(people)
    with pytest.raises(ValidationError) as exc:
        record(people, obs, strengths="   ")
    assert "strengths" in exc.value.error_dict and not ObservationEntry.objects.exists()


def test_at_most_three_things_to_try_each_linked(people, activity):
    obs = agreed(people)
    four = [TryNextSpec(f"চেষ্টা {n}", activity_id=activity.pk) for n in range(4)]
    with pytest.raises(ValidationError) as exc:
        record(people, obs, try_next=four)
    assert "too_many" in codes(exc.value)
    with pytest.raises(ValidationError) as exc:
        record(people, obs, try_next=[TryNextSpec("লিংক নেই")])
    assert "link" in codes(exc.value)
    with pytest.raises(ValidationError) as exc:
        record(people, obs, try_next=[TryNextSpec("দুটোই", activity_id=activity.pk, module_id=activity.module_id)])
    assert "link" in codes(exc.value)
    draft = ActivityFactory(module=ModuleFactory(course=CourseFactory(status=Course.Status.DRAFT)))
    with pytest.raises(ValidationError) as exc:
        record(people, obs, try_next=[TryNextSpec("খসড়া", activity_id=draft.pk)])
    assert "link_unpublished" in codes(exc.value)
    assert not ObservationEntry.objects.exists() and not TryNext.objects.exists()
    three = [TryNextSpec("এক", activity_id=activity.pk), TryNextSpec("দুই", module_id=activity.module_id),
             TryNextSpec("তিন", activity_id=activity.pk)]
    entry = record(people, obs, try_next=three)
    assert [t.position for t in entry.try_next.all()] == [1, 2, 3]


@pytest.mark.parametrize("ratings", [{"nonsense": "1"}, {"materials": "9"}, {"materials": 3}, ["materials"],
                                     {"materials": "low"}])
def test_ratings_checked_against_the_instrument(people, ratings):
    obs = agreed(people)
    with pytest.raises(ValidationError) as exc:
        record(people, obs, ratings=ratings)
    assert "ratings" in exc.value.error_dict and not ObservationEntry.objects.exists()


def test_teach_instrument_takes_low_medium_high_and_three_snapshots(people, teach):
    obs = agreed(people, instrument=teach)
    with pytest.raises(ValidationError):
        record(people, obs, ratings={"respect": "3"})
    with pytest.raises(ValidationError):
        record(people, obs, ratings={"respect": "high"}, snapshots=["high", "low", "medium", "high"])
    entry = record(people, obs, ratings={"respect": "high", "warm_words": "medium"},
                   snapshots=["high", "medium", "high"])
    assert entry.snapshots == ["high", "medium", "high"]


def test_snapshots_refused_on_an_instrument_without_them(people):
    obs = agreed(people)
    with pytest.raises(ValidationError):
        record(people, obs, snapshots=["high"])


def test_two_phones_two_entries_replay_one(people):
    obs = agreed(people)
    phone_a, phone_b = uuid.uuid4(), uuid.uuid4()
    first = record(people, obs, client_id=phone_a, strengths="প্রথম ফোন")
    assert record(people, obs, client_id=phone_a, strengths="আবার পাঠানো") == first
    second = record(people, obs, client_id=phone_b, strengths="দ্বিতীয় ফোন")
    assert second != first
    assert list(obs.entries.values_list("strengths", flat=True)) == ["প্রথম ফোন", "দ্বিতীয় ফোন"]
    obs.refresh_from_db()
    assert obs.status == S.RECORDED


def test_a_client_id_of_another_visit_is_refused(people, colleague):
    key = uuid.uuid4()
    record(people, agreed(people), client_id=key)
    other = services.observation_answer(
        actor=people["teacher_rubi"], answer="agree",
        observation=services.observation_propose(actor=colleague, teacher=people["teacher_rubi"],
                                                 proposed_on=dhaka_today()))
    with pytest.raises(ValidationError):
        services.observation_entry_add(actor=colleague, observation=other, strengths="ভালো", ratings={},
                                       try_next=[], client_id=key)
    assert ObservationEntry.objects.count() == 1


@pytest.mark.parametrize("who", ["teacher_rubi", "head_teacher_masuma", "officer_hatia"])
def test_only_the_observer_records(people, who):
    obs = agreed(people)
    with pytest.raises(PermissionDenied):
        record(people, obs, who=who)


def test_not_before_the_agreed_day(people):
    obs = agreed(people, proposed_on=dhaka_today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        record(people, obs)
    assert "too_early" in codes(exc.value)


# ---------------------------------------------------------------- follow-up and change since last time


def test_next_observation_follows_up_the_previous_things_to_try_and_shows_the_change(people, activity):
    first = agreed(people)
    record(people, first, ratings={"materials": "2", "pairs_groups": "3", "every_turn": "2"},
           try_next=[TryNextSpec("সবাইকে উপকরণ দিন", activity_id=activity.pk)])
    second = agreed(people, who="head_teacher_masuma")
    assert second.follows == first
    [thing] = selectors.things_to_follow_up(second)
    with pytest.raises(ValidationError):
        record(people, second, who="head_teacher_masuma", follow_up={"999999": "started"})
    with pytest.raises(ValidationError):
        record(people, second, who="head_teacher_masuma", follow_up={str(thing.pk): "brilliant"})
    record(people, second, who="head_teacher_masuma", follow_up={str(thing.pk): "done_well"},
           ratings={"materials": "4", "pairs_groups": "3", "every_turn": "1", "encourages": "3"})
    page = selectors.observation_page(second)
    assert [(row.thing.text, row.progress) for row in page.follow_up] == [("সবাইকে উপকরণ দিন", "done_well")]
    assert {c.item.code: c.change for c in page.changes} == {
        "materials": "up", "pairs_groups": "same", "every_turn": "down", "encourages": "new"}


def test_change_on_another_instrument_is_new(people, teach):
    record(people, agreed(people), ratings={"materials": "2"})
    second = agreed(people, who="head_teacher_masuma", instrument=teach)
    record(people, second, who="head_teacher_masuma", ratings={"respect": "high"})
    assert {c.change for c in selectors.observation_page(second).changes} == {"new"}


# ---------------------------------------------------------------- reply


def test_reply_after_recording_only_by_her(people, django_capture_on_commit_callbacks):
    obs = agreed(people)
    with pytest.raises(ValidationError):
        services.observation_reply(actor=people["teacher_rubi"], observation=obs, text="ধন্যবাদ")
    record(people, obs)
    with pytest.raises(PermissionDenied):
        services.observation_reply(actor=people["mentor_hatia"], observation=obs, text="?")
    with pytest.raises(ValidationError):
        services.observation_reply(actor=people["teacher_rubi"], observation=obs, text="  ")
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.observation_reply(actor=people["teacher_rubi"], observation=obs, text="ধন্যবাদ", client_id=key)
    assert services.observation_reply(actor=people["teacher_rubi"], observation=obs, text="x", client_id=key) == reply
    assert ObservationReply.objects.count() == 1
    assert Notification.objects.filter(recipient=people["mentor_hatia"], kind="observation_replied").exists()


def test_observed_on_is_dhaka_date_in_the_small_hours(people, dhaka_small_hours):
    obs = agreed(people)
    record(people, obs)
    obs.refresh_from_db()
    assert obs.observed_on == dhaka_today()
