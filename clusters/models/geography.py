from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.choices import RegionLevel

PROVINCE_CODE = "420000"


class RegionQuerySet(models.QuerySet):
    def top_level(self):
        """Hubei's 17 units directly under the province: 12 prefecture-level cities, the Enshi
        autonomous prefecture, three province-administered cities and the Shennongjia forestry
        district. The portal treats all 17 as "prefectures" for pages and officer scope."""
        return self.filter(parent__code=PROVINCE_CODE)


class Region(models.Model):
    """A Hubei administrative division, identified by its GB/T 2260 code."""

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    kind = models.CharField(
        _("类型"), max_length=16, blank=True, help_text=_("如 地级市、市辖区、县级市")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Centre points in GCJ-02 (AMap), as published; a few hundred metres off WGS84.
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = pgettext_lazy("plural", "行政区划")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:region_detail", args=[self.code])

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is not None and self.parent.code == PROVINCE_CODE

    def code_prefix(self) -> str:
        """The code prefix shared by this region and every division below it."""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.PREFECTURE:
            return self.code[:4]
        return self.code

    def subtree_q(self, field: str = "region") -> Q:
        """A filter for objects whose ``field`` lies in this region or below it."""
        return Q(**{f"{field}__code__startswith": self.code_prefix()})

    def subtree_ids_q(self, field: str = "region") -> Q:
        """The same filter as :meth:`subtree_q`, as ``field IN (ids)`` with the ids read first.

        For the big tables' searches: PostgreSQL estimates a join on a code prefix at one
        region, so it sorted every match of the other filters (356 ms for
        ``region=420600&kind=talent`` at a million listings); a list of ids it estimates from
        its statistics, and reads the newest listings first (15 ms). Costs one small query.
        """
        ids = Region.objects.filter(code__startswith=self.code_prefix()).values_list(
            "pk", flat=True
        )
        return Q(**{f"{field}__in": list(ids)})
