"""The GIN index behind Chinese full-text search, on PostgreSQL only (SQLite, the embedded
default, searches the padded word list with LIKE)."""

from django.db import migrations

INDEX = "sharing_listing_search_gin"
# The expression must match sharing.search.apply_search's SearchVector exactly, or the
# planner will not use the index.
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON sharing_listing "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
