from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.choices import JobStatus, MatchState


class ListingMatchState(models.Model):
    """Which matching algorithm version last matched a listing, and when; no row: never
    matched, or outstanding again (published anew, an edit approved, a re-match asked). The
    sweeper re-enqueues published listings without a row of the current version.

    Kept apart from the listing's wide row (about 1.8 kB, four to a page, fifteen indexes):
    writing it there after every match could not be a HOT update, so each one wrote a new
    row version and an entry in every index, a tenth to a quarter of a re-match batch at 1M
    listings (benchmark, issue 7)."""

    listing = models.OneToOneField(
        "sharing.Listing", on_delete=models.CASCADE, primary_key=True, related_name="match_state"
    )
    version = models.PositiveSmallIntegerField()
    matched_at = models.DateTimeField()

    class Meta:
        verbose_name = _("匹配记录")
        verbose_name_plural = _("匹配记录")

    def __str__(self) -> str:
        return f"{self.listing_id} v{self.version} {self.matched_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """A published offer paired with a published request of the same kind, with the score
    and every factor's value and detail, so each side sees why it was proposed (the weights
    and contributions are added on display: sharing.matching.scoring.full_explanation)."""

    # No index of their own: match_offer_idx, match_request_idx and match_unique_pair begin
    # with these columns (two more indexes to write for each of a re-match batch's ~10,000
    # new matches, issue 7).
    offer = models.ForeignKey(
        "sharing.Listing",
        on_delete=models.CASCADE,
        related_name="matches_as_offer",
        db_index=False,
    )
    request = models.ForeignKey(
        "sharing.Listing",
        on_delete=models.CASCADE,
        related_name="matches_as_request",
        db_index=False,
    )
    # No index of its own: a listing's matches are read best first through match_offer_idx
    # and match_request_idx; no query orders all matches by score (an index never scanned
    # in a whole benchmark run, written for each new match).
    score = models.FloatField(_("匹配度"))
    factors = models.JSONField(_("匹配依据"), default=dict)
    algorithm_version = models.PositiveSmallIntegerField(_("算法版本"))
    offer_state = models.CharField(
        _("供给方状态"), max_length=12, choices=MatchState.choices, default=MatchState.NEW
    )
    request_state = models.CharField(
        _("需求方状态"), max_length=12, choices=MatchState.choices, default=MatchState.NEW
    )
    notified = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "-pk"]
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        constraints = [
            models.UniqueConstraint(fields=["offer", "request"], name="match_unique_pair"),
        ]
        indexes = [
            models.Index(fields=["offer", "-score"], name="match_offer_idx"),
            models.Index(fields=["request", "-score"], name="match_request_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} ↔ {self.request_id} ({self.score:.2f})"


class BackgroundJob(models.Model):
    """A long job (full re-match) whose progress the page and the terminal show."""

    kind = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One full re-match at a time: a second start finds the running one.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return (
            int(100 * self.done / self.total)
            if self.total
            else (100 if self.status == "done" else 0)
        )
