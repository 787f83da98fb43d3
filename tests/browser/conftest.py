"""Browser tests: Debian's Chromium, driven by Playwright, against the production stack.

One server for the whole run (per process): `migrate`, `collectstatic` and `demo_data` on a throwaway database
(a temporary SQLite file, or — when DATABASE_URL points at PostgreSQL, as in CI — a database of its own
named `<name>_browser`), then gunicorn with whitenoise (compressed, hashed static files, long max-age) and
GZip for HTML, exactly as a phone receives it.

Under pytest-xdist every worker has its own server: its own free port, its own SQLite file (under the
worker's temporary directory) or PostgreSQL database `<name>_browser_<worker>`, and the same static build
(made once, under a lock, and shared). `make pytest` runs with `--dist loadfile`, so the tests of one file
stay on one worker and one server, in order (a file's tests may build on each other's demo state).

No Chromium → the tests are skipped with the reason, except when CI=true: then they fail loudly.
We never download a browser (`playwright install` is not used).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SHIKHON_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A mid-range Android phone: 360×740 CSS pixels at 2× density, touch.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "bn-BD",  # Accept-Language of a Bangla phone; the switch in the header changes it
    "user_agent": ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/156.0.0.0 Mobile Safari/537.36"),
}
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
# "gw0", "gw1", … under pytest-xdist; "" in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# gunicorn refuses a longer request line with its own HTML 414; the API answers JSON below it
# (SHIKHON_API_MAX_REQUEST_TARGET). scripts/demo.sh passes the same value.
GUNICORN_LIMIT_REQUEST_LINE = 4094

# Figures (bytes, timings, accessibility notes) printed after the run, so CI logs show them.
FIGURES: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its figures to the controller, which prints them (see the root conftest.py)."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["shikhon_browser_figures"] = list(FIGURES)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("browser: weight, 2G timings, accessibility")
        for line in FIGURES:
            terminalreporter.write_line(line)


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} — CI=true, so the browser tests must run. Install Debian's chromium package.",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright Python package is not installed (make install)")
    # Playwright's sync API runs an event loop while it is active; Django refuses ORM calls then, so
    # these fixtures live only as long as this package's tests (which never touch the ORM).
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# ---------------------------------------------------------------------------------------------- the server

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_admin(url: str) -> Any:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    return psycopg.connect(host=cfg.get("HOST") or None, port=cfg.get("PORT") or None,
                           user=cfg.get("USER") or None, password=cfg.get("PASSWORD") or None,
                           dbname="postgres", autocommit=True)


def _database(tmp: Path) -> tuple[str, Callable[[], None]]:
    """A database URL of the server's own, and how to remove it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return f"sqlite:///{tmp / 'browser.sqlite3'}", lambda: None
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'shikhon'}_browser" + (f"_{WORKER}" if WORKER else "")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with _postgres_admin(url) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def remove() -> None:
        with _postgres_admin(url) as conn:
            conn.execute(drop)

    return urlunsplit(parts._replace(path=f"/{name}")), remove


