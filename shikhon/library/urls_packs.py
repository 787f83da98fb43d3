"""URLs of the library's packs part (included by library/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.library import views_packs

urlpatterns: list[URLPattern | URLResolver] = [
    path("packs/", views_packs.pack_list, name="packs"),
    path("packs/<int:pk>/", views_packs.pack_detail, name="pack"),
    path("packs/<int:pk>/download/", views_packs.pack_download, name="pack_download"),
]
