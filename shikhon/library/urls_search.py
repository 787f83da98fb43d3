"""URLs of the library's search part (included by library/urls.py): the library's home (search) and the model
contents."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.library import views_search

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_search.home, name="home"),
    path("models/", views_search.models, name="models"),
]
