"""What the background tasks do: match, sweep, re-match everything, expire, warn, digest.

Every function takes ids, re-reads the rows, and is safe to run twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sharing.choices import Direction, JobStatus, ListingStatus
from sharing.matching.engine import (
    NewMatch,
    Party,
    mark_outstanding,
    match_listing,
    match_listings,
    outstanding_batches,
    outstanding_listing_ids,
    outstanding_q,
)
from sharing.models import BackgroundJob, Listing
from sharing.notifications import members_of, notify, notify_in_app, recipients_of_many

EXPIRY_WARNING_DAYS = 5
# Listings matched together: a batch of one (kind, direction, division) shares its candidate
# query and the writes (sharing.matching.engine.match_listings), so larger batches go faster.
# At 1M listings, the same 2,000 listings in batches of 500, 1,000 and 2,000: 421-446,
# 476-522 and 508-526 listings/s (rolled back, benchmark, issue 7). A batch of 1,000 is
# one transaction of about 2 s, writing about 20,000 matches.
REMATCH_BATCH = 1000


def match_and_notify(listing_id: int) -> int:
    """Match one listing and tell both sides of its good new matches. Returns new matches."""
    result = match_listing(listing_id, notify=tell_new_matches)
    return len(result.new_pairs) if result is not None else 0


def match_batch_and_notify(listing_ids: list[int]) -> int:
    """Match a batch of listings together and tell the good new matches in one go, one notice
    per listing that has new ones (see :func:`tell_new_matches`). Returns new matches."""
    results = match_listings(listing_ids, notify=tell_new_matches)
    return len({pk for result in results for pk in result.new_pairs})


def tell_new_matches(matches: list[NewMatch]) -> int:
    """Tell the members of each side's enterprise of these new good matches, in the app (no
    e-mail: the daily digest lists them): one notice per listing, however many new matches it
    has. Returns the notices written.

    A listing with one new match is told its partner's title and score; one with several is
    told how many, and the best of them. The notice links to the listing's matches page, which
    lists them all. A re-match batch finds about twenty new matches per listing, and a notice
    per match and member (each side of each pair) was most of the batch's writes (benchmark,
    issue 7) and a flood for the members.
    """
    found: dict[int, tuple[Party, list[tuple[float, Party]]]] = {}
    for match in matches:
        for mine, other in ((match.offer, match.request), (match.request, match.offer)):
            found.setdefault(mine.id, (mine, []))[1].append((match.score, other))
    members = recipients_of_many({mine.enterprise_id for mine, _others in found.values()})
    texts: dict[str, tuple[str, str, str, str, dict[str, str]]] = {}

    def wording() -> tuple[str, str, str, str, dict[str, str]]:
        """The texts and the direction labels in the active language, once each."""
        language = get_language()
        if language not in texts:
            texts[language] = (
                _("新的匹配：%(title)s"),
                _("平台为您的信息找到一条匹配度 %(score)d%% 的%(dir)s。"),
                _("“%(title)s”有 %(count)d 条新的匹配"),
                _("匹配度最高的是 %(score)d%% 的%(dir)s：%(best)s。"),
                {value: str(label) for value, label in Direction.choices},
            )
        return texts[language]

    items = []
    for mine, others in found.values():
        users = [u for u in members.get(mine.enterprise_id, ()) if u.recommendations_enabled]
        if not users:
            continue
        score, best = max(others, key=lambda o: (o[0], -o[1].id))
        count = len(others)

        def message(mine=mine, count=count, score=score, best=best):
            one_title, one_body, many_title, many_body, directions = wording()
            values = {
                "title": best.title if count == 1 else mine.title,
                "best": best.title,
                "count": count,
                "score": round(score * 100),
                "dir": directions.get(best.direction, best.direction),
            }
            if count == 1:
                return one_title % values, one_body % values
            return many_title % values, many_body % values

        items.append((users, message, f"/listings/{mine.id}/matches/"))
    return notify_in_app(kind="match", items=items)


def sweep_outstanding(limit: int = 500) -> list[int]:
    """Published listings whose matching is missing or stale: the caller enqueues them."""
    return outstanding_listing_ids(limit=limit)


def rematch_start(*, actor=None) -> BackgroundJob:
    """Start a full re-match, or return the one already running."""
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(
                kind="rematch", started_by=actor, status=JobStatus.QUEUED
            )
    except IntegrityError:
        return BackgroundJob.objects.get(
            kind="rematch", status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
    return job


def rematch_run(job_id: int, *, progress=None) -> BackgroundJob | None:
    """Re-match every published listing in bounded batches, recording progress.

    Marks every published listing stale first, so if the worker dies part-way, the sweeper
    (and a rerun of this job) pick up exactly the listings not yet done.
    """
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    if job.status == JobStatus.QUEUED:
        mark_outstanding(Q(status=ListingStatus.PUBLISHED))
        total = Listing.objects.filter(status=ListingStatus.PUBLISHED).count()
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, total=total, done=0
        )
        job.refresh_from_db()
    try:
        # Passes over what is outstanding, until nothing is (a listing published meanwhile is
        # in the next pass), in batches by (kind, direction, division): a batch mostly shares
        # one candidate query.
        while outstanding_listing_ids(limit=1):
            for ids in outstanding_batches(REMATCH_BATCH):
                match_batch_and_notify(ids)
                done = (
                    job.total
                    - Listing.objects.filter(
                        outstanding_q(), status=ListingStatus.PUBLISHED
                    ).count()
                )
                BackgroundJob.objects.filter(pk=job.pk).update(done=max(0, min(done, job.total)))
                if progress is not None:
                    progress(max(0, done), job.total)
    except Exception as exc:
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, message=str(exc), finished_at=timezone.now()
        )
        raise
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, done=job.total, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def expire_due(limit: int = 500) -> int:
    """Expire published listings past their date; returns how many."""
    from sharing.moderation import listing_transition

    today = timezone.localdate()
    count = 0
    for listing in Listing.objects.filter(status=ListingStatus.PUBLISHED, expires_on__lt=today)[
        :limit
    ]:
        try:
            listing_transition(actor=None, listing=listing, action="expire")
        except Exception:  # noqa: S112 - a listing changed meanwhile: the next run sees it
            continue
        count += 1
    return count


def warn_expiring(days: int = EXPIRY_WARNING_DAYS) -> int:
    """Warn owners a few days before expiry, once per listing."""
    today = timezone.localdate()
    due = Listing.objects.filter(
        status=ListingStatus.PUBLISHED,
        expiry_warned_at__isnull=True,
        expires_on__lte=today + timedelta(days=days),
        expires_on__gte=today,
    )
    count = 0
    for listing in due[:500]:
        if not Listing.objects.filter(pk=listing.pk, expiry_warned_at__isnull=True).update(
            expiry_warned_at=timezone.now()
        ):
            continue

        def message(listing=listing):
            return (
                _("即将到期：%(title)s") % {"title": listing.title},
                _("您的信息将于 %(date)s 到期。如仍有效，可一键续期（内容未修改无需重新审核）。")
                % {"date": listing.expires_on.isoformat()},
            )

        with transaction.atomic():
            notify(
                users=members_of(listing.enterprise_id),
                kind="expiry",
                message=message,
                url=f"/listings/{listing.pk}/",
            )
        count += 1
    return count
