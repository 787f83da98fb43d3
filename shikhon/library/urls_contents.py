"""URLs of the library's contents part (included by library/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.library import views_contents as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("mine/", v.mine, name="mine"),
    path("new/", v.new, name="new"),
    path("<int:pk>/", v.content_detail, name="content"),
    path("<int:pk>/edit/", v.edit, name="edit"),
    path("<int:pk>/submit/", v.submit, name="submit"),
    path("<int:pk>/withdraw/", v.withdraw, name="withdraw"),
]
