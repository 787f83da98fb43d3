"""URLs of the log part (included by practice/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.practice import views_log as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("history/", v.history, name="history"),
    path("plans/new/", v.plan_new, name="plan_new"),
    path("plans/<int:pk>/", v.plan_detail, name="plan"),
    path("plans/<int:pk>/drop/", v.plan_drop, name="plan_drop"),
    path("records/new/", v.record_new, name="record_new"),
    path("records/<int:pk>/", v.record_detail, name="record"),
    path("records/<int:pk>/photo/", v.record_photo, name="record_photo"),
    path("records/<int:pk>/photo/add/", v.record_photo_add, name="record_photo_add"),
    path("records/<int:pk>/acknowledge/", v.acknowledge, name="acknowledge"),
    path("records/<int:pk>/encourage/", v.encourage, name="encourage"),
    path("support/<slug:slug>/", v.support, name="support"),
]
