"""Indexes for reading a page of school search in name order without sorting every match (PostgreSQL).

A word found in most school names ("সরকারি": 48,000 of 65,000) made every search read, count and sort all
of its matches. `places.selectors.school_search_page` asks for one page in name order, schools whose name
starts with the first word first (`core.search.search_page`):
- B-tree (name_bn, eiin) lets PostgreSQL walk the Bangla names in order and stop after a page of matches
  (English names already have school_name_en_idx);
- B-trees on UPPER(name) with text_pattern_ops answer "starts with" (`istartswith`) by a range scan, whatever
  the database's collation.
Rare words still come from the trigram indexes (0003); the planner chooses. SQLite needs none of these.
"""

from django.db import migrations

from shikhon.core.migration_ops import postgresql_indexes

INDEXES = {
    "school_name_bn_eiin_idx": "(name_bn, eiin)",
    "school_name_bn_prefix_idx": "(UPPER(name_bn) text_pattern_ops)",
    "school_name_en_prefix_idx": "(UPPER(name_en) text_pattern_ops)",
}


class Migration(migrations.Migration):
    dependencies = [("places", "0004_person_typed_text")]
    operations = [postgresql_indexes("places_school", INDEXES)]
