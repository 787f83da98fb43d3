"""URLs of the library's files part (included by library/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from shikhon.library import views_files as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("files/<int:pk>/", v.file_download, name="file"),
    path("files/<int:pk>/preview/<int:page>/", v.file_preview, name="file_preview"),
    path("files/<int:pk>/remove/", v.file_remove, name="file_remove"),
    path("contents/<int:pk>/files/", v.files_page, name="files"),
]
