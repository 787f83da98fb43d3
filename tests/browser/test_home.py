"""A teacher mid-course opens her home on a 360 px phone: her course comes first with its module and percentage,
and one tap on the big button opens the next activity (or the quiz that is ready). Officers lead with their area's
funnel. Every page audited (no sideways scroll, no serious axe violation); the home's HTML within 14 KB compressed.

Nasima Khatun (01711-000013) is half-way through the demo course (modules 1–4 finished); no other browser test
changes her progress. Abul Kalam (01711-000004) is the Hatia upazila education officer."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

NASIMA = "01711-000013"
OFFICER_HATIA = "01711-000004"


def test_teacher_mid_course_continues_in_one_tap(new_context, site, audit, signed_in_state):
    page = new_context(storage_state=signed_in_state(NASIMA)).new_page()
    response = page.goto(site("/"))
    assert response is not None and response.status == 200
    assert len(gzip.compress(response.body())) <= 14 * 1024, "the home page is over 14 KB compressed"
    audit(page)

    card = page.locator("main section#continue")
    assert card.count() == 1, "her course is not on her home page"
    # Her next step comes first: the first card on the page is her course.
    assert page.locator("main section.card").first.get_attribute("id") == "continue"
    assert page.locator("main section#continue progress").count() == 1
    # Module 5 of 9, in Bangla digits.
    assert "৫" in card.inner_text() and "৯" in card.inner_text()
    button = page.locator("main a#next-step")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44, box
    target = button.get_attribute("href") or ""
    assert re.match(r"^/(activities|quizzes)/\d+/$", target), target

    with page.expect_navigation():
        button.tap()
    assert urlsplit(page.url).path == target, "one tap should open the next activity itself"
    audit(page)


def test_officer_home_leads_with_what_needs_him(new_context, site, audit, signed_in_state):
    page = new_context(storage_state=signed_in_state(OFFICER_HATIA)).new_page()
    response = page.goto(site("/"))
    assert response is not None and response.status == 200
    assert len(gzip.compress(response.body())) <= 14 * 1024
    audit(page)
    assert page.locator("main section.card").first.get_attribute("id") == "needs"
    stages = page.locator("main #funnel a.stat")
    assert stages.count() == 5
    with page.expect_navigation():
        page.locator("main #funnel a[href$='?stage=certified']").tap()
    assert urlsplit(page.url).path == "/progress/"
    audit(page)
