"""Raw records for the dashboard tests, built through the services.

The services stamp every row with the present moment, and none of them can write a past one;
the dashboards are about the past two years. So the tests build the rows through the services
and then move their timestamps into past months with queryset ``.update()`` — the timestamps
are shifted for the test, nothing else about the rows is touched.

Months are months of local time (settings.TIME_ZONE, Asia/Shanghai): a deal confirmed at
00:30 on 1 March in Wuhan is a March deal, although it is still February in UTC.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from clusters.models import Cluster, IndustryCode, Park, Region
from enterprises import services as enterprise_services
from enterprises.credit_code import make_credit_code
from enterprises.models import Enterprise
from portal.stats.rollup import rollups_refresh
from sharing import services
from sharing.models import Deal, Inquiry, Listing, ModerationDecision
from sharing.moderation import listing_transition
from tests.cast import Cast

LOCAL = ZoneInfo(settings.TIME_ZONE)

# Clusters of the reference data the tests put firms in.
CLUSTER_JIANGXIA = "江夏区汽车及零部件产业集群"  # 420115, inside 武汉市
CLUSTER_WUHAN = "武汉智能网联汽车(千亿级集群培育方向)"  # 420100
CLUSTER_XIANGYANG = "襄阳市汽车及零部件产业集群"  # 420600

_serial = itertools.count(1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def local_moment(month: date, day: int = 15, second: int = 12 * 3600, microsecond: int = 0):
    """An aware moment in ``month`` of local time; ``day`` is clamped to the month's length."""
    day = min(max(day, 1), calendar.monthrange(month.year, month.month)[1])
    midnight = datetime(month.year, month.month, day, tzinfo=LOCAL)
    return midnight + timedelta(seconds=second, microseconds=microsecond)


