from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.choices import DealStatus, InquiryStatus


class Inquiry(models.Model):
    """An expression of interest (对接意向) from one enterprise about another's listing.

    The poster sees who asks; the asker sees only the anonymous listing until the poster
    accepts. Then both see each other's name and contact people, and may write messages.
    """

    listing = models.ForeignKey(
        "sharing.Listing",
        verbose_name=_("供需信息"),
        on_delete=models.CASCADE,
        related_name="inquiries",
    )
    from_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("意向方"),
        on_delete=models.CASCADE,
        related_name="inquiries_sent",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.ForeignKey(
        "sharing.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    message = models.TextField(_("留言"), max_length=2000)
    offer_text = models.TextField(_("我方能提供"), max_length=2000, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=InquiryStatus.choices,
        default=InquiryStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("对接意向")
        verbose_name_plural = _("对接意向")
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "from_enterprise"],
                condition=Q(status__in=["pending", "accepted"]),
                name="inquiry_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_enterprise} → {self.listing}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:inquiry", args=[self.pk])


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("内容"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class Deal(models.Model):
    """The recorded outcome of an accepted inquiry; it counts once the other side confirms."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("对接意向"), on_delete=models.PROTECT, related_name="deals"
    )
    recorded_by = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("登记方"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(_("成交内容"), max_length=200)
    quantity = models.DecimalField(
        _("数量"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("单位"), max_length=24, blank=True)
    value_yuan = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    close_listing = models.BooleanField(_("成交后关闭该信息"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=DealStatus.choices,
        default=DealStatus.PROPOSED,
        db_index=True,
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dispute_note = models.TextField(_("异议说明"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("成交")
        verbose_name_plural = _("成交")
        constraints = [
            models.CheckConstraint(name="deal_value_not_negative", condition=Q(value_yuan__gte=0)),
            models.CheckConstraint(
                name="deal_dates_ordered",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.description
