"""URLs of the library's reviews part (included by library/urls.py): review, model contents, moderation."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.library import views_reviews as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/<int:pk>/start/", views.review_start, name="review_start"),
    path("model/<int:pk>/promote/", views.content_promote, name="promote"),
    path("model/<int:pk>/demote/", views.content_demote, name="demote"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/reports/<int:pk>/uphold/", views.report_uphold, name="report_uphold"),
    path("moderation/reports/<int:pk>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("moderation/contents/<int:pk>/hide/", views.content_hide, name="hide"),
    path("moderation/contents/<int:pk>/restore/", views.content_restore, name="restore"),
    path("moderation/comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
]
