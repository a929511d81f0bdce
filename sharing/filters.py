"""The one FilterSet for listings, shared by the HTML list and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters import widgets
from clusters.choices import IndustryLevel
from clusters.filters import IndustryCodeFilter, RegionCodeFilter
from clusters.models import Cluster, Park
from enterprises.choices import CertificationKind
from enterprises.models import Certification
from sharing.choices import Direction, ListingKind, ListingStatus
from sharing.models import Listing
from sharing.search import (
    FACET_CERTIFICATION,
    FACET_DIRECTION,
    FACET_KIND,
    FACET_PARK,
    FACET_REGION,
    apply_search,
    facet,
    filter_facet,
    industry_facet,
)

SORT_CHOICES = [
    ("relevance", _("相关度（标题优先）")),
    ("newest", _("最新发布")),
    ("expiring", _("即将到期")),
]


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("关键词"), widget=forms.TextInput(attrs={"type": "search"})
    )
    # The HTML list renders this form on every request: its widgets write their HTML in
    # Python, and the options of regions, parks and clusters are cached (clusters/widgets.py).
    # Kind, direction, industry, region and park are facets: on PostgreSQL one scan of the
    # search index intersects them (sharing/search.py).
    kind = django_filters.ChoiceFilter(
        choices=ListingKind.choices, label=_("类别"), widget=widgets.Select, method="filter_kind"
    )
    direction = django_filters.ChoiceFilter(
        choices=Direction.choices,
        label=_("供需"),
        widget=widgets.Select,
        method="filter_direction",
    )
    industry = IndustryCodeFilter(
        label=_("行业代码（含下级）"),
        widget=widgets.TextInput(attrs={"placeholder": "C34"}),
        method="filter_industry",
    )
    region = RegionCodeFilter(
        label=_("地区（含下级）"), widget=widgets.Select, method="filter_region"
    )
    park = django_filters.ModelChoiceFilter(
        queryset=Park.objects.all(), label=_("园区"), widget=widgets.Select, method="filter_park"
    )
    cluster = django_filters.ModelChoiceFilter(
        field_name="enterprise__clusters",
        queryset=Cluster.objects.all(),
        label=_("产业集群"),
        distinct=True,
        widget=widgets.Select,
    )
    price_min = django_filters.NumberFilter(
        method="filter_price_min",
        label=_("价格不低于（元）"),
        min_value=0,
        widget=widgets.NumberInput,
    )
    price_max = django_filters.NumberFilter(
        method="filter_price_max",
        label=_("价格不高于（元）"),
        min_value=0,
        widget=widgets.NumberInput,
    )
    available_from = django_filters.DateFilter(
        method="filter_available_from",
        label=_("需要/可提供自"),
        widget=widgets.DateInput(attrs={"type": "date"}),
    )
    available_until = django_filters.DateFilter(
        method="filter_available_until",
        label=_("需要/可提供至"),
        widget=widgets.DateInput(attrs={"type": "date"}),
    )
    certification = django_filters.ChoiceFilter(
        choices=CertificationKind.choices,
        method="filter_certification",
        label=_("企业资质"),
        widget=widgets.Select,
    )
    status = django_filters.ChoiceFilter(
        choices=ListingStatus.choices, label=_("状态"), widget=widgets.Select
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_noop",
        label=_("排序"),
        help_text=_(
            "默认：有关键词时按相关度（标题含全部关键词的在前，其余在后，各自从新到旧），"
            "否则最新发布在前。"
        ),
        empty_label=_("默认"),
        widget=widgets.Select,
    )

    class Meta:
        model = Listing
        fields = [
            "q",
            "kind",
            "direction",
            "industry",
            "region",
            "park",
            "cluster",
            "price_min",
            "price_max",
            "available_from",
            "available_until",
            "certification",
            "status",
            "sort",
        ]

    def filter_q(self, qs, name, value):
        return apply_search(qs, value)

    def filter_kind(self, qs, name, value):
        return filter_facet(qs, facet(FACET_KIND, value), lambda: Q(kind=value))

    def filter_direction(self, qs, name, value):
        return filter_facet(qs, facet(FACET_DIRECTION, value), lambda: Q(direction=value))

    def filter_industry(self, qs, name, value):
        word = industry_facet(
            value.code, value.section, is_section=value.level == IndustryLevel.SECTION
        )
        return filter_facet(qs, word, value.subtree_ids_q)

    def filter_region(self, qs, name, value):
        return filter_facet(qs, facet(FACET_REGION, value.code_prefix()), value.subtree_ids_q)

    def filter_park(self, qs, name, value):
        return filter_facet(qs, facet(FACET_PARK, value.pk), lambda: Q(park=value))

    # A listing priced as a range matches when the ranges overlap; negotiable listings have
    # no price and are left out once the user asks for a price.
    def filter_price_min(self, qs, name, value):
        return qs.filter(price_max__gte=value)

    def filter_price_max(self, qs, name, value):
        return qs.filter(price_min__lte=value)

    def filter_available_from(self, qs, name, value):
        return qs.filter(Q(available_until__isnull=True) | Q(available_until__gte=value))

    def filter_available_until(self, qs, name, value):
        return qs.filter(Q(available_from__isnull=True) | Q(available_from__lte=value))

    def filter_certification(self, qs, name, value):
        """The poster holds a valid certification of this kind: on PostgreSQL, the facet
        word (the poster holds one, valid or not) narrows the listings through the index,
        then the EXISTS checks the date (sharing.search, facets)."""
        valid = Certification.objects.filter(
            enterprise_id=OuterRef("enterprise_id"),
            kind=value,
            valid_until__gte=timezone.localdate(),
        )
        qs = filter_facet(qs, facet(FACET_CERTIFICATION, value), Q)  # elsewhere: no-op Q()
        return qs.filter(Exists(valid))

    def filter_noop(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") if hasattr(self.form, "cleaned_data") else None
        # Relevance: listings whose title holds every word of the search first, then the
        # others; newest first within each. Only a query with words has a relevance ("！！！"
        # has none). sharing/pagination.py reads each group from its own index.
        ranked = "title_hit" in qs.query.annotations
        if sort == "expiring":
            return qs.order_by("expires_on", "-pk")
        if sort == "newest" or not ranked:
            return qs.order_by("-published_at", "-pk")
        return qs.order_by("-title_hit", "-published_at", "-pk")
