"""URLs of the library's feedback part (included by library/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.library import views_feedback as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/rate/remove/", views.rating_remove, name="rating_remove"),
    path("<int:pk>/comments/", views.comments, name="comments"),
    path("<int:pk>/comments/add/", views.comment_add, name="comment_add"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/adapt/", views.adapt, name="adapt"),
    path("<int:pk>/adaptations/", views.adaptations, name="adaptations"),
]
