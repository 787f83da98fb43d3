"""Certificates on a 360 px phone: a visitor checks a code (unknown → the plain "not found" page; a typo →
a sentence on the form); Rubi's certificates page; an officer's. When the demo data holds a certificate
(Rubi's, once the demo course is finished in demo_data), a visitor checks it and sees it is genuine."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

OFFICER_HATIA = "01711-000004"


def check_code(page, site, code):
    page.goto(site("/verify/"))
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").tap()
    return navigation.value


def test_visitor_checks_codes(phone, site, audit):
    phone.goto(site("/verify/"))
    audit(phone)
    assert phone.locator("html").get_attribute("lang") == "bn"

    response = check_code(phone, site, "abcd-2345-efgh-6789")  # well-formed, never issued
    assert urlsplit(phone.url).path == "/verify/ABCD2345EFGH6789/"
    assert response.status == 404
    audit(phone)
    # A real page: no certificate has this code — check the letters; the form again, holding what she typed.
    assert phone.locator("[data-testid=verify-status]").count() == 1
    assert phone.locator("input[name=code]").input_value() == "ABCD2345EFGH6789"

    response = check_code(phone, site, "১২৩")  # a typo: the form says what a code looks like
    assert response.status == 200
    assert urlsplit(phone.url).path == "/verify/"
    audit(phone)
    assert phone.locator("main [role=alert]").count() == 1
    assert phone.locator("input[name=code]").input_value() == "১২৩"


def test_rubi_and_an_officer_see_certificates_and_a_visitor_verifies_one(new_context, site, audit, teacher_state,
                                                                        signed_in_state):
    rubi = new_context(storage_state=teacher_state).new_page()
    rubi.goto(site("/certificates/"))
    audit(rubi)
    assert rubi.locator("main h1").count() == 1
    assert rubi.locator("main input[name=q]").count() == 0  # her own: nothing to search

    officer = new_context(storage_state=signed_in_state(OFFICER_HATIA)).new_page()
    officer.goto(site("/certificates/"))
    audit(officer)
    assert officer.locator("main input[name=q]").count() == 1

    links = rubi.locator("main ul.certificates a")
    if links.count() == 0:
        return  # no demo certificate yet: the verification of a real one is covered by the unit tests
    with rubi.expect_navigation():
        links.first.tap()
    audit(rubi)
    verify_path = urlsplit(rubi.locator("main .cert-url a").get_attribute("href")).path

    visitor = new_context().new_page()
    response = visitor.goto(site(verify_path))
    assert response.status == 200
    audit(visitor)
    assert visitor.locator("[data-testid=verify-status]").count() == 1
    assert "রুবি আক্তার" in visitor.locator("main").inner_text()
