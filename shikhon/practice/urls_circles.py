"""URLs of the circles part (included by practice/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.practice import views_circles as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("circle/", views.my_circle, name="my_circle"),
    path("circles/<int:pk>/", views.circle, name="circle"),
    path("clusters/<int:pk>/circle/", views.cluster_circle, name="cluster_circle"),
    path("circles/<int:pk>/next-meeting/", views.circle_next_meeting, name="circle_next_meeting"),
    path("circles/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/photo/", views.meeting_photo, name="meeting_photo"),
    path("school/", views.school, name="school"),
]
