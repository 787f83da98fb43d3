"""The ongoing-user definition and the certificate-of-practice rule, version 1 (decision 0011), as data."""

import datetime as dt

from django.db import migrations

ONGOING = {"window_days": 60, "min_records": 3, "min_activities": 2, "min_support": 1}
CERTIFICATE = {"needs_course_certificate": True, "min_records": 6, "min_weeks": 8, "min_modules": 3,
               "min_acknowledged": 1, "min_observations": 1}


def add_rules(apps, schema_editor):
    Rule = apps.get_model("practice", "Rule")
    for kind, params in (("ongoing", ONGOING), ("certificate", CERTIFICATE)):
        Rule.objects.get_or_create(kind=kind, version=1,
                                   defaults={"params": params, "in_force_from": dt.date(2026, 1, 1)})


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
