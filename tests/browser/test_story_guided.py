"""Issue 10's "done when", as one story on a 360 px phone against the demo, in Bangla and then in English:

1. A visitor browses the maths course and registers from its page (her head teacher approves her).
2. Her home leads her through the first module: every step is the home's own "next step" button.
3. She is stopped from taking a quiz until its module's activities are done, and module 2 stays locked.
4. She finishes the course; her home shows the certificate and the training it makes her eligible for.
5. The upazila officer moves the batch's date, and she is told.
6. She completes the training and gets the training certificate, which a visitor verifies by scanning the QR code
   of its PDF (the address printed on page and PDF) on the demo's own port.
7. Her head teacher sees her progress on the school's page.

Every page is checked at 360 px (no sideways scroll, axe). The quizzes are answered from the server's answer key
(test_story.answer_key); everything else happens through the pages, as a person would do it."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

import pypdfium2
import pytest

from shikhon.certificates.tests.qr import qr_texts_in_pdf
from shikhon.core.clock import dhaka_today

from .support import batch_create, enter_demo_code, submit
from .test_story import fill_correct_answers

pytestmark = pytest.mark.browser

COURSE = "/courses/anonde-gonit-shikhi/"
OFFICER = "01711-000004"  # Hatia upazila education officer
HEAD_TEACHER = "01711-000006"  # head teacher of the Hatia government primary school (EIIN 100001)
SCHOOL_EIIN = "১০০০০১"
PROGRAMME = "আনন্দে গণিত শিখি — মুখোমুখি প্রশিক্ষণ"

TEACHERS = {
    "bn": {"phone": "01799-000210", "name_bn": "সাবিনা ইয়াসমিন", "name_en": "Sabina Yasmin"},
    "en": {"phone": "01799-000211", "name_bn": "নাসিমা খাতুন", "name_en": "Nasima Khatun"},
}
WORDS = {
    "bn": {"told": "বদলেছে", "certificate": "সনদ"},
    "en": {"told": "has changed", "certificate": "ertificate"},
}


def switch_language(page: Any, language: str) -> None:
    """The language switch: in the header for a visitor, in the menu once signed in."""
    button = page.locator(f"button[name=language][value={language}]").first
    menu = page.locator("details.menu").filter(has=button)
    if menu.count() and not menu.first.evaluate("d => d.open"):
        menu.first.locator("summary").tap()
    with page.expect_navigation():
        button.tap()
    assert page.locator("html").get_attribute("lang") == language


def follow_home(page: Any, site: Any, audit: Any, *, until: str, seen: set[str]) -> list[str]:
    """Tap the home's next-step button and do that step, again and again, until the home shows `until` (a card
    id). Returns the kinds of steps done ("activity", "quiz")."""
    steps: list[str] = []
    for _ in range(80):
        page.goto(site("/"))
        if page.locator(f"main #{until}").count():
            return steps
        nxt = page.locator("main #next-step")
        assert nxt.count() == 1, f"her home shows no next step: {page.locator('main').inner_text()[:500]}"
        with page.expect_navigation():
            nxt.tap()
        path = urlsplit(page.url).path
        kind = "quiz" if path.startswith(("/quizzes/", "/attempts/")) else "activity"
        if path not in seen:
            audit(page)
            seen.add(re.sub(r"\d+", "N", path))
        if kind == "activity":
            assert re.fullmatch(r"/activities/\d+/", path), page.url
            with page.expect_navigation():
                page.locator("main form[data-progress-form] button[name=done]").tap()
            assert page.locator("main form[data-progress-form] button[name=done]").count() == 0
        else:
            start = page.locator("main form[action$='/start/'] button")
            if start.count():
                with page.expect_navigation():
                    start.tap()
            assert re.fullmatch(r"/attempts/\d+/", urlsplit(page.url).path), page.url
            fill_correct_answers(page, site)
            with page.expect_navigation():
                page.locator("form[data-quiz-form] button[type=submit]").tap()
        steps.append(kind)
    pytest.fail(f"her home never showed #{until} after {len(steps)} steps")


@pytest.mark.parametrize("language", ["bn", "en"])
def test_a_visitor_is_led_from_the_course_page_to_both_certificates(language: str, new_context: Any,
                                                                     signed_in_state: Any, site: Any,
                                                                     audit: Any) -> None:
    who = TEACHERS[language]
    words = WORDS[language]
    seen: set[str] = set()

    # 1. A visitor browses the catalogue and the course, then registers from the course page.
    teacher = new_context().new_page()
    teacher.goto(site("/"))
    if language != "bn":
        switch_language(teacher, language)
    teacher.goto(site("/courses/"))
    audit(teacher)
    with teacher.expect_navigation():
        teacher.locator(f"main a[href='{COURSE}']").first.tap()
    audit(teacher)
    main = teacher.locator("main")
    assert main.locator("a[href^='/activities/']").count() == 0  # activities are for enrolled teachers
    assert teacher.locator("main video").count() == 1  # the sample video
    with teacher.expect_navigation():
        teacher.locator("main a[href^='/register/']").tap()
    audit(teacher)
    teacher.locator("input[name=phone]").fill(who["phone"])
    teacher.locator("input[name=name_bn]").fill(who["name_bn"])
    teacher.locator("input[name=name_en]").fill(who["name_en"])
    teacher.locator("input[name=school]").fill(SCHOOL_EIIN)
    teacher.locator("select[name=kind]").select_option("teacher")
    submit(teacher)
    assert urlsplit(teacher.url).path == "/sign-in/code/", teacher.url
    enter_demo_code(teacher, audit=audit)
    assert urlsplit(teacher.url).path == COURSE, f"registering did not return her to the course: {teacher.url}"

    head = new_context(storage_state=signed_in_state(HEAD_TEACHER)).new_page()
    if language != "bn":
        head.goto(site("/"))
        switch_language(head, language)
    head.goto(site("/approvals/"))
    row = head.locator("main ul.list > li").filter(has_text=who["name_bn"] if language == "bn" else who["name_en"])
    with head.expect_navigation():
        row.locator("button[name=decision][value=approve]").tap()

    teacher.goto(site(COURSE))
    with teacher.expect_navigation():
        teacher.locator("main form[action$='/enrol/'] button").tap()
    audit(teacher)

    # 3. Before module 1's activities are done its quiz offers no start, and module 2 is locked.
    first_module = teacher.locator("main a[href^='/modules/']").first.get_attribute("href")
    teacher.goto(site(first_module))
    quiz = teacher.locator("main a[href^='/quizzes/']").first.get_attribute("href")
    teacher.goto(site(quiz))
    audit(teacher)
    assert teacher.locator("main form[action$='/start/']").count() == 0
    assert teacher.locator("main .msg.warning").count() == 1
    teacher.goto(site(COURSE))
    modules = teacher.locator("main a[href^='/modules/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(modules) >= 2
    teacher.goto(site(modules[1]))
    audit(teacher)
    assert teacher.locator("main a[href^='/quizzes/']").count() == 0, "a locked module offers its quiz"
    assert teacher.locator("main [data-offline-module] button").count() == 0, "a locked module offers a download"

    # 2. Her home leads her through the first module: activities, then the quiz, then module 2's first activity.
    teacher.goto(site("/"))
    audit(teacher)
    assert teacher.locator("main #continue progress").count() == 1
    first_steps = follow_home(teacher, site, audit, until="certificate", seen=seen)
    assert first_steps[:3] == ["activity"] * 3, first_steps[:5]
    assert first_steps.count("quiz") == 9, f"nine quizzes, one per module: {first_steps}"
    # Every quiz came after its module's activities: never two quizzes in a row.
    assert "quiz,quiz" not in ",".join(first_steps)

    # 4. Her home shows the certificate and the training it makes her eligible for.
    teacher.goto(site("/"))
    card = teacher.locator("main #certificate")
    assert PROGRAMME in card.inner_text(), card.inner_text()
    audit(teacher)

    # 5. The officer makes a batch for tomorrow, invites her, then moves it to today: she is told.
    officer = new_context(storage_state=signed_in_state(OFFICER)).new_page()
    if language != "bn":
        officer.goto(site("/"))
        switch_language(officer, language)
    today = dhaka_today()
    tomorrow = today + datetime.timedelta(days=1)
    officer.goto(site("/training/batches/new/"))
    audit(officer)
    batch_path = batch_create(officer, programme=PROGRAMME, title=f"হাতিয়া — {who['name_bn']}দের ব্যাচ",
                              venue="পিটিআই, হাতিয়া", starts_on=tomorrow.strftime("%d/%m/%Y"),
                              ends_on=tomorrow.strftime("%d/%m/%Y"))
    officer.goto(site(f"{batch_path}invite/"))
    officer.locator("input[name=q]").fill(who["name_bn"].split()[0])
    with officer.expect_navigation():
        officer.locator("main form.stack button[type=submit]").first.tap()
    officer.locator("input[name=teacher]").first.check()
    with officer.expect_navigation():
        officer.locator("main form.stack button[type=submit]").last.tap()

    teacher.goto(site("/"))
    invitation = teacher.locator("main #invitation")
    assert invitation.count() == 1, teacher.locator("main").inner_text()[:500]
    audit(teacher)

    officer.goto(site(f"{batch_path}edit/"))
    audit(officer)
    officer.locator("input[name=starts_on]").fill(today.strftime("%d/%m/%Y"))
    officer.locator("input[name=ends_on]").fill(today.strftime("%d/%m/%Y"))
    submit(officer)
    assert urlsplit(officer.url).path == batch_path, officer.url

    teacher.goto(site("/notifications/"))
    audit(teacher)
    told = teacher.locator("main").inner_text()
    assert words["told"] in told.lower(), told[:600]

    # She accepts; he marks her present and completes the batch.
    teacher.goto(site("/"))
    with teacher.expect_navigation():
        teacher.locator("main #invitation a").first.tap()
    with teacher.expect_navigation():
        teacher.locator("button[name=answer][value=accept]").tap()
    officer.goto(site(f"{batch_path}attendance/{today.isoformat()}/"))
    officer.locator("input[name=present]").first.check()
    with officer.expect_navigation():
        officer.locator("main form.stack button[type=submit]").tap()
    officer.goto(site(batch_path))
    with officer.expect_navigation():
        officer.locator("main form[action$='/complete/'] button[type=submit]").tap()
    audit(officer)

    # 6. The training certificate: on her home, and verified by a visitor at its printed (QR) address.
    link = teacher.locator("main #trained a[href^='/certificates/']")
    for _ in range(30):  # issued by a task after the batch is completed
        teacher.goto(site("/"))
        if link.count():
            break
        teacher.wait_for_timeout(1000)
    audit(teacher)
    with teacher.expect_navigation():
        link.first.tap()
    audit(teacher)
    assert PROGRAMME in teacher.locator("main h1").inner_text()
    assert words["certificate"] in teacher.locator("main").inner_text()
    address = teacher.locator("main .cert-url a").inner_text().strip()
    assert address.startswith(site.url + "/verify/"), f"the printed address {address} is not the demo's own"
    pdf = teacher.request.get(site(urlsplit(teacher.url).path + "pdf/"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    document = pypdfium2.PdfDocument(pdf.body())
    printed = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert address in printed.replace("\r", "").replace("\n", ""), f"the PDF does not print {address}"
    # The visitor scans the QR code drawn on the PDF's page (rendered, then decoded as a phone would) and opens
    # what it says: the test builds no address.
    scanned = qr_texts_in_pdf(pdf.body())
    assert scanned == [address], f"the PDF's QR code says {scanned}, the page and the PDF print {address}"
    visitor = new_context().new_page()
    visitor.goto(scanned[0])
    assert visitor.url == scanned[0], visitor.url  # the demo's own port answered, no redirect elsewhere
    audit(visitor)
    verified = visitor.locator("main").inner_text()
    assert who["name_bn"] in verified or who["name_en"] in verified, verified[:600]
    assert PROGRAMME in verified or "training" in verified.lower(), verified[:600]

    # 7. Her head teacher sees her progress on the school's page.
    head.goto(site("/progress/"))
    audit(head)
    school_link = head.locator("main a[href^='/progress/school/']")
    if school_link.count():
        with head.expect_navigation():
            school_link.first.tap()
    audit(head)
    mine = head.locator("main li, main tr").filter(has_text=who["name_bn"] if language == "bn" else who["name_en"])
    assert mine.count() >= 1, head.locator("main").inner_text()[:800]
    assert ("১০০" if language == "bn" else "100") in mine.first.inner_text(), mine.first.inner_text()
    site.figures.append(f"guided story ({language}): registered from the course page, led by her home through "
                        f"{len(first_steps)} steps, certified, told of the moved batch, trained, verified; "
                        "her head teacher saw her at 100%")
