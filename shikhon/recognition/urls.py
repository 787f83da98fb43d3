"""Recognition's pages, under /champions/ (namespace "recognition")."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "recognition"

urlpatterns: list[URLPattern | URLResolver] = []
