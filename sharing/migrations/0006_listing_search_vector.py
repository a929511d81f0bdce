# The stored tsvector behind Chinese full-text search, on PostgreSQL only (SQLite, the embedded
# default, searches the padded word list with LIKE).
#
# Searches rank every matching listing (ts_rank). Over the expression index of 0002 each match
# had its search_document parsed again into a vector, about 0.1 ms a row: a common word that
# matches thousands of listings cost hundreds of milliseconds (benchmark, issue 7). A generated
# column keeps the vector, maintained by PostgreSQL on every write; its GIN index (0002's name)
# replaces the expression index, and a partial one over published listings serves the public
# searches (the anonymous scope always asks for status = 'published'), which then read only
# live rows.

from django.db import migrations

FORWARD = [
    "ALTER TABLE sharing_listing ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_document, ''))) STORED",
    # The same name as 0002's index, now over the stored vector.
    "DROP INDEX IF EXISTS sharing_listing_search_gin",
    "CREATE INDEX sharing_listing_search_gin ON sharing_listing USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS sharing_listing_search_published_gin "
    "ON sharing_listing USING gin (search_vector) WHERE status = 'published'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS sharing_listing_search_published_gin",
    "DROP INDEX IF EXISTS sharing_listing_search_gin",
    "ALTER TABLE sharing_listing DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX sharing_listing_search_gin ON sharing_listing "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0005_listing_candidates_idx")]
    operations = [migrations.RunPython(forwards, backwards)]
