"""The project's URLs plus one that fails, for the 500 page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom for the 500 page test")


boom.login_required = False  # type: ignore[attr-defined]

urlpatterns = [path("boom/", boom), *project_urlpatterns]
