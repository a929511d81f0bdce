from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.choices import ParkLevel, ParkType


class Cluster(models.Model):
    """An industrial cluster (产业集群) named on a provincial list."""

    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(
        "clusters.Region",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    leading_industry = models.CharField(_("主导产业"), max_length=128, blank=True)
    industry_codes = models.ManyToManyField(
        "clusters.IndustryCode", verbose_name=_("主导产业代码"), blank=True, related_name="clusters"
    )
    list_name = models.CharField(_("所属名单"), max_length=128, blank=True)
    list_year = models.PositiveSmallIntegerField(_("名单年份"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    source = models.TextField(_("资料来源"), blank=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("产业集群")
        verbose_name_plural = pgettext_lazy("plural", "产业集群")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "list_year"], name="cluster_unique_per_list_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:cluster_detail", args=[self.pk])


class Park(models.Model):
    """A development zone or industrial park (开发区/工业园区)."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=ParkLevel.choices)
    type = models.CharField(_("类型"), max_length=32, choices=ParkType.choices)
    region = models.ForeignKey(
        "clusters.Region",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="parks",
    )
    approved_area_ha = models.DecimalField(
        _("核准面积（公顷）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    approved = models.CharField(
        _("批准时间"), max_length=10, blank=True, help_text=_("年或年-月，如 1993-04")
    )
    leading_industries = models.TextField(_("主导产业"), blank=True)
    industry_codes = models.ManyToManyField(
        "clusters.IndustryCode", verbose_name=_("主导产业代码"), blank=True, related_name="parks"
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster", verbose_name=_("服务的产业集群"), blank=True, related_name="parks"
    )
    # Defaults to the centre of its region when the park's own location is not known.
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    source = models.TextField(_("资料来源"), blank=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("园区")
        verbose_name_plural = pgettext_lazy("plural", "园区")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:park_detail", args=[self.pk])
