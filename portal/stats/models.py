"""Pre-aggregated figures for the dashboards, refreshed by a Celery beat job.

One row per month and place (region, park), kind of listing and industry division, with the
sharing funnel's counts; cluster rows likewise per month, cluster and kind. Waiting times
are kept as an hour histogram so percentiles can be combined across rows exactly as the
raw records would give them (to the hour).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Figures(models.Model):
    month = models.DateField(_("月份"))
    kind = models.CharField(_("类别"), max_length=16, blank=True)
    enterprises_registered = models.PositiveIntegerField(default=0)
    enterprises_verified = models.PositiveIntegerField(default=0)
    listings_posted = models.PositiveIntegerField(default=0)
    listings_approved = models.PositiveIntegerField(default=0)
    listings_rejected = models.PositiveIntegerField(default=0)
    listings_matched = models.PositiveIntegerField(default=0)
    inquiries_sent = models.PositiveIntegerField(default=0)
    inquiries_accepted = models.PositiveIntegerField(default=0)
    deals_confirmed = models.PositiveIntegerField(default=0)
    deal_value = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    deal_quantity = models.JSONField(default=dict)  # unit → quantity, of confirmed deals
    decision_waits = models.JSONField(default=dict)  # whole hours (ceiling) → decisions

    class Meta:
        abstract = True


class AreaFigures(Figures):
    region = models.ForeignKey("clusters.Region", on_delete=models.CASCADE, related_name="+")
    park = models.ForeignKey("clusters.Park", null=True, on_delete=models.CASCADE, related_name="+")
    division = models.CharField(max_length=2, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["month", "region"], name="area_figures_month_region"),
            models.Index(fields=["park", "month"], name="area_figures_park_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} region {self.region_id} park {self.park_id} {self.kind}"


class ClusterFigures(Figures):
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["cluster", "month"], name="cluster_figures_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} cluster {self.cluster_id} {self.kind}"


class RollupRun(models.Model):
    """When the figures were computed, so every page can say how fresh they are."""

    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at"]

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} ({self.rows} rows)"
