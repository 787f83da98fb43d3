"""Security settings and headers: production settings pass `check --deploy`, CSP forbids inline code,
cookies are secure, every form needs a CSRF token, and no template relies on inline script or style."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
HOST = "shikhon.example.org"


# --- production settings, each in a fresh process ------------------------------------------------


def _prod_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment a production server gets: config.settings.base with its variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SHIKHON_", "SMS_", "REDIS_"))}
    env.pop("DATABASE_URL", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "SMS_BACKEND": "http",
        "SMS_HTTP_URL": "https://sms-gateway.invalid/send",
        "SMS_HTTP_TOKEN": "token-from-the-gateway",
    })
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _python(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _prod_env(tmp_path)
    assert len(env["DJANGO_SECRET_KEY"]) >= 50
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNINGS" not in done.stdout + done.stderr


def test_check_deploy_warns_when_codes_would_go_to_logs(tmp_path):
    env = _prod_env(tmp_path, SMS_BACKEND="console")
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "shikhon.W001" in done.stdout + done.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _prod_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    done = _python(env, "import django; django.setup()")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "Set DJANGO_SECRET_KEY" in done.stderr


def test_production_settings_refuse_a_wildcard_host(tmp_path):
    done = _python(_prod_env(tmp_path, DJANGO_ALLOWED_HOSTS=f"{HOST},*"), "import django; django.setup()")
    assert done.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must name the site's hosts" in done.stderr


def test_production_allowed_hosts_default_to_none_not_everything(tmp_path):
    env = _prod_env(tmp_path)
    del env["DJANGO_ALLOWED_HOSTS"]
    done = _python(env, "import django, json; django.setup(); from django.conf import settings; "
                        "print(json.dumps(settings.ALLOWED_HOSTS))")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


PROD_SETTINGS = """
import django, json
django.setup()
from django.conf import settings as s
names = ["DEBUG", "SHIKHON_DEMO_MODE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
         "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
         "LANGUAGE_COOKIE_HTTPONLY", "SESSION_ENGINE", "SMS_BACKEND"]
out = {n: getattr(s, n) for n in names}
out["cache"] = s.CACHES["default"]["BACKEND"]
out["tasks"] = s.TASKS["default"]["BACKEND"]
print(json.dumps(out))
"""


def test_production_settings_values(tmp_path):
    done = _python(_prod_env(tmp_path), PROD_SETTINGS)
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["DEBUG"] is False
    assert values["SHIKHON_DEMO_MODE"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    for name in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
                 "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY"):
        assert values[name] is True, name
    assert values["cache"].endswith("DatabaseCache")  # no REDIS_URL: shared by every worker; see test_ratelimit.py
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"


PROD_RESPONSES = """
import django, json
django.setup()
from django.test import Client
host = {host!r}
c = Client()
page = c.get("/no-such-page/", secure=True, headers={{"host": host}})
plain = c.get("/no-such-page/", headers={{"host": host}})
health = c.get("/healthz", headers={{"host": host}})
lang = c.post("/language/", {{"language": "en", "next": "/"}}, secure=True, headers={{"host": host}})
cookie = lang.cookies.get("django_language")
evil = c.get("/no-such-page/", secure=True, headers={{"host": "evil.example"}})
print(json.dumps({{
    "page": [page.status_code, dict(page.headers)],
    "plain": [plain.status_code, plain.headers.get("Location")],
    "health": health.status_code,
    "lang": [lang.status_code, bool(cookie and cookie["secure"]), bool(cookie and cookie["httponly"])],
    "evil": evil.status_code,
}}))
"""


def test_production_responses_carry_security_headers(tmp_path):
    done = _python(_prod_env(tmp_path), PROD_RESPONSES.format(host=HOST))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    status, headers = out["page"]
    assert status == 404
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    # Plain HTTP is sent to HTTPS, except the health probe, which answers where it stands.
    assert out["plain"] == [301, f"https://{HOST}/no-such-page/"]
    assert out["health"] in (200, 503)
    # The language cookie is Secure and HttpOnly too.
    assert out["lang"] == [302, True, True]
    # A Host header we do not serve is refused.
    assert out["evil"] == 400


# --- CSP -----------------------------------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_strict(directives: dict[str, list[str]]) -> None:
    for name in ("script-src", "style-src", "default-src"):
        sources = directives.get(name, directives.get("default-src"))
        assert sources, name
        assert "'unsafe-inline'" not in sources, name
        assert "'unsafe-eval'" not in sources, name
        assert "*" not in sources and "data:" not in sources, name
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_pages_carry_a_strict_csp(client, people):
    for response in (client.get("/"), client.get("/no-such-page/"), client.get("/healthz")):
        _assert_strict(_csp(response))
    client.force_login(people["teacher_rubi"])
    _assert_strict(_csp(client.get("/")))


TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("shikhon/*/templates"))]
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
NOT_CODE = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)
FORBIDDEN = {
    "a style= attribute (CSP blocks inline styles; add a class to static/css/site.css)":
        re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
    "a <style> block (CSP blocks inline styles)": re.compile(r"<style\b", re.IGNORECASE),
    "an on…= event handler attribute (CSP blocks inline script)":
        re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL),
    "a javascript: URL (CSP blocks it)": re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE),
}


def _templates() -> list[Path]:
    """Templates a browser receives from the site. `*_pdf.html` ones only ever reach WeasyPrint (core.pdf.render_pdf),
    which needs its stylesheet inline; `library/packs/zip/` ones are written into an offline pack, opened from a USB
    stick at file:// with its style inline (no server, no CSP). No browser applies our CSP to either."""
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")
                  if not path.name.endswith("_pdf.html") and "packs/zip" not in path.as_posix())


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def test_template_scan_sees_the_templates():
    names = {path.relative_to(ROOT).as_posix() for path in _templates()}
    assert {"templates/base.html", "templates/404.html", "templates/500.html", "templates/403_csrf.html"} <= names
    assert any(name.startswith("shikhon/") for name in names)


