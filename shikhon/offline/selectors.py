"""What a phone caches to study one module without internet ("Download for offline"). Reads only: the
quiz attempt a saved module needs is started by `packs.module_save`, on the POST of the button."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from shikhon.courses import selectors as course_selectors

if TYPE_CHECKING:
    from shikhon.courses.models import Module, Quiz
    from shikhon.people.models import User

# The shell every saved module needs besides its own pages (the service worker precaches these too).
SHELL_STATIC = ("css/site.css", "js/offline.js", "js/progress.js", "img/icon.svg")


def access_module(user: User, module_id: object) -> Module:
    """A module she may open, with its course (`courses.selectors.access_module`): a missing id, a malformed
    one and a hidden module are the same Http404."""
    return course_selectors.access_module(user, module_id)


def is_enrolled(*, user: User, module: Module) -> bool:
    return course_selectors.enrolment_in(user, module.course) is not None


def locked_reason(*, user: User, module: Module) -> str:
    """Why the module is closed to her (its course's rule: the module before it not finished), or ""."""
    enrolment = course_selectors.enrolment_in(user, module.course)
    return course_selectors.module_locked_reason(enrolment, module) if enrolment is not None else ""


def shell_urls() -> list[str]:
    urls: list[str] = []
    for name in SHELL_STATIC:
        try:
            urls.append(static(name))
        except ValueError:  # not collected (a file renamed by another app): precache the rest
            continue
    return [*urls, reverse("offline:page")]


def quiz_of(module: Module) -> Quiz | None:
    try:
        return module.quiz
    except ObjectDoesNotExist:
        return None


def offline_quiz(module: Module) -> tuple[Quiz | None, str]:
    """The module's quiz when it may be answered offline, else None and why (a timed quiz: starting its
    attempt would run the clock while the phone waits in a pocket)."""
    quiz = quiz_of(module)
    if quiz is not None and quiz.time_limit_minutes:
        return None, _("The quiz has a time limit, so it is answered online.")
    return quiz, ""


def module_pack(*, actor: User, module: Module, quiz_problem: str = "") -> dict[str, Any]:
    """The addresses to cache for `module`, for a teacher enrolled in its course. Reads only: the quiz is
    listed with her open attempt (started by `packs.module_save`, the POST of "Download for offline");
    without one it is left out with the reason (`quiz_problem` when the start was refused)."""
    urls: list[str] = [module.get_absolute_url()]
    media_bytes = 0
    activities = module.activities.select_related("video").order_by("position", "pk")
    for activity in activities:
        urls.append(activity.get_absolute_url())
        urls.append(reverse("courses:activity_sheet", kwargs={"pk": activity.pk}))
        video = activity.video
        if video is not None and video.is_ready and video.low:
            # The same addresses the player uses (captions carry a version query).
            urls.extend(url for url in (video.low_url, video.poster_url, video.captions_url) if url)
            media_bytes += video.low_bytes or 0
    skipped: list[dict[str, str]] = []
    whole = quiz_of(module)
    quiz, why_not = offline_quiz(module)
    if whole is not None and quiz is None:
        skipped.append({"url": whole.get_absolute_url(), "reason": why_not})
    elif quiz is not None:
        state = course_selectors.quiz_state(course_selectors.enrolment_in(actor, module.course), quiz)
        if state.open_attempt is not None:
            urls.append(quiz.get_absolute_url())
            urls.append(state.open_attempt.get_absolute_url())
        else:
            reason = quiz_problem or state.blocked_reason or _("The quiz cannot be started now.")
            skipped.append({"url": quiz.get_absolute_url(),
                            "reason": _("The quiz is not saved for offline use: %(reason)s") % {"reason": reason}})
    urls.extend(shell_urls())
    return {
        "module": module.pk,
        "title": module.title,
        "url": module.get_absolute_url(),
        "urls": list(dict.fromkeys(urls)),
        "media_bytes": media_bytes,
        "skipped": skipped,
    }
