"""Quiz attempts: start rules, random draws, server scoring of every kind, refusals, completion once."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shikhon.courses import selectors, services
from shikhon.courses.models import Enrolment, Question, QuizAttempt
from shikhon.courses.signals import course_completed
from shikhon.courses.tests.factories import add_question, course_with_content, do_activities

K = Question.Kind


@pytest.fixture
def course(db):
    return course_with_content(modules=2, activities=1, kinds=(K.SINGLE, K.MULTIPLE, K.TRUE_FALSE, K.NUMERIC))


@pytest.fixture
def rubi(people, course):
    """Enrolled, with module 1's activities done (its quiz needs them first)."""
    services.enrolment_create(actor=people["teacher_rubi"], course=course)
    do_activities(people["teacher_rubi"], list(course.modules.all())[0])
    return people["teacher_rubi"]


def quiz_of(course, index=0):
    return list(course.modules.all())[index].quiz


def right_answers(attempt):
    answers = {}
    for question, choices in selectors.attempt_questions(attempt):
        if question.kind == K.NUMERIC:
            answers[str(question.pk)] = [str(question.numeric_answer)]
        else:
            answers[str(question.pk)] = [str(c.pk) for c in choices if c.is_correct]
    return answers


def question_of(attempt, kind):
    return next(q for q, _c in selectors.attempt_questions(attempt) if q.kind == kind)


# ------------------------------------------------------------------------------------------------ start

def test_start_requires_enrolment(people, course):
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_start(actor=people["teacher_of_other_school"], quiz=quiz_of(course))
    assert err.value.code == "not_enrolled"


def test_start_reuses_the_open_attempt(rubi, course):
    first = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    assert services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course)).pk == first.pk
    assert QuizAttempt.objects.count() == 1
    assert first.number == 1 and first.expires_at is None


def test_start_stores_all_questions_shuffled_with_choice_order(rubi, course):
    quiz = quiz_of(course)
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    assert sorted(attempt.question_ids) == sorted(quiz.questions.values_list("pk", flat=True))
    for question in quiz.questions.all():
        assert sorted(attempt.choice_order[str(question.pk)]) == sorted(question.choices.values_list("pk", flat=True))


def test_start_draws_questions_per_attempt_at_random(rubi, course):
    quiz = quiz_of(course)
    for i in range(8):
        add_question(quiz, K.SINGLE, position=10 + i)
    quiz.questions_per_attempt = 3
    quiz.save()
    drawn = set()
    orders = set()
    for _ in range(12):
        attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
        assert len(attempt.question_ids) == 3 == len(set(attempt.question_ids))
        drawn.update(attempt.question_ids)
        orders.add(tuple(attempt.question_ids))
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
    assert len(drawn) > 3, "the same three questions were drawn every time"
    assert len(orders) > 1


def test_choices_are_shuffled(rubi, course):
    quiz = quiz_of(course)
    question = add_question(quiz, K.MULTIPLE, position=20)
    orders = set()
    for _ in range(15):
        attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
        orders.add(tuple(attempt.choice_order[str(question.pk)]))
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
    assert len(orders) > 1


def test_attempt_limit(rubi, course):
    quiz = quiz_of(course)
    quiz.max_attempts = 2
    quiz.save()
    for _ in range(2):
        attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_start(actor=rubi, quiz=quiz)
    assert err.value.code == "no_attempts_left"
    assert QuizAttempt.objects.count() == 2


def test_retake_wait(rubi, course):
    quiz = quiz_of(course)
    quiz.retake_wait_minutes = 30
    quiz.save()
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_start(actor=rubi, quiz=quiz)
    assert err.value.code == "wait"
    assert "30" in err.value.messages[0] or "৩০" in err.value.messages[0]
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - dt.timedelta(minutes=31))
    assert services.quiz_attempt_start(actor=rubi, quiz=quiz).number == 2


