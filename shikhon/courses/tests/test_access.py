"""access_<thing> in courses.selectors: the one way a page loads a course, module, activity, quiz, question or
attempt for a person, on the learning and the authoring pages. Missing, malformed and forbidden are the same
404."""

from __future__ import annotations

import pytest
from django.http import Http404

from shikhon.courses import selectors, services
from shikhon.courses.models import Course
from shikhon.courses.permissions import can_author
from shikhon.courses.tests.factories import course_with_content, do_activities

pytestmark = pytest.mark.django_db
MISSING = 987_654
MALFORMED = [MISSING, 0, -1, "-1", "abc", "", None, "1.5", 2**64, str(2**64)]
EVERYONE = ["teacher_rubi", "head_teacher_masuma", "teacher_of_other_school", "teacher_subarnachar", "mentor_hatia",
            "officer_hatia", "officer_other_upazila", "officer_sylhet_upazila", "researcher_tanvir", "no_role_user",
            "course_author_shirin", "national_admin_nasrin"]
AUTHORS = ["course_author_shirin", "national_admin_nasrin"]
NOT_AUTHORS = [who for who in EVERYONE if who not in AUTHORS]


def raises_404(call, *args, **kwargs):
    with pytest.raises(Http404):
        call(*args, **kwargs)


def parts(course: Course):
    module = course.modules.order_by("position")[0]
    activity = module.activities.order_by("position")[0]
    quiz = module.quiz
    question = quiz.questions.order_by("position")[0]
    return module, activity, quiz, question


def learner_reads(user, course: Course) -> list:
    """What each learner access answers for the first module of `course`."""
    module, activity, quiz, question = parts(course)
    return [selectors.access_course(user, course.slug).course, selectors.access_module(user, module.pk),
            selectors.access_activity(user, activity.pk),
            selectors.access_activity_to_study(user, activity.pk).activity,
            selectors.access_activity_by_code(user, activity.short_code), selectors.access_quiz(user, quiz.pk),
            selectors.access_question(user, question.pk)]


def learner_accesses(course: Course) -> list[tuple]:
    module, activity, quiz, question = parts(course)
    return [(selectors.access_course, course.slug), (selectors.access_module, module.pk),
            (selectors.access_activity, activity.pk), (selectors.access_activity_to_study, activity.pk),
            (selectors.access_activity_by_code, activity.short_code), (selectors.access_quiz, quiz.pk),
            (selectors.access_question, question.pk)]


@pytest.fixture
def course(db):
    return course_with_content(modules=2, activities=2)


@pytest.fixture
def draft(db):
    return course_with_content(modules=1, activities=1, status=Course.Status.DRAFT)


# ------------------------------------------------------------------------------------ learning pages

@pytest.mark.parametrize("who", EVERYONE)
def test_a_published_course_opens_to_everyone_signed_in(people, course, who):
    module, activity, quiz, question = parts(course)
    assert learner_reads(people[who], course) == [course, module, activity, activity, activity, quiz, question]
    assert selectors.access_course_to_enrol(people[who], course.slug) == course


def test_what_is_loaded_with_the_row(people, course, django_assert_num_queries):
    rubi = people["teacher_rubi"]
    module, activity, _quiz, _question = parts(course)
    can_author(rubi)  # her roles are read once (people.scope), before what is counted
    with django_assert_num_queries(1):
        loaded = selectors.access_activity(rubi, activity.pk)
        assert (loaded.module.course, loaded.module) == (course, module)
    with django_assert_num_queries(1):
        assert selectors.access_module(rubi, module.pk).course == course
    with django_assert_num_queries(1):
        assert selectors.access_quiz(rubi, module.quiz.pk).module.course == course


@pytest.mark.parametrize("who", NOT_AUTHORS)
def test_a_draft_course_is_404_to_everyone_but_authors(people, draft, who):
    for access, key in learner_accesses(draft):
        raises_404(access, people[who], key)
    raises_404(selectors.access_course_to_enrol, people[who], draft.slug)


