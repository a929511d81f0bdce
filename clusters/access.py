"""The one access policy: "may this user do this action to this object" and "which objects of
this kind may this user see".

Every HTML view, API endpoint and dashboard asks here. Each app states the rules for its own
models in its ``access.py`` (registered at start-up), so the rules sit beside the models they
guard while every caller goes through the same three functions: :func:`scope`, :func:`can`
and :func:`get_for`. What a user may not see is a 404, never a 403 that confirms it exists.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from clusters.choices import RoleKind
from clusters.models import Region


@dataclass(frozen=True)
class Principal:
    """Who a user is for the policy: their enterprise, their roles and the scope of each."""

    user: object
    authenticated: bool = False
    enterprise_id: int | None = None
    enterprise_admin: bool = False
    park_ids: frozenset[int] = field(default_factory=frozenset)
    platform_supervisor: bool = False
    officer_regions: tuple[Region, ...] = ()

    @property
    def is_supervisor(self) -> bool:
        """A park administrator or platform supervisor: the neutral third party."""
        return self.platform_supervisor or bool(self.park_ids)

    @property
    def is_officer(self) -> bool:
        return bool(self.officer_regions)

    def is_member_of(self, enterprise_id: int | None) -> bool:
        return enterprise_id is not None and self.enterprise_id == enterprise_id

    def is_admin_of(self, enterprise_id: int | None) -> bool:
        return self.is_member_of(enterprise_id) and self.enterprise_admin

    def supervises_park(self, park_id: int | None) -> bool:
        """Park administrators supervise their parks; platform supervisors supervise every
        park and every enterprise that belongs to no park."""
        return self.platform_supervisor or (park_id is not None and park_id in self.park_ids)

    def supervised_q(self, park_field: str) -> Q | None:
        """A filter for objects under this user's supervision, or None for none."""
        if self.platform_supervisor:
            return Q()
        if self.park_ids:
            return Q(**{f"{park_field}__in": self.park_ids})
        return None

    def covers_region(self, region_code: str) -> bool:
        return any(region_code.startswith(r.code_prefix()) for r in self.officer_regions)

    def officer_q(self, region_field: str) -> Q | None:
        if not self.officer_regions:
            return None
        return reduce(or_, (r.subtree_q(region_field) for r in self.officer_regions))


ANONYMOUS = Principal(user=None)


def principal(user) -> Principal:
    """Resolve (once per user object) the principal the rules decide on."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_access_principal", None)
    if cached is not None:
        return cached
    membership = _membership(user)
    grants = list(user.role_grants.select_related("region"))
    result = Principal(
        user=user,
        authenticated=True,
        enterprise_id=membership.enterprise_id if membership else None,
        enterprise_admin=bool(membership and membership.role == "admin"),
        park_ids=frozenset(g.park_id for g in grants if g.kind == RoleKind.PARK_ADMIN),
        platform_supervisor=any(g.kind == RoleKind.PLATFORM_SUPERVISOR for g in grants),
        officer_regions=tuple(g.region for g in grants if g.kind == RoleKind.GOVERNMENT_OFFICER),
    )
    user._access_principal = result
    return result


def _membership(user):
    try:
        return user.membership
    except ObjectDoesNotExist:  # the user belongs to no enterprise yet
        return None


def forget(user) -> None:
    """Drop what was cached about the user after their roles or membership changed."""
    if user is not None:
        user.__dict__.pop("_access_principal", None)
        user.__dict__.pop("_access_memo", None)
        user._state.fields_cache.pop("membership", None)


def memo(p: Principal, key: str, compute):
    """Compute a fact about the principal once per user object (in practice, per request),
    so a rule asked for every row of a list costs one query, not one per row."""
    if p.user is None:
        return compute()
    store = p.user.__dict__.setdefault("_access_memo", {})
    if key not in store:
        store[key] = compute()
    return store[key]


class Rules(ABC):
    """The rules for one model."""

    model: type[Model]

    @abstractmethod
    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        """Narrow ``qs`` to what ``p`` may see."""

    @abstractmethod
    def can(self, p: Principal, action: str, obj) -> bool:
        """May ``p`` take ``action`` on ``obj`` (already known to be visible)?"""


_registry: dict[type[Model], Rules] = {}


def register(rules_class: type[Rules]) -> type[Rules]:
    _registry[rules_class.model] = rules_class()
    return rules_class


def _rules_for(model: type[Model]) -> Rules:
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"no access rules registered for {model._meta.label}") from None


def scope(user, queryset: QuerySet | type[Model]) -> QuerySet:
    """The objects of this kind the user may see."""
    qs = queryset if isinstance(queryset, QuerySet) else queryset._default_manager.all()
    return _rules_for(qs.model).scope(principal(user), qs)


def can(user, action: str, obj) -> bool:
    """May the user take ``action`` on ``obj``? ``view`` means the object is in scope."""
    rules = _rules_for(type(obj))
    p = principal(user)
    if action == "view":
        return rules.scope(p, type(obj)._default_manager.filter(pk=obj.pk)).exists()
    return rules.can(p, action, obj)


def get_for(user, queryset: QuerySet | type[Model], action: str = "view", **lookup):
    """Fetch one object the user may see, and check ``action`` on it.

    Not visible: 404. Visible but the action is not allowed: 403.
    """
    qs = scope(user, queryset)
    try:
        obj = qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, ValidationError):
        # A malformed id (``/api/v1/listings/abc/``) names nothing: not found, not a crash.
        raise Http404 from None
    if action != "view" and not _rules_for(qs.model).can(principal(user), action, obj):
        raise PermissionDenied
    return obj


class PublicReferenceRules(Rules):
    """Reference geography and economy: public, changed only by staff in the admin. Their
    dashboards are not public: officers see those inside their region, park administrators
    their parks, platform supervisors all."""

    def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
        return qs

    def can(self, p: Principal, action: str, obj) -> bool:
        if action == "view_dashboard":
            return p.platform_supervisor or self.dashboard_visible(p, obj)
        return False

    def dashboard_visible(self, p: Principal, obj) -> bool:
        return False


def _register_reference_rules() -> None:
    from clusters.models import Cluster, IndustryCode, Park, RoleGrant

    @register
    class RegionRules(PublicReferenceRules):
        model = Region

        def dashboard_visible(self, p: Principal, obj) -> bool:
            return p.covers_region(obj.code)

    @register
    class ParkRules(PublicReferenceRules):
        model = Park

        def dashboard_visible(self, p: Principal, obj) -> bool:
            return obj.pk in p.park_ids or p.covers_region(obj.region.code)

    @register
    class ClusterRules(PublicReferenceRules):
        model = Cluster

        def dashboard_visible(self, p: Principal, obj) -> bool:
            return p.covers_region(obj.region.code)

    @register
    class IndustryCodeRules(PublicReferenceRules):
        model = IndustryCode

    @register
    class RoleGrantRules(Rules):
        model = RoleGrant

        def scope(self, p: Principal, qs: QuerySet) -> QuerySet:
            return qs.filter(user=p.user) if p.authenticated else qs.none()

        def can(self, p: Principal, action: str, obj) -> bool:
            return False


_register_reference_rules()
