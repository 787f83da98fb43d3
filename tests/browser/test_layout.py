"""The site's shell on a 360 px phone: a one-row header, a bottom bar of at most five destinations, tap targets of
at least 44 × 44 px (links inside running text excepted), long words that wrap, sign-out and the language switch
in the profile menu, a video that starts from a tap anywhere on its poster; and the same destinations in the
header row of a wide screen. Every page is also checked for sideways scrolling and axe (the `audit` fixture)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

OFFICER = "01711-000004"  # Abul Kalam, upazila officer of Hatia
HEAD_TEACHER = "01711-000006"  # Masuma Begum, head teacher in Hatia
DEMO_COURSE = "/courses/anonde-gonit-shikhi/"
TAP = 43.5  # 44 px, less rounding

SMALL_TARGETS = """(tap) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(el).visibility !== "hidden"; };
  const words = (el) => el.textContent.replace(/\\s+/g, " ").trim();
  // A link inside running text: its paragraph, item or cell says more than the link does.
  const inText = (el) => { const block = el.parentElement.closest("p, li, dd, dt, td, th, figcaption, legend, h1, h2,"
    + " h3, h4, small, .help"); return !!block && words(block).length > words(el).length + 2; };
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    if (!visible(el) || el.closest(".skip")) continue;
    const r = el.getBoundingClientRect();
    if (r.width >= tap && r.height >= tap) continue;
    if (el.tagName === "A" && inText(el)) continue;
    // A check box or radio button is tapped through its label, which spans the row.
    if (el.labels && [...el.labels].some((l) => l.getBoundingClientRect().height >= tap)) continue;
    small.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} "${words(el).slice(0, 40)}" `
      + `${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return small;
}"""

SHELL = """() => {
  const header = document.querySelector("header.top").getBoundingClientRect();
  const bar = document.querySelector("nav.bar");
  const links = [...bar.querySelectorAll("a")];
  return {
    header: header.height, barTop: bar.getBoundingClientRect().top, barBottom: bar.getBoundingClientRect().bottom,
    window: innerHeight, links: links.length,
    // Each destination's own words: an unread count (a `.count` badge) is not part of the label.
    labels: links.map((a) => [...a.childNodes].filter((n) => !(n.classList && n.classList.contains("count")))
      .map((n) => n.textContent).join("").replace(/\\s+/g, " ").trim()),
    unread: links.filter((a) => a.querySelector(".count")).map((a) => a.getAttribute("href")),
    brand: document.querySelector("header .brand").textContent.trim(),
    current: links.filter((a) => a.getAttribute("aria-current") === "page").map((a) => a.getAttribute("href")),
  };
}"""


def check_shell(page: Any, *, wide: bool = False) -> dict[str, Any]:
    where = urlsplit(page.url).path
    shell = page.evaluate(SHELL)
    assert shell["header"] <= 64, f"{where}: the header is {shell['header']} px tall (wrapped?)"
    assert 1 <= shell["links"] <= 5, f"{where}: {shell['links']} destinations"
    if wide:
        assert shell["barBottom"] <= shell["header"], f"{where}: the destinations left the header row"
    else:
        assert abs(shell["barBottom"] - shell["window"]) <= 1, f"{where}: the bar is not at the bottom: {shell}"
    brand = shell["brand"]
    assert not any(label == brand or label.startswith(brand + " ") for label in shell["labels"]), shell
    small = page.evaluate(SMALL_TARGETS, TAP)
    assert not small, f"{where}: tap targets smaller than 44 × 44 px: " + "; ".join(small)
    return shell


def visit(page: Any, site: Any, audit: Any, path: str, *, wide: bool = False) -> dict[str, Any]:
    page.goto(site(path))
    audit(page)
    return check_shell(page, wide=wide)


def course_paths(page: Any, site: Any) -> list[str]:
    page.goto(site(DEMO_COURSE))
    module = page.locator("main a[href^='/modules/']").first.get_attribute("href")
    page.goto(site(module))
    return [DEMO_COURSE, module, page.locator("main a[href^='/activities/']").first.get_attribute("href"),
            page.locator("main a[href^='/quizzes/']").first.get_attribute("href")]


def test_a_visitor_sees_one_row_and_five_places(phone: Any, site: Any, audit: Any) -> None:
    for path in ("/", "/sign-in/", "/register/", "/courses/", "/verify/"):
        visit(phone, site, audit, path)  # the home destination does not read "শিখন", as the brand does
    assert visit(phone, site, audit, "/sign-in/")["current"] == ["/sign-in/"]


def test_a_teacher_s_pages_on_a_phone(new_context: Any, teacher_state: Any, site: Any, audit: Any) -> None:
    page = new_context(storage_state=teacher_state).new_page()
    paths = ["/", "/learn/", "/notifications/", "/profile/", "/certificates/", *course_paths(page, site)]
    for path in paths:
        visit(page, site, audit, path)
    # A teacher's five places leave no room for Alerts: her notifications count as Home, which carries the count.
    assert visit(page, site, audit, "/notifications/")["current"] == ["/"]

    # Long unbroken words and names wrap inside their box instead of widening the page.
    page.goto(site(paths[-1]))
    page.evaluate("""() => {
        const word = "অ".repeat(30) + "x".repeat(120);
        const main = document.querySelector("main");
        main.querySelector("h1").textContent = word;
        main.insertAdjacentHTML("beforeend", `<section class="card"><h2>${word}</h2><p>${word}</p>
          <ul class="list"><li><a href="#">${word}</a> · ${word}</li></ul>
          <fieldset class="question"><legend>${word}</legend><div class="choice"><input type="radio" id="w">
          <label class="inline" for="w">${word}</label></div></fieldset><table><tr><td>${word}</td></tr></table>
          </section>`);
    }""")
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"a long word widens the page to {width[0]} px"


def test_a_tap_anywhere_on_the_poster_starts_the_video(new_context: Any, teacher_state: Any, site: Any) -> None:
    page = new_context(storage_state=teacher_state).new_page()
    page.goto(site(course_paths(page, site)[2]))
    video = page.locator("main video")
    if not video.count():
        pytest.skip("the demo activity has no ready video (demo_data ran without ffmpeg?)")
    page.wait_for_function("() => document.readyState === 'complete'")
    box = video.bounding_box()
    assert box and box["width"] >= 300, box  # the player fills the 360 px column
    page.touchscreen.tap(box["x"] + 30, box["y"] + 30)  # the poster's corner, away from the controls
    page.wait_for_function("() => !document.querySelector('main video').paused", timeout=10_000)


def test_sign_out_and_the_language_are_in_the_profile_menu(new_context: Any, signed_in_state: Any, site: Any,
                                                            audit: Any) -> None:
    page = new_context(storage_state=signed_in_state(HEAD_TEACHER)).new_page()
    visit(page, site, audit, "/")
    menu = page.locator("header details.menu")
    assert not page.locator("header details.menu form[action='/sign-out/'] button").is_visible()
    menu.locator("summary").tap()
    assert menu.locator("form[action='/sign-out/'][method=post] button").is_visible()
    audit(page)
    with page.expect_navigation():
        menu.locator("button[name=language][value=en]").tap()
    assert page.locator("html").get_attribute("lang") == "en"
    shell = visit(page, site, audit, "/")  # English labels are longer: still one row
    assert shell["labels"][0] == "Home" and shell["brand"] == "Shikhon"
    assert shell["unread"] in ([], ["/"]), shell  # a head teacher's unread count rides on Home
    page.locator("header details.menu summary").tap()
    with page.expect_navigation():
        page.locator("header details.menu button[name=language][value=bn]").tap()
    assert page.locator("html").get_attribute("lang") == "bn"


def test_an_officer_s_pages_and_a_wide_screen(new_context: Any, signed_in_state: Any, site: Any, audit: Any) -> None:
    page = new_context(storage_state=signed_in_state(OFFICER)).new_page()
    shell = visit(page, site, audit, "/")
    assert "/training/" in [a.get_attribute("href") for a in page.locator("nav.bar a").all()], shell
    for path in ("/training/", "/places/"):
        visit(page, site, audit, path)
    wide = new_context(storage_state=signed_in_state(OFFICER), viewport={"width": 1024, "height": 768},
                       is_mobile=False, has_touch=False).new_page()
    visit(wide, site, audit, "/", wide=True)
