from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.display import ChoiceDisplayMixin
from enterprises.choices import (
    ASSET_BAND_CHOICES,
    REVENUE_BAND_CHOICES,
    CertificationKind,
    SizeClass,
    VerificationStatus,
)
from enterprises.credit_code import validate_credit_code


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    region = models.ForeignKey(
        "clusters.Region",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    park = models.ForeignKey(
        "clusters.Park",
        verbose_name=_("所在园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster", verbose_name=_("所属产业集群"), blank=True, related_name="enterprises"
    )
    industry = models.ForeignKey(
        "clusters.IndustryCode",
        verbose_name=_("主营行业"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    employees = models.PositiveIntegerField(_("从业人员（人）"))
    revenue_band = models.PositiveIntegerField(
        _("上年营业收入（万元）"), choices=REVENUE_BAND_CHOICES
    )
    assets_band = models.PositiveIntegerField(
        _("资产总额（万元）"),
        choices=ASSET_BAND_CHOICES,
        null=True,
        blank=True,
        help_text=_("建筑业、房地产开发经营、租赁和商务服务业划型时需要"),
    )
    size_class = models.CharField(_("企业规模"), max_length=8, choices=SizeClass.choices)
    description = models.TextField(_("企业简介"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    status = models.CharField(
        _("认证状态"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    status_reason = models.TextField(_("状态说明"), blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    verified_at = models.DateTimeField(_("首次认证时间"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class ContactPerson(models.Model):
    """Personal data: shown only to members, supervisors and accepted counterparts."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=64)
    position = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")

    def __str__(self) -> str:
        return self.name


class Certification(ChoiceDisplayMixin, models.Model):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    kind = models.CharField(_("认证类型"), max_length=16, choices=CertificationKind.choices)
    other_name = models.CharField(_("其他认证名称"), max_length=64, blank=True)
    number = models.CharField(_("证书编号"), max_length=64)
    valid_until = models.DateField(_("有效期至"))

    class Meta:
        ordering = ["kind", "valid_until"]
        verbose_name = _("资质认证")
        verbose_name_plural = _("资质认证")

    def __str__(self) -> str:
        return self.other_name if self.kind == CertificationKind.OTHER else self.get_kind_display()

    @property
    def is_valid(self) -> bool:
        return self.valid_until >= timezone.localdate()
