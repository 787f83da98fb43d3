"""URLs of the checks part (included by practice/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.practice import views_checks

urlpatterns: list[URLPattern | URLResolver] = [
    path("checks/", views_checks.checks, name="checks"),
    path("checks/new/", views_checks.check_new, name="check_new"),
    path("checks/<int:pk>/", views_checks.check_round, name="check_round"),
]
