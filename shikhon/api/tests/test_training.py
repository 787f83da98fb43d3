"""Training in the API: programmes, the batches each role may see, her invitations with accept and decline —
through training's selectors and services (the invitation page's own), answers checked against the document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shikhon.api.tests.conftest import ApiClient, assert_error
from shikhon.courses.tests.factories import CourseFactory
from shikhon.training import services
from shikhon.training.models import Batch, Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(title="আনন্দে গণিত শিখি", slug="anonde-gonit")


@pytest.fixture
def programme(people, course):
    return services.programme_save(actor=people["national_admin_nasrin"], title="আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ",
                                   description="ছয় দিনের প্রশিক্ষণ", required_course=course, days=6)


@pytest.fixture
def open_programme(people):
    """A programme that asks for no certificate, so teachers are invited without one (certificates are
    tested in certificates and training)."""
    return services.programme_save(actor=people["national_admin_nasrin"], title="শ্রেণিকক্ষ ব্যবস্থাপনা",
                                   required_course=None, days=3)


@pytest.fixture
def make_batch(people, places, open_programme):
    def make(*, starts_in: int = 3):
        starts = timezone.localdate() + dt.timedelta(days=starts_in)
        return services.batch_save(actor=people["officer_hatia"], programme=open_programme, title="হাতিয়া ব্যাচ ১",
                                   upazila=places["hatia"], venue="উপজেলা রিসোর্স সেন্টার, হাতিয়া", starts_on=starts,
                                   ends_on=starts + dt.timedelta(days=2), capacity=30)

    return make


def as_(client, people, token_of, who: str) -> ApiClient:
    return ApiClient(client, token_of(people[who]))


@pytest.fixture
def invited(people, make_batch) -> Invitation:
    batch = make_batch()
    services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=[people["teacher_rubi"].pk])
    return Invitation.objects.get(teacher=people["teacher_rubi"])


def test_programmes_for_any_caller(client, people, token_of, programme, course):
    body = as_(client, people, token_of, "teacher_rubi").get("/training/programmes").json()
    assert body["count"] == 1
    assert body["items"][0]["required_course"] == {"slug": course.slug, "title": course.title}
    assert_error(ApiClient(client, None).get("/training/programmes"), 401, "not_authenticated")


@pytest.mark.parametrize("who, sees, summary", [
    ("teacher_rubi", True, False),             # invited to it
    ("officer_hatia", True, True),             # organises it
    ("officer_noakhali", True, True),          # district officer over its upazila
    ("national_admin_nasrin", True, True),
    ("head_teacher_masuma", False, False),     # not invited
    ("teacher_of_other_school", False, False),
    ("officer_other_upazila", False, False),
])
def test_batches_each_role_sees(client, people, token_of, invited, who, sees, summary):
    api = as_(client, people, token_of, who)
    listed = [b["id"] for b in api.get("/training/batches").json()["items"]]
    batch_id = invited.batch_id
    assert (batch_id in listed) is sees
    response = api.get(f"/training/batches/{batch_id}")
    if not sees:
        assert_error(response, 404, "not_found")
        return
    body = response.json()
    assert (body["summary"] is not None) is summary
    if summary:
        assert body["summary"]["invited"] == 1
    assert body["my_invitation"] == (invited.pk if who == "teacher_rubi" else None)


def test_unknown_and_malformed_batch_ids(client, people, token_of):
    api = as_(client, people, token_of, "officer_hatia")
    assert_error(api.get("/training/batches/999999"), 404, "not_found")
    assert_error(api.get("/training/batches/abc"), 422, "invalid")


def test_her_invitations_accept_and_decline(client, people, token_of, invited):
    rubi = as_(client, people, token_of, "teacher_rubi")
    body = rubi.get("/me/invitations").json()
    assert [i["id"] for i in body["items"]] == [invited.pk]
    assert body["items"][0]["status"] == "invited" and body["items"][0]["may_answer"] is True
    assert rubi.post(f"/me/invitations/{invited.pk}/accept").json()["status"] == "accepted"
    assert rubi.post(f"/me/invitations/{invited.pk}/decline").json()["status"] == "declined"
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.DECLINED and invited.responded_at is not None


@pytest.mark.parametrize("who", ["head_teacher_masuma", "officer_hatia", "teacher_of_other_school",
                                 "officer_other_upazila"])
def test_another_persons_invitation_is_404(client, people, token_of, invited, who):
    api = as_(client, people, token_of, who)
    assert_error(api.get(f"/me/invitations/{invited.pk}"), 404, "not_found")
    assert_error(api.post(f"/me/invitations/{invited.pk}/accept"), 404, "not_found")
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.INVITED


def test_answering_after_the_start_is_409_with_the_sentence(client, people, token_of, invited):
    Batch.objects.filter(pk=invited.batch_id).update(starts_on=timezone.localdate() - dt.timedelta(days=1))
    rubi = as_(client, people, token_of, "teacher_rubi")
    assert rubi.get(f"/me/invitations/{invited.pk}").json()["may_answer"] is False
    error = assert_error(rubi.post(f"/me/invitations/{invited.pk}/accept", HTTP_ACCEPT_LANGUAGE="en"), 409,
                         "conflict")
    assert error["message"].startswith("This training has already started")
    assert error["details"]["reason"] == "started"
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.INVITED


def test_anonymous_callers_get_401(client, invited):
    api = ApiClient(client, None)
    for path in ("/training/batches", f"/training/batches/{invited.batch_id}", "/me/invitations",
                 f"/me/invitations/{invited.pk}"):
        assert_error(api.get(path), 401, "not_authenticated")
    assert_error(api.post(f"/me/invitations/{invited.pk}/accept"), 401, "not_authenticated")


def test_list_query_counts_are_bounded(client, people, token_of, make_batch, programme,
                                       django_assert_max_num_queries):
    officer = as_(client, people, token_of, "officer_hatia")
    rubi = as_(client, people, token_of, "teacher_rubi")
    for n in range(8):
        batch = make_batch(starts_in=3 + n)
        if n == 0:
            services.invitations_send(actor=people["officer_hatia"], batch=batch,
                                      teacher_ids=[people["teacher_rubi"].pk])
    officer.get("/training/batches")
    rubi.get("/me/invitations")
    with django_assert_max_num_queries(4):  # token, scope, count, page
        assert officer.get("/training/batches").json()["count"] == 8
    with django_assert_max_num_queries(3):  # token, count, page
        assert rubi.get("/me/invitations").json()["count"] == 1
    with django_assert_max_num_queries(3):
        assert officer.get("/training/programmes").json()["count"] == 2


# ---------------------------------------------------------- the batch page's rules, through training's selectors

@pytest.mark.parametrize("who", ["teacher_rubi", "officer_hatia", "officer_noakhali", "national_admin_nasrin",
                                 "mentor_hatia", "head_teacher_masuma", "officer_other_upazila", "researcher_tanvir"])
def test_batch_summary_follows_the_batch_page(client, people, token_of, invited, who):
    """The API shows a batch's counts exactly to those the batch page shows its sheet to (a trainer too, here the
    mentor), the invited teacher gets her invitation instead (the page sends her there), others 404 on both."""
    batch = invited.batch
    batch.trainers.add(people["mentor_hatia"])
    page_client = type(client)()
    page_client.force_login(people[who])
    page = page_client.get(f"/training/batches/{batch.pk}/")
    response = as_(client, people, token_of, who).get(f"/training/batches/{batch.pk}")
    if page.status_code == 404:
        assert_error(response, 404, "not_found")
        return
    body = response.json()
    if page.status_code == 302:  # her invitation's page: no sheet
        assert page["Location"].endswith(f"/invitations/{invited.pk}/")
        assert body["summary"] is None and body["my_invitation"] == invited.pk
    else:
        assert page.status_code == 200
        assert body["summary"] == {"invited": 1, "accepted": 0, "declined": 0, "attended": 0, "completed": 0}


def test_a_withdrawn_invitation_may_not_be_answered(client, people, token_of, invited):
    """`may_answer` is training's own rule (`selectors.invitation_may_answer`), the one the service keeps: a
    withdrawn invitation says no, and answering it is a 409 with the service's sentence."""
    services.invitation_withdraw(actor=people["officer_hatia"], invitation=invited, reason="ভেন্যু বদলেছে।")
    rubi = as_(client, people, token_of, "teacher_rubi")
    assert rubi.get(f"/me/invitations/{invited.pk}").json()["may_answer"] is False
    error = assert_error(rubi.post(f"/me/invitations/{invited.pk}/accept", HTTP_ACCEPT_LANGUAGE="en"), 409,
                         "conflict")
    assert error["details"]["reason"] == "cancelled"
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.CANCELLED