def test_time_limit_sets_expiry_and_a_late_answer_is_refused(rubi, course):
    quiz = quiz_of(course)
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    assert attempt.expires_at == attempt.started_at + dt.timedelta(minutes=10)
    expired = timezone.now() - dt.timedelta(minutes=5)
    QuizAttempt.objects.filter(pk=attempt.pk).update(expires_at=expired)
    for source in QuizAttempt.Source.values:  # sent late from the page or from a phone's outbox
        with pytest.raises(ValidationError) as err:
            services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt), source=source)
        assert err.value.code == "deadline_passed"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    # An expired attempt is not reused: a new one starts.
    assert services.quiz_attempt_start(actor=rubi, quiz=quiz).number == 2


def test_within_the_grace_the_answer_counts(rubi, course):
    quiz = quiz_of(course)
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=30))
    assert services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt)).passed


# ---------------------------------------------------------------------------------------------- scoring

def test_all_right_scores_100(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    result = services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt))
    assert (result.correct_count, result.score_percent, result.passed) == (4, 100, True)
    assert result.submitted_at is not None and result.source == QuizAttempt.Source.ONLINE


def test_unanswered_is_wrong(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    result = services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
    assert (result.correct_count, result.score_percent, result.passed) == (0, 0, False)


@pytest.mark.parametrize("typed, right", [
    ("১২", True), ("12", True), (" ১ ২ ", True), ("+12", True), ("১২.০", True), ("12.000", True),
    ("১৩", False), ("-12", False), ("", False),
])
def test_numeric_accepts_bangla_digits(rubi, course, typed, right):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    answers = right_answers(attempt)
    answers[str(question_of(attempt, K.NUMERIC).pk)] = [typed]
    result = services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers)
    assert result.correct_count == (4 if right else 3)


def test_numeric_tolerance(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    question = question_of(attempt, K.NUMERIC)
    question.numeric_answer, question.numeric_tolerance = Decimal("12.5"), Decimal("0.5")
    question.save()
    answers = right_answers(attempt)
    answers[str(question.pk)] = ["১২.৯"]
    assert services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers).correct_count == 4


@pytest.mark.parametrize("typed", ["twelve", "১২abc", "1.2.3", "NaN", "Infinity", "1e3"])
def test_numeric_not_a_number_is_refused(rubi, course, typed):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    answers = right_answers(attempt)
    answers[str(question_of(attempt, K.NUMERIC).pk)] = [typed]
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers)
    assert err.value.code == "invalid_answer"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score_percent is None


def test_multiple_needs_the_exact_set(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    question = question_of(attempt, K.MULTIPLE)
    correct = [str(c.pk) for c in question.choices.all() if c.is_correct]
    wrong = [str(c.pk) for c in question.choices.all() if not c.is_correct]
    for chosen, expected in ((correct[:1], 3), (correct + wrong[:1], 3)):
        trial = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
        answers = right_answers(trial)
        answers[str(question.pk)] = chosen
        assert services.quiz_attempt_submit(actor=rubi, attempt=trial, answers=answers).correct_count == expected


def test_single_and_true_false(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    answers = right_answers(attempt)
    for kind in (K.SINGLE, K.TRUE_FALSE):
        question = question_of(attempt, kind)
        answers[str(question.pk)] = [str(question.choices.filter(is_correct=False).first().pk)]
    result = services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers)
    assert (result.correct_count, result.score_percent, result.passed) == (2, 50, False)


def test_tampered_question_id_is_refused(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    foreign = quiz_of(course, 1).questions.first()
    answers = right_answers(attempt)
    answers[str(foreign.pk)] = ["1"]
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers)
    assert err.value.code == "unknown_question"
    answers = {"abc": ["1"]}
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers)
    assert err.value.code == "unknown_question"


def test_foreign_choice_id_is_refused(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    single = question_of(attempt, K.SINGLE)
    other = question_of(attempt, K.TRUE_FALSE).choices.first()
    for value in (str(other.pk), "abc", "-1"):
        answers = right_answers(attempt)
        answers[str(single.pk)] = [value]
        with pytest.raises(ValidationError) as err:
            services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=answers)
        assert err.value.code == "invalid_answer"
    assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None


