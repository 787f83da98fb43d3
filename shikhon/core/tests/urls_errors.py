"""The project's URLs plus one that fails, for the 500 page tests and the bad-input sweep's self-check."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom for the 500 page test")


boom.login_required = False  # type: ignore[attr-defined]

# By name, not import: the root URLconf sits above core in the layers.
urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
