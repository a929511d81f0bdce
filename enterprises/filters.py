import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.filters import IndustryCodeFilter, RegionCodeFilter
from clusters.models import Cluster, Park
from enterprises.choices import CertificationKind, SizeClass, VerificationStatus
from enterprises.models import Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("名称或信用代码"))
    status = django_filters.ChoiceFilter(choices=VerificationStatus.choices, label=_("认证状态"))
    region = RegionCodeFilter(label=_("地区（含下级）"))
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.all(), label=_("园区"))
    cluster = django_filters.ModelChoiceFilter(
        field_name="clusters", queryset=Cluster.objects.all(), label=_("产业集群")
    )
    industry = IndustryCodeFilter(label=_("行业代码（含下级）"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("企业规模"))
    certification = django_filters.ChoiceFilter(
        choices=CertificationKind.choices, method="filter_certification", label=_("资质认证")
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "status",
            "region",
            "park",
            "cluster",
            "industry",
            "size_class",
            "certification",
        ]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(name__contains=value) | Q(credit_code=value.upper()))

    def filter_certification(self, qs, name, value):
        return qs.filter(certifications__kind=value).distinct()
