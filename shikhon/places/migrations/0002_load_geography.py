from django.db import migrations


def load(apps, schema_editor):
    from shikhon.places.geodata import load_geography

    load_geography(apps)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
