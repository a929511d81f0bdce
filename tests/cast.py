"""The fixed cast the enterprise, access and permission-matrix tests play with.

Two verified firms in two prefectures, each with its admin, a plain member, a contact person,
a certification, an open invitation and a pending join request; a pending firm in each of the
two parks; the park administrator of each park; a platform supervisor; a government officer of
each prefecture; and people who belong nowhere yet. Everything is built through the services
(so the supervision log has a real chain), once per test module, inside a transaction that is
rolled back after the module; each test gets fresh instances and its own rolled-back
transaction on top.

    side A: 武汉市 (420100), park 武汉东湖高新区       side B: 襄阳市 (420600), park 襄阳高新区
      firm_a     verified, admin_a + member_a           firm_b     verified, admin_b + member_b
      pending_a  pending, founded by founder_a          pending_b  pending, founded by founder_b
      park_admin_a, officer_a                           park_admin_b, officer_b

The roles of the permission matrix are :data:`ROLES`; "own" objects of a role are those of its
side, "other" objects those of the other side.

The sharing side of the portal (:func:`build_market`, only where a module asks for
``market_ids`` and loads the cast with ``load_cast(cast_ids, market_ids)``, as the permission
matrix does) adds, for each side X with the other side Y, all through the services:

    listing          X's published capacity offer, with an attachment; Y's member has sent a
                     pending ``inquiry`` about it and an open ``complaint``
    wanted           X's published capacity request; Y's member asked about it, X accepted
                     (``accepted``), Y wrote a message, and X recorded a proposed ``deal`` for
                     Y to confirm
    pending_listing  X's listing waiting for review
    match            X's offer with Y's request
    saved_search, notification   X's plain member's
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from clusters.choices import RoleKind
from clusters.models import Cluster, IndustryCode, Park, Region, RoleGrant
from enterprises import services
from enterprises.credit_code import make_credit_code
from enterprises.models import Certification, Enterprise, Invitation, JoinRequest, Membership
from sharing.models import (
    Complaint,
    Deal,
    Inquiry,
    Listing,
    ListingAttachment,
    Match,
    Notification,
    SavedSearch,
)

# The roles every route is checked against, in the order the matrix lists them.
ROLES = (
    "anonymous",
    "member_a",
    "admin_a",
    "member_b",
    "park_admin_a",
    "park_admin_b",
    "supervisor",
    "officer_a",
    "officer_b",
)

PARK_A, PARK_B = "武汉东湖高新区", "襄阳高新区"
REGION_A, REGION_B = "420100", "420600"
NAME_A, NAME_B = "武汉华中精密机床有限公司", "襄阳汉江汽车零部件有限公司"
PENDING_NAME_A, PENDING_NAME_B = "武汉光谷新材料科技有限公司", "襄阳隆中新能源科技有限公司"
CODE_A = make_credit_code("9", "1", REGION_A, "HBCA0001")
CODE_B = make_credit_code("9", "1", REGION_B, "HBCB0001")
PENDING_CODE_A = make_credit_code("9", "1", REGION_A, "HBCP0001")
PENDING_CODE_B = make_credit_code("9", "1", REGION_B, "HBCQ0001")

PEOPLE = {
    # key: (e-mail, name)
    "admin_a": ("admin-a@example.com", "王建国"),
    "member_a": ("member-a@example.com", "李娜"),
    "admin_b": ("admin-b@example.com", "张伟"),
    "member_b": ("member-b@example.com", "刘洋"),
    "founder_a": ("founder-a@example.com", "陈静"),
    "founder_b": ("founder-b@example.com", "杨帆"),
    "park_admin_a": ("park-admin-a@example.com", "赵敏"),
    "park_admin_b": ("park-admin-b@example.com", "黄磊"),
    "supervisor": ("supervisor@example.com", "周平"),
    "officer_a": ("officer-a@example.com", "吴刚"),
    "officer_b": ("officer-b@example.com", "郑丽"),
    # Signed in, no enterprise and no role: the one who registers or asks to join in a test.
    "newcomer": ("newcomer@example.com", "孙悦"),
    # Each has asked to join one firm; the request is still open.
    "requester_a": ("requester-a@example.com", "马超"),
    "requester_b": ("requester-b@example.com", "朱琳"),
}
INVITEE_A, INVITEE_B = "invitee-a@example.com", "invitee-b@example.com"


@dataclass
class Side:
    """One side's world: its region, park, firms and the objects hanging off firm A/B."""

    region: Region
    park: Park
    firm: Enterprise
    pending: Enterprise
    membership: Membership  # the plain member's
    invitation: Invitation  # open, to INVITEE_A / INVITEE_B
    token: str  # the invitation's one-time token
    join_request: JoinRequest  # open, from requester_a / requester_b
    certification: Certification
    # The sharing objects (build_market; None unless the module asked for market_ids).
    listing: Listing | None = None  # published offer; the other firm's pending inquiry on it
    wanted: Listing | None = None  # published request; the other firm's accepted inquiry on it
    pending_listing: Listing | None = None  # waiting for review
    inquiry: Inquiry | None = None  # pending, from the other firm, about ``listing``
    accepted: Inquiry | None = None  # accepted, from the other firm, about ``wanted``
    deal: Deal | None = None  # proposed by this firm on ``accepted``; the other firm confirms
    match: Match | None = None  # this side's ``listing`` with the other side's ``wanted``
    complaint: Complaint | None = None  # open, by the other firm's plain member, on ``listing``
    saved_search: SavedSearch | None = None  # the plain member's
    notification: Notification | None = None  # the plain member's
    attachment: ListingAttachment | None = None  # on ``listing``


