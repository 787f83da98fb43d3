"""Report, never change, stored numbers that break the Bangladeshi mobile rule.

Before issue 8 the normaliser let through numbers that are not Bangladeshi mobiles (a prefix outside
013–019, for example). Such an account cannot be guessed right: its number may be a typo, or a
person's real number written wrongly. So this migration only names the accounts (user ids, in the
log); `manage.py phones_breaking_rule` lists them again at any time, for someone to fix by hand.
The rule is written out here, frozen, so that the migration says the same thing forever.
"""

import logging
import re

from django.db import migrations, models

import shikhon.people.phone

logger = logging.getLogger("shikhon.people")

STORED_RULE = re.compile(r"\+8801[3-9][0-9]{8}", re.ASCII)


def report_phones_breaking_rule(apps, schema_editor):
    User = apps.get_model("people", "User")
    bad = [
        pk
        for pk, phone in User.objects.order_by("pk").values_list("pk", "phone").iterator()
        if not STORED_RULE.fullmatch(phone or "")
    ]
    if bad:
        logger.warning(
            "%d account(s) have a mobile number that breaks the Bangladeshi mobile rule; "
            "nothing was changed. User ids: %s. List them with `manage.py phones_breaking_rule`.",
            len(bad), ", ".join(str(pk) for pk in bad),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_role_kind_course_author"),
    ]

    operations = [
        # From now on full_clean refuses a stored number that breaks the rule (a validator only:
        # nothing in the table changes).
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=models.CharField(max_length=16, unique=True,
                                   validators=[shikhon.people.phone.validate_stored_phone],
                                   verbose_name="mobile number"),
        ),
        migrations.RunPython(report_phones_breaking_rule, migrations.RunPython.noop, elidable=True),
    ]
