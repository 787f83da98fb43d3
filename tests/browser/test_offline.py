"""Offline use on a phone: save a module, answer its quiz with no network, and see the answers sent once
when the network comes back (the outbox and /sync/, decision 0006)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

KAMRUN = "01711-000011"  # demo teacher Kamrun (school 100002); no other browser test signs her in
COURSE = "anonde-gonit-shikhi"


def saved_urls(page: Any) -> list[str]:
    return page.evaluate("""async () => {
        const cache = await caches.open("shikhon-saved-v1");
        return (await cache.keys()).map((r) => new URL(r.url).pathname);
    }""")


def answer_every_question(page: Any) -> None:
    form = page.locator("form[data-quiz-form]")
    for fieldset in form.locator("fieldset").all():
        number = fieldset.locator("input[type=text]")
        if number.count():
            number.fill("১২")
        else:
            fieldset.locator("input[type=radio], input[type=checkbox]").first.check()


def offline_quiz_flow(context: Any, page: Any, site: Any, course_path: str, audit: Any = None) -> None:
    page.goto(site(course_path))
    enrol = page.locator(f"main form[action='{course_path}enrol/'] button[type=submit]")
    if enrol.count():
        with page.expect_navigation():
            enrol.first.tap()
    page.goto(site(course_path))
    module_path = page.locator("main a[href^='/modules/']").first.get_attribute("href")
    module_pk = re.search(r"/modules/(\d+)/", module_path).group(1)
    # Attempts this teacher made before (another flow may have taken this quiz online): the offline one adds one.
    page.goto(site(module_path))
    page.goto(site(page.locator("main a[href^='/quizzes/']").first.get_attribute("href")))
    attempts_before = page.locator("main ul.list li").count()
    page.goto(site(module_path))

    # The button shows once the service worker is active; saving fills the cache and marks the module.
    button = page.locator("[data-offline-module] button")
    button.wait_for(state="visible", timeout=20_000)
    button.tap()
    page.wait_for_function(
        "pk => (JSON.parse(localStorage.getItem('shikhon-saved-modules') || '{}'))[pk]", arg=module_pk,
        timeout=60_000)
    urls = saved_urls(page)
    attempts = [u for u in urls if re.fullmatch(r"/attempts/\d+/", u)]
    assert module_path in urls and len(attempts) == 1, urls
    attempt_path = attempts[0]
    quiz_path = next(u for u in urls if re.fullmatch(r"/quizzes/\d+/", u))

    if audit:
        audit(page)

    # No network: a page that was not saved shows the offline page, which lists the saved module.
    context.set_offline(True)
    page.goto(site("/notifications/"))
    page.locator(f"[data-saved-modules] a[href='{module_path}']").wait_for(timeout=10_000)
    if audit:
        audit(page)

    # The attempt page opens from the phone, and the answers wait in the outbox.
    page.goto(site(attempt_path))
    answer_every_question(page)
    page.locator("form[data-quiz-form] button[type=submit]").tap()
    page.locator("[data-outbox] .msg.warning").wait_for(timeout=10_000)
    assert page.evaluate("navigator.onLine") is False
    if audit:
        audit(page)
    assert urlsplit(page.url).path == attempt_path

    # Back online: the outbox is sent and the result is shown once, with a link to it.
    context.set_offline(False)
    result = page.locator(f"[data-outbox] a[href='{attempt_path}']")
    result.wait_for(timeout=45_000)
    assert result.count() == 1
    assert page.locator("[data-outbox] .msg.warning").count() == 0

    # The quiz page lists exactly one submitted attempt.
    page.goto(site(quiz_path))
    rows = page.locator("main ul.list li")
    assert rows.count() == attempts_before + 1
    assert rows.first.locator(".badge").count() == 1

    # The phone believes it is online but the network is gone: the service worker keeps the
    # "Mark as done" post in the same outbox, and it is sent when the network is back.
    context.set_offline(True)
    for activity_path in [u for u in urls if re.fullmatch(r"/activities/\d+/", u)]:
        page.goto(site(activity_path))  # from the phone: the first saved activity not yet marked done
        if page.locator("form[data-progress-form] button[type=submit]").count():
            break
    else:
        pytest.fail(f"every saved activity was already done: {urls}")
    page.evaluate("Object.defineProperty(Navigator.prototype, 'onLine', {get: () => true})")
    with page.expect_navigation():
        page.locator("form[data-progress-form] button[type=submit]").evaluate("b => b.form.requestSubmit(b)")
    page.locator("[data-outbox] .msg.warning").wait_for(timeout=10_000)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator(f"[data-outbox] a[href='{activity_path}']").wait_for(timeout=45_000)
    page.goto(site(activity_path))
    assert page.locator("form[data-progress-form] button[type=submit]").count() == 0  # done now

    # Signing out leaves nothing of hers on the phone.
    with page.expect_navigation():
        page.locator("header form[action='/sign-out/'] button").tap()
    left = page.evaluate("""async () => ({
        caches: (await caches.keys()).filter((k) => k.startsWith("shikhon-saved")),
        saved: localStorage.getItem("shikhon-saved-modules"),
    })""")
    assert left == {"caches": [], "saved": None}, left


def test_teacher_answers_a_saved_quiz_offline_and_it_syncs_once(new_context: Any, signed_in_state: Any,
                                                                site: Any, audit: Any) -> None:
    context = new_context(storage_state=signed_in_state(KAMRUN))
    page = context.new_page()
    course_path = f"/courses/{COURSE}/"
    if page.goto(site(course_path)).status == 404:
        pytest.skip(f"The demo course {COURSE} is not in demo_data yet; this flow runs once the lead adds it.")
    offline_quiz_flow(context, page, site, course_path, audit)
