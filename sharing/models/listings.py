from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.display import ChoiceDisplayMixin
from sharing.choices import (
    Direction,
    ListingKind,
    ListingStatus,
    ModerationReason,
    PriceMode,
    Unit,
    Visibility,
)

# The listing's substance: an edit of any of these on a published listing goes back to review.
SUBSTANCE_FIELDS = (
    "kind",
    "direction",
    "title",
    "description",
    "industry_id",
    "quantity",
    "unit",
    "price_mode",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "region_id",
    "park_id",
    "visibility",
    "attributes",
)


class Listing(ChoiceDisplayMixin, models.Model):
    """What an enterprise offers (供给) or requests (需求): idle capacity and equipment,
    technology, an order or talent. Public only once a supervisor has approved it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ListingKind.choices)
    direction = models.CharField(_("供需方向"), max_length=8, choices=Direction.choices)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("详细描述"), max_length=5000)
    industry = models.ForeignKey(
        "clusters.IndustryCode",
        verbose_name=_("行业"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    quantity = models.DecimalField(
        _("数量"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("单位"), max_length=24, choices=Unit.choices, blank=True)
    price_mode = models.CharField(
        _("价格方式"), max_length=12, choices=PriceMode.choices, default=PriceMode.NEGOTIABLE
    )
    price_min = models.DecimalField(
        _("最低价（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    price_max = models.DecimalField(
        _("最高价（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    available_from = models.DateField(_("可提供/需要起始日"), null=True, blank=True)
    available_until = models.DateField(_("可提供/需要截止日"), null=True, blank=True)
    region = models.ForeignKey(
        "clusters.Region",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    park = models.ForeignKey(
        "clusters.Park",
        verbose_name=_("所在园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listings",
    )
    visibility = models.CharField(
        _("可见范围"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    attributes = models.JSONField(_("类别属性"), default=dict, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    status = models.CharField(
        _("状态"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    # Proposed edit of a published listing, waiting for review; the published content
    # stays visible until a supervisor approves it.
    pending_changes = models.JSONField(_("待审核的修改"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(
        _("首次提交时间"), null=True, blank=True, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    moderation_reason = models.CharField(_("审核理由"), max_length=24, blank=True)
    moderation_note = models.TextField(_("审核意见"), blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    # The industry division (two digits), kept beside the code so candidate generation for
    # matching is one indexed lookup: same kind, other direction, same division, published.
    division = models.CharField(max_length=2, editable=False, default="")
    # Which matching algorithm version last matched it: ListingMatchState (match_state).
    # Segmented words (jieba) of title, description and attributes, for full-text search:
    # a GIN index over to_tsvector('simple', ...) on PostgreSQL.
    search_document = models.TextField(editable=False, blank=True, default="")
    # The same, of the title alone: relevance puts listings whose title holds every word
    # of the search first (weight A in the stored vector, migration 0009).
    title_document = models.TextField(editable=False, blank=True, default="")
    # What the listing is, as words (kind, direction, industry codes, region prefixes, park):
    # the list's filters read them from the search index (sharing/search.py, migration 0010).
    facet_document = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("供需信息")
        verbose_name_plural = _("供需信息")
        indexes = [
            models.Index(
                fields=["status", "kind", "direction", "-published_at"], name="listing_browse_idx"
            ),
            models.Index(fields=["status", "expires_on"], name="listing_expiry_idx"),
            models.Index(fields=["enterprise", "status"], name="listing_owner_idx"),
            # Candidate generation for matching (sharing.matching.engine.candidates_q): one
            # lookup among published listings by kind, direction and industry division,
            # newest first.
            models.Index(
                fields=["kind", "direction", "division", "-published_at"],
                condition=Q(status="published"),
                name="listing_candidates_idx",
            ),
            # The moderation queue, oldest first, and its count: only what waits for a
            # decision (new listings and edits of published ones). Over every listing ever
            # submitted it took 0.3 s a count at a million listings (benchmark, issue 7).
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status="pending")
                | Q(status="published", pending_changes__isnull=False),
                name="listing_waiting_idx",
            ),
            # The public list, newest first, and its count: an ordered scan that stops after a
            # page, and an index-only count (visibility included). Without it every list page
            # sorted all published listings (benchmark, issue 7).
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                include=["visibility"],
                name="listing_newest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="listing_price_range_ordered",
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
            ),
            models.CheckConstraint(
                name="listing_dates_ordered",
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_from__lte=models.F("available_until")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ListingStatus.PUBLISHED

    def get_moderation_reason_display(self) -> str:
        """The label of the stored ModerationReason, as the pages show it. The field declares
        no choices, so Django does not provide this method (and templates rendered "")."""
        if self.moderation_reason in ModerationReason.values:
            return ModerationReason(self.moderation_reason).label
        return self.moderation_reason


def attachment_path(instance, filename: str) -> str:
    return f"listings/{instance.listing_id}/{instance.stored_name}"


class ListingAttachment(models.Model):
    """An image or PDF whose type was checked by its content, not its name."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    stored_name = models.CharField(max_length=64)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name
