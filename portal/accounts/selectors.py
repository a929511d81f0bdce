"""Reads about the logged-in user's own account: the "my data" page and its JSON download."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def account_overview(user) -> dict:
    """The user's membership, role grants and join requests, fetched in a few queries."""
    try:
        membership = user.membership
    except (ObjectDoesNotExist, AttributeError):  # no enterprise, or enterprises not installed
        membership = None
    try:
        JoinRequest = apps.get_model("enterprises", "JoinRequest")
    except LookupError:
        join_requests = []
    else:
        join_requests = list(
            JoinRequest.objects.filter(user=user)
            .select_related("enterprise")
            .order_by("created_at")
        )
    return {
        "membership": membership,
        "role_grants": list(
            user.role_grants.select_related("park", "region").order_by("granted_at", "pk")
        ),
        "join_requests": join_requests,
    }


def personal_data(user) -> dict:
    """Everything the portal keeps about ``user`` as a person, for the JSON download.

    Only this user's own data: an enterprise appears by name, its other members not at all.
    """
    overview = account_overview(user)
    membership = overview["membership"]
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "name": user.name,
            "email": user.email,
            "phone": user.phone,
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "privacy_consent": {
            "consented_at": _iso(user.privacy_consent_at),
            "notice_version": user.privacy_notice_version,
        },
        "membership": membership
        and {
            "enterprise_id": membership.enterprise_id,
            "enterprise": membership.enterprise.name,
            "role": membership.role,
            "role_label": str(membership.get_role_display()),
            "joined_at": _iso(membership.joined_at),
        },
        "role_grants": [
            {
                "kind": grant.kind,
                "kind_label": str(grant.get_kind_display()),
                "park": grant.park.name if grant.park_id else None,
                "region": grant.region.name if grant.region_id else None,
                "granted_at": _iso(grant.granted_at),
            }
            for grant in overview["role_grants"]
        ],
        "join_requests": [
            {
                "enterprise": request.enterprise.name,
                "message": request.message,
                "status": request.status,
                "created_at": _iso(request.created_at),
            }
            for request in overview["join_requests"]
        ],
    }
