"""The foreign keys of a match lose their own indexes: match_offer_idx, match_request_idx
and match_unique_pair begin with the same columns."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sharing', '0011_listing_match_state'),
    ]

    operations = [
        migrations.AlterField(
            model_name='match',
            name='offer',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='matches_as_offer', to='sharing.listing'),
        ),
        migrations.AlterField(
            model_name='match',
            name='request',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='matches_as_request', to='sharing.listing'),
        ),
    ]
