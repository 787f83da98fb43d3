"""The default learner check, "numeracy-g1-2" version 1 (classes 1–2: number recognition, counting, addition,
subtraction), as data (decision 0011). The items are `checks.NUMERACY_G1_2_V1`, which is frozen."""

from django.db import migrations

from shikhon.practice.checks import NUMERACY_G1_2_V1, parse_definition


def add_check(apps, schema_editor):
    LearnerCheck = apps.get_model("practice", "LearnerCheck")
    data = dict(NUMERACY_G1_2_V1)
    parse_definition(data["definition"])
    LearnerCheck.objects.get_or_create(code=data.pop("code"), version=data.pop("version"), defaults=data)


class Migration(migrations.Migration):
    dependencies = [("practice", "0003_default_instruments")]
    operations = [migrations.RunPython(add_check, migrations.RunPython.noop)]
