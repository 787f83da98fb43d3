"""Supervisors see progress on a 360 px phone: a head teacher opens her school's page and sees a teacher's
progress; an upazila officer drills upazila → school → teacher. Every page audited (no sideways scroll, no
serious axe violation).

Demo teacher Shahnaz Parvin (01711-000014, Hatia school 100001; no other browser test uses her) is enrolled in
the demo course with its first activity done, through the course services, in the server's own database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

BASE_DIR = Path(__file__).resolve().parents[2]
HEAD_TEACHER = "01711-000006"
OFFICER_HATIA = "01711-000004"
SEED = """
from shikhon.courses import services
from shikhon.courses.models import Activity, Course
from shikhon.people.models import User

course = Course.objects.filter(status="published").order_by("pk").first()
if course is None:
    from shikhon.courses.tests.factories import course_with_content
    course = course_with_content(modules=2, activities=2, slug="anonde-gonit-shikhi", title="আনন্দে গণিত শিখি")
shahnaz = User.objects.get(phone="+8801711000014")
if not shahnaz.enrolments.exists():
    services.enrolment_create(actor=shahnaz, course=course)
first = Activity.objects.filter(module__course=course).order_by("module__position", "position", "pk").first()
services.activity_progress_record(actor=shahnaz, activity=first, done=True)
print("seeded")
"""


@pytest.fixture(scope="module")
def shahnaz_studies(site):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.browser", "DATABASE_URL": site.database_url,
           "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", SEED], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert "seeded" in done.stdout, done.stderr[-1500:]


def _open(page, locator) -> None:
    with page.expect_navigation():
        locator.tap()


def test_head_teacher_sees_a_teachers_progress(new_context, signed_in_state, site, audit, shahnaz_studies):
    page = new_context(storage_state=signed_in_state(HEAD_TEACHER)).new_page()
    page.goto(site("/progress/"))
    audit(page)
    assert "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" in page.locator("main h1").inner_text()
    card = page.locator("#teachers > li").filter(has_text="শাহনাজ পারভীন")
    assert card.count() == 1
    text = card.inner_text()
    assert "%" in text and any(d in text for d in "১২৩৪৫৬৭৮৯"), text  # her percentage, in Bangla digits
    assert card.locator("progress").count() == 1
    for sort in ("progress", "activity", "status"):
        _open(page, page.locator(f"main nav a[href='?sort={sort}']"))
        audit(page)
    _open(page, page.locator("#teachers a", has_text="শাহনাজ পারভীন"))
    audit(page)
    assert urlsplit(page.url).path.startswith("/progress/teacher/")


def test_upazila_officer_drills_down_to_a_teacher(new_context, signed_in_state, site, audit, shahnaz_studies):
    page = new_context(storage_state=signed_in_state(OFFICER_HATIA)).new_page()
    page.goto(site("/progress/"))
    audit(page)
    assert "হাতিয়া" in page.locator("main h1").inner_text()  # his upazila, its schools below
    _open(page, page.locator("#places a[href='/progress/school/100001/']"))
    audit(page)
    _open(page, page.locator("#teachers a", has_text="শাহনাজ পারভীন"))
    audit(page)
    assert "শাহনাজ পারভীন" in page.locator("main h1").inner_text()
    assert page.locator("#courses progress").count() == 1
    # the numbers lead to the people behind them
    page.goto(site("/progress/?stage=enrolled"))
    audit(page)
    assert page.locator("#teachers > li").filter(has_text="শাহনাজ পারভীন").count() == 1
