"""Writes of a teacher studying a course: enrolment, activity progress, quiz attempts and completion.

Every rule lives here so the pages, the API and the offline sync behave alike: enrolment only in a
published course whose prerequisites she completed; a module is finished when its activities are all done
and its quiz is passed, and the next module opens when it is; a module's quiz is taken only after its
activities; quizzes are drawn and scored on the server only; the course is completed when every module is
finished, recorded once and announced with `signals.course_completed` after the transaction commits."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shikhon.core.bangla import to_western_digits
from shikhon.courses import outline, scoring, selectors
from shikhon.courses.models import (
    Activity,
    ActivityProgress,
    Choice,
    Course,
    Enrolment,
    Question,
    Quiz,
    QuizAttempt,
)
from shikhon.courses.signals import course_completed
from shikhon.people.selectors import placement_of

if TYPE_CHECKING:
    from shikhon.people.models import User

SUBMIT_GRACE = dt.timedelta(seconds=60)
_rng = random.SystemRandom()


# ------------------------------------------------------------------------------------------- enrolment

def enrolment_create(*, actor: User, course: Course) -> Enrolment:
    """Enrol her in this version of a course; if she is already enrolled in any version of it, that
    enrolment is returned unchanged (she keeps her version and progress)."""
    existing = Enrolment.objects.filter(user=actor, family=course.family).select_related("course").first()
    if existing is not None:
        return existing
    if course.status != Course.Status.PUBLISHED:
        raise ValidationError(_("This course is not open for enrolment."), code="not_published")
    missing = selectors.missing_prerequisites(actor, course)
    if missing:
        raise ValidationError(
            _("First complete these courses: %(courses)s.") % {"courses": ", ".join(c.title for c in missing)},
            code="prerequisites")
    enrolment = Enrolment(user=actor, course=course, family=course.family, **placement_of(actor).as_fields())
    enrolment.full_clean(exclude=["user", "course"])
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:  # a double tap enrolled her a moment ago
        return Enrolment.objects.select_related("course").get(user=actor, family=course.family)
    return enrolment


def _enrolment_for(actor: User, course_id: int) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=actor, course_id=course_id).first()
    if enrolment is None:
        raise ValidationError(_("Enrol in this course first."), code="not_enrolled")
    return enrolment


def _ensure_unlocked(enrolment: Enrolment, module_id: int) -> None:
    standings = selectors.module_standings(enrolment)
    for index, standing in enumerate(standings):
        if standing.module_id == module_id:
            if not standing.unlocked:
                raise ValidationError(selectors.locked_reason(index), code="locked")
            return
    raise ValidationError(_("Enrol in this course first."), code="not_enrolled")


def _ensure_quiz_open(enrolment: Enrolment, quiz: Quiz) -> None:
    """Her module is open and its activities are all done (else a sentence saying which)."""
    code, reason, _standing = selectors.quiz_gate(enrolment, quiz.module_id)
    if code:
        raise ValidationError(reason, code=code)


def _complete_if_finished(enrolment: Enrolment, now: dt.datetime) -> bool:
    """Record the course completed (once) when every module is finished; announced after commit. The caller
    holds the enrolment's row lock and saves `completed_at`."""
    if enrolment.completed_at is not None or not selectors.course_finished(enrolment):
        return False
    enrolment.completed_at = now
    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment_id=enrolment_id))
    return True


# -------------------------------------------------------------------------------------------- progress

@transaction.atomic
def activity_progress_record(*, actor: User, activity: Activity, watched_percent: int | None = None,
                             done: bool = False) -> ActivityProgress:
    """Record how much of the video she watched (the highest share wins) and whether she marked the
    activity done (once done, it stays done)."""
    if watched_percent is not None and (isinstance(watched_percent, bool) or not isinstance(watched_percent, int)
                                        or not 0 <= watched_percent <= 100):
        raise ValidationError(_("The share watched must be a number from 0 to 100."), code="invalid_percent")
    module = activity.module
    enrolment = _enrolment_for(actor, module.course_id)
    _ensure_unlocked(enrolment, module.pk)
    now = timezone.now()
    progress, _created = ActivityProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, activity=activity)
    if watched_percent is not None and watched_percent > progress.watched_percent:
        progress.watched_percent = watched_percent
    newly_done = done and progress.done_at is None
    if newly_done:
        progress.done_at = now
    progress.full_clean(exclude=["enrolment", "activity"])
    progress.save()
    enrolment.last_activity = activity
    enrolment.last_seen_at = now
    fields = ["last_activity", "last_seen_at"]
    # The last activity of a module without a quiz (or of one whose quiz was passed first, under the earlier
    # rule) can finish the course.
    if newly_done and enrolment.completed_at is None:
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        enrolment.last_activity, enrolment.last_seen_at = activity, now
        if _complete_if_finished(enrolment, now):
            fields.append("completed_at")
    enrolment.save(update_fields=fields)
    return progress


