"""Personal data past its retention period is deleted or anonymised by the daily job
(portal.ops.retention, docs/personal-data.md). Time is shifted by passing ``now``: the job
runs "later", against rows stamped as they really were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from enterprises.audit import audit_verify
from enterprises.models import AuditEntry, Invitation, JoinRequest, Membership
from enterprises.services import join_request_decide
from portal.ops.retention import personal_data_purge
from sharing.models import Notification

DAY = timedelta(days=1)


@pytest.fixture
def retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        "deactivated_account": 180,
        "closed_invitation": 30,
        "decided_join_request": 180,
        "read_notification": 90,
        "notification": 365,
    }
    return settings.PERSONAL_DATA_RETENTION_DAYS


def _deactivate(user, *, last_seen):
    type(user).objects.filter(pk=user.pk).update(is_active=False, last_login=last_seen)
    user.refresh_from_db()


def test_a_deactivated_account_past_retention_is_anonymised(cast, retention):
    now = timezone.now()
    member = cast.member_a
    member.phone = "13800138000"
    member.save()
    _deactivate(member, last_seen=now - 181 * DAY)

    report = personal_data_purge(now=now)

    member.refresh_from_db()
    assert report.accounts_anonymised == 1
    assert member.name == "已注销用户"
    assert member.email == f"deleted-{member.pk}@invalid"
    assert member.phone == ""
    assert not member.has_usable_password()
    assert not Membership.objects.filter(user=member).exists()
    left = AuditEntry.objects.filter(action="membership.leave").last()
    assert left.data == {"user": member.pk, "via": "retention"}
    assert audit_verify() is None


def test_a_recently_deactivated_account_is_kept(cast, retention):
    now = timezone.now()
    _deactivate(cast.member_a, last_seen=now - 179 * DAY)

    assert personal_data_purge(now=now).accounts_anonymised == 0
    cast.member_a.refresh_from_db()
    assert cast.member_a.email == "member-a@example.com"


def test_an_active_account_is_never_anonymised_however_long_unused(cast, retention):
    type(cast.member_b).objects.filter(pk=cast.member_b.pk).update(
        last_login=timezone.now() - 3000 * DAY
    )

    personal_data_purge()

    cast.member_b.refresh_from_db()
    assert cast.member_b.name == "刘洋"


def test_an_anonymised_account_is_not_counted_again(cast, retention):
    now = timezone.now()
    _deactivate(cast.member_a, last_seen=now - 400 * DAY)
    personal_data_purge(now=now)

    assert personal_data_purge(now=now).accounts_anonymised == 0


def test_an_expired_invitation_goes_with_its_email_after_the_period(cast, retention):
    invitation = cast.a.invitation
    expired = invitation.expires_at

    personal_data_purge(now=expired + 29 * DAY)
    assert Invitation.objects.filter(pk=invitation.pk).exists()

    report = personal_data_purge(now=expired + 31 * DAY)

    assert report.invitations_deleted >= 1
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert not Invitation.objects.filter(email="invitee-a@example.com").exists()


def test_an_accepted_invitation_goes_30_days_after_acceptance(cast, retention):
    accepted = Invitation.objects.filter(accepted_at__isnull=False).first()

    personal_data_purge(now=accepted.accepted_at + 29 * DAY)
    assert Invitation.objects.filter(pk=accepted.pk).exists()
    personal_data_purge(now=accepted.accepted_at + 31 * DAY)
    assert not Invitation.objects.filter(pk=accepted.pk).exists()


def test_a_decided_join_request_goes_after_the_period_a_pending_one_stays(cast, retention):
    decided = join_request_decide(
        actor=cast.admin_a, join_request=cast.a.join_request, approve=False
    )
    pending = cast.b.join_request

    personal_data_purge(now=decided.decided_at + 179 * DAY)
    assert JoinRequest.objects.filter(pk=decided.pk).exists()
    personal_data_purge(now=decided.decided_at + 181 * DAY)

    assert not JoinRequest.objects.filter(pk=decided.pk).exists()
    assert JoinRequest.objects.filter(pk=pending.pk).exists()


def test_read_notifications_go_after_90_days_unread_ones_after_a_year(cast, retention):
    now = timezone.now()
    user = cast.member_a
    read_old = Notification.objects.create(
        user=user, kind="x", title="已读", created_at=now - 91 * DAY, read_at=now - 90 * DAY
    )
    read_recent = Notification.objects.create(
        user=user, kind="x", title="已读近期", created_at=now - 89 * DAY, read_at=now
    )
    unread = Notification.objects.create(
        user=user, kind="x", title="未读", created_at=now - 200 * DAY
    )
    unread_ancient = Notification.objects.create(
        user=user, kind="x", title="未读很久", created_at=now - 366 * DAY
    )

    personal_data_purge(now=now)

    remaining = set(Notification.objects.filter(user=user).values_list("pk", flat=True))
    assert read_old.pk not in remaining and unread_ancient.pk not in remaining
    assert {read_recent.pk, unread.pk} <= remaining


def test_expired_sessions_are_deleted(cast, retention):
    session = SessionStore()
    session["x"] = 1
    session.create()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - DAY)

    personal_data_purge()

    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_a_dry_run_counts_and_changes_nothing(cast, retention):
    now = timezone.now()
    _deactivate(cast.member_a, last_seen=now - 400 * DAY)
    invitations = Invitation.objects.count()

    report = personal_data_purge(now=now + 400 * DAY, dry_run=True)

    assert report.accounts_anonymised >= 1 and report.invitations_deleted >= 1
    cast.member_a.refresh_from_db()
    assert cast.member_a.email == "member-a@example.com"
    assert Invitation.objects.count() == invitations


def test_the_supervision_log_is_kept_whatever_the_date(cast, retention):
    entries = AuditEntry.objects.count()
    oldest = AuditEntry.objects.order_by("seq").first()

    personal_data_purge(now=timezone.now() + 3650 * DAY)

    assert AuditEntry.objects.count() >= entries
    assert AuditEntry.objects.filter(pk=oldest.pk).exists()
    assert audit_verify() is None


def test_the_command_reports_what_it_did(cast, retention, capsys):
    call_command("purge_personal_data", "--dry-run")

    out = capsys.readouterr().out
    assert "accounts_anonymised: 0" in out
    assert "would delete or anonymise" in out


def test_the_job_is_scheduled_daily(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["personal-data-retention"]
    assert entry["task"] == "portal.tasks.personal_data_purge_task"
    assert entry["task"] in app.tasks
