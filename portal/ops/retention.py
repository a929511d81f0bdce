"""Personal data past its retention period is deleted or anonymised, by a daily job.

Each kind of personal data, its purpose and its retention period are listed in
docs/personal-data.md; the periods are settings (``PERSONAL_DATA_RETENTION_DAYS``), and this
module is what enforces them. The supervision log is not touched: its entries name users by
id only, and are kept for good (see docs/operations.md).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from clusters import access
from enterprises.audit import audit_record
from enterprises.models import Invitation, JoinRequest, Membership
from portal.accounts.services import user_anonymise_fields
from sharing.models import Notification, SavedSearch

logger = logging.getLogger(__name__)

ANONYMISED_EMAIL_DOMAIN = "invalid"  # as accounts.services.user_anonymise_fields writes


@dataclass
class PurgeReport:
    accounts_anonymised: int = 0
    invitations_deleted: int = 0
    join_requests_deleted: int = 0
    notifications_deleted: int = 0
    sessions_deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _days(name: str) -> timedelta:
    return timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS[name])


def is_anonymised(user) -> bool:
    return user.email.endswith(f"@{ANONYMISED_EMAIL_DOMAIN}")


@transaction.atomic
def user_anonymise(*, user) -> None:
    """Replace a deactivated account's personal data, keeping the row: enterprise records and
    the supervision log refer to it by id (the log's hash covers ids, not names)."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    membership = Membership.objects.filter(user=user).select_related("enterprise").first()
    if membership is not None:
        enterprise = membership.enterprise
        membership.delete()
        audit_record(
            actor=None,
            action="membership.leave",
            obj=enterprise,
            data={"user": user.pk, "via": "retention"},
        )
    user.role_grants.all().delete()
    JoinRequest.objects.filter(user=user).delete()
    SavedSearch.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_anonymise_fields(user)
    access.forget(user)


def personal_data_purge(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete or anonymise what is past its retention period; safe to run at any time."""
    now = now or timezone.now()
    report = PurgeReport()
    User = get_user_model()

    # Deactivated accounts: anonymised once their last activity is older than the period.
    dormant = (
        User.objects.filter(is_active=False)
        .exclude(email__endswith=f"@{ANONYMISED_EMAIL_DOMAIN}")
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=now - _days("deactivated_account"))
    )
    for user in dormant.iterator(chunk_size=200):
        report.accounts_anonymised += 1
        if not dry_run:
            user_anonymise(user=user)

    # Invitations: the invitee's e-mail goes with the invitation once it is closed.
    closed_before = now - _days("closed_invitation")
    invitations = Invitation.objects.filter(
        Q(accepted_at__lt=closed_before)
        | Q(revoked_at__lt=closed_before)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=closed_before)
    )
    # Join requests once decided: their message is the applicant's own words.
    join_requests = JoinRequest.objects.exclude(status="pending").filter(
        decided_at__lt=now - _days("decided_join_request")
    )
    notifications = Notification.objects.filter(
        Q(read_at__isnull=False, created_at__lt=now - _days("read_notification"))
        | Q(created_at__lt=now - _days("notification"))
    )
    sessions = Session.objects.filter(expire_date__lt=now)
    report.invitations_deleted = invitations.count()
    report.join_requests_deleted = join_requests.count()
    report.notifications_deleted = notifications.count()
    report.sessions_deleted = sessions.count()
    if not dry_run:
        invitations.delete()
        join_requests.delete()
        notifications.delete()
        sessions.delete()
    logger.info("personal data retention%s: %s", " (dry run)" if dry_run else "", report.as_dict())
    return report
