"""Demo data: one login per role and a handful of enterprises in real Hubei parks.

Built through the same services a user's actions go through, so the demo has a real audit
trail. Idempotent: what exists already (by e-mail or credit code) is left as it is.
:mod:`portal.demo_listings` then adds about 30 more firms and their listings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from clusters.choices import RoleKind
from clusters.models import Cluster, IndustryCode, Park, Region, RoleGrant
from enterprises import services as enterprise_services
from enterprises.credit_code import make_credit_code
from enterprises.models import Enterprise, Membership

DEMO_PASSWORD = "demo-2026-portal"  # noqa: S105 - printed to the console by `make run`; demo only
DEMO_DOMAIN = "demo.hubei-portal.cn"


@dataclass(frozen=True)
class DemoFirm:
    key: str
    name: str
    region: str
    park: str | None
    industry: str
    employees: int
    revenue_band: int
    status: str  # verified or pending
    clusters: tuple[str, ...] = ()
    description: str = ""
    certifications: tuple[str, ...] = ()


FIRMS = [
    DemoFirm(
        "a",
        "武汉华中精密机床有限公司",
        "420100",
        "武汉东湖高新区",
        "3421",
        180,
        5000,
        "verified",
        (),
        "数控机床与精密加工，拥有五轴加工中心和VMC850立式加工中心。",
        ("iso9001", "iatf16949"),
    ),
    DemoFirm(
        "b",
        "襄阳汉江汽车零部件有限公司",
        "420600",
        "襄阳高新区",
        "3670",
        320,
        20000,
        "verified",
        (),
        "汽车底盘与转向系统零部件，承接冲压、焊接和注塑订单。",
        ("iatf16949",),
    ),
    DemoFirm(
        "c",
        "武汉光谷新材料科技有限公司",
        "420100",
        "武汉东湖高新区",
        "2929",
        45,
        1000,
        "pending",
        (),
        "工程塑料改性与注塑模具开发。",
    ),
    DemoFirm(
        "d",
        "江夏智能装备制造有限公司",
        "420115",
        None,
        "3491",
        90,
        3000,
        "verified",
        ("江夏区汽车及零部件产业集群",),
        "工业机器人系统集成与自动化产线。",
        ("iso9001",),
    ),
    DemoFirm(
        "e",
        "宜昌三峡精细化工有限公司",
        "420500",
        "宜昌高新区",
        "2661",
        150,
        10000,
        "verified",
        (),
        "精细化工中间体，具备闲置反应釜产能。",
        ("iso14001",),
    ),
    DemoFirm(
        "f",
        "孝感华宇纺织服装有限公司",
        "420900",
        "孝感高新区",
        "1811",
        260,
        6000,
        "verified",
        (),
        "针织服装代工，淡季有闲置缝制产能。",
    ),
]


_PASSWORD_HASHES: dict[str, str] = {}


def demo_password_hash() -> str:
    """One hash of DEMO_PASSWORD, reused for every demo account: hashing is slow on purpose
    (about 0.3 s), and the demo accounts share their password anyway."""
    hasher = settings.PASSWORD_HASHERS[0]
    if hasher not in _PASSWORD_HASHES:
        _PASSWORD_HASHES[hasher] = make_password(DEMO_PASSWORD)
    return _PASSWORD_HASHES[hasher]


def _user(email: str, name: str, *, staff: bool = False):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            name=name,
            is_staff=staff,
            is_superuser=staff,
            password=demo_password_hash(),
        )
        user.save()
    return user


def _grant(user, kind: str, *, park: Park | None = None, region: Region | None = None) -> None:
    RoleGrant.objects.get_or_create(user=user, kind=kind, park=park, region=region)


def _credit_code(firm: DemoFirm, index: int) -> str:
    return make_credit_code("9", "1", firm.region, f"HBDM{index:04d}")


@transaction.atomic
def load_demo_data() -> list[tuple[str, str, str]]:
    """Create what is missing; return (role, e-mail, password) for every demo login."""
    parks = {
        p.name: p
        for p in Park.objects.filter(
            name__in=[f.park for f in FIRMS if f.park] + ["武汉东湖高新区", "襄阳高新区"]
        )
    }
    if "武汉东湖高新区" not in parks:
        raise RuntimeError("reference data missing: run `manage.py load_reference_data` first")
    logins: list[tuple[str, str, str]] = []

    staff = _user(f"admin@{DEMO_DOMAIN}", "站点管理员", staff=True)
    logins.append(("site staff (Django admin)", staff.email, DEMO_PASSWORD))
    supervisor = _user(f"supervisor@{DEMO_DOMAIN}", "省平台监管员")
    _grant(supervisor, RoleKind.PLATFORM_SUPERVISOR)
    logins.append(("platform supervisor", supervisor.email, DEMO_PASSWORD))
    park_admins = {}
    for key, park_name, person in (
        ("donghu", "武汉东湖高新区", "东湖高新区管理员"),
        ("xiangyang", "襄阳高新区", "襄阳高新区管理员"),
        ("yichang", "宜昌高新区", "宜昌高新区管理员"),
        ("xiaogan", "孝感高新区", "孝感高新区管理员"),
    ):
        user = _user(f"park-{key}@{DEMO_DOMAIN}", person)
        _grant(user, RoleKind.PARK_ADMIN, park=parks[park_name])
        park_admins[park_name] = user
        logins.append((f"park administrator ({park_name})", user.email, DEMO_PASSWORD))
    officer = _user(f"officer-wuhan@{DEMO_DOMAIN}", "武汉市经信局工作人员")
    _grant(officer, RoleKind.GOVERNMENT_OFFICER, region=Region.objects.get(code="420100"))
    logins.append(("government officer (武汉市)", officer.email, DEMO_PASSWORD))

    for index, firm in enumerate(FIRMS, start=1):
        admin = _user(f"firm-{firm.key}@{DEMO_DOMAIN}", f"{firm.name[:4]}企业管理员")
        code = _credit_code(firm, index)
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None and not Membership.objects.filter(user=admin).exists():
            enterprise = enterprise_services.enterprise_create(
                actor=admin,
                name=firm.name,
                credit_code=code,
                region=Region.objects.get(code=firm.region),
                park=parks.get(firm.park) if firm.park else None,
                industry=IndustryCode.objects.get(code=firm.industry),
                employees=firm.employees,
                revenue_band=firm.revenue_band,
                clusters=list(Cluster.objects.filter(name__in=firm.clusters)),
                description=firm.description,
                contacts=[
                    {
                        "name": f"{firm.name[2:4]}经理",
                        "position": "销售经理",
                        "phone": f"027-8{index:03d}{index:04d}",
                        "email": f"contact-{firm.key}@{DEMO_DOMAIN}",
                    }
                ],
                certifications=[
                    {
                        "kind": kind,
                        "number": f"{kind.upper()}-{index:05d}",
                        "valid_until": date(2028, 12, 31),
                    }
                    for kind in firm.certifications
                ],
            )
            if firm.status == "verified":
                verifier = park_admins.get(firm.park) if firm.park else supervisor
                enterprise_services.enterprise_transition(
                    actor=verifier, enterprise=enterprise, action="verify"
                )
        logins.append(
            (f"enterprise admin ({firm.name}, {firm.status})", admin.email, DEMO_PASSWORD)
        )
        if firm.key == "a":
            member = _user(f"firm-a-member@{DEMO_DOMAIN}", "华中精密业务员")
            if not Membership.objects.filter(user=member).exists():
                Membership.objects.create(user=member, enterprise=enterprise, role="member")
            logins.append((f"enterprise member ({firm.name})", member.email, DEMO_PASSWORD))

    from portal.demo_listings import load_demo_listings  # it imports this module

    logins.extend(load_demo_listings())
    demo_authenticators()
    return logins


def demo_totp_key(email: str) -> str:
    """A fixed authenticator key per demo account (hex), so the demo's two-factor log-in
    can be used from an authenticator app or ``manage.py demo_totp``."""
    return hashlib.sha1(f"demo-totp:{email}".encode()).hexdigest()  # noqa: S324 - not a password


def demo_authenticators() -> None:
    """Confirmed authenticators for the demo's supervisors and officers."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for grant in RoleGrant.objects.select_related("user").filter(
        user__email__endswith=f"@{DEMO_DOMAIN}"
    ):
        user = grant.user
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name="demo", confirmed=True, key=demo_totp_key(user.email)
            )
