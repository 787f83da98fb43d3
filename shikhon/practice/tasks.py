"""Thin task wrappers around practice services (idempotent: a second run does nothing more)."""

from __future__ import annotations

from django_tasks import task


@task()
def ongoing_evaluate_all_task(*, chunk: int = 1000) -> dict[str, int]:
    """The nightly ongoing-user evaluation (periodic job, practice/periodic_jobs.py): every teacher with practice,
    support or a status, by the rule in force today in Dhaka; a second run the same day writes no new row. Then
    the certificate-of-practice task, so it reads tonight's records after the statuses."""
    from shikhon.practice.services.status import ongoing_evaluate_all

    result = ongoing_evaluate_all(chunk=chunk)
    practice_certificates_issue_task.enqueue()
    return result


@task()
def ongoing_evaluate_task(*, teacher_id: int) -> bool | None:
    """One teacher's status now (for other parts: after a record, a meeting or an observation); her status."""
    from shikhon.people.selectors import people_by_name
    from shikhon.practice.services.status import ongoing_evaluate

    teacher = people_by_name([teacher_id]).first()
    if teacher is None:
        return None
    return ongoing_evaluate(teacher=teacher).is_ongoing


@task()
def practice_certificates_issue_task(*, limit: int = 500) -> int:
    """Issue the certificate of practice to every teacher who meets the rule (once each, by its issue key)."""
    from shikhon.practice.services.status import practice_certificates_issue

    return practice_certificates_issue(limit=limit)
