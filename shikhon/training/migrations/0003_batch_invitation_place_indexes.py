# The place ids come from core.PlaceScopedModel, each indexed: division_id had no index on batches or
# invitations, yet officers' filters (Scope.officer_place_q, place_q) test it. A batch's upazila is
# indexed by batch_upazila_idx (upazila, starts_on) alone: its single-column index duplicated that prefix.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0002_person_typed_text'),
    ]

    operations = [
        migrations.AlterField(
            model_name='batch',
            name='upazila',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='places.upazila', verbose_name='upazila'),
        ),
        migrations.AlterField(
            model_name='batch',
            name='division_id',
            field=models.BigIntegerField(db_index=True, verbose_name='division'),
        ),
        migrations.AlterField(
            model_name='invitation',
            name='division_id',
            field=models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='division'),
        ),
    ]
