"""The bench's "floor": the cheapest Django view, served through the full middleware stack, so every key
page's throughput can be given as a share of what the framework itself can do on the same machine."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def bench_floor(request: HttpRequest) -> HttpResponse:
    # With a session cookie this loads the session and the signed-in person, as every signed-in page does
    # (the "signed-in floor"); without one it costs nothing. Public views no longer load them by themselves
    # (core.middleware.PublicFirstLoginRequiredMiddleware), so the floor asks.
    request.user.is_authenticated  # noqa: B018
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
