"""Reads of enterprises, always starting from the access policy's scope."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clusters import access
from enterprises.choices import VerificationStatus
from enterprises.models import Certification, Enterprise, Membership


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    return (
        access.scope(user, Enterprise)
        .select_related("region", "park", "industry")
        .prefetch_related(
            "clusters",
            Prefetch("certifications", queryset=Certification.objects.order_by("kind")),
        )
    )


def verification_queue(user) -> QuerySet[Enterprise]:
    """Enterprises waiting for this supervisor, oldest first."""
    p = access.principal(user)
    if not p.is_supervisor:
        return Enterprise.objects.none()
    qs = Enterprise.objects.filter(status=VerificationStatus.PENDING)
    if not p.platform_supervisor:
        qs = qs.filter(park__in=p.park_ids)
    return qs.select_related("region", "park", "industry").order_by("status_changed_at", "pk")


def supervised_enterprises(user) -> QuerySet[Enterprise]:
    p = access.principal(user)
    qs = Enterprise.objects.select_related("region", "park", "industry")
    if p.platform_supervisor:
        return qs
    if p.park_ids:
        return qs.filter(park__in=p.park_ids)
    return qs.none()


def members_of(user, enterprise: Enterprise) -> QuerySet[Membership]:
    return access.scope(user, Membership).filter(enterprise=enterprise).select_related("user")


def waiting_time(enterprise: Enterprise):
    return timezone.now() - enterprise.status_changed_at
