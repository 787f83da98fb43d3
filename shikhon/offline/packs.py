"""Saving a module for offline use: the one write of "Download for offline" (a POST), then the list of
addresses the phone caches (`selectors.module_pack`, which only reads)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from shikhon.courses import services as learning
from shikhon.offline import selectors

if TYPE_CHECKING:
    from shikhon.courses.models import Module
    from shikhon.people.models import User


def module_save(*, actor: User, module: Module) -> dict[str, Any]:
    """Start (or keep) her open attempt of the module's quiz, so she can answer it offline, and answer the
    pack. The caller has checked that she sees the module and is enrolled; the course service checks again
    and refuses a locked or used-up quiz, which is then left out of the pack with its reason."""
    quiz, _why_not = selectors.offline_quiz(module)
    problem = ""
    if quiz is not None:
        try:
            learning.quiz_attempt_start(actor=actor, quiz=quiz)
        except (ValidationError, PermissionDenied) as error:
            problem = " ".join(getattr(error, "messages", [])) or _("The quiz cannot be started now.")
    return selectors.module_pack(actor=actor, module=module, quiz_problem=problem)
