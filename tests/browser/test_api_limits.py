"""The real server (gunicorn): an over-long API address answers the API's JSON 414 up to gunicorn's own limit;
beyond it, gunicorn's HTML 414 (which is why our limit sits a little below it)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

from django.conf import settings

from .conftest import GUNICORN_LIMIT_REQUEST_LINE, Site


def _get(site: Site, target: str) -> tuple[int, str, bytes]:
    where = urlsplit(site.url)
    conn = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=30)
    try:
        conn.request("GET", target, headers={"Host": "127.0.0.1", "Accept-Language": "en"})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type") or "", answer.read()
    finally:
        conn.close()


def _target(length: int) -> str:
    path = "/api/v1/divisions?q="
    return path + "a" * (length - len(path))


def test_the_api_answers_json_414_below_gunicorns_limit(site: Site) -> None:
    limit = settings.SHIKHON_API_MAX_REQUEST_LINE
    status, kind, body = _get(site, _target(limit + 1))
    assert status == 414 and kind.startswith("application/json"), (status, kind, body[:200])
    assert json.loads(body)["error"]["code"] == "uri_too_long"
    # The longest request line gunicorn still takes ("GET " + target + " HTTP/1.1") also answers JSON.
    status, kind, _body = _get(site, _target(GUNICORN_LIMIT_REQUEST_LINE - len("GET  HTTP/1.1")))
    assert status == 414 and kind.startswith("application/json")
    # Beyond gunicorn's limit the request never reaches Django.
    status, kind, _body = _get(site, _target(GUNICORN_LIMIT_REQUEST_LINE + 100))
    assert status in (400, 414) and not kind.startswith("application/json")
    site.figures.append(f"API request-target limit: JSON 414 from {limit + 1} characters; gunicorn's own "
                        f"HTML answer beyond a {GUNICORN_LIMIT_REQUEST_LINE}-byte request line")
