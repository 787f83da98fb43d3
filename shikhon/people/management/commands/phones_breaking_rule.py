"""List the accounts whose stored mobile number breaks the Bangladeshi mobile rule (issue 8).

Numbers are never changed here: which number a person really has is for a person to find out.
Exits with status 1 when there are any, so a deploy script or CI can stop on it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shikhon.people.selectors import users_with_phone_breaking_rule


class Command(BaseCommand):
    help = "List accounts whose stored mobile number is not 01[3-9] + 8 digits (+8801…); change nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        bad = users_with_phone_breaking_rule()
        if not bad:
            self.stdout.write("Every stored mobile number follows the rule.")
            return
        for user_id, phone in bad:
            self.stdout.write(f"user {user_id}\t{phone!r}")
        raise CommandError(f"{len(bad)} account(s) have a mobile number that breaks the rule; nothing was changed.")
