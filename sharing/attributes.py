"""Kind-specific attributes of a listing, validated by one form per kind.

The same forms validate the API's ``attributes`` object and render the HTML form's
kind-specific fieldset, so the rules live in one place.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.choices import CertificationKind
from sharing.choices import Direction, ListingKind


class CapacityAttributes(forms.Form):
    FACILITY_CHOICES = [
        ("equipment", _("设备")),
        ("line", _("生产线")),
        ("plant", _("标准厂房")),
        ("land", _("土地")),
    ]
    facility = forms.ChoiceField(label=_("资源类型"), choices=FACILITY_CHOICES)
    machine_type = forms.CharField(label=_("设备型号/名称"), max_length=100, required=False)
    process = forms.CharField(label=_("工艺"), max_length=100, required=False)
    min_order = forms.CharField(label=_("起订量"), max_length=50, required=False)
    lead_time_days = forms.IntegerField(
        label=_("交货周期（天）"), min_value=0, max_value=3650, required=False
    )
    area_sqm = forms.DecimalField(
        label=_("面积（平方米）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    rent_yuan_sqm_month = forms.DecimalField(
        label=_("租金（元/平方米·月）"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )

    def clean(self):
        data = super().clean()
        facility = data.get("facility")
        if facility in ("plant", "land") and not data.get("area_sqm"):
            self.add_error("area_sqm", _("厂房或土地请填写面积。"))
        if facility in ("equipment", "line") and not data.get("machine_type"):
            self.add_error("machine_type", _("设备或生产线请填写设备型号或名称。"))
        return data


class TechnologyAttributes(forms.Form):
    MATURITY_CHOICES = [
        ("research", _("研发阶段")),
        ("pilot", _("中试阶段")),
        ("industrial", _("已产业化")),
    ]
    MODE_CHOICES = [
        ("license", _("许可使用")),
        ("transfer", _("转让")),
        ("cooperation", _("合作开发")),
        ("service", _("技术服务")),
    ]
    field = forms.CharField(label=_("技术领域"), max_length=100)
    maturity = forms.ChoiceField(label=_("成熟度"), choices=MATURITY_CHOICES)
    patents = forms.CharField(label=_("专利（号）"), max_length=500, required=False)
    mode = forms.ChoiceField(label=_("合作方式"), choices=MODE_CHOICES)


class OrderAttributes(forms.Form):
    product = forms.CharField(label=_("产品"), max_length=100)
    delivery_date = forms.DateField(label=_("交货日期"), required=False)
    required_certifications = forms.MultipleChoiceField(
        label=_("要求的资质认证"), choices=CertificationKind.choices, required=False
    )
    quality_requirements = forms.CharField(label=_("质量要求"), max_length=1000, required=False)


class TalentAttributes(forms.Form):
    MODE_CHOICES = [
        ("secondment", _("共享用工（借调）")),
        ("hire", _("招聘")),
        ("part_time", _("兼职/项目制")),
    ]
    skills = forms.CharField(label=_("技能"), max_length=200)
    headcount = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000)
    duration_months = forms.IntegerField(
        label=_("期限（月）"), min_value=1, max_value=120, required=False
    )
    mode = forms.ChoiceField(label=_("用工方式"), choices=MODE_CHOICES)
    # A shared-staff offer lends people: the law and the workers must be respected.
    labour_contract_kept = forms.BooleanField(
        label=_("员工与原单位的劳动合同保持不变"), required=False
    )
    insurance_covered = forms.BooleanField(label=_("社会保险由原单位继续缴纳"), required=False)
    worker_consent = forms.BooleanField(label=_("已征得员工本人同意"), required=False)

    def __init__(self, *args, direction: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction

    def clean(self):
        data = super().clean()
        if self.direction == Direction.OFFER and data.get("mode") == "secondment":
            for name in ("labour_contract_kept", "insurance_covered", "worker_consent"):
                if not data.get(name):
                    self.add_error(name, _("共享用工须确认此项。"))
        return data


ATTRIBUTE_FORMS: dict[str, type[forms.Form]] = {
    ListingKind.CAPACITY: CapacityAttributes,
    ListingKind.TECHNOLOGY: TechnologyAttributes,
    ListingKind.ORDER: OrderAttributes,
    ListingKind.TALENT: TalentAttributes,
}


def attribute_form(
    kind: str, direction: str, data=None, *, prefix: str | None = None, initial=None
) -> forms.Form:
    form_class = ATTRIBUTE_FORMS[kind]
    kwargs = {"data": data, "prefix": prefix, "initial": initial}
    if form_class is TalentAttributes:
        kwargs["direction"] = direction
    return form_class(**kwargs)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def clean_attributes(kind: str, direction: str, data: dict) -> dict:
    """Validate ``data`` for the kind; return JSON-safe values or raise a ValidationError
    whose keys are ``attributes.<field>``."""
    if kind not in ATTRIBUTE_FORMS:
        raise ValidationError({"kind": _("无效的类别。")})
    if not isinstance(data, dict):
        raise ValidationError({"attributes": _("类别属性应为对象。")})
    form = attribute_form(kind, direction, data)
    unknown = set(data) - set(form.fields)
    if unknown:
        raise ValidationError(
            {"attributes": _("未知的属性：%(names)s") % {"names": ", ".join(sorted(unknown))}}
        )
    if not form.is_valid():
        raise ValidationError(
            {f"attributes.{name}": errors for name, errors in form.errors.items()}
        )
    return {k: _jsonable(v) for k, v in form.cleaned_data.items() if v not in (None, "", [])}
