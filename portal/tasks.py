from celery import shared_task


@shared_task
def refresh_rollups_task() -> int:
    """Recompute the dashboards' roll-ups; readers keep the old figures until commit."""
    from portal.stats.rollup import rollups_refresh

    return rollups_refresh().rows


@shared_task
def personal_data_purge_task() -> dict:
    """Delete or anonymise personal data past its retention period (docs/personal-data.md)."""
    from portal.ops.retention import personal_data_purge

    return personal_data_purge().as_dict()


@shared_task
def audit_verify_task() -> bool:
    """Verify the supervision log's hash chain; a broken chain alerts the platform
    supervisors. Returns whether the chain holds."""
    from portal.ops.audit_watch import audit_chain_check

    return audit_chain_check() is None
