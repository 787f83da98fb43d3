"""URLs of the observations part (included by practice/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.practice import views_observations as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("observations/", views.observations, name="observations"),
    path("observations/new/", views.observation_new, name="observation_new"),
    path("observations/<int:pk>/", views.observation, name="observation"),
    path("observations/<int:pk>/answer/", views.observation_answer, name="observation_answer"),
    path("observations/<int:pk>/record/", views.observation_record, name="observation_record"),
    path("observations/<int:pk>/reply/", views.observation_reply, name="observation_reply"),
]