# Opening again the activity she opened last, within this long (a reload, the back button), writes no
# row: "last seen" is kept to this precision, which spares a row version, its WAL and a commit flush on
# most page views. The statement is still sent (the condition is in its WHERE), so the page's query
# count does not depend on her history.
OPENED_REFRESH = dt.timedelta(minutes=5)


def enrolment_mark_opened(*, actor: User, enrolment: Enrolment, activity: Activity) -> None:
    """She opened an activity of her course: "continue" brings her back here (one UPDATE, no progress row;
    it changes nothing when this is the activity she opened last, less than OPENED_REFRESH ago)."""
    if enrolment.user_id != actor.pk or activity.module.course_id != enrolment.course_id:
        raise ValidationError(_("Enrol in this course first."), code="not_enrolled")
    now = timezone.now()
    fresh = Q(last_activity_id=activity.pk, last_seen_at__gt=now - OPENED_REFRESH, last_seen_at__lte=now)
    if Enrolment.objects.filter(Q(pk=enrolment.pk) & ~fresh).update(last_activity=activity, last_seen_at=now):
        enrolment.last_activity, enrolment.last_seen_at = activity, now


# ------------------------------------------------------------------------------------------ quiz start

@transaction.atomic
def quiz_attempt_start(*, actor: User, quiz: Quiz) -> QuizAttempt:
    """Her open attempt of this quiz, or a new one drawn at random when the rules allow it."""
    enrolment = _enrolment_for(actor, quiz.module.course_id)
    # One start at a time per enrolment: the attempt number and the limits are decided under this lock.
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    now = timezone.now()
    state = selectors.quiz_state(enrolment, quiz, now=now)
    if state.blocked_code in selectors.GATE_CODES:
        raise ValidationError(state.blocked_reason, code=state.blocked_code)
    if state.open_attempt is not None:
        return state.open_attempt
    if state.blocked_code:
        raise ValidationError(state.blocked_reason, code=state.blocked_code)
    question_ids = list(quiz.questions.values_list("pk", flat=True))
    if not question_ids:
        raise ValidationError(_("This quiz has no questions yet."), code="no_questions")
    count = quiz.questions_per_attempt
    if count and count < len(question_ids):
        question_ids = _rng.sample(question_ids, count)
    else:
        _rng.shuffle(question_ids)
    choice_order: dict[str, list[int]] = {str(pk): [] for pk in question_ids}
    for question_id, choice_id in Choice.objects.filter(question_id__in=question_ids).values_list(
            "question_id", "pk"):
        choice_order[str(question_id)].append(choice_id)
    for ids in choice_order.values():
        _rng.shuffle(ids)
    attempt = QuizAttempt(
        enrolment=enrolment, quiz=quiz, number=state.attempts_used + 1, question_ids=question_ids,
        choice_order=choice_order, started_at=now,
        expires_at=now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
    )
    attempt.full_clean(exclude=["enrolment", "quiz"])
    attempt.save()
    enrolment.last_seen_at = now
    enrolment.save(update_fields=["last_seen_at"])
    return attempt


# ----------------------------------------------------------------------------------------- quiz submit

