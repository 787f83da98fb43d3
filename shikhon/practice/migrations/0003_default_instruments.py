"""The two lesson-observation instruments, version 1 (decision 0011): "primary-maths" (offered first) and
"teach-primary-shaped" (Teach Primary's structure in our own words, with attribution). Their definitions live in
`shikhon/practice/instruments.py`, are checked by its schema here, and must never change once published: a new
wording is a new version."""

from django.db import migrations


def add_instruments(apps, schema_editor):
    from shikhon.practice.instruments import DEFAULT_INSTRUMENTS, parse_definition

    Instrument = apps.get_model("practice", "Instrument")
    for spec in DEFAULT_INSTRUMENTS:
        parse_definition(spec["definition"])  # a broken definition stops the migration, never a half-stored one
        Instrument.objects.get_or_create(
            code=spec["code"], version=spec["version"],
            defaults={"title_bn": spec["title_bn"], "title_en": spec["title_en"],
                      "attribution": spec["attribution"], "definition": spec["definition"],
                      "is_default": spec["is_default"]})


class Migration(migrations.Migration):
    dependencies = [("practice", "0002_default_rules")]
    operations = [migrations.RunPython(add_instruments, migrations.RunPython.noop)]
