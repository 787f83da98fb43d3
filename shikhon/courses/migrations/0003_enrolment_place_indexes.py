# The place ids come from core.PlaceScopedModel, each indexed: division_id had no index, yet
# Scope.place_q filters on it. Index creation on a big table is acceptable for now.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0002_person_typed_text'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrolment',
            name='division_id',
            field=models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='division'),
        ),
    ]
