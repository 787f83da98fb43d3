"""A course author writes a course on a 360 px phone, without the Django admin: a new course, a module, an
activity, the quiz settings and a question (number answer typed in Bangla digits). Every page is checked
for sideways scrolling and serious accessibility problems."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

AUTHOR = "01711-000012"  # Shirin Sultana, course author


def tap_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.tap()


def test_course_author_writes_a_course(new_context, signed_in_state, site, audit):
    page = new_context(storage_state=signed_in_state(AUTHOR)).new_page()
    slug = f"shobdo-khela-{uuid.uuid4().hex[:6]}"

    page.goto(site("/author/"))
    audit(page)
    tap_and_wait(page, page.locator("main a[href='/author/new/']"))
    audit(page)

    page.locator("input[name=title]").fill("শব্দের খেলা")
    page.locator("input[name=slug]").fill(slug)
    page.locator("textarea[name=summary]").fill("খেলার মাধ্যমে নতুন শব্দ শেখা।")
    page.locator("select[name=subject]").select_option("bangla")
    page.locator("input[name=grade_from]").fill("১")
    page.locator("input[name=grade_to]").fill("২")
    page.locator("input[name=estimated_hours]").fill("৩")
    tap_and_wait(page, page.locator("main form.stack button[type=submit]"))
    assert urlsplit(page.url).path.startswith("/author/course/")
    course_path = urlsplit(page.url).path
    audit(page)
    assert page.locator("main h1").inner_text() == "শব্দের খেলা"

    # A module: the form on the course page.
    module_form = page.locator("main form[action$='/modules/']")
    module_form.locator("input[name=module-title]").fill("ছবি দেখে শব্দ")
    tap_and_wait(page, module_form.locator("button[type=submit]"))
    assert urlsplit(page.url).path.startswith("/author/module/")
    module_path = urlsplit(page.url).path
    audit(page)

    # An activity.
    tap_and_wait(page, page.locator(f"main a[href='{module_path}activities/new/']"))
    audit(page)
    page.locator("input[name=title]").fill("ছবির কার্ড")
    page.locator("input[name=duration_minutes]").fill("২০")
    page.locator("textarea[name=materials]").fill("ছবির কার্ড\nবোর্ড")
    page.locator("textarea[name=steps]").fill("কার্ড দেখান।\nশিশুরা শব্দটি বলে।")
    tap_and_wait(page, page.locator("main form.stack button[type=submit]"))
    assert urlsplit(page.url).path.startswith("/author/activity/")
    audit(page)
    assert "ছবির কার্ড" in page.locator("main h1").inner_text()

    # The quiz: settings, then a question with a number answer typed in Bangla digits.
    page.goto(site(f"{module_path}quiz/"))
    audit(page)
    page.locator("input[name=pass_percent]").fill("৭০")
    tap_and_wait(page, page.locator("main form.stack button[type=submit]"))
    audit(page)
    tap_and_wait(page, page.locator(f"main a[href='{module_path}questions/new/']"))
    audit(page)
    page.locator("input[name=kind][value=numeric]").check()
    page.locator("textarea[name=text]").fill("ছবিতে কয়টি আম আছে?")
    page.locator("input[name=numeric_answer]").fill("১২")
    tap_and_wait(page, page.locator("main form.stack button[type=submit]").first)
    assert urlsplit(page.url).path == f"{module_path}quiz/"
    audit(page)
    assert "ছবিতে কয়টি আম আছে?" in page.locator("main").inner_text()

    # Back on the course page: complete, so it can go for review.
    page.goto(site(course_path))
    audit(page)
    tap_and_wait(page, page.locator(f"main form[action='{course_path}submit/'] button"))
    audit(page)
    assert page.locator("main .msg").first.is_visible()