def answers_from_fields(fields: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Form fields `q<question id>` (lists of values, as `QueryDict.lists()`) → {"<question id>": values}.
    Other fields (the CSRF token, buttons) are ignored; a malformed `q…` name is kept as it is so the
    service can refuse it."""
    answers: dict[str, list[str]] = {}
    for name, values in fields.items():
        if not name.startswith("q") or name == "q":
            continue
        if isinstance(values, str):
            values = [values]
        answers[name[1:]] = [str(v) for v in values]
    return answers


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(raw: str) -> Decimal | None:
    """A typed number in Bangla or Western digits (`১২`, `১২.৫`, ` -3 `, `+4`); None when empty.
    Raises ValueError when it is not a number."""
    text = "".join(to_western_digits(raw or "").split()).replace("٫", ".").replace("।", ".")
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(raw)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses these
        raise ValueError(raw) from exc


def _invalid(question_id: int) -> ValidationError:
    return ValidationError(_("One of the answers is not valid. Please answer again."), code="invalid_answer",
                           params={"question": question_id})


def _clean_answers(attempt: QuizAttempt, answers: Mapping[str, list[str]],
                   questions: dict[int, Question]) -> dict[str, list[str]]:
    allowed = {str(pk) for pk in attempt.question_ids}
    cleaned: dict[str, list[str]] = {}
    for key, values in answers.items():
        key = str(key)
        if key not in allowed:
            raise ValidationError(_("The answers do not match this quiz. Please open the quiz again."),
                                  code="unknown_question")
        if isinstance(values, str):
            values = [values]
        values = [str(v).strip() for v in values if str(v).strip()]
        question = questions[int(key)]
        if question.kind == Question.Kind.NUMERIC:
            if len(values) > 1:
                raise _invalid(question.pk)
            try:
                number = parse_number(values[0]) if values else None
            except ValueError:
                raise ValidationError(
                    _("Please type a number, for example 12 or ১২."), code="invalid_answer",
                    params={"question": question.pk}) from None
            cleaned[key] = [] if number is None else [str(number)]
            continue
        choice_ids = {c.pk for c in question.choices.all()}
        chosen: list[str] = []
        for value in values:
            if not value.isdigit() or int(value) not in choice_ids:
                raise _invalid(question.pk)
            if value not in chosen:
                chosen.append(value)
        if question.kind != Question.Kind.MULTIPLE and len(chosen) > 1:
            raise _invalid(question.pk)
        cleaned[key] = chosen
    return cleaned


@transaction.atomic
def quiz_attempt_submit(*, actor: User, attempt: QuizAttempt, answers: Mapping[str, list[str]],
                        source: str = QuizAttempt.Source.ONLINE) -> QuizAttempt:
    """Score her answers on the server. Refuses a second submission, answers to questions that were not
    shown, choices of other questions, non-numbers, and answers after the time limit. The time limit is
    judged by the server's clock when the answers arrive, for answers sent from a phone's outbox too: a
    phone's clock is a claim, never proof (decision 0006), so no time from the caller is taken."""
    locked = (QuizAttempt.objects.select_for_update(of=("self",)).select_related("enrolment", "quiz__module__course")
              .filter(pk=attempt.pk).first())
    if locked is None or locked.enrolment.user_id != actor.pk:
        raise ValidationError(_("This quiz attempt is not yours."), code="not_yours")
    attempt = locked
    if attempt.submitted_at is not None:
        raise ValidationError(_("You already sent the answers of this attempt."), code="already_submitted")
    if source not in QuizAttempt.Source.values:
        raise ValidationError(_("Unknown way of taking the quiz."), code="invalid_source")
    now = timezone.now()
    if attempt.expires_at is not None and now > attempt.expires_at + SUBMIT_GRACE:
        raise ValidationError(_("The time for this attempt ran out, so the answers were not counted."),
                              code="deadline_passed")
    # Her activities of the module must be done, for answers sent from a phone's outbox too.
    _ensure_quiz_open(attempt.enrolment, attempt.quiz)
    questions = outline.questions_by_id(list(attempt.question_ids), quiz_id=attempt.quiz_id,
                                        course=attempt.quiz.module.course)
    cleaned = _clean_answers(attempt, answers, questions)
    score = scoring.score_answers(question_ids=list(attempt.question_ids), answers=cleaned,
                                  keys={pk: selectors.answer_key(q) for pk, q in questions.items()},
                                  pass_percent=attempt.quiz.pass_percent)
    attempt.answers = {str(pk): cleaned.get(str(pk), []) for pk in attempt.question_ids}
    attempt.correct_count = score.correct_count
    attempt.score_percent = score.percent
    attempt.passed = score.passed
    attempt.submitted_at = now
    attempt.source = source
    attempt.full_clean(exclude=["enrolment", "quiz"])
    attempt.save(update_fields=["answers", "correct_count", "score_percent", "passed", "submitted_at", "source"])
    enrolment = Enrolment.objects.select_for_update().get(pk=attempt.enrolment_id)
    enrolment.last_seen_at = now
    fields = ["last_seen_at"]
    if attempt.passed and _complete_if_finished(enrolment, now):
        fields.append("completed_at")
    enrolment.save(update_fields=fields)
    attempt.enrolment = enrolment
    return attempt