@pytest.mark.parametrize("who", AUTHORS)
def test_authors_open_a_draft_but_cannot_enrol_in_it(people, draft, who):
    module, activity, quiz, question = parts(draft)
    assert learner_reads(people[who], draft) == [draft, module, activity, activity, activity, quiz, question]
    raises_404(selectors.access_course_to_enrol, people[who], draft.slug)


def test_a_retired_version_stays_open_to_the_one_enrolled_only(people, course):
    rubi = people["teacher_rubi"]
    enrolment = services.enrolment_create(actor=rubi, course=course)
    Course.objects.filter(pk=course.pk).update(status=Course.Status.RETIRED)
    course.refresh_from_db()
    module, activity, quiz, question = parts(course)
    assert learner_reads(rubi, course) == [course, module, activity, activity, activity, quiz, question]
    assert selectors.access_course(rubi, course.slug) == (course, enrolment)
    assert selectors.access_activity_to_study(rubi, activity.pk) == (activity, enrolment)
    raises_404(selectors.access_course_to_enrol, rubi, course.slug)
    for who in ("teacher_of_other_school", "head_teacher_masuma", "officer_hatia", "officer_other_upazila"):
        for access, key in learner_accesses(course):
            raises_404(access, people[who], key)


@pytest.mark.parametrize("raw", MALFORMED)
def test_missing_or_malformed_ids_are_404(people, course, raw):
    admin = people["national_admin_nasrin"]  # who sees every course: only the id can be wrong
    for access in (selectors.access_module, selectors.access_activity, selectors.access_activity_to_study,
                   selectors.access_quiz, selectors.access_question, selectors.access_attempt,
                   selectors.access_course_for_authoring, selectors.access_module_for_authoring,
                   selectors.access_activity_for_authoring, selectors.access_question_for_authoring):
        raises_404(access, admin, raw)
    raises_404(selectors.access_attempt, admin, raw, to="submit")


@pytest.mark.parametrize("raw", ["no-such-course", "", None, "a b", "x" * 200, "course/1", 12, "কোর্স"])
def test_missing_or_malformed_slugs_and_codes_are_404(people, course, raw):
    admin = people["national_admin_nasrin"]
    raises_404(selectors.access_course, admin, raw)
    raises_404(selectors.access_course_to_enrol, admin, raw)
    raises_404(selectors.access_activity_by_code, admin, raw)
    assert selectors.activity_by_code(admin, raw) is None


def test_a_short_code_is_found_as_typed(people, course):
    _module, activity, _quiz, _question = parts(course)
    typed = "-".join(activity.short_code.lower())
    assert selectors.access_activity_by_code(people["teacher_rubi"], typed) == activity


def test_the_activity_page_stays_on_the_cached_fast_path(people, course, django_assert_num_queries):
    """A published version's activity from the cache: its course row and her enrolment, nothing more."""
    rubi = people["teacher_rubi"]
    enrolment = services.enrolment_create(actor=rubi, course=course)
    _module, activity, _quiz, _question = parts(course)
    selectors.access_activity_to_study(rubi, activity.pk)  # fills the cache
    with django_assert_num_queries(2):
        assert selectors.access_activity_to_study(rubi, activity.pk) == (activity, enrolment)


def test_attempts_are_hers_only(people, course):
    rubi = people["teacher_rubi"]
    services.enrolment_create(actor=rubi, course=course)
    _module, _activity, quiz, _question = parts(course)
    do_activities(rubi, quiz.module)
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    seen = selectors.access_attempt(rubi, attempt.pk)
    assert seen == attempt and seen.quiz.module.course == course and seen.enrolment.user == rubi
    light = selectors.access_attempt(rubi, attempt.pk, to="submit")
    assert light == attempt and light.quiz_id == quiz.pk and light.get_deferred_fields()
    for who in ("teacher_of_other_school", "head_teacher_masuma", "officer_hatia", "officer_other_upazila",
                "course_author_shirin", "national_admin_nasrin"):
        raises_404(selectors.access_attempt, people[who], attempt.pk)
        raises_404(selectors.access_attempt, people[who], attempt.pk, to="submit")


# ----------------------------------------------------------------------------------- authoring pages

