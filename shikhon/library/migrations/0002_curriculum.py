"""Seeds the curriculum tree (subjects for classes 1–10 with Bangla and English names, chapters and topics) from
data/curriculum_v1.json. The file is frozen: a later change to the tree is a new data migration."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_name("data") / "curriculum_v1.json"


def load(apps, schema_editor):
    Subject = apps.get_model("library", "Subject")
    Topic = apps.get_model("library", "Topic")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    subjects = {}
    for row in data["subjects"]:
        subjects[row["code"]], _created = Subject.objects.update_or_create(
            code=row["code"], defaults={k: row[k] for k in ("name_bn", "name_en", "grade_from", "grade_to", "position")})
    for chapter in data["chapters"]:
        parent, _created = Topic.objects.update_or_create(
            subject=subjects[chapter["subject"]], grade=chapter["grade"], parent=None, number=chapter["number"],
            defaults={"name_bn": chapter["name_bn"], "name_en": chapter["name_en"]})
        for topic in chapter["topics"]:
            Topic.objects.update_or_create(
                subject=parent.subject, grade=parent.grade, parent=parent, number=topic["number"],
                defaults={"name_bn": topic["name_bn"], "name_en": topic["name_en"]})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