@dataclass
class Cast:
    people: dict
    a: Side
    b: Side

    def __getattr__(self, name):
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None

    def user(self, role: str):
        """The user playing ``role``; None for the anonymous visitor."""
        return None if role == "anonymous" else self.people[role]

    def side(self, key: str) -> Side:
        return {"A": self.a, "B": self.b}[key]


def _verified_firm(*, admin, member, park_admin, name, code, region, park, industry, n):
    firm = services.enterprise_create(
        actor=admin,
        name=name,
        credit_code=code,
        region=region,
        park=park,
        industry=industry,
        employees=180,
        revenue_band=5000,
        description=f"{name}的简介。",
        contacts=[
            {
                "name": f"联系人{n}",
                "position": "销售经理",
                "phone": f"027-8700000{n}",
                "email": f"contact-{n}@example.com",
            }
        ],
        certifications=[
            {"kind": "iso9001", "number": f"ISO9001-{n}", "valid_until": date(2030, 12, 31)}
        ],
    )
    services.enterprise_transition(actor=park_admin, enterprise=firm, action="verify")
    _invitation, token = services.invitation_create(
        actor=admin, enterprise=firm, email=member.email
    )
    services.invitation_accept(actor=member, token=token)
    return firm


def build_cast() -> dict:
    """Create the cast; return the ids (and tokens) :func:`load_cast` needs."""
    User = get_user_model()
    people = {
        key: User.objects.create_user(email=email, name=name)
        for key, (email, name) in PEOPLE.items()
    }
    region_a, region_b = Region.objects.get(code=REGION_A), Region.objects.get(code=REGION_B)
    park_a, park_b = Park.objects.get(name=PARK_A), Park.objects.get(name=PARK_B)
    RoleGrant.objects.create(user=people["park_admin_a"], kind=RoleKind.PARK_ADMIN, park=park_a)
    RoleGrant.objects.create(user=people["park_admin_b"], kind=RoleKind.PARK_ADMIN, park=park_b)
    RoleGrant.objects.create(user=people["supervisor"], kind=RoleKind.PLATFORM_SUPERVISOR)
    RoleGrant.objects.create(
        user=people["officer_a"], kind=RoleKind.GOVERNMENT_OFFICER, region=region_a
    )
    RoleGrant.objects.create(
        user=people["officer_b"], kind=RoleKind.GOVERNMENT_OFFICER, region=region_b
    )

    machine_tools, car_parts = (
        IndustryCode.objects.get(code="3421"),
        IndustryCode.objects.get(code="3670"),
    )
    firm_a = _verified_firm(
        admin=people["admin_a"],
        member=people["member_a"],
        park_admin=people["park_admin_a"],
        name=NAME_A,
        code=CODE_A,
        region=region_a,
        park=park_a,
        industry=machine_tools,
        n=1,
    )
    firm_b = _verified_firm(
        admin=people["admin_b"],
        member=people["member_b"],
        park_admin=people["park_admin_b"],
        name=NAME_B,
        code=CODE_B,
        region=region_b,
        park=park_b,
        industry=car_parts,
        n=2,
    )
    pending_a = services.enterprise_create(
        actor=people["founder_a"],
        name=PENDING_NAME_A,
        credit_code=PENDING_CODE_A,
        region=region_a,
        park=park_a,
        industry=IndustryCode.objects.get(code="2929"),
        employees=45,
        revenue_band=1000,
        contacts=[{"name": "陈静", "phone": "027-87000003"}],
    )
    pending_b = services.enterprise_create(
        actor=people["founder_b"],
        name=PENDING_NAME_B,
        credit_code=PENDING_CODE_B,
        region=region_b,
        park=park_b,
        industry=IndustryCode.objects.get(code="3841"),
        employees=60,
        revenue_band=2000,
        contacts=[{"name": "杨帆", "phone": "0710-3300004"}],
    )
    invitation_a, token_a = services.invitation_create(
        actor=people["admin_a"], enterprise=firm_a, email=INVITEE_A
    )
    invitation_b, token_b = services.invitation_create(
        actor=people["admin_b"], enterprise=firm_b, email=INVITEE_B
    )
    request_a = services.join_request_create(actor=people["requester_a"], enterprise=firm_a)
    request_b = services.join_request_create(actor=people["requester_b"], enterprise=firm_b)

    def side(region, park, firm, pending, member, invitation, token, request):
        return {
            "region": region.pk,
            "park": park.pk,
            "firm": firm.pk,
            "pending": pending.pk,
            "membership": Membership.objects.get(user=member).pk,
            "invitation": invitation.pk,
            "token": token,
            "join_request": request.pk,
            "certification": firm.certifications.get().pk,
        }

    return {
        "people": {key: user.pk for key, user in people.items()},
        "A": side(
            region_a,
            park_a,
            firm_a,
            pending_a,
            people["member_a"],
            invitation_a,
            token_a,
            request_a,
        ),
        "B": side(
            region_b,
            park_b,
            firm_b,
            pending_b,
            people["member_b"],
            invitation_b,
            token_b,
            request_b,
        ),
    }


