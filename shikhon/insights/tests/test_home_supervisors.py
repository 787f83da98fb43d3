"""Head teachers', officers' and mentors' homes lead with what needs them (approvals, teachers to invite, batches
this week) and their area's funnel, each number linked to its list; every role gets its own home; query counts
are bounded per role."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from shikhon.insights.selectors import Funnel, area_funnel, national_funnel, progress_url

HOME = "/"
STAGES = ["teachers", "enrolled", "completed", "certified", "trained"]


@pytest.fixture
def story(people, study, certify, invite, train, make_batch):
    """Hatia: Rubi half-way, Masuma (head teacher) certified, Kamrun (other Hatia school) certified and invited.
    Subarnachar: Laila certified and trained. A batch meets this week in Hatia."""
    study(people["teacher_rubi"], passed=1, done=1)
    certify(people["head_teacher_masuma"])
    certify(people["teacher_of_other_school"])
    invite(people["teacher_of_other_school"])
    certify(people["teacher_subarnachar"])
    train(people["teacher_subarnachar"])
    make_batch(starts_in=2, title="এই সপ্তাহের ব্যাচ")
    return people


def _home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response, response.content.decode()


def _counts(funnel: Funnel) -> list[int]:
    return [stage.count for stage in funnel.stages]


@pytest.mark.parametrize("who, counts", [
    # teachers (current school roles: Rubi, Masuma, Kamrun in Hatia; Laila, Rahim in Subarnachar)
    ("head_teacher_masuma", [2, 2, 1, 1, 0]),          # her school: Rubi and herself
    ("officer_hatia", [3, 3, 2, 2, 0]),                # Hatia
    ("mentor_hatia", [3, 3, 2, 2, 0]),
    ("officer_other_upazila", [2, 1, 1, 1, 1]),        # Subarnachar: Laila trained
    ("officer_noakhali", [5, 4, 3, 3, 1]),             # the district holds both upazilas
    ("officer_chattagram", [5, 4, 3, 3, 1]),
    ("national_admin_nasrin", [5, 4, 3, 3, 1]),
    ("officer_sylhet_upazila", [0, 0, 0, 0, 0]),
])
def test_area_funnel_counts_distinct_people_of_her_area(story, people, who, counts):
    funnel = area_funnel(people[who])
    assert funnel is not None and _counts(funnel) == counts


@pytest.mark.parametrize("who", ["teacher_rubi", "teacher_pending_zahid", "course_author_shirin",
                                 "researcher_tanvir", "no_role_user"])
def test_no_area_no_funnel(people, who):
    assert area_funnel(people[who]) is None


def test_funnel_counts_in_four_queries_and_then_from_the_cache(story, people, django_assert_num_queries):
    from shikhon.people.scope import user_scope

    user_scope(people["officer_noakhali"])  # her scope is read once per request anyway
    with django_assert_num_queries(4):
        area_funnel(people["officer_noakhali"])
    with django_assert_num_queries(0):
        area_funnel(people["officer_noakhali"])


def test_each_funnel_number_links_to_its_list(client, story, people):
    response, html = _home(client, people["officer_hatia"])
    funnel = response.context["supervisor"].funnel
    assert [s.key for s in funnel.stages] == STAGES
    for stage in STAGES:
        assert f'href="{progress_url()}?stage={stage}"' in html
    assert progress_url() == "/progress/"


def test_head_teacher_leads_with_approvals_and_her_school_funnel(client, story, people):
    response, html = _home(client, people["head_teacher_masuma"])
    home = response.context["supervisor"]
    assert home.approvals == 1  # Zahid
    assert home.to_invite == 0 and home.this_week == []  # a head teacher does not organise batches
    assert html.index('id="needs"') < html.index('id="funnel"') < html.index('id="certificate"')
    assert reverse("people:approvals") in html
    assert "১ teacher is waiting for your approval." in html


def test_officer_sees_teachers_to_invite_and_the_batch_of_the_week(client, story, people, make_batch):
    response, html = _home(client, people["officer_hatia"])
    home = response.context["supervisor"]
    # Masuma is certified and not invited; Kamrun is invited already; Rubi is not certified.
    assert home.to_invite == 1
    week = [b.title for b in home.this_week]
    assert week == ["এই সপ্তাহের ব্যাচ"]
    assert home.invite_url == reverse("training:invite", kwargs={"pk": home.this_week[0].pk})
    assert f'href="{home.invite_url}"' in html
    assert reverse("training:batch", kwargs={"pk": home.this_week[0].pk}) in html
    assert "১ certified teacher can be invited to face-to-face training." in html


def test_officer_without_a_coming_batch_is_sent_to_make_one(client, people, certify, programme):
    certify(people["teacher_rubi"])
    response, _html = _home(client, people["officer_hatia"])
    assert response.context["supervisor"].invite_url == reverse("training:batch_new")


def test_officer_of_another_upazila_sees_none_of_hatias_people(client, story, people):
    response, _html = _home(client, people["officer_other_upazila"])
    home = response.context["supervisor"]
    assert home.to_invite == 0  # Laila is trained already
    assert home.this_week == []  # the Hatia batch is not his


def test_mentor_sees_the_funnel_but_invites_no_one(client, story, people):
    response, _html = _home(client, people["mentor_hatia"])
    home = response.context["supervisor"]
    assert home.funnel is not None and home.to_invite == 0 and home.invite_url == ""


def test_researcher_sees_the_national_funnel_without_lists(client, story, people):
    response, html = _home(client, people["researcher_tanvir"])
    funnel = response.context["research_funnel"]
    assert _counts(funnel) == [5, 4, 3, 3, 1] and not funnel.linked
    assert "?stage=" not in html
    assert response.context["supervisor"] is None and response.context["learner"] is None


def test_course_author_gets_her_authoring_tools(client, people):
    response, html = _home(client, people["course_author_shirin"])
    assert response.context["supervisor"] is None and response.context["learner"] is None
    assert reverse("author:courses") in html
    assert 'id="funnel"' not in html


def test_teacher_gets_no_supervisor_part(client, story, people):
    response, html = _home(client, people["teacher_rubi"])
    assert response.context["supervisor"] is None
    assert 'id="needs"' not in html and 'id="funnel"' not in html


def test_visitor_gets_the_welcome_page_with_the_courses(client, places):
    response = client.get(HOME)
    assert [t.name for t in response.templates][0] == "insights/welcome.html"
    html = response.content.decode()
    assert reverse("courses:catalogue") in html and reverse("people:register") in html


# Queries of a home page on a later visit (her person, scope, area counts, funnel, teachers to invite and course
# outline cached) and
# on a first one with every cache empty. Measured, plus a little room; none of them grows with the area.
BOUNDS = {
    "teacher_rubi": (9, 14), "head_teacher_masuma": (11, 18), "officer_hatia": (7, 19), "mentor_hatia": (5, 15),
    "officer_noakhali": (7, 19), "officer_chattagram": (7, 19), "national_admin_nasrin": (6, 18),
    "researcher_tanvir": (3, 10), "course_author_shirin": (3, 6), "no_role_user": (3, 6),
}


def test_home_queries_are_bounded_for_each_role(client, story, people, django_assert_max_num_queries):
    from django.core.cache import cache

    for who, (later, first) in BOUNDS.items():  # one story for all roles (it takes a few seconds to make)
        client.force_login(people[who])
        client.get(HOME)
        with django_assert_max_num_queries(later):
            assert client.get(HOME).status_code == 200, who
        cache.clear()
        with django_assert_max_num_queries(first):
            assert client.get(HOME).status_code == 200, who


def test_officer_home_queries_do_not_grow_with_the_area(client, story, people, certify, django_assert_max_num_queries):
    from shikhon.people.models import Role
    from shikhon.people.tests.factories import UserFactory, grant
    from shikhon.places.tests.factories import SchoolFactory

    for _ in range(6):
        teacher = UserFactory()
        grant(teacher, Role.Kind.TEACHER, school=SchoolFactory(upazila=people["officer_hatia"].roles.first().upazila))
        certify(teacher)
    client.force_login(people["officer_hatia"])
    client.get(HOME)
    with django_assert_max_num_queries(BOUNDS["officer_hatia"][0]):
        assert client.get(HOME).status_code == 200


def test_officer_home_is_light(client, story, people):
    _response, html = _home(client, people["national_admin_nasrin"])
    assert len(gzip.compress(html.encode())) <= 14 * 1024


def test_national_funnel_is_cached(story, django_assert_num_queries):
    national_funnel()
    with django_assert_num_queries(0):
        assert national_funnel().teachers == 5


# ---------------------------------------------------------- teachers to invite: counted once, forgotten on change

def _to_invite(people, who="officer_hatia"):
    from shikhon.training.selectors import teachers_to_invite_count

    return teachers_to_invite_count(people[who])


def test_teachers_to_invite_is_counted_then_read_from_the_cache(story, people, django_assert_max_num_queries,
                                                                django_assert_num_queries):
    from shikhon.people.scope import user_scope

    for who in ("officer_hatia", "officer_noakhali", "teacher_rubi"):
        user_scope(people[who])  # read once per request anyway
    with django_assert_max_num_queries(2):  # the programmes, the count
        assert _to_invite(people) == 1  # Masuma
    with django_assert_num_queries(0):
        assert _to_invite(people) == 1
    # Each area has its own count: the district holds Subarnachar too (Laila is trained: not to invite).
    assert _to_invite(people, "officer_noakhali") == 1
    assert _to_invite(people, "officer_other_upazila") == 0
    with django_assert_num_queries(0):
        assert _to_invite(people, "teacher_rubi") == 0  # no officer: nothing to count


def test_the_officer_home_reads_the_count_from_the_cache(client, story, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts(queries) -> list[str]:
        return [q["sql"] for q in queries
                if "training_invitation" in q["sql"] and "certificates_certificate" in q["sql"]]

    client.force_login(people["officer_hatia"])
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME)
    assert len(counts(ctx.captured_queries)) == 1  # counted on the first visit
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).context["supervisor"].to_invite == 1
    assert counts(ctx.captured_queries) == [], "the count was made again"


def test_training_writes_forget_the_count_at_once(story, people, make_batch, django_capture_on_commit_callbacks):
    from shikhon.training import services
    from shikhon.training.models import Invitation

    officer, masuma = people["officer_hatia"], people["head_teacher_masuma"]
    assert _to_invite(people) == 1
    batch = make_batch(starts_in=20, title="নতুন ব্যাচ")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=officer, batch=batch, teacher_ids=[masuma.pk])
    assert _to_invite(people) == 0  # invited: not someone to invite any more
    invitation = Invitation.objects.get(batch=batch, teacher=masuma)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_respond(actor=masuma, invitation=invitation, accept=False)
    assert _to_invite(people) == 1  # she declined: she may be invited to another batch
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_respond(actor=masuma, invitation=invitation, accept=True)
    assert _to_invite(people) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_cancel(actor=officer, batch=batch, reason="ভেন্যু পাওয়া যায়নি।")
    assert _to_invite(people) == 1  # the batch is cancelled: her place is gone


def test_a_refused_write_keeps_the_count(story, people, make_batch, django_capture_on_commit_callbacks,
                                         django_assert_num_queries):
    """The generation changes after a commit only: a refused write (nothing stored) does not forget the count."""
    from django.core.exceptions import ValidationError

    from shikhon.training import services

    batch = make_batch(starts_in=20, title="নতুন ব্যাচ")
    assert _to_invite(people) == 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitations_send(actor=people["officer_hatia"], batch=batch, teacher_ids=[people["teacher_rubi"].pk])
    with django_assert_num_queries(0):
        assert _to_invite(people) == 1


def test_a_lost_generation_is_never_taken_for_the_old_one(story, people, make_batch):
    """The cache may drop the generation (evicted, restarted): a count stored before is not trusted again."""
    from django.core.cache import cache

    from shikhon.training.models import Invitation
    from shikhon.training.selectors import _TO_INVITE_GENERATION

    assert _to_invite(people) == 1
    batch = make_batch(starts_in=20, title="নতুন ব্যাচ")
    masuma = people["head_teacher_masuma"]
    school = masuma.roles.first().school
    # Written past the services (as the demo's bulk data is), then the generation lost.
    Invitation.objects.create(batch=batch, teacher=masuma, school_id=school.pk, upazila_id=school.upazila_id,
                              district_id=school.district_id, division_id=school.division_id)
    cache.delete(_TO_INVITE_GENERATION)
    assert _to_invite(people) == 0


def test_changes_made_elsewhere_show_within_the_timeout(story, people, certify, monkeypatch):
    """A certificate issued (certificates' write, not training's) shows once the count's short timeout ends."""
    import time
    import types

    from django.core.cache.backends import locmem

    from shikhon.training.selectors import TO_INVITE_SECONDS

    assert _to_invite(people) == 1
    certify(people["teacher_rubi"])
    assert _to_invite(people) == 1  # still the count of a moment ago
    later = time.time() + TO_INVITE_SECONDS + 1
    monkeypatch.setattr(locmem, "time", types.SimpleNamespace(time=lambda: later))
    assert _to_invite(people) == 2  # Masuma and Rubi
    assert TO_INVITE_SECONDS <= 120
