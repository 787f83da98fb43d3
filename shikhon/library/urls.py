"""The teachers' library's pages, under /library/ (namespace "library"); each part keeps its own list."""

from __future__ import annotations

from shikhon.library import urls_contents, urls_feedback, urls_files, urls_packs, urls_reviews, urls_search

app_name = "library"

urlpatterns = [
    *urls_search.urlpatterns,
    *urls_contents.urlpatterns,
    *urls_files.urlpatterns,
    *urls_reviews.urlpatterns,
    *urls_feedback.urlpatterns,
    *urls_packs.urlpatterns,
]
