# The partial index that candidate generation for matching uses (sharing.matching.engine).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0004_listing_first_submitted_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["kind", "direction", "division", "-published_at"],
                name="listing_candidates_idx",
            ),
        ),
    ]
