"""Which algorithm version last matched a listing moves to a narrow table of its own
(sharing.models.ListingMatchState): written after every match, on the listing's wide row it
was never a HOT update and touched all fifteen indexes of the listing table. The versions
already recorded are copied over; the reverse copies them back."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0010_listing_facets"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListingMatchState",
            fields=[
                (
                    "listing",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="match_state",
                        serialize=False,
                        to="sharing.listing",
                    ),
                ),
                ("version", models.PositiveSmallIntegerField()),
                ("matched_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "匹配记录",
                "verbose_name_plural": "匹配记录",
            },
        ),
        migrations.RunSQL(
            sql=(
                "INSERT INTO sharing_listingmatchstate (listing_id, version, matched_at) "
                "SELECT id, matched_version, COALESCE(matched_at, CURRENT_TIMESTAMP) "
                "FROM sharing_listing WHERE matched_version IS NOT NULL"
            ),
            reverse_sql=(
                "UPDATE sharing_listing SET matched_version = ("
                "SELECT version FROM sharing_listingmatchstate s WHERE s.listing_id = sharing_listing.id"
                "), matched_at = ("
                "SELECT matched_at FROM sharing_listingmatchstate s "
                "WHERE s.listing_id = sharing_listing.id)"
            ),
        ),
        migrations.RemoveField(
            model_name="listing",
            name="matched_at",
        ),
        migrations.RemoveField(
            model_name="listing",
            name="matched_version",
        ),
    ]
