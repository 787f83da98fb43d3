"""The "used in class" counter of a content (decision 0012): practice records a content as taught in a class, and
the practice record service calls these after its transaction commits. One UPDATE with `F()`: no read, no race
between two teachers recording at the same moment; a content that is gone changes nothing."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Greatest

from shikhon.library.models import Content


def content_use_recorded(*, content_id: int) -> None:
    """A teacher recorded that she taught this content in her class: its count goes up by one."""
    Content.objects.filter(pk=content_id).update(used_in_class=F("used_in_class") + 1)


def content_use_removed(*, content_id: int) -> None:
    """A record of teaching this content is gone: its count goes down by one (never below zero)."""
    Content.objects.filter(pk=content_id).update(used_in_class=Greatest(F("used_in_class") - 1, 0))
