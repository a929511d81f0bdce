"""The supervision log is verified on a schedule; a broken chain alerts the platform
supervisors in the portal and by e-mail, and the site's ADMINS. Entries are never deleted."""

from __future__ import annotations

import pytest
from django.db import connection

from enterprises.models import AuditEntry
from portal.tasks import audit_verify_task
from sharing.models import Notification


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("运维", "ops@example.com")]


def _tamper(seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE enterprises_auditentry SET reason = 'altered' WHERE seq = %s", [seq])


def test_an_intact_chain_raises_no_alert(cast, admins, mailoutbox):
    assert audit_verify_task() is True
    assert not Notification.objects.filter(kind="audit_broken").exists()
    assert mailoutbox == []


def test_a_broken_chain_alerts_every_platform_supervisor(
    cast, admins, mailoutbox, django_capture_on_commit_callbacks
):
    _tamper(2)

    with django_capture_on_commit_callbacks(execute=True):
        assert audit_verify_task() is False

    alert = Notification.objects.get(kind="audit_broken")
    assert alert.user == cast.supervisor
    assert "#2" in alert.body
    # Only platform supervisors: park administrators and officers are not told.
    assert not Notification.objects.filter(
        kind="audit_broken", user__in=[cast.park_admin_a, cast.officer_a]
    ).exists()
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert {"supervisor@example.com", "ops@example.com"} <= recipients


def test_the_verification_is_scheduled(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["verify-audit-log"]
    assert entry["task"] == "portal.tasks.audit_verify_task"
    assert entry["task"] in app.tasks


def test_entries_cannot_be_deleted_or_altered_through_the_application(cast):
    entry = AuditEntry.objects.order_by("seq").first()

    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