def authoring_reads(user, course: Course) -> list:
    module, activity, _quiz, question = parts(course)
    return [selectors.access_course_for_authoring(user, course.pk),
            selectors.access_module_for_authoring(user, module.pk),
            selectors.access_activity_for_authoring(user, activity.pk),
            selectors.access_question_for_authoring(user, question.pk)]


@pytest.mark.parametrize("who", AUTHORS)
@pytest.mark.parametrize("status", [Course.Status.DRAFT, Course.Status.REVIEW, Course.Status.PUBLISHED,
                                    Course.Status.RETIRED])
def test_authors_and_national_admins_author_every_version(people, who, status):
    course = course_with_content(modules=1, activities=1, status=status)
    module, activity, _quiz, question = parts(course)
    assert authoring_reads(people[who], course) == [course, module, activity, question]


@pytest.mark.parametrize("who", NOT_AUTHORS)
def test_everyone_else_gets_404_on_the_authoring_pages(people, course, draft, who):
    for version in (course, draft):
        module, activity, _quiz, question = parts(version)
        raises_404(selectors.access_course_for_authoring, people[who], version.pk)
        raises_404(selectors.access_module_for_authoring, people[who], module.pk)
        raises_404(selectors.access_activity_for_authoring, people[who], activity.pk)
        raises_404(selectors.access_question_for_authoring, people[who], question.pk)


def test_an_author_who_may_not_review_still_gets_403_on_the_reviewers_actions(client, people, draft):
    """The course is hers to see (not a 404): the refusal is about the action, as before."""
    from django.urls import reverse

    draft.status = Course.Status.REVIEW
    draft.save(update_fields=["status"])
    client.force_login(people["course_author_shirin"])
    assert client.post(reverse("author:course_publish", args=[draft.pk])).status_code == 403
    assert client.post(reverse("author:course_return", args=[draft.pk]), {"note": "x"}).status_code == 403
    assert client.post(reverse("author:course_publish", args=[MISSING])).status_code == 404
    client.force_login(people["teacher_rubi"])
    assert client.post(reverse("author:course_publish", args=[draft.pk])).status_code == 404
    assert client.get(reverse("transfer:export", args=[draft.pk])).status_code == 404


# ------------------------------------------------------------- videos (media.selectors.access_video)
# Courses opens the videos of the courses a person may open to her (a scope it registers with media).

def _video_in(status: str, uploader) -> tuple[Course, object]:
    import uuid

    from shikhon.media.models import Video

    public_id = uuid.uuid4()
    video = Video.objects.create(public_id=public_id, uploaded_by=uploader, status=Video.Status.READY,
                                 low=f"videos/{public_id}/low.mp4")
    course = course_with_content(modules=1, activities=1, status=status)
    activity = parts(course)[1]
    activity.video = video
    activity.save(update_fields=["video"])
    return course, video


@pytest.mark.parametrize("who", EVERYONE)
def test_a_published_course_s_video_is_for_everyone_signed_in(people, who):
    from shikhon.media.selectors import access_video

    _course, video = _video_in(Course.Status.PUBLISHED, people["course_author_shirin"])
    assert access_video(people[who], video.public_id, file="low") == video


def test_a_draft_course_s_video_is_404_to_teachers_and_officers(people):
    from shikhon.media.selectors import access_video

    _course, video = _video_in(Course.Status.DRAFT, people["course_author_shirin"])
    for who in NOT_AUTHORS:
        raises_404(access_video, people[who], video.public_id)
    for who in AUTHORS:
        assert access_video(people[who], video.public_id) == video


def test_a_retired_course_s_video_stays_open_to_the_one_enrolled(people):
    from shikhon.media.selectors import access_video

    course, video = _video_in(Course.Status.PUBLISHED, people["course_author_shirin"])
    services.enrolment_create(actor=people["teacher_rubi"], course=course)
    Course.objects.filter(pk=course.pk).update(status=Course.Status.RETIRED)
    assert access_video(people["teacher_rubi"], video.public_id) == video
    for who in ("teacher_of_other_school", "officer_other_upazila"):
        raises_404(access_video, people[who], video.public_id)
