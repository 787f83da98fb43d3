"""Seeds version 1 of the mentors' review rubric: five criteria, each scored 1–4 with a descriptor per level."""

import datetime

from django.db import migrations

CRITERIA = [
    {"key": "curriculum_fit", "name_bn": "পাঠ্যক্রমের সঙ্গে মিল", "name_en": "Curriculum fit", "levels": [
        {"bn": "শ্রেণি বা পাঠের সঙ্গে মেলে না", "en": "Does not match the class or lesson"},
        {"bn": "আংশিক মেলে; শিখনফল স্পষ্ট নয়", "en": "Partly matches; the learning outcome is unclear"},
        {"bn": "পাঠের সঙ্গে মেলে; শিখনফল বলা আছে", "en": "Matches the lesson; the learning outcome is stated"},
        {"bn": "শিখনফলের সঙ্গে প্রতিটি অংশ মেলে", "en": "Every part serves the stated learning outcome"}]},
    {"key": "accuracy", "name_bn": "তথ্যের নির্ভুলতা", "name_en": "Accuracy", "levels": [
        {"bn": "গুরুতর ভুল আছে", "en": "Has serious errors"},
        {"bn": "কয়েকটি ছোট ভুল আছে", "en": "Has a few small errors"},
        {"bn": "নির্ভুল", "en": "Accurate"},
        {"bn": "নির্ভুল, উৎস ও উদাহরণ সহ", "en": "Accurate, with sources and examples"}]},
    {"key": "pedagogy", "name_bn": "শিখন-শেখানো পদ্ধতি", "name_en": "Pedagogy", "levels": [
        {"bn": "শুধু বক্তৃতা; শিক্ষার্থীর কাজ নেই", "en": "Lecture only; no work for learners"},
        {"bn": "কিছু প্রশ্ন বা কাজ আছে", "en": "Some questions or tasks for learners"},
        {"bn": "শিক্ষার্থীরা হাতে-কলমে ও দলে কাজ করে", "en": "Learners work hands-on and in groups"},
        {"bn": "সক্রিয় শিখন, মূল্যায়ন ও ভিন্ন ভিন্ন শিক্ষার্থীর জন্য ব্যবস্থা", "en": "Active learning, checking understanding, and support for different learners"}]},
    {"key": "media", "name_bn": "মাল্টিমিডিয়ার ব্যবহার", "name_en": "Use of media", "levels": [
        {"bn": "ছবি, ভিডিও বা উপকরণ পাঠের কাজে আসে না", "en": "Pictures, video or materials do not help the lesson"},
        {"bn": "কিছুটা সাহায্য করে", "en": "Help a little"},
        {"bn": "পাঠ বুঝতে সাহায্য করে", "en": "Help learners understand"},
        {"bn": "সহজলভ্য উপকরণে ক্লাসেই ব্যবহারযোগ্য, ফাইল ছোট", "en": "Usable in class with local materials; files are small"}]},
    {"key": "accessibility", "name_bn": "সবার জন্য ব্যবহারযোগ্যতা", "name_en": "Accessibility", "levels": [
        {"bn": "পড়া বা দেখা কঠিন", "en": "Hard to read or see"},
        {"bn": "কিছু অংশ পড়া কঠিন", "en": "Some parts are hard to read"},
        {"bn": "স্পষ্ট লেখা ও ছবি; সহজ ভাষা", "en": "Clear text and pictures; plain language"},
        {"bn": "স্পষ্ট, সহজ ভাষা, ছবির বর্ণনা ও বিশেষ চাহিদার শিক্ষার্থীর কথা ভাবা", "en": "Clear, plain language, pictures described, learners with special needs considered"}]},
]


def seed(apps, schema_editor):
    Rubric = apps.get_model("library", "Rubric")
    Rubric.objects.update_or_create(version=1, defaults={"criteria": CRITERIA,
                                                         "in_force_from": datetime.date(2026, 12, 1)})


class Migration(migrations.Migration):
    dependencies = [("library", "0002_curriculum")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
