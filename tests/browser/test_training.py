"""Face-to-face training on a 360 px phone: a national admin makes a programme,
the Hatia upazila officer creates a batch, opens the invite page and an attendance page; when a demo
teacher is eligible he invites her, she accepts, and he marks her present. Every page is audited."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from shikhon.core.clock import dhaka_today

from .support import submit

pytestmark = pytest.mark.browser

OFFICER = "01711-000004"
ADMIN = "01711-000001"
RUBI = "01711-000007"
PROGRAMME = "আনন্দে গণিত: মুখোমুখি প্রশিক্ষণ (ব্রাউজার পরীক্ষা)"
BN_TO_EN = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def ensure_programme(new_context, signed_in_state, site, audit):
    """The national admin makes a programme of her own for this flow (asking for the certificate of the
    first published course, when there is one), so the demo's trained teacher can be invited to it."""
    page = new_context(storage_state=signed_in_state(ADMIN)).new_page()
    page.goto(site("/training/"))
    audit(page)
    with page.expect_navigation():
        page.locator("main a[href='/training/programmes/new/']").tap()
    audit(page)
    page.locator("input[name=title]").fill(PROGRAMME)
    course = page.locator("select[name=required_course] option")
    if course.count() > 1:
        page.locator("select[name=required_course]").select_option(index=1)
    page.locator("input[name=days]").fill("৩")
    submit(page)
    assert urlsplit(page.url).path == "/training/"
    audit(page)
    page.close()


def test_officer_runs_a_batch(new_context, signed_in_state, teacher_state, site, audit):
    ensure_programme(new_context, signed_in_state, site, audit)
    officer = new_context(storage_state=signed_in_state(OFFICER)).new_page()
    officer.goto(site("/training/"))
    audit(officer)
    with officer.expect_navigation():
        officer.locator("main a[href='/training/batches/new/']").tap()
    audit(officer)
    today = dhaka_today()  # the server's calendar: from 18:00 UTC it is tomorrow in Dhaka
    officer.locator("select[name=programme]").select_option(label=PROGRAMME)
    officer.locator("input[name=title]").fill("হাতিয়া ব্যাচ ১")
    officer.locator("select[name=upazila]").select_option(index=1)
    officer.locator("input[name=venue]").fill("উপজেলা রিসোর্স সেন্টার, হাতিয়া")
    officer.locator("input[name=starts_on]").fill(today.isoformat())
    officer.locator("input[name=ends_on]").fill((today + dt.timedelta(days=2)).isoformat())
    officer.locator("input[name=capacity]").fill("২৫")
    officer.locator("input[name=cost_venue]").fill("৩০,০০০")
    submit(officer)
    assert re.fullmatch(r"/training/batches/\d+/", urlsplit(officer.url).path), officer.url
    batch_path = urlsplit(officer.url).path
    audit(officer)
    assert "৩০,০০০" in officer.locator("main").inner_text()

    with officer.expect_navigation():
        officer.locator(f"main a[href='{batch_path}invite/']").tap()
    audit(officer)
    boxes = officer.locator("input[name=teacher]")
    invited_phone = None
    if boxes.count():  # Rubi first when she can be invited (her sign-in is cached for the package)
        officer.locator("input[name=q]").fill("রুবি")
        with officer.expect_navigation():
            officer.locator("main form.stack button[type=submit]").first.tap()
        audit(officer)
        if boxes.count() == 0:
            officer.goto(site(f"{batch_path}invite/"))
    if boxes.count() == 0:
        assert officer.locator("#no-eligible").is_visible()
    else:
        row = officer.locator("fieldset.choices div").first
        label = row.locator("label").inner_text().translate(BN_TO_EN)
        invited_phone = re.search(r"01\d{3}-?\d{6}", label).group(0)
        row.locator("input[name=teacher]").check()
        with officer.expect_navigation():
            officer.locator("main form.stack button[type=submit]").last.tap()
        audit(officer)
        assert officer.locator(".msg").count() >= 1

    # The attendance page of today.
    with officer.expect_navigation():
        officer.goto(site(f"{batch_path}attendance/"))
    assert urlsplit(officer.url).path == f"{batch_path}attendance/{today.isoformat()}/"
    audit(officer)
    if invited_phone is None:
        assert officer.locator("#no-accepted").is_visible()
        site.figures.append("training flow: no eligible demo teacher; checked the empty states")
        return

    # She accepts from her learning page.
    state = teacher_state if invited_phone.replace("-", "") == RUBI.replace("-", "") else signed_in_state(invited_phone)
    teacher = new_context(storage_state=state).new_page()
    teacher.goto(site("/learn/"))
    audit(teacher)
    with teacher.expect_navigation():
        teacher.locator("#my-invitations li").filter(has_text="উপজেলা রিসোর্স সেন্টার, হাতিয়া").locator("a").first.tap()
    audit(teacher)
    with teacher.expect_navigation():
        teacher.locator("button[name=answer][value=accept]").tap()
    audit(teacher)
    assert teacher.locator("button[name=answer][value=accept]").count() == 0  # accepted: only "Decline" is left

    # He marks her present.
    officer.reload()
    audit(officer)
    box = officer.locator("input[name=present]").first
    box.check()
    with officer.expect_navigation():
        officer.locator("main form.stack button[type=submit]").tap()
    audit(officer)
    assert officer.locator("input[name=present]").first.is_checked()
    site.figures.append(f"training flow: invited {invited_phone}, she accepted, marked present")
