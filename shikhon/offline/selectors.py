"""What a phone caches to study one module without internet ("Download for offline")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from shikhon.courses import selectors as course_selectors
from shikhon.courses import services as learning
from shikhon.courses.models import Enrolment, Module, Quiz
from shikhon.people.models import User

# The shell every saved module needs besides its own pages (the service worker precaches these too).
SHELL_STATIC = ("css/site.css", "js/offline.js", "js/progress.js", "img/icon.svg")


def modules_visible_to(user: User) -> QuerySet[Module]:
    return course_selectors.modules_visible(user)


def is_enrolled(*, user: User, module: Module) -> bool:
    return Enrolment.objects.filter(user=user, course_id=module.course_id).exists()


def shell_urls() -> list[str]:
    urls: list[str] = []
    for name in SHELL_STATIC:
        try:
            urls.append(static(name))
        except ValueError:  # not collected (a file renamed by another app): precache the rest
            continue
    return [*urls, reverse("offline:page")]


def module_pack(*, actor: User, module: Module) -> dict[str, Any]:
    """The addresses to cache for `module`, for a teacher enrolled in its course. Starting (or reusing)
    her open quiz attempt here lets her answer the quiz offline; when she may not start one now, the
    quiz is left out with the reason."""
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
    quiz: Quiz | None = Quiz.objects.filter(module=module).first()
    if quiz is not None and quiz.time_limit_minutes:
        # Starting a timed attempt now would run its clock while the phone waits in a pocket.
        skipped.append({"url": quiz.get_absolute_url(),
                        "reason": _("The quiz has a time limit, so it is answered online.")})
    elif quiz is not None:
        try:
            attempt = learning.quiz_attempt_start(actor=actor, quiz=quiz)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [])) or _("The quiz cannot be started now.")
            skipped.append({"url": quiz.get_absolute_url(),
                            "reason": _("The quiz is not saved for offline use: %(reason)s") % {"reason": reason}})
        else:
            urls.append(quiz.get_absolute_url())
            urls.append(attempt.get_absolute_url())
    urls.extend(shell_urls())
    return {
        "module": module.pk,
        "title": module.title,
        "url": module.get_absolute_url(),
        "urls": list(dict.fromkeys(urls)),
        "media_bytes": media_bytes,
        "skipped": skipped,
    }
