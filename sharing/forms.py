from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import IndustryCode, Park, Region
from sharing.choices import (
    UNITS_BY_KIND,
    ComplaintReason,
    Direction,
    ListingKind,
    ModerationReason,
    PriceMode,
    Unit,
    Visibility,
)


class KindForm(forms.Form):
    """Step one of posting: what kind, and offer or request."""

    kind = forms.ChoiceField(label=_("类别"), choices=ListingKind.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(
        label=_("供需方向"), choices=Direction.choices, widget=forms.RadioSelect
    )


class ListingForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(
        label=_("详细描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请勿在正文中填写电话、邮箱等联系方式；对接意向被接受后双方自动可见。"),
    )
    industry = forms.CharField(
        label=_("行业代码"), max_length=4, help_text=_("GB/T 4754-2017，如 3421 金属切削机床制造")
    )
    quantity = forms.DecimalField(
        label=_("数量"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    unit = forms.ChoiceField(label=_("单位"), required=False)
    price_mode = forms.ChoiceField(label=_("价格方式"), choices=PriceMode.choices)
    price_min = forms.DecimalField(
        label=_("价格/最低价（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    price_max = forms.DecimalField(
        label=_("最高价（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    available_from = forms.DateField(
        label=_("起始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    available_until = forms.DateField(
        label=_("截止日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.ModelChoiceField(
        label=_("所在地区"), required=False, queryset=Region.objects.exclude(level="province")
    )
    park = forms.ModelChoiceField(label=_("所在园区"), queryset=Park.objects.all(), required=False)
    visibility = forms.ChoiceField(label=_("可见范围"), choices=Visibility.choices)
    expires_on = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则按类别默认期限"),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—")] + [
            (u, Unit(u).label) for u in UNITS_BY_KIND[kind]
        ]

    def clean_industry(self):
        code = self.cleaned_data["industry"].strip().upper()
        industry = IndustryCode.objects.filter(code=code).first()
        if industry is None:
            raise forms.ValidationError(_("行业代码 %(code)s 不存在。"), params={"code": code})
        return industry

    def clean_region(self):
        return self.cleaned_data["region"]

    def service_fields(self) -> dict:
        """The cleaned fields for the service; a place left empty means "where my enterprise
        is" (the service fills it in), as the API does."""
        data = dict(self.cleaned_data)
        for place in ("region", "park"):
            if data.get(place) is None:
                data.pop(place, None)
        return data


class ModerationForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("理由"), required=False, choices=[("", "—"), *ModerationReason.choices]
    )
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ComplaintForm(forms.Form):
    reason = forms.ChoiceField(label=_("举报理由"), choices=ComplaintReason.choices)
    text = forms.CharField(
        label=pgettext_lazy("complaint", "说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（图片或 PDF，最大 5 MB）"))
