# Certificates of face-to-face training beside course certificates (decision 0010): a kind, an issue key
# for certificates without an enrolment, a snapshot of hours, venue, days, the training a course certificate
# makes its holder eligible for and the issuing authority; and the Dhaka date of issue, stored once so the
# page and the PDF print the same day. Existing certificates get their date, their course's hours and the
# authority configured now.

from zoneinfo import ZoneInfo

import django.db.models.deletion
import shikhon.core.clock
import shikhon.core.fields
from django.conf import settings
from django.db import migrations, models


def fill_existing(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    dhaka = ZoneInfo("Asia/Dhaka")
    authority_bn = getattr(settings, "SHIKHON_CERTIFICATE_AUTHORITY_BN", "")[:200]
    authority_en = getattr(settings, "SHIKHON_CERTIFICATE_AUTHORITY_EN", "")[:200]
    rows = list(Certificate.objects.select_related("course").only("pk", "issued_at", "course__estimated_hours"))
    for row in rows:
        row.issued_on = row.issued_at.astimezone(dhaka).date()
        row.hours = getattr(row.course, "estimated_hours", None) if row.course_id else None
        row.authority_bn, row.authority_en = authority_bn, authority_en
    Certificate.objects.bulk_update(rows, ["issued_on", "hours", "authority_bn", "authority_en"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0003_certificate_place_indexes'),
        ('courses', '0004_enrolment_covered_fk_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='authority_bn',
            field=shikhon.core.fields.UserCharField(blank=True, max_length=200, verbose_name='issuing authority (Bangla)'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='authority_en',
            field=shikhon.core.fields.UserCharField(blank=True, max_length=200, verbose_name='issuing authority (English)'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='eligible_for',
            field=shikhon.core.fields.UserCharField(blank=True, max_length=300, verbose_name='eligible for'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='held_from',
            field=models.DateField(blank=True, null=True, verbose_name='first day'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='held_to',
            field=models.DateField(blank=True, null=True, verbose_name='last day'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='hours',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='hours of study'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='issue_key',
            field=models.CharField(blank=True, max_length=80, null=True, unique=True, verbose_name='issued for'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='issued_on',
            field=models.DateField(null=True, verbose_name='issued on'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='kind',
            field=models.CharField(choices=[('course', 'Course'), ('training', 'Face-to-face training')], default='course', max_length=10, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='venue',
            field=shikhon.core.fields.UserCharField(blank=True, max_length=255, verbose_name='venue'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='course',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='courses.course', verbose_name='course'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='course_title',
            field=shikhon.core.fields.UserCharField(max_length=200, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='enrolment',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='certificate', to='courses.enrolment', verbose_name='enrolment'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='family',
            field=models.UUIDField(blank=True, db_index=True, null=True, verbose_name='course family'),
        ),
        migrations.RunPython(fill_existing, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='certificate',
            name='issued_on',
            field=models.DateField(default=shikhon.core.clock.dhaka_today, verbose_name='issued on'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('course__isnull', False), ('enrolment__isnull', False), ('family__isnull', False), ('kind', 'course')), models.Q(('enrolment__isnull', True), ('issue_key__isnull', False), ('kind', 'training')), _connector='OR'), name='certificate_kind_has_its_subject'),
        ),
    ]
