from celery import shared_task


@shared_task
def refresh_rollups_task() -> int:
    """Recompute the dashboards' roll-ups; readers keep the old figures until commit."""
    from portal.stats.rollup import rollups_refresh

    return rollups_refresh().rows