def _static_root(env: dict[str, str]) -> Path:
    """`collectstatic` output (hashed names, .gz and .br beside each file), reused while the source files are
    unchanged: compressing third-party bundles (Swagger UI) with brotli costs tens of seconds of CPU."""
    from importlib.metadata import version

    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(f"whitenoise {version('whitenoise')}\0".encode())
    found = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            found.append((f"{getattr(storage, 'prefix', None) or ''}/{path}", storage.path(path)))
    for name, full in sorted(found):
        digest.update(name.encode() + b"\0" + Path(full).read_bytes() + b"\0")
    cache = BASE_DIR / "var" / "browser-static"
    root = cache / digest.hexdigest()[:16]
    if (root / "staticfiles.json").exists():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    # xdist workers start together: the first builds, the others wait for it and reuse its build.
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if (root / "staticfiles.json").exists():
                return root
            _collect_static(env, cache, root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return root


def _collect_static(env: dict[str, str], cache: Path, root: Path) -> None:
    building = Path(tempfile.mkdtemp(prefix="building-", dir=cache))
    try:
        _run(["collectstatic", "--noinput", "-v0"], {**env, "SHIKHON_STATIC_ROOT": str(building)}, "collectstatic")
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    try:
        building.rename(root)
    except OSError:  # another run finished the same files first
        shutil.rmtree(building, ignore_errors=True)
    for old in cache.iterdir():  # earlier versions of the static files
        if old != root and old.is_dir() and not old.name.startswith("building-"):
            shutil.rmtree(old, ignore_errors=True)


@dataclass
class Site:
    url: str
    log: Path
    database_url: str = ""  # the server's own database, for tests that must read what only the server knows
    figures: list[str] = field(default_factory=lambda: FIGURES)

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        pytest.fail(f"Preparing the browser-test server failed at `manage.py {what}`:\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}", pytrace=False)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server per process (per xdist worker) for the whole run: when the worker's files leave the package and
    come back, the package-scoped browser is launched again but the server and its demo state stay."""
    tmp = tmp_path_factory.mktemp("browser-site")
    database_url, remove_database = _database(tmp)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.browser",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "media"),
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(tmp / "sms.log"),
        "SHIKHON_DEMO_MODE": "1",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    server: subprocess.Popen[bytes] | None = None
    try:
        started = time.monotonic()
        _run(["migrate", "--noinput", "-v0"], env, "migrate")
        env["SHIKHON_STATIC_ROOT"] = str(_static_root(env))
        _run(["demo_data"], env, "demo_data")
        prepared = time.monotonic() - started

        for attempt in range(1, 4):
            # A port free a moment ago may be taken by another worker's server before gunicorn binds it.
            port = _free_port()
            log = tmp / f"gunicorn-{attempt}.log"
            env["SHIKHON_PUBLIC_URL"] = f"http://127.0.0.1:{port}"  # as `make demo` does: QR codes point here
            with open(log, "wb") as out:
                server = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                     "--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
                     "--limit-request-line", str(GUNICORN_LIMIT_REQUEST_LINE),
                     "--access-logfile", "-", "--error-logfile", "-"],
                    cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                )
            here = Site(url=f"http://127.0.0.1:{port}", log=log, database_url=database_url)
            if _answers(server, here):
                break
            if attempt == 3:
                pytest.fail(f"gunicorn found its port taken three times:\n{here.log_tail()}", pytrace=False)
        FIGURES.append(f"server: gunicorn + whitenoise on {database_url.split(':', 1)[0]}"
                       f"{f' for worker {WORKER}' if WORKER else ''}; "
                       f"migrate + collectstatic (cached by content) + demo_data {prepared:.1f} s, "
                       f"ready {time.monotonic() - started:.1f} s after start")
        yield here
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
        remove_database()


def _answers(server: subprocess.Popen[bytes], here: Site) -> bool:
    """Wait until gunicorn answers the home page; False when it exited because its port was taken."""
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            if "already in use" in here.log_tail():
                return False
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{here.log_tail()}", pytrace=False)
        try:
            with urllib.request.urlopen(here("/"), timeout=5) as answer:  # noqa: S310 - our loopback server
                if answer.status == 200:
                    return True
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"gunicorn did not answer within 60 s:\n{here.log_tail()}", pytrace=False)
        time.sleep(0.3)


# ------------------------------------------------------------------------------------- pages and contexts

@pytest.fixture
def new_context(browser: Any, site: Site) -> Iterator[Callable[..., Any]]:
    """Make a fresh phone-sized browser context (own cookies, empty cache); closed after the test.
    Any server error (5xx) a page meets fails the test, with the end of the server's log."""
    made: list[Any] = []
    errors: list[str] = []

    def note(response: Any) -> None:
        if response.status >= 500:
            errors.append(f"{response.request.method} {urlsplit(response.url).path} answered {response.status}")

    def make(**options: Any) -> Any:
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(15_000)
        context.on("response", note)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert not errors, "Server errors:\n" + "\n".join(errors) + "\n--- server log ---\n" + site.log_tail(60)


@pytest.fixture
def phone(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh phone context."""
    return new_context().new_page()


# Signed-in cookies by (server, number): kept for the whole run, so a package fixture made again (the worker's
# files left the package and came back) does not ask the server for another code.
_STATES: dict[tuple[str, str, str], dict[str, Any]] = {}


def _signed_in(browser: Any, site: Site, number: str, purpose: str) -> dict[str, Any]:
    from .support import sign_in_by_code

    key = (site.url, number, purpose)
    if key not in _STATES:
        context = browser.new_context(**PHONE)
        try:
            page = context.new_page()
            page.goto(site("/sign-in/"))
            sign_in_by_code(page, phone=number)
            page.wait_for_url(site("/"))
            _STATES[key] = context.storage_state()
        finally:
            context.close()
    return _STATES[key]


@pytest.fixture(scope="package")
def teacher_state(browser: Any, site: Site) -> dict[str, Any]:
    """Cookies of demo teacher Rubi Akter (01711-000007), signed in once by SMS code for the run.
    Mind the limit of 3 codes per number in 15 minutes: this and the two sign-in flows use Rubi's three."""
    return _signed_in(browser, site, "01711-000007", "teacher_state")


@pytest.fixture(scope="package")
def signed_in_state(browser: Any, site: Site) -> Callable[[str], dict[str, Any]]:
    """`signed_in_state("01711-000004")`: cookies of that demo person, signed in once by SMS code for the
    whole package and reused (each number may ask for only 3 codes in 15 minutes). Pass the result to
    `new_context(storage_state=...)`."""
    def get(number: str) -> dict[str, Any]:
        return _signed_in(browser, site, number, "signed_in_state")

    return get


@pytest.fixture(scope="package")
def session_to_end(browser: Any, site: Site) -> Callable[[str, str], dict[str, Any]]:
    """`session_to_end("01711-000011", "offline")`: cookies of a session of that person of its own, for a test that
    signs out. Signing out ends the session on the server, and `signed_in_state` of the same person is shared by
    every file that runs after it on the same server (test_offline signed Kamrun out of the shared session, and the
    library story, later on the same worker, found her signed out)."""
    def get(number: str, purpose: str) -> dict[str, Any]:
        return _signed_in(browser, site, number, f"to end: {purpose}")

    return get


@pytest.fixture
def audit(site: Site) -> Iterator[Callable[[Any], None]]:
    """Call `audit(page)` on every page a flow visits: no sideways scrolling at 360 px, and axe-core finds
    no serious or critical violation. Problems are gathered and reported together at the end of the test."""
    from .support import page_problems

    problems: list[str] = []
    seen: list[str] = []

    def check(page: Any) -> None:
        seen.append(urlsplit(page.url).path)
        problems.extend(page_problems(page, site.figures))

    yield check
    assert seen, "the flow audited no page"
    assert not problems, "Pages failed the 360 px / accessibility checks:\n" + "\n".join(problems)
