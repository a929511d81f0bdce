# Relevance: listings whose title holds every word of the search come first, newest first
# within each group (issue 7). ts_rank gave nearly every match the same rank (a listing
# stores each word once) and had to read every match's row to rank it: a common word such as
# 加工中心 (18,630 matches at a million listings) cost 200 ms whatever the page.
#
# The title's words are stored on their own (``title_document``), with a stored vector and
# a GIN index over published listings, so "every word in the title" is found exactly from
# the index; each group is then read newest first (sharing/pagination.py).

from django.db import migrations, models

FORWARD = [
    "ALTER TABLE sharing_listing ADD COLUMN IF NOT EXISTS title_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(title_document, ''))) "
    "STORED",
    "CREATE INDEX IF NOT EXISTS sharing_listing_title_published_gin "
    "ON sharing_listing USING gin (title_vector) WHERE status = 'published'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS sharing_listing_title_published_gin",
    "ALTER TABLE sharing_listing DROP COLUMN IF EXISTS title_vector",
]


def fill_titles(apps, schema_editor):
    from sharing.search import stored_document

    Listing = apps.get_model("sharing", "Listing")
    batch = []
    for listing in Listing.objects.only("pk", "title").iterator(chunk_size=2000):
        listing.title_document = stored_document(listing.title)
        batch.append(listing)
        if len(batch) == 2000:
            Listing.objects.bulk_update(batch, ["title_document"])
            batch = []
    Listing.objects.bulk_update(batch, ["title_document"])


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0008_moderation_queue_indexes")]
    operations = [
        migrations.AddField(
            model_name="listing",
            name="title_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_titles, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