def test_replayed_submission(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers={})
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt))
    assert err.value.code == "already_submitted"
    attempt.refresh_from_db()
    assert attempt.score_percent == 0


def test_someone_elses_attempt(people, rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_submit(actor=people["teacher_of_other_school"], attempt=attempt, answers={})
    assert err.value.code == "not_yours"


def test_answers_from_fields():
    fields = {"csrfmiddlewaretoken": ["x"], "q12": ["3"], "q13": ["4", "5"], "q": ["1"], "quiz_start": ["1"],
              "q14": "১২"}
    answers = services.answers_from_fields(fields)
    assert answers["12"] == ["3"] and answers["13"] == ["4", "5"] and answers["14"] == ["১২"]
    assert "" not in answers and "csrfmiddlewaretoken" not in answers


def test_the_deadline_takes_no_time_from_the_caller(rubi, course):
    """The phone's clock is a claim, never proof: an offline answer past the time limit on the server's
    clock is refused, and the service has no way to be told another time (decision 0006)."""
    assert "answered_at" not in inspect.signature(services.quiz_attempt_submit).parameters
    quiz = quiz_of(course)
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError) as err:
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt),
                                     source=QuizAttempt.Source.OFFLINE)
    assert err.value.code == "deadline_passed"


def test_offline_source_is_kept(rubi, course):
    attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
    result = services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt),
                                          source=QuizAttempt.Source.OFFLINE)
    assert result.source == QuizAttempt.Source.OFFLINE


# ------------------------------------------------------------------------------------------- completion

@pytest.fixture
def completed_signals():
    received = []

    def receiver(sender, enrolment_id, **kwargs):
        received.append(enrolment_id)

    course_completed.connect(receiver, dispatch_uid="test-learning-receiver")
    yield received
    course_completed.disconnect(dispatch_uid="test-learning-receiver")


def test_completion_once_with_one_signal(rubi, course, completed_signals, django_capture_on_commit_callbacks):
    enrolment = Enrolment.objects.get(user=rubi)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course))
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None and completed_signals == []
    do_activities(rubi, quiz_of(course, 1).module)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course, 1))
        services.quiz_attempt_submit(actor=rubi, attempt=attempt, answers=right_answers(attempt))
    enrolment.refresh_from_db()
    completed_at = enrolment.completed_at
    assert completed_at is not None
    assert completed_signals == [enrolment.pk]
    # Later attempts, passed or failed, change nothing and send nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        for answers in (None, {}):
            attempt = services.quiz_attempt_start(actor=rubi, quiz=quiz_of(course, 1))
            services.quiz_attempt_submit(actor=rubi, attempt=attempt,
                                         answers=right_answers(attempt) if answers is None else answers)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert completed_signals == [enrolment.pk]
    # A later failed attempt never undoes the pass.
    assert selectors.quiz_state(enrolment, quiz_of(course, 1)).passed
    assert [s.passed for s in selectors.module_states(enrolment)] == [True, True]


# ------------------------------------------------------------------ finishing a module (activities + quiz)

@pytest.fixture
def nadia(people, course):
    """Enrolled, nothing done yet."""
    services.enrolment_create(actor=people["teacher_of_other_school"], course=course)
    return people["teacher_of_other_school"]


def test_a_quiz_waits_for_the_modules_activities(nadia, course):
    quiz = quiz_of(course)
    with pytest.raises(ValidationError) as refused:
        services.quiz_attempt_start(actor=nadia, quiz=quiz)
    assert refused.value.code == "activities_not_done"
    assert "0 of 1 done" in refused.value.messages[0] or "০ of ১ done" in refused.value.messages[0]
    assert not QuizAttempt.objects.exists()
    state = selectors.quiz_state(Enrolment.objects.get(user=nadia), quiz)
    assert state.blocked_code == "activities_not_done" and not state.can_start and not state.activities_finished
    do_activities(nadia, quiz.module)
    assert services.quiz_attempt_start(actor=nadia, quiz=quiz).number == 1