def _queries(api: ApiClient, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.get(path)  # her token and scope warm, as on any later call
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path, {"limit": 100}).status_code == 200
    return len(ctx.captured_queries)


def _invite_rubi_to(people, make_batch, n: int) -> None:
    """n batches (one programme: made directly, since the service lets her hold one place per programme), each
    with Rubi invited and Selina (the mentor) as trainer."""
    school = people["teacher_rubi"].roles.first().school
    for _ in range(n):
        batch = make_batch(starts_in=3 + Batch.objects.count())
        Invitation.objects.create(batch=batch, teacher=people["teacher_rubi"], invited_by=people["officer_hatia"],
                                  school_id=school.pk, upazila_id=school.upazila_id, district_id=school.district_id,
                                  division_id=school.division_id)
        batch.trainers.add(people["mentor_hatia"])


@pytest.mark.parametrize(("who", "path"), [
    ("teacher_rubi", "/me/invitations"), ("teacher_rubi", "/training/batches"), ("mentor_hatia", "/training/batches"),
    ("officer_hatia", "/training/batches"), ("national_admin_nasrin", "/training/batches"),
    ("teacher_rubi", "/training/programmes"),
])
def test_lists_cost_the_same_for_2_rows_and_10(client, people, token_of, make_batch, who, path):
    api = as_(client, people, token_of, who)
    _invite_rubi_to(people, make_batch, 2)
    services.programme_save(actor=people["national_admin_nasrin"], title="দ্বিতীয় প্রোগ্রাম", required_course=None,
                            days=2)
    few = _queries(api, path)
    assert api.get(path).json()["count"] == 2
    _invite_rubi_to(people, make_batch, 8)
    for n in range(8):
        services.programme_save(actor=people["national_admin_nasrin"], title=f"প্রোগ্রাম {n}", required_course=None,
                                days=2)
    assert _queries(api, path) == few
    assert api.get(path, {"limit": 100}).json()["count"] == 10
