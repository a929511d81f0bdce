"""Thin Celery tasks: they take ids, call :mod:`sharing.jobs`, and are safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from sharing import jobs


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def match_listing_task(listing_id: int) -> int:
    return jobs.match_and_notify(listing_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def match_batch_task(listing_ids: list[int]) -> int:
    return jobs.match_batch_and_notify(listing_ids)


SWEEP_BATCH = 100


@shared_task
def sweep_matching_task() -> int:
    """Re-enqueue published listings whose matching is missing or stale, in batches: a lost
    message, a killed worker or a Redis restart loses nothing, since the database says what
    is left."""
    ids = jobs.sweep_outstanding()
    for start in range(0, len(ids), SWEEP_BATCH):
        match_batch_task.delay(ids[start : start + SWEEP_BATCH])
    return len(ids)


@shared_task(acks_late=True)
def rematch_all_task(job_id: int) -> None:
    jobs.rematch_run(job_id)


@shared_task
def expire_listings_task() -> int:
    return jobs.expire_due()


@shared_task
def warn_expiring_task() -> int:
    return jobs.warn_expiring()


@shared_task
def daily_digest_task() -> int:
    from sharing import digests

    return digests.send_daily_digests()
