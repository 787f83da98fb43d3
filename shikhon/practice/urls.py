"""Supported practice's pages, under /practice/ (namespace "practice"); each part keeps its own list."""

from __future__ import annotations

from shikhon.practice import urls_checks, urls_circles, urls_log, urls_observations, urls_status

app_name = "practice"

urlpatterns = [
    *urls_log.urlpatterns,
    *urls_circles.urlpatterns,
    *urls_observations.urlpatterns,
    *urls_checks.urlpatterns,
    *urls_status.urlpatterns,
]
