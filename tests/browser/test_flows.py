"""The first minutes of Shikhon on a 360 px phone: signing in by SMS code (Bangla and English), registering
and being approved, and an officer's home. Every page visited is checked for sideways scrolling and for
serious or critical accessibility problems (axe-core)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .support import enter_demo_code, sign_in_by_code, submit

pytestmark = pytest.mark.browser

HATIA_GPS_BN = "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়"
HATIA_GPS_EN = "Hatia Government Primary School"
# Her school's card on her home (the home leads with her next step, so it is not always the first card).
SCHOOL_CARD = "main section.card[aria-labelledby^='school-']"


def open_sign_in_from_home(page, site, audit):
    page.goto(site("/"))
    audit(page)
    with page.expect_navigation():
        page.locator("header a[href='/sign-in/']").tap()
    assert urlsplit(page.url).path == "/sign-in/"
    audit(page)


def test_teacher_signs_in_by_code(phone, site, audit):
    open_sign_in_from_home(phone, site, audit)
    sign_in_by_code(phone, phone="01711-000007", audit=audit)

    assert phone.url == site("/")
    audit(phone)
    assert phone.locator("html").get_attribute("lang") == "bn"
    school = phone.locator(SCHOOL_CARD + " h2").first
    assert school.inner_text() == HATIA_GPS_BN
    assert "রুবি আক্তার" in phone.locator("main h1").inner_text()
    assert "১০০০০১" in phone.locator(SCHOOL_CARD).first.inner_text()  # EIIN in Bangla digits


def test_teacher_signs_in_in_english_and_english_stays(phone, site, audit):
    phone.goto(site("/"))
    audit(phone)
    with phone.expect_navigation():
        phone.locator("header button[name=language][value=en]").tap()
    assert phone.locator("html").get_attribute("lang") == "en"
    audit(phone)

    with phone.expect_navigation():
        phone.locator("header a[href='/sign-in/']").tap()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("main h1").inner_text() == "Sign in"
    audit(phone)
    sign_in_by_code(phone, phone="01711-000007", audit=audit)

    assert phone.url == site("/")
    audit(phone)
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("main h1").inner_text() == "Welcome, Rubi Akter"
    assert phone.locator(SCHOOL_CARD + " h2").first.inner_text() == HATIA_GPS_EN
    assert "100001" in phone.locator(SCHOOL_CARD).first.inner_text()

    # Still English on the next page, and back home again.
    with phone.expect_navigation():
        phone.locator("header a[href='/profile/']").tap()
    assert phone.locator("html").get_attribute("lang") == "en"
    audit(phone)
    with phone.expect_navigation():
        phone.locator("header a.brand").tap()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("main h1").inner_text() == "Welcome, Rubi Akter"


def test_new_teacher_registers_and_head_teacher_approves(new_context, site, audit):
    teacher = new_context().new_page()
    teacher.goto(site("/"))
    audit(teacher)
    with teacher.expect_navigation():
        teacher.locator("main a[href='/register/']").tap()  # the welcome page's button (the bar holds the library)
    audit(teacher)
    teacher.locator("input[name=phone]").fill("01799-000123")
    teacher.locator("input[name=name_bn]").fill("শিরিন সুলতানা")
    teacher.locator("input[name=name_en]").fill("Shirin Sultana")
    teacher.locator("input[name=school]").fill("১০০০০১")  # Bangla digits are fine
    teacher.locator("select[name=kind]").select_option("teacher")
    submit(teacher)
    assert urlsplit(teacher.url).path == "/sign-in/code/", teacher.url
    enter_demo_code(teacher, audit=audit)

    assert teacher.url == site("/")
    audit(teacher)
    pending = teacher.locator("main .msg.warning")
    assert HATIA_GPS_BN in pending.inner_text()
    assert teacher.locator(SCHOOL_CARD).count() == 0  # not a member yet

    head = new_context().new_page()
    open_sign_in_from_home(head, site, audit)
    sign_in_by_code(head, phone="01711-000006", audit=audit)
    assert head.url == site("/")
    audit(head)
    with head.expect_navigation():
        head.locator("main a[href='/approvals/']").tap()
    audit(head)
    row = head.locator("main ul.list > li").filter(has_text="শিরিন সুলতানা")
    assert row.count() == 1
    with head.expect_navigation():
        row.locator("button[name=decision][value=approve]").tap()
    assert urlsplit(head.url).path == "/approvals/"
    audit(head)
    assert head.locator("main .messages .msg.success").count() == 1, head.locator("main").inner_text()
    assert head.locator("main ul.list > li").filter(has_text="শিরিন সুলতানা").count() == 0

    teacher.goto(site("/"))
    audit(teacher)
    assert teacher.locator("main .msg.warning").count() == 0, teacher.locator("main").inner_text()
    assert teacher.locator(SCHOOL_CARD + " h2").first.inner_text() == HATIA_GPS_BN


def test_upazila_officer_sees_area_counts(phone, site, audit):
    open_sign_in_from_home(phone, site, audit)
    sign_in_by_code(phone, phone="01711-000004", audit=audit)
    assert phone.url == site("/")
    audit(phone)
    area = phone.locator("main section.card:not(#funnel)").filter(has=phone.locator(".cards"))
    assert area.count() == 1
    assert area.locator("h2").inner_text() == "হাতিয়া"
    counts = area.locator(".stat b").all_inner_texts()
    # Hatia in the demo: 8 schools; Masuma, Rubi, Kamrun and the four course-story teachers (Nasima, Shahnaz,
    # Roksana, Jasim), the practice demo's eight (Sumaiya, Fatema, Lipi, Tahmina at Hatia GPS; Sonadia GPS's head
    # teacher and three teachers), the library demo's three authors at Hatia's schools (Ayesha, Rafiqul, Nazma),
    # plus Shirin once approved; two head teachers (Masuma; Sonadia GPS's).
    assert counts[0] == "৮"
    assert counts[1] in {"১৮", "১৯"}
    assert counts[2] == "২"


def test_visitor_finds_school_eiin_then_officer_browses_to_its_teachers(phone, site, audit):
    # A visitor registering looks up her school by a Bangla word.
    phone.goto(site("/register/"))
    audit(phone)
    with phone.expect_navigation():
        phone.locator("main a[href^='/places/search/']").tap()
    audit(phone)
    phone.locator("main input[name=q]").fill("চরকিং")
    with phone.expect_navigation():
        phone.locator("main input[name=q]").press("Enter")
    audit(phone)
    assert "১০০০০২" in phone.locator("main").inner_text()

    # The Hatia officer walks division → district → upazila → school → teachers.
    open_sign_in_from_home(phone, site, audit)
    sign_in_by_code(phone, phone="01711-000004", audit=audit)
    phone.goto(site("/places/"))
    audit(phone)
    for name in ("চট্টগ্রাম", "নোয়াখালী", "হাতিয়া", HATIA_GPS_BN):
        with phone.expect_navigation():
            phone.locator("main a", has_text=name).first.tap()
        audit(phone)
    with phone.expect_navigation():
        phone.locator("main a[href$='/teachers/']").tap()
    audit(phone)
    text = phone.locator("main").inner_text()
    assert "মাসুমা বেগম" in text and "রুবি আক্তার" in text
