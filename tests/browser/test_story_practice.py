"""Issue 11's "done when", as one story on a 360 px phone against the demo, in Bangla and then in English:

1. Sumaiya (the demo's story teacher at Hatia GPS: modules 1–8 passed, five practice records over ten weeks) finishes
   module 9, opens one of its activities, taps "Try it in your class" and plans it.
2. After class she records it with the network off: the form waits in the phone's outbox, and after going off and on
   line three times the server holds exactly one record for it.
3. Her head teacher Masuma acknowledges it from her school's page, records a circle meeting where Sumaiya shares it,
   and asks to observe her lesson; Sumaiya agrees; Masuma records the observation (strengths first); Sumaiya reads
   it, strengths first, and replies.
4. Sumaiya enters her class's baseline and follow-up learner checks (the baseline dated a week earlier).
5. The nightly job runs as the scheduler would enqueue it, on the server's database: her status page shows her an
   ongoing user beside the written definition, the certificate of practice is on her certificates page, and a
   visitor verifies it at the address of the QR code printed on its PDF.
6. The Hatia officer sees ongoing users and the cost per ongoing user, the formula written beside the figure.
7. The officer and Sumaiya read the same pages in English.

Every page is checked at 360 px (no sideways scroll, axe). The new forms (plan, record, meeting, observation
record, learner check) are then weighed and timed on Regular 2G. The quiz is answered from the server's answer key
and the sync is counted in the server's database; everything else happens through the pages."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest

from shikhon.certificates.tests.qr import qr_texts_in_pdf
from shikhon.core.clock import dhaka_today

from .conftest import BASE_DIR
from .support import NetworkLog, emulate_regular_2g, load_time_ms, server_rows, total
from .test_story import do_module_activities, fill_correct_answers, open_attempt
from .test_story_guided import switch_language

pytestmark = pytest.mark.browser

SUMAIYA = "01711-000017"  # shikhon.demo.data.STORY_PRACTICE_TEACHER
SUMAIYA_BN, SUMAIYA_EN = "সুমাইয়া আক্তার", "Sumaiya Akter"
MASUMA = "01711-000006"  # head teacher of Hatia GPS (EIIN 100001)
OFFICER = "01711-000004"  # Hatia upazila education officer
COURSE = "/courses/anonde-gonit-shikhi/"
KB = 1000
HTML_BUDGET = 14 * KB
LOAD_BUDGET_MS = 3000
BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def bn_date(day: dt.date) -> str:
    """A date as a teacher types it in a date box: day/month/year in Bangla digits."""
    return day.strftime("%d/%m/%Y").translate(BN_DIGITS)


def tap_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).tap()


def refusals(page: Any) -> str:
    """What the page says was wrong with a form (for a failing assertion's message)."""
    return " | ".join(page.locator("main .msg.error, main .errorlist").all_inner_texts()) or page.url


def run_nightly_job(site: Any) -> str:
    """The nightly ongoing-user job and the certificate-of-practice job, enqueued as `run_worker`'s scheduler does
    when they are due, in a `manage.py` process with the server's settings and database (its task backend runs
    them at once)."""
    here = site.log.parent  # the server's temporary directory: its media, SMS log
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.browser", "DATABASE_URL": site.database_url,
           "MEDIA_ROOT": str(here / "media"), "SMS_BACKEND": "file", "SMS_FILE_PATH": str(here / "sms.log"),
           "SHIKHON_DEMO_MODE": "1", "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "SHIKHON_PUBLIC_URL": site.url}
    env.pop("REDIS_URL", None)
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    script = ("from shikhon.core.schedule import periodic_jobs\n"
              "from shikhon.practice.periodic_jobs import ONGOING_EVALUATE_ALL, PRACTICE_CERTIFICATES_ISSUE\n"
              "for name in (ONGOING_EVALUATE_ALL, PRACTICE_CERTIFICATES_ISSUE):\n"
              "    print(name, 'ran as task', periodic_jobs.get(name).enqueue() or '(no id)')\n")
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"the nightly job failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return " / ".join(line for line in done.stdout.splitlines() if line.startswith("practice_"))


def records_with(site: Any, client_id: str) -> int:
    hexed = uuid.UUID(client_id).hex  # SQLite keeps a UUID as 32 hex digits; PostgreSQL reads them too
    return int(server_rows(site, f"SELECT COUNT(*) FROM practice_practicerecord WHERE client_id = '{hexed}'")[0][0])  # noqa: S608


def outbox_waiting(page: Any) -> int:
    return int(page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open("shikhon", 2);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const request = open.result.transaction("outbox").objectStore("outbox").getAll();
            request.onsuccess = () => { open.result.close(); resolve(request.result.length); };
        };
    })"""))


def finish_module_nine(page: Any, site: Any, audit: Any) -> str:
    """Modules 1–8 are passed: the ninth's activities are done and its quiz passed. Returns the module's path."""
    page.goto(site(COURSE))
    audit(page)
    modules = page.locator("main a[href^='/modules/']").evaluate_all(
        "els => [...new Set(els.map(e => e.getAttribute('href')))]")
    assert len(modules) == 9, modules
    module = modules[-1]
    do_module_activities(page, site, module)
    page.goto(site(module))
    audit(page)
    quiz = page.locator("main a[href^='/quizzes/']").first.get_attribute("href")
    open_attempt(page, site, quiz)
    fill_correct_answers(page, site)
    tap_and_wait(page, "form[data-quiz-form] button[type=submit]")
    audit(page)
    assert page.locator("main p.msg.warning").count() == 0, "module 9: not passed"
    return module


def test_a_teacher_tries_an_activity_in_class_and_becomes_an_ongoing_user(new_context, signed_in_state, site, audit):
    today = dhaka_today()  # the server's calendar: from 18:00 UTC it is tomorrow in Dhaka
    sumaiya = new_context(storage_state=signed_in_state(SUMAIYA)).new_page()
    forms: dict[str, tuple[str, str]] = {}  # the new forms, weighed at the end: name → (path, who)

    # 1. She finishes module 9, opens its first activity and taps "Try it in your class".
    module = finish_module_nine(sumaiya, site, audit)
    sumaiya.goto(site(module))
    activity = sumaiya.locator("main ol.steps a[href^='/activities/']").first.get_attribute("href")
    sumaiya.goto(site(activity))
    audit(sumaiya)
    tap_and_wait(sumaiya, "main a.btn[href^='/practice/plans/new/?activity=']")
    assert urlsplit(sumaiya.url).path == "/practice/plans/new/"
    forms["plan"] = (urlsplit(sumaiya.url).path + "?" + urlsplit(sumaiya.url).query, SUMAIYA)
    audit(sumaiya)
    sumaiya.locator("select[name=grade]").select_option("2")
    sumaiya.locator("input[name=section]").fill("ক")
    sumaiya.locator("input[name=planned_on]").fill("৩১/১৩/২০২৬")  # a slip of the thumb: a sentence, no plan
    tap_and_wait(sumaiya, "main form[data-outbox-kind=practice_plan] button[type=submit]")
    assert urlsplit(sumaiya.url).path == "/practice/plans/new/" and refusals(sumaiya) != sumaiya.url
    audit(sumaiya)
    sumaiya.locator("input[name=planned_on]").fill(bn_date(today))
    tap_and_wait(sumaiya, "main form[data-outbox-kind=practice_plan] button[type=submit]")
    plan_path = urlsplit(sumaiya.url).path
    assert re.fullmatch(r"/practice/plans/\d+/", plan_path), refusals(sumaiya)
    audit(sumaiya)

    # 2. After class, with no network: the record waits on the phone.
    tap_and_wait(sumaiya, "main a.btn[href^='/practice/records/new/?plan=']")
    # weighed later from the activity (this plan's form is gone once it is recorded): the same form
    forms["record"] = (f"/practice/records/new/?activity={activity.strip('/').split('/')[-1]}", SUMAIYA)
    audit(sumaiya)
    client_id = sumaiya.locator("main form[data-outbox-kind=practice_record] input[name=client_id]").input_value()
    sumaiya.context.set_offline(True)
    sumaiya.locator("input[name=outcome][value=taught]").check()
    sumaiya.locator("input[name=taught_on]").fill(bn_date(today))
    sumaiya.locator("input[name=learners_present]").fill("৩৪")
    sumaiya.locator("input[name=minutes]").fill("৪০")
    sumaiya.locator("input[name=rating][value='5']").check()
    sumaiya.locator("textarea[name=what_worked]").fill("শিশুরা দশের বান্ডিল বানিয়ে নিজেরাই গুনল।")
    sumaiya.locator("textarea[name=what_to_change]").fill("পরের বার প্রতিটি দলে একজন গণনাকারী ঠিক করে দেব।")
    sumaiya.locator("main form[data-outbox-kind=practice_record] button[type=submit]").tap()
    sumaiya.locator("[data-outbox] .msg.warning").wait_for(timeout=10_000)
    audit(sumaiya)
    assert outbox_waiting(sumaiya) == 1 and records_with(site, client_id) == 0

    # Online and off again three times, the outbox running each time: one record on the server, once.
    syncs: list[str] = []
    sumaiya.on("request", lambda r: syncs.append(r.url) if r.url.endswith("/sync/") and r.method == "POST" else None)
    for _ in range(3):
        sumaiya.context.set_offline(False)
        sumaiya.wait_for_function("() => navigator.onLine")
        sumaiya.evaluate("window.dispatchEvent(new Event('online'))")
        sumaiya.wait_for_function("() => !document.querySelector('[data-outbox] .msg.warning')", timeout=45_000)
        sumaiya.wait_for_timeout(500)
        sumaiya.context.set_offline(True)
        sumaiya.wait_for_function("() => !navigator.onLine")
    sumaiya.context.set_offline(False)
    assert outbox_waiting(sumaiya) == 0
    assert records_with(site, client_id) == 1, f"{records_with(site, client_id)} records after {len(syncs)} syncs"
    hexed = uuid.UUID(client_id).hex
    record_pk = int(server_rows(site, f"SELECT id FROM practice_practicerecord WHERE client_id = '{hexed}'")[0][0])  # noqa: S608
    result = sumaiya.locator(f"[data-outbox] a[href='/practice/records/{record_pk}/']")
    assert result.count() == 1, sumaiya.locator("[data-outbox]").inner_text()
    tap_and_wait(sumaiya, f"[data-outbox] a[href='/practice/records/{record_pk}/']")
    audit(sumaiya)
    site.figures.append(f"practice story: the offline record reached the server once ({len(syncs)} sync requests "
                        "over three reconnections)")

    # 3. Masuma acknowledges it from her school's page.
    masuma = new_context(storage_state=signed_in_state(MASUMA)).new_page()
    masuma.goto(site("/"))
    tap_and_wait(masuma, "a[href='/practice/school/']")
    audit(masuma)
    tap_and_wait(masuma, f"main form[action='/practice/records/{record_pk}/acknowledge/'] button")
    audit(masuma)
    assert masuma.locator(f"main form[action='/practice/records/{record_pk}/acknowledge/']").count() == 0

    # She records the circle meeting: Sumaiya came and shared her record.
    masuma.goto(site("/practice/school/"))
    tap_and_wait(masuma, "main nav.actions a[href^='/practice/circles/']")
    audit(masuma)
    tap_and_wait(masuma, "main a.btn[href$='/meetings/new/']")
    forms["meeting"] = (urlsplit(masuma.url).path, MASUMA)
    audit(masuma)
    masuma.locator("input[name=held_on]").fill(bn_date(today))
    masuma.locator("label.choice").filter(has_text=SUMAIYA_BN).locator("input[name=attendees]").check()
    masuma.locator("input[name=activities]").first.check()
    masuma.locator(f"input[name=reflections][value='{record_pk}']").check()
    masuma.locator("textarea[name=notes]").fill("সুমাইয়া দশের বান্ডিলের কাজটি কেমন হলো বললেন; সবাই গণনাকারীর বুদ্ধিটা "
                                                 "নেবেন।")
    tap_and_wait(masuma, "main form[data-outbox-kind=practice_meeting] button[type=submit]")
    assert re.fullmatch(r"/practice/meetings/\d+/", urlsplit(masuma.url).path), refusals(masuma)
    audit(masuma)
    assert SUMAIYA_BN in masuma.locator("main").inner_text()

    # She asks to observe Sumaiya's lesson (from her row on the school's page).
    masuma.goto(site("/practice/school/"))
    row = masuma.locator("main ul.list li").filter(has_text=SUMAIYA_BN).filter(
        has=masuma.locator("a[href^='/practice/observations/new/']"))
    with masuma.expect_navigation():
        row.first.locator("a[href^='/practice/observations/new/']").tap()
    audit(masuma)
    masuma.locator("input[name=proposed_on]").fill(bn_date(today))
    masuma.locator("textarea[name=message]").fill("আপনার দশের বান্ডিলের পাঠটি দেখতে চাই — শুধু শেখার জন্য।")
    tap_and_wait(masuma, "main form.stack button[type=submit]")
    observation = urlsplit(masuma.url).path
    assert re.fullmatch(r"/practice/observations/\d+/", observation), refusals(masuma)
    audit(masuma)

    # Sumaiya agrees.
    sumaiya.goto(site("/practice/observations/"))
    audit(sumaiya)
    tap_and_wait(sumaiya, f"main a[href='{observation}']")
    audit(sumaiya)
    sumaiya.locator("input[name=answer][value=agree]").check()
    tap_and_wait(sumaiya, "main form[action$='/answer/'] button[type=submit]")
    audit(sumaiya)

    # Masuma records the lesson: her strengths first, a level for each item, one thing to try.
    masuma.goto(site(observation))
    tap_and_wait(masuma, f"main a.btn[href='{observation}record/']")
    forms["observation record"] = (observation + "record/", MASUMA)
    audit(masuma)
    strengths = "শিশুরা সবাই নিজের হাতে কাঠি নিয়ে দশের বান্ডিল বানিয়েছে; আপনি প্রতিটি দলের কাছে গিয়েছেন।"
    masuma.locator("textarea[name=strengths]").fill(strengths)
    for item in masuma.locator("main fieldset.question").all():
        item.locator("input[type=radio]").first.check()
    masuma.locator("[name=try_text_1]").fill("পেছনের সারির শিশুদের আগে বলার সুযোগ দিন।")
    masuma.locator("select[name=try_link_1]").select_option(index=1)  # an activity or module that helps
    tap_and_wait(masuma, "main form[data-outbox-kind=practice_observation_entry] button[type=submit]")
    assert urlsplit(masuma.url).path == observation, refusals(masuma)
    audit(masuma)

    # Sumaiya reads it, strengths first, and replies.
    sumaiya.goto(site(observation))
    audit(sumaiya)
    entry = sumaiya.locator("main section.card[id^=entry-]").first
    assert entry.locator("h3").first.evaluate("h => h.nextElementSibling.className") == "strengths"
    assert entry.locator("p.strengths").inner_text().strip() == strengths
    first_text = entry.evaluate("s => [...s.querySelectorAll('h3 + *')].map(e => e.textContent.trim())[0]")
    assert first_text == strengths, first_text
    sumaiya.locator("textarea[name=text]").fill("ধন্যবাদ আপা। পরের পাঠে পেছনের সারি থেকে শুরু করব।")
    tap_and_wait(sumaiya, "main form[action$='/reply/'] button[type=submit]")
    audit(sumaiya)
    assert "পেছনের সারি থেকে শুরু করব" in sumaiya.locator("main").inner_text()

    # 4. Her class's learner checks: the baseline a week ago, the follow-up today.
    for kind, day in (("baseline", today - dt.timedelta(days=7)), ("follow_up", today)):
        sumaiya.goto(site("/practice/checks/"))
        if kind == "baseline":
            audit(sumaiya)
        new_round = ("main a[href^='/practice/checks/new/?kind=baseline']" if kind == "baseline" else
                     "main a[href^='/practice/checks/new/?kind=follow_up'][href*='grade=2&']")
        tap_and_wait(sumaiya, new_round)
        forms.setdefault("learner check", (urlsplit(sumaiya.url).path, SUMAIYA))
        audit(sumaiya)
        form = sumaiya.locator("main form[data-outbox-kind=practice_check_results]")
        form.locator(f"input[name=kind][value={kind}]").check()
        form.locator("input[name=grade]").fill("২")
        form.locator("input[name=section]").fill("ক")
        form.locator("input[name=held_on]").fill(bn_date(day))
        rows = form.locator("fieldset.check-row").all()
        assert rows, "the check form shows no learner row"
        for n, row in enumerate(rows):
            ticks = row.locator("input[type=checkbox]").all()
            for box in ticks[: (n % len(ticks)) + (2 if kind == "follow_up" else 0)]:
                box.check()
        tap_and_wait(sumaiya, "main form[data-outbox-kind=practice_check_results] button[type=submit]")
        assert re.fullmatch(r"/practice/checks/\d+/", urlsplit(sumaiya.url).path), refusals(sumaiya)
        audit(sumaiya)

    # 5. The nightly job: she is an ongoing user by the written definition, and holds the certificate of practice.
    ran = run_nightly_job(site)
    site.figures.append(f"practice story: nightly job → {ran}")
    sumaiya.goto(site("/practice/status/"))
    audit(sumaiya)
    status = sumaiya.locator("#status .badge").inner_text().strip()
    assert status == "নিয়মিত প্রয়োগকারী", status  # "Ongoing user"
    definition = sumaiya.locator("#definition").inner_text()
    assert "৬০" in definition and "৩" in definition, definition  # the numbers of the definition in force
    counts = sumaiya.locator("#counts").inner_text()
    practice_certificate = sumaiya.locator("#certificate a[href^='/certificates/']")
    assert practice_certificate.count() == 1, sumaiya.locator("#certificate").inner_text()
    ongoing_bn = status
    certificate_path = practice_certificate.get_attribute("href")
    sumaiya.goto(site("/certificates/"))
    audit(sumaiya)
    assert sumaiya.locator(f"main a[href='{certificate_path}']").count() >= 1
    tap_and_wait(sumaiya, f"main a[href='{certificate_path}']")
    audit(sumaiya)
    pdf = sumaiya.request.get(site(certificate_path + "pdf/"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    verify_path = urlsplit(sumaiya.locator("main .cert-url a").get_attribute("href")).path
    assert re.fullmatch(r"/verify/[A-Z0-9]{16}/", verify_path), verify_path
    scanned = qr_texts_in_pdf(pdf.body())
    assert scanned == [site(verify_path)], scanned
    visitor = new_context().new_page()
    visitor.goto(scanned[0])
    audit(visitor)
    assert SUMAIYA_BN in visitor.locator("main").inner_text()

    # 6. The Hatia officer: ongoing users, and the cost per ongoing user with its formula.
    officer = new_context(storage_state=signed_in_state(OFFICER)).new_page()
    officer.goto(site("/practice/area/"))
    audit(officer)
    ongoing = officer.locator("#ongoing-total b").inner_text().strip()
    assert ongoing not in {"০", "0"}, ongoing
    costs = officer.locator("#costs").inner_text()
    assert "÷" in costs and "×" in costs and "=" in costs, costs  # the formula beside the figure
    assert "হাতিয়া" in officer.locator("main").inner_text()

    # 7. The same pages in English.
    switch_language(officer, "en")
    assert "Ongoing users" in officer.locator("main h1").inner_text()
    costs_en = officer.locator("#costs").inner_text()
    assert "per ongoing user" in costs_en and "÷" in costs_en, costs_en
    assert "Hatia" in officer.locator("main").inner_text()
    audit(officer)
    sumaiya.goto(site("/practice/status/"))
    switch_language(sumaiya, "en")
    audit(sumaiya)
    assert sumaiya.locator("#status .badge").inner_text().strip() == "Ongoing user", (ongoing_bn, counts)
    assert "An ongoing user has made at least 3 practice records in the last 60 days" in (
        sumaiya.locator("#definition").inner_text())
    sumaiya.goto(site(observation))
    audit(sumaiya)
    assert sumaiya.locator("main section.card[id^=entry-] h3").first.inner_text().strip() == "Strengths"
    sumaiya.goto(site("/practice/history/"))
    audit(sumaiya)
    sumaiya.goto(site(certificate_path))
    audit(sumaiya)
    visitor.goto(scanned[0])
    switch_language(visitor, "en")
    audit(visitor)
    assert SUMAIYA_EN in visitor.locator("main").inner_text()
    site.figures.append("practice story: Sumaiya planned, recorded offline (synced once), was acknowledged, met, "
                        "observed and replied, checked her class twice, became an ongoing user with the certificate "
                        "of practice, verified by a visitor; the officer saw the cost per ongoing user")

    # The new forms on Regular 2G: at most 14 KB of HTML, `load` within 3 s (one cold load each).
    states = {SUMAIYA: signed_in_state(SUMAIYA), MASUMA: signed_in_state(MASUMA)}
    problems = []
    for name, (path, who) in forms.items():
        page = new_context(storage_state=states[who], service_workers="block").new_page()
        log = NetworkLog(page)
        emulate_regular_2g(page)
        page.goto(site(path), wait_until="load", timeout=30_000)
        load_ms = load_time_ms(page)
        html = total(log.settled(page), "Document")
        assert page.locator("main form").count() >= 1, f"{name}: {path} shows no form"
        site.figures.append(f"practice form {name} ({path}): {html} B of HTML, `load` after {load_ms:.0f} ms on "
                            "Regular 2G")
        if html > HTML_BUDGET:
            problems.append(f"{name}: {html} B of HTML (budget {HTML_BUDGET})")
        if load_ms > LOAD_BUDGET_MS:
            problems.append(f"{name}: `load` after {load_ms:.0f} ms on Regular 2G (budget {LOAD_BUDGET_MS})")
        page.context.close()
    assert not problems, "\n".join(problems)
