"""Recognition's pages, under /champions/ (namespace "recognition")."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.recognition import views

app_name = "recognition"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("formula/", views.formula, name="formula"),
    path("review/", views.review, name="review"),
    path("<str:starts_on>/", views.week, name="week"),
    path("<str:starts_on>/confirm/", views.week_confirm, name="confirm"),
    path("<str:starts_on>/announce/", views.week_announce, name="announce"),
]