MARKET = {
    # Side field: its model.
    "listing": Listing,
    "wanted": Listing,
    "pending_listing": Listing,
    "inquiry": Inquiry,
    "accepted": Inquiry,
    "deal": Deal,
    "match": Match,
    "complaint": Complaint,
    "saved_search": SavedSearch,
    "notification": Notification,
    "attachment": ListingAttachment,
}


def build_market(cast: Cast) -> dict:
    """The sharing objects of each side (see the module docstring); return their ids."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from sharing import services as sharing
    from sharing.matching.engine import match_listing
    from sharing.moderation import listing_transition
    from tests.matching.helpers import request_fields
    from tests.sharing.helpers import capacity_fields, png_bytes

    sides = {"A": (cast.member_a, cast.park_admin_a), "B": (cast.member_b, cast.park_admin_b)}

    def published(side: str, fields: dict) -> Listing:
        member, park_admin = sides[side]
        listing = sharing.listing_create(actor=member, submit=True, **fields)
        return listing_transition(actor=park_admin, listing=listing, action="approve")

    made: dict[str, dict] = {"A": {}, "B": {}}
    for key in ("A", "B"):
        member, _park_admin = sides[key]
        made[key]["listing"] = published(key, capacity_fields(title=f"数控机床闲置产能（{key}）"))
        made[key]["wanted"] = published(key, request_fields(title=f"寻求数控加工产能（{key}）"))
        made[key]["pending_listing"] = sharing.listing_create(
            actor=member, submit=True, **capacity_fields(title=f"待审核的检测设备共享（{key}）")
        )
        made[key]["attachment"] = sharing.attachment_add(
            actor=member,
            listing=made[key]["listing"],
            upload=SimpleUploadedFile("machines.png", png_bytes(), content_type="image/png"),
        )
    for key, other in (("A", "B"), ("B", "A")):
        member, _ = sides[key]
        asker, _ = sides[other]
        mine = made[key]
        match_listing(mine["listing"].pk)
        mine["match"] = Match.objects.get(offer=mine["listing"], request=made[other]["wanted"])
        mine["inquiry"] = sharing.inquiry_create(
            actor=asker, listing=mine["listing"], message="贵方的加工产能是否还有空档？"
        )
        accepted = sharing.inquiry_create(
            actor=asker, listing=mine["wanted"], message="我方可以承接，欢迎联系。"
        )
        mine["accepted"] = sharing.inquiry_decide(actor=member, inquiry=accepted, accept=True)
        sharing.inquiry_message_create(
            actor=asker, inquiry=mine["accepted"], body="下周可以来厂里看看吗？"
        )
        mine["deal"] = sharing.deal_record(
            actor=member,
            inquiry=mine["accepted"],
            description="三个月数控加工",
            value_yuan=Decimal("120000"),
            start_date=timezone.localdate(),
        )
        mine["complaint"] = sharing.complaint_create(
            actor=asker, listing=mine["listing"], reason="spam", text="疑似重复发布。"
        )
        mine["saved_search"] = sharing.saved_search_create(
            actor=member, name="数控产能", params={"kind": "capacity"}
        )
        mine["notification"] = Notification.objects.filter(user=member).order_by("pk").first()
    return {key: {name: obj.pk for name, obj in objs.items()} for key, objs in made.items()}


def load_cast(ids: dict, market: dict | None = None) -> Cast:
    """Fresh instances of the cast, so nothing one test cached leaks into the next."""
    users = get_user_model().objects.in_bulk(ids["people"].values())
    people = {key: users[pk] for key, pk in ids["people"].items()}

    def sharing_objects(key: str) -> dict:
        if market is None:
            return {}
        return {
            name: model._default_manager.get(pk=market[key][name]) for name, model in MARKET.items()
        }

    def side(s: dict, key: str) -> Side:
        firms = Enterprise.objects.in_bulk([s["firm"], s["pending"]])
        return Side(
            region=Region.objects.get(pk=s["region"]),
            park=Park.objects.get(pk=s["park"]),
            firm=firms[s["firm"]],
            pending=firms[s["pending"]],
            membership=Membership.objects.get(pk=s["membership"]),
            invitation=Invitation.objects.get(pk=s["invitation"]),
            token=s["token"],
            join_request=JoinRequest.objects.get(pk=s["join_request"]),
            certification=Certification.objects.get(pk=s["certification"]),
            **sharing_objects(key),
        )

    return Cast(people=people, a=side(ids["A"], "A"), b=side(ids["B"], "B"))


def more_verified_firms(cast: Cast, n: int, *, start: int = 0) -> None:
    """``n`` more verified firms in park A, each with a cluster, a contact and a certification
    (what a list page must not fetch one query per row for)."""
    User = get_user_model()
    cluster = Cluster.objects.filter(region__code__startswith="4201").first()
    industry = IndustryCode.objects.get(code="3421")
    for i in range(start, start + n):
        founder = User.objects.create_user(email=f"firm-{i}@example.com", name="企业管理员")
        firm = services.enterprise_create(
            actor=founder,
            name=f"武汉测试企业{i:02d}",
            credit_code=make_credit_code("9", "1", REGION_A, f"HBQ{i:05d}"),
            region=cast.a.region,
            park=cast.a.park,
            industry=industry,
            employees=50,
            revenue_band=1000,
            clusters=[cluster],
            contacts=[{"name": "联系人", "phone": "027-1"}],
            certifications=[
                {"kind": "iso14001", "number": f"N{i}", "valid_until": date(2030, 1, 1)}
            ],
        )
        services.enterprise_transition(actor=cast.park_admin_a, enterprise=firm, action="verify")


@pytest.fixture(scope="module")
def cast_ids(reference_data, django_db_blocker):
    """Build the cast once per module, on top of the reference data; undone after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        ids = build_cast()
        yield ids
        transaction.set_rollback(True)


@pytest.fixture
def cast(cast_ids, db) -> Cast:
    return load_cast(cast_ids)


@pytest.fixture(scope="module")
def market_ids(cast_ids, django_db_blocker, tmp_path_factory):
    """The sharing objects of both sides (:func:`build_market`), once per module, on top of the
    cast; undone after the module. Uploads go to a temporary media directory meanwhile."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        ids = build_market(load_cast(cast_ids))
        yield ids
        transaction.set_rollback(True)
