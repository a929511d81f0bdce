"""A match's foreign keys and its score lose their own indexes: match_offer_idx,
match_request_idx and match_unique_pair begin with the same columns, and no query orders all
matches by score (a listing's matches are read best first through match_offer_idx and
match_request_idx)."""

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
        migrations.AlterField(
            model_name='match',
            name='score',
            field=models.FloatField(verbose_name='匹配度'),
        ),
    ]
