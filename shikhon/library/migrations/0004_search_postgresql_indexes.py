"""Search indexes on PostgreSQL (decision 0012; library/search.py): a GIN index on
`to_tsvector('simple', search_text)` for whole words and word starts (`'word':*`); a pg_trgm GIN index on
`search_text` for parts of Bangla words (`LIKE '%গণি%'`); partial B-tree indexes over public contents in the
orders the pages ask for (newest, best rated, most used in class, model contents by class and subject).
The pg_trgm extension is created by places/0003 (or here, if that was skipped); without it the trigram index is
left out with a warning and search still works, only slower. Nothing on SQLite (see 0005_search_sqlite_fts)."""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

WORDS_INDEX = "library_content_search_words_idx"
PARTS_INDEX = "library_content_search_trgm_idx"
# The orders of the search and model-content pages over public contents only (published, not hidden): each page
# reads one short walk of an index in its own order, however many drafts and hidden contents there are.
PUBLIC = "published_version_id IS NOT NULL AND hidden_at IS NULL"
ORDER_INDEXES = {
    "library_content_public_newest_idx": f"(published_at DESC, id DESC) WHERE {PUBLIC}",
    "library_content_public_rated_idx":
        f"(rating_average DESC NULLS LAST, rating_count DESC, published_at DESC, id DESC) WHERE {PUBLIC}",
    "library_content_public_used_idx": f"(used_in_class DESC, published_at DESC, id DESC) WHERE {PUBLIC}",
    "library_content_models_idx": f"(model_since DESC, id DESC) WHERE is_model AND {PUBLIC}",
    "library_content_models_shelf_idx":
        f"(grade, subject_id, model_since DESC, id DESC) WHERE is_model AND {PUBLIC}",
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for name, definition in ORDER_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON library_content {definition}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON library_content "
        f"USING gin (to_tsvector('simple'::regconfig, search_text))"
    )
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("Could not create the pg_trgm extension; library search will not use a trigram index for "
                       "parts of words. Ask the database administrator to run CREATE EXTENSION pg_trgm, then "
                       "re-run this migration.")
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PARTS_INDEX} ON library_content USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (WORDS_INDEX, PARTS_INDEX, *ORDER_INDEXES):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("library", "0003_rubric"), ("places", "0003_school_name_trigram_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
