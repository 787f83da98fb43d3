# The place ids come from core.PlaceScopedModel, each indexed: division_id had no index, yet
# Scope.place_q filters on it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0002_person_typed_text'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificate',
            name='division_id',
            field=models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='division'),
        ),
    ]