def local_month(moment: datetime | None) -> date | None:
    """The local-time month of an aware moment, straight from the zone database."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL).date().replace(day=1)


# --- Firms ----------------------------------------------------------------------------------


def firm_create(
    *,
    supervisor,
    region_code: str,
    park_name: str | None,
    clusters: list[str] = (),
    verified: bool = True,
    industry_code: str = "3421",
):
    """A firm with its founding admin, registered (and verified) through the services.
    Returns ``(firm, admin)``."""
    n = next(_serial)
    admin = get_user_model().objects.create_user(email=f"dash-{n}@example.com", name="企业管理员")
    region = Region.objects.get(code=region_code)
    firm = enterprise_services.enterprise_create(
        actor=admin,
        name=f"看板测试企业{n:03d}",
        credit_code=make_credit_code("9", "1", region_code[:4] + "00", f"DKB{n:05d}"),
        region=region,
        park=Park.objects.get(name=park_name) if park_name else None,
        industry=IndustryCode.objects.get(code=industry_code),
        employees=80,
        revenue_band=2000,
        clusters=list(Cluster.objects.filter(name__in=clusters)),
        contacts=[{"name": "联系人", "phone": "027-87001234"}],
    )
    if verified:
        firm = enterprise_services.enterprise_transition(
            actor=supervisor, enterprise=firm, action="verify"
        )
    return firm, admin


# --- Listings -------------------------------------------------------------------------------

_KIND_FIELDS = {
    "capacity": {
        "unit": "machine_hours_month",
        "attributes": {"facility": "equipment", "machine_type": "立式加工中心"},
    },
    "technology": {
        "unit": "items",
        "attributes": {"field": "工业软件", "maturity": "industrial", "mode": "license"},
    },
    "order": {"unit": "pieces", "attributes": {"product": "精密零件"}},
    "talent": {
        "unit": "persons",
        "attributes": {"skills": "数控编程", "headcount": 2, "mode": "hire"},
    },
}


def listing_fields(kind: str, direction: str, industry_code: str, **overrides) -> dict:
    """Valid listing_create fields of any kind; offers and requests of the same kind and
    industry read alike, so the matching engine pairs them."""
    fields = {
        "kind": kind,
        "direction": direction,
        "title": f"精密加工{'供给' if direction == 'offer' else '需求'}",
        "description": "数控机床精密加工，铝合金和钢件，质量稳定，交期可靠。",
        "industry": IndustryCode.objects.get(code=industry_code),
        "quantity": Decimal("100"),
        "price_mode": "negotiable",
        **_KIND_FIELDS[kind],
    }
    fields.update(overrides)
    return fields


def moderate(*, listing: Listing, supervisor, owner, actions: list[str]) -> Listing:
    """Drive a submitted listing through the supervisor's ``actions`` (approve, reject,
    request_changes), the owner resubmitting after each one that sends it back."""
    for i, action in enumerate(actions):
        if i > 0:
            listing = listing_transition(actor=owner, listing=listing, action="submit")
        extra = {"reason": "incomplete", "note": "请补充说明。"} if action != "approve" else {}
        listing = listing_transition(actor=supervisor, listing=listing, action=action, **extra)
    return listing


def edit_moderated(*, listing: Listing, supervisor, owner, action: str) -> Listing:
    """The owner edits the published listing; the supervisor decides on the edit."""
    listing = services.listing_update(
        actor=owner, listing=listing, description=listing.description + "（已更新规格）"
    )
    extra = {"reason": "incomplete", "note": "请补充说明。"} if action != "approve" else {}
    return listing_transition(actor=supervisor, listing=listing, action=action, **extra)


# --- A steady story, month after month ------------------------------------------------------


def monthly_story(cast: Cast, months: int, *, refresh: bool = True) -> None:
    """For each of the last ``months`` months: firm A posts an idle-capacity offer that park
    A's administrator approves (after a wait of ``3 + i`` hours); firm B sends an inquiry
    that A accepts, and a deal of ``10000 × (i + 1)`` yuan (``i + 1`` units of machine hours)
    that A confirms. Firm A belongs to 武汉智能网联汽车 and firm B to 襄阳市汽车及零部件产业
    集群, so the cluster dashboards have figures too. Every timestamp of month ``i`` (0 = this
    month) is moved to the 10th of that month."""
    for admin, firm, cluster in (
        (cast.admin_a, cast.a.firm, CLUSTER_WUHAN),
        (cast.admin_b, cast.b.firm, CLUSTER_XIANGYANG),
    ):
        enterprise_services.enterprise_update(
            actor=admin, enterprise=firm, clusters=[Cluster.objects.get(name=cluster)]
        )
    for i in range(months):
        month = add_months(this_month(), -i)
        submitted = local_moment(month, day=10, second=8 * 3600)
        listing = services.listing_create(
            actor=cast.member_a,
            submit=True,
            **listing_fields("capacity", "offer", "3421", title=f"数控机床闲置产能{i:02d}"),
        )
        listing = listing_transition(actor=cast.park_admin_a, listing=listing, action="approve")
        inquiry = services.inquiry_create(
            actor=cast.member_b, listing=listing, message="我们需要这批机时。"
        )
        services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=True)
        deal = services.deal_record(
            actor=cast.member_b,
            inquiry=inquiry,
            description="机时租赁",
            value_yuan=Decimal(10000 * (i + 1)),
            quantity=Decimal(i + 1),
            unit="machine_hours_month",
            start_date=timezone.localdate(),
        )
        services.deal_confirm(actor=cast.member_a, deal=deal)
        # Timestamps shifted for the test (see the module docstring).
        decided = submitted + timedelta(hours=3 + i)
        Listing.objects.filter(pk=listing.pk).update(first_submitted_at=submitted)
        ModerationDecision.objects.filter(listing=listing).update(
            submitted_at=submitted, decided_at=decided
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(
            created_at=decided + timedelta(hours=1), decided_at=decided + timedelta(hours=2)
        )
        Deal.objects.filter(pk=deal.pk).update(confirmed_at=decided + timedelta(hours=3))
    # The cast's firms registered and were verified in the oldest month of the story.
    first = local_moment(add_months(this_month(), -(months - 1)), day=2)
    Enterprise.objects.filter(pk__in=[cast.a.firm.pk, cast.b.firm.pk]).update(
        created_at=first, verified_at=first + timedelta(days=1)
    )
    if refresh:
        rollups_refresh()
