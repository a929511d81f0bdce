from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, IndustryCode, Park, Region
from enterprises.choices import ASSET_BAND_CHOICES, REVENUE_BAND_CHOICES, CertificationKind
from enterprises.credit_code import normalize_credit_code, validate_credit_code
from enterprises.models import Enterprise


class EnterpriseForm(forms.Form):
    """The profile fields; the service decides and validates the rest (size class, park fit)."""

    name = forms.CharField(label=_("企业名称"), max_length=128)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=32,
        validators=[validate_credit_code],
        help_text=_("18位，营业执照上的代码"),
    )
    region = forms.ModelChoiceField(
        label=_("所在地区"), queryset=Region.objects.exclude(level="province").order_by("code")
    )
    park = forms.ModelChoiceField(label=_("所在园区"), queryset=Park.objects.all(), required=False)
    clusters = forms.ModelMultipleChoiceField(
        label=_("所属产业集群"),
        queryset=Cluster.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    industry = forms.CharField(
        label=_("主营行业代码"),
        max_length=4,
        help_text=_("GB/T 4754-2017 行业代码，如 3421（金属切削机床制造）"),
    )
    employees = forms.IntegerField(label=_("从业人员（人）"), min_value=0, max_value=10_000_000)
    revenue_band = forms.TypedChoiceField(
        label=_("上年营业收入（万元）"), choices=REVENUE_BAND_CHOICES, coerce=int
    )
    assets_band = forms.TypedChoiceField(
        label=_("资产总额（万元）"),
        choices=[("", "—"), *ASSET_BAND_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("建筑业、房地产开发经营、租赁和商务服务业划型时需要"),
    )
    description = forms.CharField(
        label=_("企业简介"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    def clean_industry(self):
        code = self.cleaned_data["industry"].strip().upper()
        industry = IndustryCode.objects.filter(code=code).first()
        if industry is None:
            raise forms.ValidationError(_("行业代码 %(code)s 不存在。"), params={"code": code})
        return industry

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])

    @classmethod
    def initial_for(cls, enterprise: Enterprise) -> dict:
        return {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "region": enterprise.region_id,
            "park": enterprise.park_id,
            "clusters": list(enterprise.clusters.values_list("pk", flat=True)),
            "industry": enterprise.industry.code,
            "employees": enterprise.employees,
            "revenue_band": enterprise.revenue_band,
            "assets_band": enterprise.assets_band,
            "description": enterprise.description,
            "website": enterprise.website,
        }


class ContactForm(forms.Form):
    name = forms.CharField(label=_("联系人姓名"), max_length=64)
    position = forms.CharField(label=_("职务"), max_length=64, required=False)
    phone = forms.CharField(label=_("电话"), max_length=32)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


ContactFormSet = forms.formset_factory(
    ContactForm, extra=1, max_num=5, validate_max=True, can_delete=True
)


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("认证类型"), choices=CertificationKind.choices)
    other_name = forms.CharField(label=_("其他认证名称"), max_length=64, required=False)
    number = forms.CharField(label=_("证书编号"), max_length=64)
    valid_until = forms.DateField(
        label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("被邀请人邮箱"))
    role = forms.ChoiceField(
        label=_("角色"), choices=[("member", _("成员")), ("admin", _("企业管理员"))]
    )


class JoinSearchForm(forms.Form):
    q = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=64, required=False)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("附言"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
