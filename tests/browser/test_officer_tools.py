"""Officers' and national admins' tools on a 360 px phone: clusters, the school import, the audit log and
personal access tokens. Every page is checked for sideways scrolling and serious accessibility problems."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .support import sign_in_by_code, submit

pytestmark = pytest.mark.browser


def sign_in(page, site, number, audit):
    page.goto(site("/sign-in/"))
    audit(page)
    sign_in_by_code(page, phone=number, audit=audit)
    assert page.url == site("/")
    audit(page)


def test_upazila_officer_makes_a_cluster(phone, site, audit):
    sign_in(phone, site, "01711-000004", audit)
    with phone.expect_navigation():
        phone.locator("main a[href='/clusters/']").tap()
    audit(phone)
    with phone.expect_navigation():
        phone.locator("main a[href$='/new/']").first.tap()
    audit(phone)
    phone.locator("input[name=name_bn]").fill("হাতিয়া দক্ষিণ ক্লাস্টার")
    phone.locator("label", has_text="জাহাজমারা").tap()
    phone.locator("label", has_text="সোনাদিয়া").tap()
    submit(phone)
    assert urlsplit(phone.url).path == "/clusters/"
    audit(phone)
    row = phone.locator("main ul.list > li").filter(has_text="হাতিয়া দক্ষিণ ক্লাস্টার")
    assert "২টি" in row.inner_text()


def test_national_admin_checks_a_school_file_then_reads_the_audit_log(phone, site, audit, tmp_path):
    sign_in(phone, site, "01711-000001", audit)
    with phone.expect_navigation():
        phone.locator("main a[href='/schools/import/']").tap()
    audit(phone)
    csv = tmp_path / "schools.csv"
    csv.write_text("eiin,name_bn,name_en,kind,upazila\n"
                   "100009,বুড়িরচর সরকারি প্রাথমিক বিদ্যালয়,Burirchar GPS,gov_primary,46\n"
                   "12345,ভুল,Wrong,gov_primary,46\n", encoding="utf-8")
    phone.locator("input[type=file]").set_input_files(str(csv))
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").tap()
    audit(phone)
    text = phone.locator("main").inner_text()
    assert "কিছুই ইমপোর্ট করা হয়নি" in text  # nothing imported: one row is bad

    phone.goto(site("/audit/"))
    audit(phone)
    assert phone.locator("main h1").count() == 1


def test_officer_makes_and_revokes_an_access_token(phone, site, audit):
    sign_in(phone, site, "01711-000003", audit)
    phone.goto(site("/profile/tokens/"))
    audit(phone)
    phone.locator("input[name=name]").fill("জেলা প্রতিবেদন")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").first.tap()
    audit(phone)
    assert "shk_" in phone.locator("main").inner_text()


def test_invited_teacher_finds_her_notification(new_context, site, audit):
    head = new_context().new_page()
    sign_in(head, site, "01711-000006", audit)
    head.goto(site("/invite/"))
    audit(head)
    head.locator("input[name=phone]").fill("01799-000456")
    head.locator("input[name=name_bn]").fill("নাজমা খাতুন")
    head.locator("input[name=school]").fill("100001")
    submit(head)
    audit(head)

    teacher = new_context().new_page()
    sign_in(teacher, site, "01799-000456", audit)
    # A teacher's unread count rides on Home; her home page heads with the new notifications, linked to all.
    home = teacher.locator("header nav.bar a[href='/']")
    assert "১" in home.locator(".count").inner_text()
    assert teacher.url == site("/")
    with teacher.expect_navigation():
        teacher.locator("main #h-notifications a[href='/notifications/']").tap()
    audit(teacher)
    assert "হাতিয়া সরকারি প্রাথমিক বিদ্যালয়" in teacher.locator("main").inner_text()
    with teacher.expect_navigation():
        teacher.locator("main .notifications button").first.tap()
    audit(teacher)
    teacher.goto(site("/notifications/sms/"))
    audit(teacher)
