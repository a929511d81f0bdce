# The list's filters in the search index (issue 7). Counting the first 1,001 matches of a
# search with filters cost up to 114 ms at a million listings: kind, industry and region were
# B-tree bitmaps ANDed together, each read whole (84k orders and 93k listings of division 36
# for ``kind=order&industry=36``), and a price was tested on each matching row's page
# (9,926 pages for ``q=焊接&price_max=200``).
#
# Each listing now also stores what it is as words (``facet_document``: kind, direction,
# industry codes, region prefixes, park; sharing/search.py), with a generated vector, and one
# GIN index over published listings holds the words of the text, of the title, the facets and
# the prices (btree_gin): a search with any of these filters, and its title group, is one
# index scan that intersects them all. Two indexes (text and title apart) made PostgreSQL AND
# the title group's few matches with every match of the text (77,638 for 焊接). It replaces
# the GIN indexes over published listings of 0006 and 0009.
#
# The GIN index over every listing (a supervisor's list also shows listings under review)
# gets the same columns: with the text's words alone it looked cheaper to PostgreSQL, which
# misjudges a query's two-character pieces as independent, and it chose it for public
# searches, then tested the other filters on 14,236 rows (数控车床 in Wuhan). With the status
# as a further column instead of a partial index, every scan paid for the 446k published
# listings' entries (its index scan for kind=order&industry=36: 10 → 18 ms).

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models

FORWARD = [
    "ALTER TABLE sharing_listing ADD COLUMN IF NOT EXISTS facet_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(facet_document, ''))) "
    "STORED",
    "CREATE INDEX IF NOT EXISTS listing_published_gin ON sharing_listing USING gin "
    "(search_vector, title_vector, facet_vector, price_min, price_max) "
    "WHERE status = 'published'",
    "DROP INDEX IF EXISTS sharing_listing_search_published_gin",
    "DROP INDEX IF EXISTS sharing_listing_title_published_gin",
    "DROP INDEX IF EXISTS sharing_listing_search_gin",
    "CREATE INDEX sharing_listing_search_gin ON sharing_listing USING gin "
    "(search_vector, title_vector, facet_vector, price_min, price_max)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS sharing_listing_search_gin",
    "CREATE INDEX sharing_listing_search_gin ON sharing_listing USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS sharing_listing_search_published_gin "
    "ON sharing_listing USING gin (search_vector) WHERE status = 'published'",
    "CREATE INDEX IF NOT EXISTS sharing_listing_title_published_gin "
    "ON sharing_listing USING gin (title_vector) WHERE status = 'published'",
    "DROP INDEX IF EXISTS listing_published_gin",
    "ALTER TABLE sharing_listing DROP COLUMN IF EXISTS facet_vector",
]


def fill_facets(apps, schema_editor):
    from sharing.search import facet_document

    Listing = apps.get_model("sharing", "Listing")
    rows = Listing.objects.values_list(
        "pk", "kind", "direction", "industry__code", "industry__section", "region__code", "park_id"
    )
    batch = []
    for pk, kind, direction, code, section, region, park in rows.iterator(chunk_size=2000):
        document = facet_document(
            kind=kind,
            direction=direction,
            industry_code=code,
            industry_section=section,
            region_code=region,
            park_id=park,
        )
        batch.append(Listing(pk=pk, facet_document=document))
        if len(batch) == 2000:
            Listing.objects.bulk_update(batch, ["facet_document"])
            batch = []
    Listing.objects.bulk_update(batch, ["facet_document"])


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0009_listing_title_document")]
    operations = [
        BtreeGinExtension(),
        migrations.AddField(
            model_name="listing",
            name="facet_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_facets, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
