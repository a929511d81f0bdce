"""Access rules for enterprises, their members, invitations, join requests and the audit log.

Registered into :mod:`clusters.access`, the single policy every view and endpoint asks.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from clusters.access import Principal, Rules, register
from enterprises.choices import VerificationStatus
from enterprises.models import AuditEntry, Enterprise, Invitation, JoinRequest, Membership

SUPERVISION_ACTIONS = {"verify", "reject", "suspend", "reinstate"}

# Apps above this one add who else may see an enterprise's contact people: sharing adds the
# accepted counterpart of an inquiry. Each is called as grant(principal, enterprise).
contact_grants: list[Callable[[Principal, Enterprise], bool]] = []


@register
class EnterpriseRules(Rules):
    model = Enterprise

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.platform_supervisor:
            return qs
        visible = Q(status=VerificationStatus.VERIFIED)
        if p.enterprise_id:
            visible |= Q(pk=p.enterprise_id)
        if p.park_ids:
            visible |= Q(park__in=p.park_ids)
        if p.is_officer:
            visible |= p.officer_q("region")
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: Enterprise) -> bool:
        if action == "view_contacts":
            return (
                p.is_member_of(obj.pk)
                or p.supervises_park(obj.park_id)
                or any(grant(p, obj) for grant in contact_grants)
            )
        if action in {"change", "manage_members"}:
            return p.is_admin_of(obj.pk)
        if action == "request_join":
            return (
                p.authenticated
                and p.enterprise_id is None
                and obj.status in (VerificationStatus.PENDING, VerificationStatus.VERIFIED)
            )
        if action in SUPERVISION_ACTIONS:
            # A supervisor never decides on an enterprise they work for.
            return p.supervises_park(obj.park_id) and not p.is_member_of(obj.pk)
        if action == "resubmit":
            return p.is_admin_of(obj.pk)
        return False


def _supervised_enterprises(p: Principal) -> Q:
    """Enterprises under this user's supervision (callers handle platform supervisors)."""
    return Q(enterprise__park__in=p.park_ids)


@register
class MembershipRules(Rules):
    model = Membership

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.platform_supervisor:
            return qs
        visible = Q(pk__in=[])
        if p.enterprise_id:
            visible |= Q(enterprise_id=p.enterprise_id)
        if p.park_ids:
            visible |= _supervised_enterprises(p)
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: Membership) -> bool:
        if action in {"remove", "change_role"}:
            return p.is_admin_of(obj.enterprise_id)
        if action == "leave":
            return p.user is not None and obj.user_id == p.user.pk
        return False


@register
class InvitationRules(Rules):
    model = Invitation

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.enterprise_admin:
            return qs.filter(enterprise_id=p.enterprise_id)
        return qs.none()

    def can(self, p: Principal, action: str, obj: Invitation) -> bool:
        return action == "revoke" and p.is_admin_of(obj.enterprise_id)


@register
class JoinRequestRules(Rules):
    model = JoinRequest

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if not p.authenticated:
            return qs.none()
        visible = Q(user=p.user)
        if p.enterprise_admin:
            visible |= Q(enterprise_id=p.enterprise_id)
        return qs.filter(visible)

    def can(self, p: Principal, action: str, obj: JoinRequest) -> bool:
        if action == "decide":
            return p.is_admin_of(obj.enterprise_id)
        if action == "withdraw":
            return p.user is not None and obj.user_id == p.user.pk
        return False


@register
class AuditEntryRules(Rules):
    """Supervisors read the log of what they supervise; nobody may change it."""

    model = AuditEntry

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        if p.platform_supervisor:
            return qs
        if p.park_ids:
            ids = Enterprise.objects.filter(park__in=p.park_ids).values_list("pk", flat=True)
            return qs.filter(
                object_type="enterprises.enterprise",
                object_id__in=[str(pk) for pk in ids],
            )
        return qs.none()

    def can(self, p: Principal, action: str, obj: AuditEntry) -> bool:
        return False
