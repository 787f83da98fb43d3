"""The client's address behind our reverse proxies (for rate limits and the audit log)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from shikhon.core.middleware import RequestContextMiddleware, client_ip, current_ip


def _request(xff: str | None = None, remote: str = "10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("xff, remote, proxies, expected", [
    (None, "203.0.113.5", 1, "203.0.113.5"),                       # no proxy header: the socket's peer
    ("203.0.113.5", "10.0.0.2", 1, "203.0.113.5"),                  # one proxy added the phone's address
    ("1.2.3.4, 203.0.113.5", "10.0.0.2", 1, "203.0.113.5"),         # a forged left entry is ignored
    ("1.2.3.4,203.0.113.5 , ", "10.0.0.2", 1, "203.0.113.5"),       # spacing and empty entries
    ("1.2.3.4, 203.0.113.5, 10.0.0.9", "10.0.0.2", 2, "203.0.113.5"),  # two proxies
    ("203.0.113.5", "10.0.0.2", 2, "203.0.113.5"),                  # fewer entries than proxies
    ("1.2.3.4", "203.0.113.5", 0, "203.0.113.5"),                   # no proxy: the header is not trusted
    ("2001:db8::1", "10.0.0.2", 1, "2001:db8::1"),
    ("not-an-ip", "10.0.0.2", 1, None),
    ("1.2.3.4, \x00", "10.0.0.2", 1, None),
    (None, "", 1, None),
])
def test_client_ip(xff, remote, proxies, expected):
    with override_settings(SHIKHON_TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(_request(xff, remote)) == expected


def test_forged_addresses_do_not_dodge_rate_limits():
    seen = {client_ip(_request(f"198.51.100.{i}, 203.0.113.5")) for i in range(20)}
    assert seen == {"203.0.113.5"}


def test_current_ip_is_set_for_the_request_only():
    captured = []

    def view(request):
        captured.append(current_ip())
        return HttpResponse()

    RequestContextMiddleware(view)(_request("203.0.113.7"))
    assert captured == ["203.0.113.7"]
    assert current_ip() is None


# --- the cheaper middleware stack ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_content_security_policy_header_is_the_configured_one(client, places, settings):
    from csp.utils import build_policy

    first = client.get("/places/")
    assert first["Content-Security-Policy"] == build_policy() and "default-src 'self'" in build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/places/")["Content-Security-Policy"] == "default-src 'none'"


def test_a_response_with_its_own_policy_keeps_it(rf):
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from shikhon.core.middleware import CachedCSPMiddleware

    @csp_update({"img-src": ["https://example.org"]})
    def view(request):
        return HttpResponse("ok")

    middleware = CachedCSPMiddleware(view)
    response = middleware(rf.get("/"))
    assert "https://example.org" in response["Content-Security-Policy"]
    plain = CachedCSPMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert "https://example.org" not in plain["Content-Security-Policy"]
