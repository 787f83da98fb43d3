# Enrolment's user and course keys lose their own single-column indexes: each leads a composite index that
# serves the same lookups (one_enrolment_per_course (user, family), enrolment_course_done_idx (course, completed_at)).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0003_enrolment_place_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrolment',
            name='course',
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT,
                related_name='enrolments', to='courses.course', verbose_name='course'),
        ),
        migrations.AlterField(
            model_name='enrolment',
            name='user',
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE,
                related_name='enrolments', to=settings.AUTH_USER_MODEL, verbose_name='teacher'),
        ),
    ]
