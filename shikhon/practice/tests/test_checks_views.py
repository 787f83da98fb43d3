"""Learner-check pages: who sees what (every role, own and other place), the entry form (no JavaScript needed,
codes only, bad input gets sentences and stores nothing), the results page with the change since the baseline,
offline sync replays, and bounded queries."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import uuid
from typing import Any

import pytest
from django.urls import reverse

from shikhon.core.bangla import to_western_digits
from shikhon.core.clock import dhaka_today
from shikhon.practice import checks
from shikhon.practice.models import CheckResult, CheckRound, LearnerCheck
from shikhon.practice.services.checks import check_round_record
from shikhon.practice.tests.factories import CheckRoundFactory


@pytest.fixture
def numeracy(db):
    return LearnerCheck.objects.get(code="numeracy-g1-2", version=1)


def rubis_round(people, numeracy, **kwargs: Any) -> CheckRound:
    codes = checks.definition_of(numeracy).codes
    return check_round_record(actor=people["teacher_rubi"], learner_check=numeracy,
                              kind=kwargs.pop("kind", "baseline"), grade=1, section="ক",
                              held_on=kwargs.pop("held_on", dhaka_today()),
                              results=kwargs.pop("results", {"L01": dict.fromkeys(codes[:4], True),
                                                             "L02": {codes[0]: True}}))


def form_data(count: int = 3, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"client_id": str(uuid.uuid4()), "count": str(count), "kind": "baseline", "grade": "1",
                            "section": "ক", "held_on": dhaka_today().strftime("%d/%m/%Y")}
    for row in range(1, count + 1):
        data[f"code_{row}"] = f"L{row:02d}"
    data["r_1"] = ["R1", "C1", "A1"]
    data["r_2"] = ["R1"]
    data.update(extra)
    return data


def text(response) -> str:
    return to_western_digits(response.content.decode())


# ---------------------------------------------------------------- who sees what

@pytest.mark.parametrize(("who", "status"), [
    ("teacher_rubi", 200), ("head_teacher_masuma", 200), ("mentor_hatia", 200), ("officer_hatia", 200),
    ("officer_noakhali", 200), ("national_admin_nasrin", 200),
    ("teacher_of_other_school", 404), ("officer_other_upazila", 404), ("head_teacher_subarnachar", 404),
    ("researcher_tanvir", 404), ("no_role_user", 404), ("course_author_shirin", 404),
])
def test_a_round_page_for_each_role(client, people, numeracy, who, status):
    check_round = rubis_round(people, numeracy)
    client.force_login(people[who])
    response = client.get(check_round.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "L01" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("teacher_rubi", 200), ("head_teacher_masuma", 200), ("officer_hatia", 200), ("mentor_hatia", 200),
    ("teacher_of_other_school", 200), ("officer_other_upazila", 200),
    ("researcher_tanvir", 404), ("no_role_user", 404), ("course_author_shirin", 404),
])
def test_the_list_page_for_each_role(client, people, numeracy, who, status):
    check_round = rubis_round(people, numeracy)
    client.force_login(people[who])
    response = client.get(reverse("practice:checks"))
    assert response.status_code == status
    if status == 200:
        shown = check_round.get_absolute_url() in response.content.decode()
        assert shown == (who in {"teacher_rubi", "head_teacher_masuma", "officer_hatia", "mentor_hatia"})


@pytest.mark.parametrize(("who", "status"), [
    ("teacher_rubi", 200), ("head_teacher_masuma", 200), ("teacher_of_other_school", 200),
    ("officer_hatia", 404), ("officer_other_upazila", 404), ("researcher_tanvir", 404), ("no_role_user", 404),
])
def test_the_entry_form_is_for_teachers_at_a_school(client, people, numeracy, who, status):
    client.force_login(people[who])
    assert client.get(reverse("practice:check_new")).status_code == status
    assert client.post(reverse("practice:check_new"), form_data()).status_code == (302 if status == 200 else 404)
    assert not CheckRound.objects.exists() or who in {"teacher_rubi", "head_teacher_masuma", "teacher_of_other_school"}


def test_hidden_and_malformed_rounds_are_404(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    other = check_round_record(actor=people["teacher_of_other_school"], learner_check=numeracy, kind="baseline",
                               grade=2, section="", held_on=dhaka_today(), results={"A1": {"R1": True}})
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get("/practice/checks/999999/").status_code == 404


# ---------------------------------------------------------------- the form

def test_the_form_prefills_thirty_codes_and_works_without_javascript(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    response = client.get(reverse("practice:check_new") + "?kind=follow_up&grade=২&section=খ")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="L01"' in html and 'value="L30"' in html and 'value="L31"' not in html
    assert 'data-outbox-kind="practice_check_results"' in html
    assert 'value="follow_up" checked' in html or 'value="follow_up"\n' in html or "follow_up" in html
    assert html.count('type="checkbox"') == 30 * len(checks.definition_of(numeracy).items)
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert len(gzip.compress(response.content)) <= 14 * 1024


def test_the_number_of_rows_is_chosen(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    html = client.get(reverse("practice:check_new") + "?count=৫").content.decode()
    assert 'value="L05"' in html and 'value="L06"' not in html
    for junk in ("0", "999", "abc", "-3", "1e9"):
        assert client.get(reverse("practice:check_new") + f"?count={junk}").status_code == 200


def test_posting_the_form_saves_a_round(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    data = form_data(count=3, code_3="")  # row 3 emptied: skipped
    response = client.post(reverse("practice:check_new"), data)
    check_round = CheckRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == check_round.get_absolute_url()
    assert str(check_round.client_id) == data["client_id"]
    assert sorted(set(CheckResult.objects.values_list("learner_code", flat=True))) == ["L01", "L02"]
    assert set(CheckResult.objects.filter(learner_code="L01", correct=True).values_list("item", flat=True)) == {
        "R1", "C1", "A1"}
    # The same form sent again (a double tap): still one round.
    assert client.post(reverse("practice:check_new"), data).status_code == 302
    assert CheckRound.objects.count() == 1


@pytest.mark.parametrize(("changes", "sentence"), [
    ({"code_1": "Rahim"}, "Use a code for each learner, not a name (for example L01)."),
    ({"code_2": "রুবিনা"}, "Use a code for each learner, not a name (for example L01)."),
    ({"code_2": "L01"}, "The code L01 is used for two learners."),
    ({"code_1": ""}, "Row 1 has answers marked but no learner code."),
    ({"code_1": "", "code_2": "", "code_3": "", "r_1": [], "r_2": []}, "Mark the answers of at least one learner."),
    ({"grade": "5"}, "This check is for classes 1 to 2."),
    ({"grade": "x" * 5000}, "Type a whole number using digits."),
    ({"held_on": "99/99/9999"}, "This is not a date."),
    ({"held_on": (dhaka_today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")},
     "The date of the check cannot be in the future."),
    ({"kind": "follow_up"}, "A follow-up needs an earlier baseline"),
    ({"kind": "nope"}, "nope বৈধ"),  # Django's own sentence, in Bangla on a Bangla page
    ({"r_1": ["R1", "Z9"]}, "Z9 বৈধ"),
    ({"section": "ক" * 500}, "at most 20 characters"),
    ({"code_1": "L" * 5000}, "at most 40 characters"),
])
def test_bad_input_gets_a_sentence_and_stores_nothing(client, people, numeracy, changes, sentence):
    client.force_login(people["teacher_rubi"])
    response = client.post(reverse("practice:check_new"), form_data(**changes))
    assert response.status_code == 200
    assert sentence in text(response)
    assert not CheckRound.objects.exists()


def test_junk_posts_never_fail(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    for data in ({}, {"count": "x"}, {"count": "999"}, {"client_id": "nope", "count": "2"},
                 {**form_data(), "count": "-1"}, {**form_data(), "r_1": "R1" * 3000}):
        assert client.post(reverse("practice:check_new"), data).status_code == 200
    assert not CheckRound.objects.exists()


# ---------------------------------------------------------------- the results page

def test_the_results_page_shows_the_change_since_the_baseline(client, people, numeracy):
    learners = [f"L{n:02d}" for n in range(1, 11)]
    rubis_round(people, numeracy, held_on=dhaka_today() - dt.timedelta(days=60),
                results={c: {"R1": i < 2} for i, c in enumerate(learners)})
    follow_up = rubis_round(people, numeracy, kind="follow_up",
                            results={c: {"R1": i < 7} for i, c in enumerate(learners)})
    client.force_login(people["head_teacher_masuma"])
    response = client.get(follow_up.get_absolute_url())
    page = text(response)
    assert "Change since the baseline" in page
    assert "20%" in page and "70%" in page and "+50" in page
    assert '<meter min="0" max="100" value="70">' in response.content.decode()
    assert "L10" in page


def test_the_list_costs_the_same_for_two_rounds_and_twenty(client, people, numeracy, django_assert_max_num_queries):
    client.force_login(people["officer_hatia"])
    for _ in range(2):
        CheckRoundFactory(teacher=people["teacher_rubi"], learner_check=numeracy)
    with django_assert_max_num_queries(12) as two:
        client.get(reverse("practice:checks"))
    for _ in range(18):
        CheckRoundFactory(teacher=people["teacher_rubi"], learner_check=numeracy)
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get(reverse("practice:checks"))


def test_her_list_and_round_pages_are_bounded(client, people, numeracy, django_assert_max_num_queries):
    check_round = rubis_round(people, numeracy, held_on=dhaka_today() - dt.timedelta(days=9))
    rubis_round(people, numeracy, kind="follow_up")
    client.force_login(people["teacher_rubi"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("practice:checks")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(check_round.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------- offline

def sync(client, *items: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/sync/", data=json.dumps({"items": list(items)}), content_type="application/json")
    assert response.status_code == 200
    return response.json()["results"]


def item(fields: dict[str, Any], *, key: str | None = None, url: str = "/practice/checks/new/") -> dict[str, Any]:
    as_lists = {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    return {"id": key or str(uuid.uuid4()), "kind": "practice_check_results",
            "payload": {"url": url, "fields": as_lists}, "made_at": "2026-12-03T10:00:00Z"}


def test_a_replayed_round_is_made_once(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    fields = form_data()
    same = item(fields)
    statuses = [sync(client, same)[0]["status"] for _ in range(3)]  # the phone reconnects three times
    assert statuses == ["created", "duplicate", "duplicate"]
    # The same form kept twice on the phone (two outbox ids): the round's client id still makes one round.
    again = sync(client, item(fields))[0]
    assert again["round"] == CheckRound.objects.get().pk
    assert CheckRound.objects.count() == 1
    assert CheckResult.objects.filter(learner_code="L01", correct=True).count() == 3


def test_a_bad_offline_round_is_refused_with_a_sentence(client, people, numeracy):
    client.force_login(people["teacher_rubi"])
    for fields, sentence in (
        ({**form_data(), "code_1": "Rahim"}, "Use a code for each learner, not a name"),
        ({**form_data(), "kind": "follow_up"}, "needs an earlier baseline"),
    ):
        result = sync(client, item(fields))[0]
        assert sentence in to_western_digits(json.dumps(result, ensure_ascii=False))
    result = sync(client, item(form_data(), url="/practice/checks/"))[0]
    assert "does not exist" in json.dumps(result)
    bad = item(form_data())
    bad["payload"]["extra"] = 1
    assert "could not be read" in json.dumps(sync(client, bad)[0])
    assert not CheckRound.objects.exists()


def test_an_officer_cannot_sync_a_round(client, people, numeracy):
    client.force_login(people["officer_hatia"])
    result = sync(client, item(form_data()))[0]
    assert "Only a teacher working at a school" in json.dumps(result)
    assert not CheckRound.objects.exists()


def test_pages_in_english_show_the_english_prompts(client, people, numeracy):
    check_round = rubis_round(people, numeracy)
    client.cookies["django_language"] = "en"
    client.force_login(people["teacher_rubi"])
    form = client.get(reverse("practice:check_new")).content.decode()
    assert "Show the learner the number 7 and ask what it is." in form
    assert "Short numeracy check (classes 1–2)" in form
    assert "Short numeracy check" in client.get(check_round.get_absolute_url()).content.decode()
    assert "Short numeracy check" in client.get(reverse("practice:checks")).content.decode()


def test_counts_only_for_an_area(people, places, numeracy):
    from django.db.models import Q

    from shikhon.practice.selectors.checks import round_counts_in

    rubis_round(people, numeracy)
    assert round_counts_in(Q(upazila_id=places["hatia"].pk)) == (1, 2 * len(checks.definition_of(numeracy).items))
    assert round_counts_in(Q(upazila_id=places["subarnachar"].pk)) == (0, 0)