def test_a_passed_quiz_alone_does_not_finish_the_module(nadia, course):
    """An attempt from the earlier rule (quiz before activities): module 2 stays closed until the activities
    are done, and then opens without another quiz."""
    enrolment = Enrolment.objects.get(user=nadia)
    quiz = quiz_of(course)
    do_activities(nadia, quiz.module)
    attempt = services.quiz_attempt_start(actor=nadia, quiz=quiz)
    services.quiz_attempt_submit(actor=nadia, attempt=attempt, answers=right_answers(attempt))
    from shikhon.courses.models import ActivityProgress

    ActivityProgress.objects.filter(enrolment=enrolment).update(done_at=None)
    states = selectors.module_states(enrolment)
    assert [(s.passed, s.finished, s.unlocked) for s in states] == [(True, False, True), (False, False, False)]
    with pytest.raises(ValidationError) as refused:
        services.quiz_attempt_start(actor=nadia, quiz=quiz_of(course, 1))
    assert refused.value.code == "locked"
    assert "module" in refused.value.messages[0]
    do_activities(nadia, quiz.module)
    assert [s.unlocked for s in selectors.module_states(enrolment)] == [True, True]


def test_the_locked_sentence_names_the_module_to_finish(nadia, course):
    with pytest.raises(ValidationError) as refused:
        services.quiz_attempt_start(actor=nadia, quiz=quiz_of(course, 1))
    assert refused.value.code == "locked"
    assert refused.value.messages[0] == selectors.locked_reason(1)
    assert ("১" in refused.value.messages[0]) or ("1" in refused.value.messages[0])


def test_submitting_an_attempt_whose_activities_are_undone_is_refused(nadia, course):
    """An attempt left open from before (or a forged one): its answers are not counted."""
    enrolment = Enrolment.objects.get(user=nadia)
    quiz = quiz_of(course)
    do_activities(nadia, quiz.module)
    attempt = services.quiz_attempt_start(actor=nadia, quiz=quiz)
    from shikhon.courses.models import ActivityProgress

    ActivityProgress.objects.filter(enrolment=enrolment).update(done_at=None)
    with pytest.raises(ValidationError) as refused:
        services.quiz_attempt_submit(actor=nadia, attempt=attempt, answers=right_answers(attempt))
    assert refused.value.code == "activities_not_done"
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.passed is None


def test_the_last_activity_done_after_the_quizzes_completes_the_course(nadia, course, completed_signals,
                                                                       django_capture_on_commit_callbacks):
    """Completion is every module finished, whichever of its two parts came last."""
    enrolment = Enrolment.objects.get(user=nadia)
    for index in (0, 1):
        do_activities(nadia, quiz_of(course, index).module)
        attempt = services.quiz_attempt_start(actor=nadia, quiz=quiz_of(course, index))
        services.quiz_attempt_submit(actor=nadia, attempt=attempt, answers=right_answers(attempt))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    # Undo one activity (as if passed under the earlier rule): not complete until it is done again.
    from shikhon.courses.models import ActivityProgress

    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=None)
    progress = ActivityProgress.objects.filter(enrolment=enrolment).last()
    ActivityProgress.objects.filter(pk=progress.pk).update(done_at=None)
    assert not selectors.course_finished(enrolment)
    completed_signals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_progress_record(actor=nadia, activity=progress.activity, done=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and completed_signals == [enrolment.pk]


def test_a_module_without_a_quiz_is_finished_by_its_activities(people, django_capture_on_commit_callbacks):
    course = course_with_content(modules=2, activities=2)
    second = list(course.modules.all())[1]
    second.quiz.delete()
    teacher = people["teacher_of_other_school"]
    enrolment = services.enrolment_create(actor=teacher, course=course)
    first = list(course.modules.all())[0]
    do_activities(teacher, first)
    attempt = services.quiz_attempt_start(actor=teacher, quiz=first.quiz)
    services.quiz_attempt_submit(actor=teacher, attempt=attempt, answers=right_answers(attempt))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        do_activities(teacher, second)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert all(s.finished for s in selectors.module_states(enrolment))
