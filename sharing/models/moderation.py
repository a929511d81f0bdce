from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.choices import (
    ComplaintReason,
    ComplaintStatus,
    ModerationDecisionKind,
    ModerationReason,
)


class ModerationDecision(models.Model):
    """One review of a listing (or of an edit to it), with how long it waited."""

    listing = models.ForeignKey(
        "sharing.Listing", on_delete=models.CASCADE, related_name="decisions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("结论"), max_length=20, choices=ModerationDecisionKind.choices)
    reason = models.CharField(
        _("理由"), max_length=24, choices=ModerationReason.choices, blank=True
    )
    note = models.TextField(_("审核意见"), blank=True)
    was_edit = models.BooleanField(_("对已发布信息的修改"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核时间"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            # The waits of a period (the moderation queue's 90-day median and 90th percentile,
            # the dashboards' records) read from the index alone (PostgreSQL; elsewhere a
            # plain index on decided_at).
            models.Index(
                fields=["decided_at"],
                include=["submitted_at", "listing"],
                name="decision_decided_idx",
            ),
        ]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self) -> str:
        return f"{self.listing_id} {self.decision}"

    @property
    def waited(self):
        return self.decided_at - self.submitted_at


class Complaint(models.Model):
    listing = models.ForeignKey(
        "sharing.Listing",
        verbose_name=_("供需信息"),
        on_delete=models.CASCADE,
        related_name="complaints",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("举报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("举报理由"), max_length=16, choices=ComplaintReason.choices)
    text = models.TextField(_("说明"), max_length=2000)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(_("举报时间"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.listing}"
