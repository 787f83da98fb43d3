"""Newest-first indexes over public contents for each filter of the search page (library/search.py, "WALK"):
a common word with a filter is found by walking that filter's contents newest first — one class, one class and
subject, one subject, one district, one upazila, one kind, model contents only — instead of walking every public
content and testing each row against both the words and the filter (`make bench`, 150,000 contents: a common
word in one district read ~60,000 rows for a page; with these, a few thousand at most). Without a query the
browse pages (a class, a district…) read the same indexes.

PostgreSQL only (partial indexes over public contents, as in 0004); nothing on SQLite, where FTS5 finds the
matches first."""

from django.db import migrations

from shikhon.core.migration_ops import postgresql_indexes

PUBLIC = "published_version_id IS NOT NULL AND hidden_at IS NULL"
NEWEST = "published_at DESC, id DESC"
FILTER_INDEXES = {
    "library_content_public_grade_idx": f"(grade, {NEWEST}) WHERE {PUBLIC}",
    "library_content_public_grade_subject_idx": f"(grade, subject_id, {NEWEST}) WHERE {PUBLIC}",
    "library_content_public_subject_idx": f"(subject_id, {NEWEST}) WHERE {PUBLIC}",
    "library_content_public_district_idx": f"(district_id, {NEWEST}) WHERE {PUBLIC}",
    "library_content_public_upazila_idx": f"(upazila_id, {NEWEST}) WHERE {PUBLIC}",
    "library_content_public_kind_idx": f"(kind, {NEWEST}) WHERE {PUBLIC}",
    "library_content_public_models_newest_idx": f"({NEWEST}) WHERE is_model AND {PUBLIC}",
}


class Migration(migrations.Migration):
    dependencies = [("library", "0006_rating_week_index")]
    operations = [postgresql_indexes("library_content", FILTER_INDEXES)]
