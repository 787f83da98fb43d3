# An invitation's batch key loses its own index: one_invitation_per_batch (batch, teacher) leads with it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0003_batch_invitation_place_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='invitation',
            name='batch',
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE,
                related_name='invitations', to='training.batch', verbose_name='batch'),
        ),
    ]