def test_no_template_has_inline_script_or_style():
    problems = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT).as_posix()
        for match in SCRIPT.finditer(text):
            attributes, body = match.group(1), match.group(2)
            if body.strip() and not NOT_CODE.search(attributes):
                problems.append(f"{where}:{_line(text, match.start())}: an inline <script> with code")
        for what, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                problems.append(f"{where}:{_line(text, match.start())}: {what}")
    assert not problems, "Templates break the CSP:\n" + "\n".join(problems)


@pytest.mark.parametrize("snippet, bad", [
    ('<script src="/static/js/app.js" defer></script>', False),
    ('<script type="application/json" id="d">{"a": 1}</script>', False),
    ("<script>alert(1)</script>", True),
    ('<p style="color:red">x</p>', True),
    ('<button onclick="go()">x</button>', True),
    ('<a href="javascript:void(0)">x</a>', True),
    ('<p class="styled">on time = yes</p>', False),
])
def test_the_template_scan_catches_what_it_should(snippet, bad):
    found = any(
        match.group(2).strip() and not NOT_CODE.search(match.group(1)) for match in SCRIPT.finditer(snippet)
    ) or any(pattern.search(snippet) for pattern in FORBIDDEN.values())
    assert found is bad


# --- CSRF ----------------------------------------------------------------------------------------

CSRF_POSTS = [
    ("/sign-in/", {"phone": "01711000000"}),
    ("/sign-in/password/", {"phone": "01711000000", "password": "x" * 12}),
    ("/register/", {"phone": "01711000000", "name_bn": "রুবি"}),
    ("/language/", {"language": "en", "next": "/"}),
    ("/sign-out/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url, data", CSRF_POSTS)
def test_posts_without_a_csrf_token_are_refused(url, data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data)
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()


@pytest.mark.django_db
def test_sign_out_without_a_token_keeps_the_person_signed_in(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["teacher_rubi"])
    assert client.post("/sign-out/").status_code == 403
    assert client.get("/").context["user"].is_authenticated


@pytest.mark.django_db
def test_the_same_post_with_the_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # the welcome page has the language form, so it sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/language/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
