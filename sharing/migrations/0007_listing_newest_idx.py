# The index behind the public listing list, newest first (benchmark, issue 7).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0006_listing_search_vector"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at", "-id"],
                include=("visibility",),
                name="listing_newest_idx",
            ),
        ),
    ]
