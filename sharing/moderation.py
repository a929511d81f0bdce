"""The one place a listing's status changes.

:func:`listing_transition` checks that the actor may take the action from the listing's
current state, locks the row, updates it only if the state is still the expected one, writes
the moderation decision and the audit entry in the same transaction, and tells the people
concerned after commit. Of two supervisors acting at once, exactly one wins; the other gets a
:class:`~clusters.errors.Conflict` naming the state it found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from clusters import access
from clusters.errors import Conflict
from enterprises.audit import audit_record
from sharing import page_cache
from sharing.choices import (
    EXPIRY_DAYS,
    ComplaintStatus,
    ListingStatus,
    ModerationDecisionKind,
    ModerationReason,
)
from sharing.models import Complaint, Listing, ModerationDecision

S = ListingStatus
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    needs_reason: bool = False
    decision: str | None = None  # recorded as a moderation decision


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((S.DRAFT, S.CHANGES_REQUESTED, S.REJECTED), S.PENDING),
    "approve": Transition((S.PENDING,), S.PUBLISHED, decision=ModerationDecisionKind.APPROVE),
    "request_changes": Transition(
        (S.PENDING,),
        S.CHANGES_REQUESTED,
        needs_reason=True,
        decision=ModerationDecisionKind.REQUEST_CHANGES,
    ),
    "reject": Transition(
        (S.PENDING,), S.REJECTED, needs_reason=True, decision=ModerationDecisionKind.REJECT
    ),
    "withdraw": Transition((S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.PUBLISHED), S.WITHDRAWN),
    "close": Transition((S.PUBLISHED,), S.CLOSED),
    "expire": Transition((S.PUBLISHED,), S.EXPIRED),
    "renew": Transition((S.PUBLISHED, S.EXPIRED), S.PUBLISHED),
    "take_down": Transition((S.PUBLISHED,), S.TAKEN_DOWN, needs_reason=True),
}
# Actions on a published listing's proposed edit: the listing stays published either way.
EDIT_DECISIONS = {
    "approve": ModerationDecisionKind.APPROVE,
    "request_changes": ModerationDecisionKind.REQUEST_CHANGES,
    "reject": ModerationDecisionKind.REJECT,
}
SUPERVISOR_ACTIONS = {"approve", "request_changes", "reject", "take_down"}
OWNER_ACTIONS = {"submit", "withdraw", "close", "renew"}


def default_expiry(kind: str, start=None):
    start = start or timezone.localdate()
    return start + timedelta(days=EXPIRY_DAYS[kind][0])


def max_expiry(kind: str, start=None):
    start = start or timezone.localdate()
    return start + timedelta(days=EXPIRY_DAYS[kind][1])


@transaction.atomic
def listing_transition(
    *,
    actor,
    listing: Listing,
    action: str,
    reason: str = "",
    note: str = "",
    expected_status: str | None = None,
) -> Listing:
    """Take ``action`` on ``listing`` as ``actor``; see the module docstring.

    ``expected_status`` is the state the actor saw (for example in the moderation queue);
    when given and the listing has moved on, the action is refused with a Conflict even if
    it would be allowed from the new state.
    """
    if action not in TRANSITIONS:
        raise ValueError(f"unknown listing action {action!r}")
    if actor is not None and not access.can(actor, action, listing):
        raise PermissionDenied
    note = (note or "").strip()
    reason = (reason or "").strip()
    rule = TRANSITIONS[action]
    if rule.needs_reason and not (reason or note):
        raise ValidationError({"reason": _("请选择理由或填写审核意见。")})
    if reason and reason not in ModerationReason.values:
        raise ValidationError({"reason": _("无效的理由。")})

    current = (
        Listing.objects.select_for_update()
        .select_related("enterprise")
        .filter(pk=listing.pk)
        .first()
    )
    if current is None:
        raise Conflict(_("该信息已不存在。"))
    if expected_status is not None and current.status != expected_status:
        raise _conflict(current)

    if action in EDIT_DECISIONS and current.status == S.PUBLISHED and current.pending_changes:
        return _decide_edit(actor, current, action, reason, note)
    if current.status not in rule.sources:
        raise _conflict(current)
    if action == "submit" and not current.enterprise.is_verified:
        raise ValidationError(_("企业通过认证后才能提交发布。"))
    if action == "renew" and current.pending_changes:
        raise ValidationError(_("该信息有待审核的修改，审核后才能续期。"))

    now = timezone.now()
    from_state = current.status
    changes: dict = {"status": rule.target, "status_changed_at": now}
    if action == "submit":
        changes.update(submitted_at=now, moderation_reason="", moderation_note="")
        if current.first_submitted_at is None:
            changes["first_submitted_at"] = now
    elif action == "approve":
        start = timezone.localdate()
        expires = current.expires_on
        if expires is None or expires < start or expires > max_expiry(current.kind, start):
            expires = default_expiry(current.kind, start)
        changes.update(
            published_at=now,
            expires_on=expires,
            submitted_at=None,
            moderation_reason="",
            moderation_note=note,
        )
    elif rule.decision is not None:  # request changes, reject
        changes.update(submitted_at=None, moderation_reason=reason, moderation_note=note)
    elif action == "renew":
        changes.update(expires_on=default_expiry(current.kind), expiry_warned_at=None)
    elif action == "take_down":
        changes.update(moderation_reason=reason, moderation_note=note)

    updated = Listing.objects.filter(pk=current.pk, status=from_state).update(**changes)
    if updated != 1:  # pragma: no cover - the row lock makes this unreachable on PostgreSQL
        raise _conflict(current)
    if rule.decision is not None:
        ModerationDecision.objects.create(
            listing=current,
            moderator=actor,
            decision=rule.decision,
            reason=reason,
            note=note,
            submitted_at=current.submitted_at or current.status_changed_at,
            decided_at=now,
        )
    if action == "take_down":
        Complaint.objects.filter(listing=current, status=ComplaintStatus.OPEN).update(
            status=ComplaintStatus.UPHELD,
            handled_by=actor,
            handled_at=now,
            resolution=note or reason,
        )
    audit_record(
        actor=actor,
        action=f"listing.{action}",
        obj=current,
        from_state=from_state,
        to_state=rule.target,
        reason=" ".join(filter(None, [reason, note])),
    )
    current.refresh_from_db()
    if S.PUBLISHED in (from_state, rule.target):
        page_cache.listings_changed()  # the public lists show the change at once
    _notify(current, action, reason, note)
    if action in ("approve", "renew"):
        _after_publish(current)
    return current


def _after_publish(listing: Listing) -> None:
    """Mark the listing's matching outstanding and enqueue it once the change is committed.

    If the message is lost (Redis down, worker killed), the periodic sweeper finds the
    listing as outstanding (no ListingMatchState of the current version) and enqueues it
    again.
    """
    from sharing import alerts
    from sharing.matching.engine import mark_outstanding
    from sharing.tasks import match_listing_task

    mark_outstanding(Q(pk=listing.pk))
    listing_id = listing.pk
    transaction.on_commit(lambda: _enqueue(match_listing_task, listing_id))
    alerts.saved_search_alerts_for(listing)


def _enqueue(task, *args) -> None:
    try:
        task.delay(*args)
    except (KombuOperationalError, ConnectionError, OSError):
        # Broker unreachable: publishing stays a success; the sweeper enqueues it later.
        logger.warning(
            "could not enqueue %s%r; the sweeper will retry", task.name, args, exc_info=True
        )


def _decide_edit(actor, listing: Listing, action: str, reason: str, note: str) -> Listing:
    now = timezone.now()
    submitted = listing.submitted_at or now
    changes = listing.pending_changes or {}
    if action == "approve":
        from sharing.services import apply_changes  # the services own what a listing holds

        apply_changes(listing, changes)  # matched again below (_after_publish)
    listing.pending_changes = None
    listing.submitted_at = None
    listing.moderation_reason = reason if action != "approve" else ""
    listing.moderation_note = note
    listing.save()
    ModerationDecision.objects.create(
        listing=listing,
        moderator=actor,
        decision=EDIT_DECISIONS[action],
        reason=reason,
        note=note,
        was_edit=True,
        submitted_at=submitted,
        decided_at=now,
    )
    audit_record(
        actor=actor,
        action=f"listing.edit_{action}",
        obj=listing,
        from_state=listing.status,
        to_state=listing.status,
        reason=" ".join(filter(None, [reason, note])),
        data={"fields": sorted(changes)},
    )
    _notify(listing, f"edit_{action}", reason, note)
    if action == "approve":
        page_cache.listings_changed()
        _after_publish(listing)
    return listing


def _conflict(current: Listing) -> Conflict:
    return Conflict(
        _("该信息当前状态为“%(state)s”，操作未执行（可能已被他人处理）。")
        % {"state": current.get_status_display()},
        current_state=current.status,
    )


# Whole sentences, so each language can order the words its own way.
_NOTICES = {
    "approve": lambda t: _("您的供需信息“%(title)s”已通过审核并发布。") % {"title": t},
    "request_changes": lambda t: _("您的供需信息“%(title)s”需要修改后重新提交。") % {"title": t},
    "reject": lambda t: _("您的供需信息“%(title)s”未通过审核。") % {"title": t},
    "take_down": lambda t: _("您的供需信息“%(title)s”已被监管人员下架。") % {"title": t},
    "expire": lambda t: (
        _("您的供需信息“%(title)s”已到期下线，可在“我的信息”中一键续期。") % {"title": t}
    ),
    "edit_approve": lambda t: _("您对供需信息“%(title)s”的修改已通过审核。") % {"title": t},
    "edit_request_changes": lambda t: _("您对供需信息“%(title)s”的修改需要调整。") % {"title": t},
    "edit_reject": lambda t: _("您对供需信息“%(title)s”的修改未通过审核。") % {"title": t},
}


def _notify(listing: Listing, action: str, reason: str, note: str) -> None:
    """Tell the poster's members, in each one's language, in the app and by e-mail."""
    from sharing.notifications import members_of, notify

    if action not in _NOTICES:
        return

    def message():
        lines = [_NOTICES[action](listing.title)]
        if reason:
            lines.append(_("理由：%(reason)s") % {"reason": ModerationReason(reason).label})
        if note:
            lines.append(_("审核意见：%(note)s") % {"note": note})
        return _("供需信息审核结果：%(title)s") % {"title": listing.title}, "\n".join(lines)

    notify(
        users=members_of(listing.enterprise_id),
        kind="moderation",
        message=message,
        url=listing.get_absolute_url(),
    )
