"""Pre-aggregated figures for the dashboards, refreshed by a Celery beat job.

One row per month and place (region, park), kind of listing and industry division, with the
sharing funnel's counts; cluster rows likewise per month, cluster and kind. Waiting times
are kept as an hour histogram so percentiles can be combined across rows exactly as the
raw records would give them (to the hour).

The region pages read a coarser roll-up of the same rows (:class:`RegionFigures`): one set
per region *scope*, so that a prefecture's page reads a few dozen rows a year instead of every
place, park and industry division below it.
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


class RegionFigures(Figures):
    """The area roll-up summed up for each region page: a row counts everything in ``region``
    and below it (as ``Region.subtree_q`` has it; the province's rows count everything).

    Rows come in three grains, filled by the same refresh from the same area rows:

    - ``total``: month × region × kind, with the wait histograms and the quantities merged:
      the page's totals, trend and breakdown by kind;
    - ``division``: month × region × kind × industry division (not blank): the breakdown by
      division;
    - ``park``: month × region × kind × park (not null): the table of parks.

    The ``division`` and ``park`` rows hold the counts and the deal value only (their
    ``deal_quantity`` and ``decision_waits`` are empty): no table shows those by division or
    park. Read them through ``portal.stats.figures``, which picks the grain.
    """

    TOTAL, DIVISION, PARK = "total", "division", "park"

    region = models.ForeignKey("clusters.Region", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=8)
    division = models.CharField(max_length=2, blank=True)
    park = models.ForeignKey("clusters.Park", null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["region", "grain", "month"], name="region_figures_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} region {self.region_id} {self.grain} {self.kind}"


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
