"""Practice's notification words: the ongoing-user status reads in the reader's language, from the stored flag."""

from __future__ import annotations

from django.utils import translation

from shikhon.notify.registry import notification_kinds
from shikhon.practice import notifications


def test_the_status_change_reads_in_the_readers_language():
    kind = notification_kinds.get(notifications.ONGOING_STATUS_CHANGED)
    with translation.override("en"):
        assert kind.words({"status": "চলমান ব্যবহারকারী", "ongoing": True}) == (
            "Your ongoing-user status is now: an ongoing user.")
        assert "not an ongoing user now" in kind.words({"status": "x", "ongoing": False})
        assert kind.words({"status": "old words"}) == "Your ongoing-user status is now: old words."
