"""One FilterSet per listable model, shared by the API and the HTML pages."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from clusters.choices import IndustryLevel, ParkLevel, ParkType, RegionLevel
from clusters.models import Cluster, IndustryCode, Park, Region


@extend_schema_field(OpenApiTypes.STR)
class RegionCodeFilter(django_filters.ModelChoiceFilter):
    """Filter by a region given by its code, including every division below it."""

    def __init__(self, *args, field: str = "region", **kwargs):
        self.subtree_field = field
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(value.subtree_ids_q(self.subtree_field))


@extend_schema_field(OpenApiTypes.STR)
class IndustryCodeFilter(django_filters.ModelChoiceFilter):
    """Filter by an industry code, including its subtree."""

    def __init__(self, *args, field: str = "industry", **kwargs):
        self.subtree_field = field
        kwargs.setdefault("queryset", IndustryCode.objects.all())
        kwargs.setdefault("to_field_name", "code")
        # 1,971 codes make no usable drop-down: the HTML form takes the code as text.
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "C34"}))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs = qs.filter(value.subtree_ids_q(self.subtree_field))
        # A many-to-many field (a park's or a cluster's industries) repeats rows.
        field = qs.model._meta.get_field(self.subtree_field)
        return qs.distinct() if field.many_to_many else qs


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("级别"))
    parent = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", label=_("上级区划代码")
    )
    within = RegionCodeFilter(field="parent", label=_("位于该区划之下"))
    q = django_filters.CharFilter(method="filter_q", label=_("代码或名称"))

    class Meta:
        model = Region
        fields = ["level", "parent", "within", "q"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(code__startswith=value) | Q(name__contains=value))


class IndustryCodeFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=IndustryLevel.choices, label=_("层级"))
    parent = django_filters.ModelChoiceFilter(
        queryset=IndustryCode.objects.all(), to_field_name="code", label=_("上级代码")
    )
    section = django_filters.CharFilter(label=_("门类字母"))
    q = django_filters.CharFilter(method="filter_q", label=_("代码或名称"))

    class Meta:
        model = IndustryCode
        fields = ["level", "parent", "section", "q"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(code__istartswith=value) | Q(name__contains=value))


class ClusterFilter(django_filters.FilterSet):
    region = RegionCodeFilter(label=_("地区（含下级）"))
    list_year = django_filters.NumberFilter(label=_("名单年份"))
    industry = IndustryCodeFilter(field="industry_codes", label=_("行业代码（含下级）"))
    q = django_filters.CharFilter(method="filter_q", label=_("名称或主导产业"))

    class Meta:
        model = Cluster
        fields = ["region", "list_year", "industry", "q"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__contains=value) | Q(leading_industry__contains=value))


class ParkFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=ParkLevel.choices, label=_("级别"))
    type = django_filters.ChoiceFilter(choices=ParkType.choices, label=_("类型"))
    region = RegionCodeFilter(label=_("地区（含下级）"))
    cluster = django_filters.ModelChoiceFilter(
        field_name="clusters", queryset=Cluster.objects.all(), label=_("服务的产业集群")
    )
    industry = IndustryCodeFilter(field="industry_codes", label=_("行业代码（含下级）"))
    q = django_filters.CharFilter(method="filter_q", label=_("名称或主导产业"))

    class Meta:
        model = Park
        fields = ["level", "type", "region", "cluster", "industry", "q"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__contains=value) | Q(leading_industries__contains=value))
