"""URLs of the status part (included by practice/urls.py): a teacher's ongoing-user status and certificate-of-
practice progress, and ongoing users per place of an area with the cost per ongoing user."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.practice import views_status

urlpatterns: list[URLPattern | URLResolver] = [
    path("status/", views_status.status, name="status"),
    path("area/", views_status.area, name="area"),
]
