"""The permission matrix: every route, HTML and API, for every role of the fixed cast, on the
role's own objects and on the other side's.

The routes come from the URL configuration itself: a route without an entry in :data:`MATRIX`
fails ``test_route`` (and ``test_every_route_has_a_matrix_entry`` lists them all), so no route
can be added without deciding who may use it. Only the Django admin (site staff, guarded by
Django) and the development media server are left out.

How to read an entry: each route has one or more cases (a method, the objects in the URL, the
body); each case maps every role to the expected answer. A single value holds for both sides;
a pair is (side A, side B). The cast is in tests/cast.py: "A" is firm A's world (park 武汉东湖
高新区, 420100), "B" is firm B's (襄阳高新区, 420600). So ``"park_admin_a": (302, 404)`` reads
"park A's administrator may do it to A's object and cannot even see B's".

The answers: 2xx/3xx allowed; ``LOGIN`` a redirect to the log-in page (HTML, anonymous);
403 visible but not allowed (and the API's answer to anonymous writes: session authentication
comes first, so DRF sends 403, not 401); 404 not visible, so its existence is not confirmed.
Should the API router serve format-suffix URLs again (``….json``), every API case runs on
them too.

Objects a route needs beyond the cast (a listing, an inquiry ...) can be made in a case's
``kwargs`` or ``setup`` callable: both run inside the block that is rolled back after the
request. The sharing routes play with the cast's market (listings, inquiries, deals ... of
both sides, see tests/cast.py).

A status is not the whole answer where a refused request could still have changed something,
or where the page may show something only to some: a case may ``watch`` a row (its state must
not move when the answer is a refusal, and must move exactly for the roles ``changes`` names)
and ``check`` the response (the poster's identity, shown only to those the policy allows).

Every HTML refusal (403) is the portal's refusal page, in the user's language; the API's are
JSON.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from clusters.models import Cluster
from sharing.models import (
    BackgroundJob,
    Complaint,
    Deal,
    Inquiry,
    InquiryMessage,
    Listing,
    ListingAttachment,
    Match,
    SavedSearch,
)
from tests import cast as the_cast
from tests.cast import NAME_A, NAME_B, ROLES, Cast, Side

# The fixed cast's fixtures (tests/cast.py), with the sharing objects of both sides.
cast_ids, market_ids = the_cast.cast_ids, the_cast.market_ids


@pytest.fixture
def cast(cast_ids, market_ids, db) -> Cast:
    return the_cast.load_cast(cast_ids, market_ids)


LOGIN = "login"  # 302 to the log-in page
REFUSAL_TITLE = "无权执行此操作"  # the HTML 403 page (clusters.web.permission_denied)

# --- The routes, from the URL configuration -----------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    pattern: str
    format_suffix: bool  # the DRF ``.json`` form of an API route


def url_routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # the site staff's area, guarded by Django itself
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                if p.callback is serve:
                    continue  # uploaded media, served by Django only in development
                found.append(
                    Route(
                        name=f"{namespace}{p.name}" if p.name else None,
                        pattern=prefix + str(p.pattern),
                        format_suffix="format" in p.pattern.regex.groupindex,
                    )
                )

    walk(get_resolver().url_patterns, "", "")
    return found


ROUTES = url_routes()


# --- How an entry is written --------------------------------------------------------------------

Expect = dict[str, "int | str | tuple[int | str, int | str]"]
Kwargs = Callable[[Cast, Side], dict]
# check(cast, side, role, side key, response): what is wrong with the response, or None.
Check = Callable[[Cast, Side, str, str, object], "str | None"]


@dataclass(frozen=True)
class Case:
    method: str
    expect: Expect
    kwargs: Kwargs | None = None  # None: the route takes no parameters, and has no sides
    data: Callable[[Cast, Side], dict] | dict | None = None
    setup: Callable[[Cast, Side], None] | None = None  # runs before the request, rolled back after
    api: bool = False  # JSON body
    label: str = ""
    # Which sides' objects to try; by default both when the URL names an object, else one run.
    sides: tuple[str, ...] | None = None
    # watch(cast, side, url kwargs): the state of the rows the request may change. A refused
    # request (LOGIN, 4xx) leaves it as it was; with ``changes`` (role: bool, or a pair by
    # side), it moves exactly for the roles marked True.
    watch: Callable[[Cast, Side, dict], object] | None = None
    changes: dict | None = None
    check: Check | None = None

    def __post_init__(self):
        for table in filter(None, (self.expect, self.changes)):
            missing = set(ROLES) - set(table)
            extra = set(table) - set(ROLES)
            assert not missing and not extra, f"{self.label}: missing {missing}, unknown {extra}"
        if self.sides is None:
            object.__setattr__(self, "sides", ("A", "B") if self.kwargs else ("-",))


def GET(expect: Expect, kwargs: Kwargs | None = None, **options) -> Case:
    return Case("get", expect, kwargs, **options)


def POST(expect: Expect, kwargs: Kwargs | None = None, **options) -> Case:
    return Case("post", expect, kwargs, **options)


def API(method: str, expect: Expect, kwargs: Kwargs | None = None, **options) -> Case:
    return Case(method, expect, kwargs, api=True, **options)


def everyone(status) -> Expect:
    return dict.fromkeys(ROLES, status)


def signed_in(status) -> Expect:
    """Needs a log-in; ``status`` for everyone signed in."""
    return {**everyone(status), "anonymous": LOGIN}


# Objects in URLs.
def firm(c, s):
    return {"pk": s.firm.pk}


def pending(c, s):
    return {"pk": s.pending.pk}


def suspend_firm(c, s):
    from enterprises import services

    services.enterprise_transition(
        actor=c.supervisor, enterprise=s.firm, action="suspend", reason="经营异常"
    )


REASON = {"reason": "材料不全"}

# Who sees a pending firm: its park's administrator, the platform supervisor, and the officer
# of its prefecture. Members of other firms, the other park's administrator and the other
# prefecture's officer get 404.
SEES_PENDING = {
    "anonymous": 404,
    "member_a": 404,
    "admin_a": 404,
    "member_b": 404,
    "park_admin_a": (200, 404),
    "park_admin_b": (404, 200),
    "supervisor": 200,
    "officer_a": (200, 404),
    "officer_b": (404, 200),
}

# A supervision step (HTML: redirect after the step) on a pending firm.
SUPERVISE_PENDING_HTML = {
    "anonymous": LOGIN,
    "member_a": 404,
    "admin_a": 404,
    "member_b": 404,
    "park_admin_a": (302, 404),
    "park_admin_b": (404, 302),
    "supervisor": 302,
    "officer_a": (403, 404),
    "officer_b": (404, 403),
}
SUPERVISE_PENDING_API = {
    **SUPERVISE_PENDING_HTML,
    "anonymous": 403,
    "park_admin_a": (200, 404),
    "park_admin_b": (404, 200),
    "supervisor": 200,
}
# Suspending a verified firm: everyone sees it, only its supervisors may.
SUSPEND_HTML = {
    "anonymous": LOGIN,
    "member_a": 403,
    "admin_a": 403,
    "member_b": 403,
    "park_admin_a": (302, 403),
    "park_admin_b": (403, 302),
    "supervisor": 302,
    "officer_a": 403,
    "officer_b": 403,
}
SUSPEND_API = {
    **SUSPEND_HTML,
    "anonymous": 403,
    "park_admin_a": (200, 403),
    "park_admin_b": (403, 200),
    "supervisor": 200,
}
# Reinstating a suspended firm: it is out of public view, seen by its members, its
# supervisors and its prefecture's officer.
REINSTATE_HTML = {
    "anonymous": LOGIN,
    "member_a": (403, 404),
    "admin_a": (403, 404),
    "member_b": (404, 403),
    "park_admin_a": (302, 404),
    "park_admin_b": (404, 302),
    "supervisor": 302,
    "officer_a": (403, 404),
    "officer_b": (404, 403),
}
REINSTATE_API = {
    **REINSTATE_HTML,
    "anonymous": 403,
    "park_admin_a": (200, 404),
    "park_admin_b": (404, 200),
    "supervisor": 200,
}
# Changing a firm's profile: only its admin; a pending firm is also invisible to most.
CHANGE_FIRM = {
    "anonymous": LOGIN,
    "member_a": 403,
    "admin_a": (302, 403),
    "member_b": 403,
    "park_admin_a": 403,
    "park_admin_b": 403,
    "supervisor": 403,
    "officer_a": 403,
    "officer_b": 403,
}
CHANGE_PENDING = {
    "anonymous": LOGIN,
    "member_a": 404,
    "admin_a": 404,
    "member_b": 404,
    "park_admin_a": (403, 404),
    "park_admin_b": (404, 403),
    "supervisor": 403,
    "officer_a": (403, 404),
    "officer_b": (404, 403),
}
# Resubmitting a rejected firm for verification: only its admin (nobody of the cast); those
# who see the rejected firm are refused, the others do not learn it exists.
RESUBMIT_REJECTED_HTML = {
    "anonymous": LOGIN,
    "member_a": 404,
    "admin_a": 404,
    "member_b": 404,
    "park_admin_a": (403, 404),
    "park_admin_b": (404, 403),
    "supervisor": 403,
    "officer_a": (403, 404),
    "officer_b": (404, 403),
}
# Pages for people without an enterprise yet; members are sent on.
NO_ENTERPRISE_YET = {
    **signed_in(200),
    "member_a": 302,
    "admin_a": 302,
    "member_b": 302,
}
# Only the admin of the firm, and only for their own firm; nobody else sees the object.
ADMIN_OF_FIRM_ONLY_HTML = {**signed_in(404), "admin_a": (302, 404)}
# The firm's member list and each membership: the firm's people and its supervisors.
SEES_MEMBERS = {
    "anonymous": LOGIN,
    "member_a": (200, 404),
    "admin_a": (200, 404),
    "member_b": (404, 200),
    "park_admin_a": (200, 404),
    "park_admin_b": (404, 200),
    "supervisor": 200,
    "officer_a": 404,
    "officer_b": 404,
}


# Dashboards: an officer sees their prefecture and what lies in it, a park administrator their
# park, the platform supervisor everything; anyone else is told there is nothing there.
REGION_DASHBOARD = {
    **signed_in(404),
    "supervisor": 200,
    "officer_a": (200, 404),
    "officer_b": (404, 200),
}
PARK_DASHBOARD = {**REGION_DASHBOARD, "park_admin_a": (200, 404), "park_admin_b": (404, 200)}
SUPERVISORS_AND_OFFICERS = {
    **signed_in(404),
    "park_admin_a": 200,
    "park_admin_b": 200,
    "supervisor": 200,
    "officer_a": 200,
    "officer_b": 200,
}


def side_cluster(c, s):
    """A cluster in the side's prefecture."""
    prefix = s.region.code[:4]
    return {"pk": Cluster.objects.filter(region__code__startswith=prefix).order_by("pk")[0].pk}


def new_enterprise(c, s):
    from enterprises.credit_code import make_credit_code

    return {
        "name": "武汉江城数控科技有限公司",
        "credit_code": make_credit_code("9", "1", "420100", "HBCN0001"),
        "region": "420100",
        "park": c.a.park.pk,
        "industry": "3421",
        "employees": 120,
        "revenue_band": 3000,
        "contacts_input": [{"name": "孙悦", "phone": "13800000000"}],
    }


def certification(c, s):
    return {"kind": "iso14001", "number": "ISO14001-X", "valid_until": "2030-12-31"}


# --- The sharing side: listings, matches, inquiries, deals -------------------------------------


def relation(
    *,
    anonymous,
    firm,
    other_firm,
    park_x,
    park_y,
    supervisor,
    officer_x,
    officer_y,
    **overrides,
) -> Expect:
    """A table by each role's relation to side X's object (X = the side tried): ``firm`` are
    the members of X's firm (member_a and admin_a for side A), ``other_firm`` those of the other
    firm, ``park_x`` the administrator of X's park and ``park_y`` of the other park, likewise
    the officers. ``overrides`` set single roles (a value, or a pair by side)."""
    return {
        "anonymous": anonymous,
        "member_a": (firm, other_firm),
        "admin_a": (firm, other_firm),
        "member_b": (other_firm, firm),
        "park_admin_a": (park_x, park_y),
        "park_admin_b": (park_y, park_x),
        "supervisor": supervisor,
        "officer_a": (officer_x, officer_y),
        "officer_b": (officer_y, officer_x),
        **overrides,
    }


# Listings. A published one is seen by everyone; one waiting for review only by its firm, the
# supervisors of its park, the platform supervisor and its prefecture's officer.
SEES_UNPUBLISHED_LISTING = relation(
    anonymous=404,
    firm=200,
    other_firm=404,
    park_x=200,
    park_y=404,
    supervisor=200,
    officer_x=200,
    officer_y=404,
)
# Only the listing's firm may (edit it, see its matches ...); everyone else sees it and is
# refused.
OWN_ARGS = {
    "anonymous": LOGIN,
    "firm": 200,
    "other_firm": 403,
    "park_x": 403,
    "park_y": 403,
    "supervisor": 403,
    "officer_x": 403,
    "officer_y": 403,
}
OTHERS = ("other_firm", "park_x", "park_y", "supervisor", "officer_x", "officer_y")
OWN_LISTING_HTML = relation(**OWN_ARGS)
OWN_LISTING_HTML_POST = relation(**{**OWN_ARGS, "firm": 302})
OWN_LISTING_API = relation(**{**OWN_ARGS, "anonymous": 403})
# Withdrawing, closing, renewing a published listing: its firm.
OWNER_STEP_HTML = OWN_LISTING_HTML_POST
# Asking about a listing: members of another firm. Its own firm is sent back with a message; the
# supervisors and officers, who see it and belong to no firm, are refused.
INQUIRE = {**OWN_ARGS, "firm": 302, "other_firm": 200}
# Moderating a pending listing: only the supervisors of its park; those who see it and may not
# are refused, the others do not learn it exists.
MODERATE_HTML = relation(
    anonymous=LOGIN,
    firm=403,
    other_firm=404,
    park_x=302,
    park_y=404,
    supervisor=302,
    officer_x=403,
    officer_y=404,
)
MODERATE_API = relation(
    anonymous=403,
    firm=403,
    other_firm=404,
    park_x=200,
    park_y=404,
    supervisor=200,
    officer_x=403,
    officer_y=404,
)
SUPERVISORS_HTML = {**signed_in(404), "park_admin_a": 200, "park_admin_b": 200, "supervisor": 200}
SUPERVISORS_API = {**SUPERVISORS_HTML, "anonymous": 403}
# Deciding a complaint: the supervisors of the listing's park; the reporter (the other firm's
# plain member) sees it and is refused; nobody else learns of it.
COMPLAINT_HTML = relation(
    anonymous=LOGIN,
    firm=404,
    other_firm=403,
    park_x=302,
    park_y=404,
    supervisor=302,
    officer_x=404,
    officer_y=404,
    admin_a=404,  # not the reporter
)
COMPLAINT_API = {
    **COMPLAINT_HTML,
    "anonymous": 403,
    "park_admin_a": (200, 404),
    "park_admin_b": (404, 200),
    "supervisor": 200,
}

# A match: its two firms act on it; nobody else sees it.
MATCH_SIDES_HTML = relation(
    anonymous=LOGIN,
    firm=302,
    other_firm=302,
    park_x=404,
    park_y=404,
    supervisor=404,
    officer_x=404,
    officer_y=404,
)
MATCH_SIDES_API = relation(
    anonymous=403,
    firm=200,
    other_firm=200,
    park_x=404,
    park_y=404,
    supervisor=404,
    officer_x=404,
    officer_y=404,
)
# An inquiry (and its deals): both firms, the supervisors of the poster's park, and the officer
# of its prefecture (read-only, for the dashboards).
SEES_INQUIRY = {
    "firm": 200,
    "other_firm": 200,
    "park_x": 200,
    "park_y": 404,
    "supervisor": 200,
    "officer_x": 200,
    "officer_y": 404,
}
# The poster decides an inquiry, the asker withdraws it, the other firm confirms a deal; the
# supervisors and the officer who see it may not (``firm`` and ``other_firm`` per step).
INQUIRY_STEP_HTML = {
    "anonymous": LOGIN,
    "park_x": 403,
    "park_y": 404,
    "supervisor": 403,
    "officer_x": 403,
    "officer_y": 404,
}
INQUIRY_STEP_API = {
    "anonymous": 403,
    "park_x": 403,
    "park_y": 404,
    "supervisor": 403,
    "officer_x": 403,
    "officer_y": 404,
}
# One person's rows (a saved search, a notification): the side's plain member's.
OWN_ROW_HTML = {**signed_in(404), "member_a": (302, 404), "member_b": (404, 302)}
OWN_ROW_API = {**everyone(404), "anonymous": 403}

# For ``changes``: whose request changes side X's row.
MODERATORS = relation(
    anonymous=False,
    firm=False,
    other_firm=False,
    park_x=True,
    park_y=False,
    supervisor=True,
    officer_x=False,
    officer_y=False,
)
FIRM = relation(
    anonymous=False,
    firm=True,
    other_firm=False,
    park_x=False,
    park_y=False,
    supervisor=False,
    officer_x=False,
    officer_y=False,
)
OTHER_FIRM = {
    **FIRM,
    "member_a": (False, True),
    "admin_a": (False, True),
    "member_b": (True, False),
}
BOTH_FIRMS = {**FIRM, "member_a": True, "admin_a": True, "member_b": True}
OWN_ROW = {**everyone(False), "member_a": (True, False), "member_b": (False, True)}


# Who learns the poster of a side's listing: its firm, the supervisors of its park, and the
# firm whose inquiry about that listing the poster accepted (not the one still waiting).
def knows_poster(*, asker: bool) -> Expect:
    return relation(
        anonymous=False,
        firm=True,
        other_firm=asker,
        park_x=True,
        park_y=False,
        supervisor=True,
        officer_x=False,
        officer_y=False,
    )


# On an inquiry, the asker learns the poster's name and contact only once the poster accepted
# (None: not looked at here).
def asker_sees(value: bool) -> dict:
    return {
        **everyone(None),
        "member_a": (None, value),
        "admin_a": (None, value),
        "member_b": (value, None),
    }


def contact_phone(s: Side) -> str:
    return s.firm.contacts.get().phone


def poster_shown(table) -> Check:
    """The page names the listing's poster exactly to the roles ``table`` marks True."""

    def check(c, s, role, side_key, response):
        want = pick(table[role], side_key)
        if want is None:
            return None
        content = response.content.decode()
        shown = s.firm.name in content or s.firm.get_absolute_url() in content
        if shown != want:
            return f"the poster ({s.firm.name}) {'is' if shown else 'is not'} named on the page"
        return None

    return check


def api_poster_shown(table) -> Check:
    """The API's ``enterprise`` is the poster's id exactly for the roles ``table`` marks True."""

    def check(c, s, role, side_key, response):
        want = pick(table[role], side_key)
        got = response.json()["enterprise"]
        if (got == s.firm.pk) != want or (not want and got is not None):
            return f"enterprise is {got!r}"
        return None

    return check


def counterpart_shown(table, *, api: bool) -> Check:
    """The asker sees the poster's name and contact only on an accepted inquiry."""

    def check(c, s, role, side_key, response):
        want = pick(table[role], side_key)
        if want is None:
            return None
        if api:
            counterpart = response.json()["counterpart"]
            shown = counterpart is not None and counterpart["name"] == s.firm.name
        else:
            content = response.content.decode()
            shown = s.firm.name in content and contact_phone(s) in content
        if shown != want:
            return f"the poster's name and contact {'are' if shown else 'are not'} shown"
        return None

    return check


# Who learns which firm asked (the API's ``from_enterprise``): both firms and the supervisors of
# the poster's park; not the officers, who see the inquiry for the dashboards' figures.
KNOWS_ASKER = relation(
    anonymous=None,
    firm=True,
    other_firm=True,
    park_x=True,
    park_y=None,
    supervisor=True,
    officer_x=False,
    officer_y=None,
)


def asker_shown(c, s, role, side_key, response):
    want = pick(KNOWS_ASKER[role], side_key)
    if want is None:
        return None
    asker = c.b.firm if s is c.a else c.a.firm
    got = response.json()["from_enterprise"]
    if (got == asker.name) != want or (not want and got is not None):
        return f"from_enterprise is {got!r}"
    return None


def both(*checks: Check) -> Check:
    def check(*args):
        return "; ".join(filter(None, (one(*args) for one in checks))) or None

    return check


def listing(c, s):
    return {"pk": s.listing.pk}


def wanted(c, s):
    return {"pk": s.wanted.pk}


def pending_listing(c, s):
    return {"pk": s.pending_listing.pk}


def draft(c, s):
    """A new draft of the side's firm, seen by nobody else."""
    from sharing import services
    from tests.sharing.helpers import capacity_fields

    member = c.member_a if s is c.a else c.member_b
    return {"pk": services.listing_create(actor=member, **capacity_fields(title="草稿")).pk}


def fresh_published(c, s):
    """A new published offer of the side's firm, nobody has asked about yet."""
    from sharing import services
    from sharing.moderation import listing_transition
    from tests.sharing.helpers import capacity_fields

    member, park_admin = (c.member_a, c.park_admin_a) if s is c.a else (c.member_b, c.park_admin_b)
    new = services.listing_create(actor=member, submit=True, **capacity_fields(title="新的产能"))
    return listing_transition(actor=park_admin, listing=new, action="approve")


def fresh_attachment(c, s):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sharing import services
    from tests.sharing.helpers import png_bytes

    member = c.member_a if s is c.a else c.member_b
    upload = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    attachment = services.attachment_add(actor=member, listing=s.listing, upload=upload)
    return {"pk": s.listing.pk, "attachment_pk": attachment.pk}


def row(model, field_names: str):
    """watch: the named fields of the row ``model`` with the URL's ``pk``."""
    fields = field_names.split()

    def watch(c, s, kwargs):
        return model.objects.filter(pk=kwargs["pk"]).values_list(*fields).first()

    return watch


def of(attribute: str, field_names: str):
    """watch: the named fields of the side's object ``attribute``, whatever the URL."""
    fields = field_names.split()

    def watch(c, s, kwargs):
        obj = getattr(s, attribute)
        return type(obj).objects.filter(pk=obj.pk).values_list(*fields).first()

    return watch


def count(model, **where):
    """watch: how many rows of ``model`` there are (``where`` values may be callables of the
    side and the URL's kwargs)."""

    def watch(c, s, kwargs):
        lookup = {k: (v(s, kwargs) if callable(v) else v) for k, v in where.items()}
        return model.objects.filter(**lookup).count()

    return watch


def reject_pending(c, s):
    from enterprises import services

    services.enterprise_transition(
        actor=c.supervisor, enterprise=s.pending, action="reject", reason="材料不全"
    )


LISTING_STATE = "status status_changed_at pending_changes"
WHY = {"reason": "incomplete", "note": "请补充设备精度。"}
COMPLAINT = {"reason": "spam", "text": "重复发布。"}
DEAL = {"description": "加工一批零件", "value_yuan": "50000", "start_date": "2030-01-01"}


def new_listing_api(c, s):
    return {
        "kind": "capacity",
        "direction": "offer",
        "title": "数控机床闲置产能",
        "description": "五台立式加工中心。",
        "industry": "3421",
        "quantity": "400",
        "unit": "machine_hours_month",
        "price_mode": "negotiable",
        "attributes": {"facility": "equipment", "machine_type": "VMC850"},
    }


# --- The matrix ---------------------------------------------------------------------------------

MATRIX: dict[str, list[Case]] = {
    # Site shell and reference pages: public.
    "home": [GET(everyone(200))],
    "healthz": [GET(everyone(200))],
    "set_language": [POST(everyone(302), data={"language": "en", "next": "/"})],
    "clusters:park_list": [GET(everyone(200))],
    "clusters:park_detail": [GET(everyone(200), lambda c, s: {"pk": s.park.pk})],
    "clusters:region_detail": [GET(everyone(200), lambda c, s: {"code": s.region.code})],
    "clusters:cluster_detail": [GET(everyone(200), side_cluster)],
    # Enterprises, HTML.
    "enterprises:list": [GET(everyone(200))],
    "enterprises:onboarding": [GET(NO_ENTERPRISE_YET)],
    "enterprises:create": [GET(NO_ENTERPRISE_YET)],
    "enterprises:join": [GET(NO_ENTERPRISE_YET)],
    "enterprises:detail": [
        GET(everyone(200), firm, label="verified firm"),
        GET(SEES_PENDING, pending, label="pending firm"),
    ],
    "enterprises:edit": [
        GET({**CHANGE_FIRM, "admin_a": (200, 403)}, firm, label="verified firm"),
        GET(CHANGE_PENDING, pending, label="pending firm"),
    ],
    "enterprises:certification_add": [
        POST(CHANGE_FIRM, firm, data=certification, label="verified firm"),
        POST(CHANGE_PENDING, pending, data=certification, label="pending firm"),
    ],
    "enterprises:certification_remove": [
        POST(CHANGE_FIRM, lambda c, s: {"pk": s.firm.pk, "cert_pk": s.certification.pk}),
    ],
    "enterprises:join_request": [
        # Signed-in people may ask; members of a firm are turned down with a message.
        POST(signed_in(302), firm, label="verified firm"),
        # A pending firm is joined only by those who see it or who know its credit code.
        POST(
            {
                "anonymous": LOGIN,
                "member_a": 404,
                "admin_a": 404,
                "member_b": 404,
                "park_admin_a": (302, 404),
                "park_admin_b": (404, 302),
                "supervisor": 302,
                "officer_a": (302, 404),
                "officer_b": (404, 302),
            },
            pending,
            label="pending firm",
        ),
        POST(
            signed_in(302),
            pending,
            data=lambda c, s: {"credit_code": s.pending.credit_code},
            label="pending firm, with its credit code",
        ),
    ],
    "enterprises:members": [GET(SEES_MEMBERS, firm)],
    "enterprises:member_update": [
        POST(
            {
                "anonymous": LOGIN,
                "member_a": (302, 404),  # leaves
                "admin_a": (302, 404),  # removes the member
                "member_b": (404, 302),
                "park_admin_a": (403, 404),  # sees the members, may not remove them
                "park_admin_b": (404, 403),
                "supervisor": 403,
                "officer_a": 404,
                "officer_b": 404,
            },
            lambda c, s: {"pk": s.firm.pk, "member_pk": s.membership.pk},
            data={"op": "remove"},
            label="remove the plain member",
        )
    ],
    "enterprises:join_request_decide": [
        POST(
            ADMIN_OF_FIRM_ONLY_HTML,
            lambda c, s: {"pk": s.firm.pk, "request_pk": s.join_request.pk},
            data={"approve": "1"},
        )
    ],
    "enterprises:invitation_revoke": [
        POST(
            ADMIN_OF_FIRM_ONLY_HTML,
            lambda c, s: {"pk": s.firm.pk, "invitation_pk": s.invitation.pk},
        )
    ],
    "enterprises:transition": [
        POST(
            SUPERVISE_PENDING_HTML,
            lambda c, s: {"pk": s.pending.pk, "action": "verify"},
            label="verify",
        ),
        POST(
            SUPERVISE_PENDING_HTML,
            lambda c, s: {"pk": s.pending.pk, "action": "reject"},
            data=REASON,
            label="reject",
        ),
        POST(
            SUSPEND_HTML,
            lambda c, s: {"pk": s.firm.pk, "action": "suspend"},
            data=REASON,
            label="suspend",
        ),
        POST(
            REINSTATE_HTML,
            lambda c, s: {"pk": s.firm.pk, "action": "reinstate"},
            data=REASON,
            setup=suspend_firm,
            label="reinstate",
        ),
        # Resubmitting is the rejected firm's admin's: nobody of the cast administers a pending
        # firm, so on one everyone who sees it is refused ...
        POST(
            RESUBMIT_REJECTED_HTML,
            lambda c, s: {"pk": s.pending.pk, "action": "resubmit"},
            setup=reject_pending,
            watch=of("pending", "status"),
            label="resubmit a rejected firm",
        ),
        # ... and on a verified firm its admin gets past the policy to the state check (a
        # message, nothing done).
        POST(
            {**CHANGE_FIRM, "admin_a": (302, 403)},
            lambda c, s: {"pk": s.firm.pk, "action": "resubmit"},
            watch=of("firm", "status"),
            label="resubmit a verified firm",
        ),
        POST(
            signed_in(404),
            lambda c, s: {"pk": s.firm.pk, "action": "delete"},
            label="unknown action",
        ),
    ],
    "enterprises:invitation": [
        GET(everyone(200), lambda c, s: {"token": s.token}, label="valid link"),
        GET(everyone(404), lambda c, s: {"token": "not-a-token"}, sides=("A",), label="bad link"),
    ],
    "enterprises:queue": [
        GET(
            {
                **signed_in(404),
                "park_admin_a": 200,
                "park_admin_b": 200,
                "supervisor": 200,
            }
        )
    ],
    # The API: reference data, public and read-only.
    "api-root": [GET(everyone(200))],
    "schema": [GET(everyone(200))],
    "api-docs": [GET(everyone(200))],
    "region-list": [GET(everyone(200)), API("post", everyone(405), label="read-only")],
    "region-detail": [GET(everyone(200), lambda c, s: {"code": s.region.code})],
    "industrycode-list": [GET(everyone(200))],
    "industrycode-tree": [GET(everyone(200))],
    "industrycode-detail": [GET(everyone(200), lambda c, s: {"code": s.firm.industry.code})],
    "cluster-list": [GET(everyone(200))],
    "cluster-detail": [GET(everyone(200), side_cluster)],
    "park-list": [GET(everyone(200))],
    "park-detail": [GET(everyone(200), lambda c, s: {"pk": s.park.pk})],
    # The API: enterprises.
    "enterprise-list": [
        GET(everyone(200)),
        API(
            "post",
            {
                **everyone(201),
                "anonymous": 403,
                "member_a": 400,  # already in an enterprise
                "admin_a": 400,
                "member_b": 400,
            },
            data=new_enterprise,
            label="register",
        ),
    ],
    "enterprise-detail": [
        GET(everyone(200), firm, label="verified firm"),
        GET(SEES_PENDING, pending, label="pending firm"),
        API(
            "patch",
            {**CHANGE_FIRM, "anonymous": 403, "admin_a": (200, 403)},
            firm,
            data={"description": "新简介"},
            label="change verified firm",
        ),
        API(
            "patch",
            {**CHANGE_PENDING, "anonymous": 403},
            pending,
            data={"description": "新简介"},
            label="change pending firm",
        ),
        API("delete", {**everyone(405), "anonymous": 403}, firm, label="no deleting"),
    ],
    "enterprise-verify": [API("post", SUPERVISE_PENDING_API, pending)],
    "enterprise-reject": [API("post", SUPERVISE_PENDING_API, pending, data=REASON)],
    "enterprise-suspend": [API("post", SUSPEND_API, firm, data=REASON)],
    "enterprise-reinstate": [API("post", REINSTATE_API, firm, data=REASON, setup=suspend_firm)],
    "enterprise-resubmit": [
        API(
            "post",
            {**RESUBMIT_REJECTED_HTML, "anonymous": 403},
            pending,
            setup=reject_pending,
            watch=of("pending", "status"),
            label="rejected firm",
        ),
        API(
            "post",
            {**everyone(403), "admin_a": (409, 403)},  # its admin: past the policy, wrong state
            firm,
            watch=of("firm", "status"),
            label="verified firm",
        ),
    ],
    # The API: members, invitations, join requests.
    "membership-list": [GET({**everyone(200), "anonymous": 403})],
    "membership-detail": [
        GET({**SEES_MEMBERS, "anonymous": 403}, lambda c, s: {"pk": s.membership.pk}),
        API(
            "delete",
            {
                "anonymous": 403,
                "member_a": (204, 404),  # leaves
                "admin_a": (204, 404),  # removes the member
                "member_b": (404, 204),
                "park_admin_a": (403, 404),
                "park_admin_b": (404, 403),
                "supervisor": 403,
                "officer_a": 404,
                "officer_b": 404,
            },
            lambda c, s: {"pk": s.membership.pk},
            label="remove the plain member",
        ),
        API(
            "patch",
            {
                "anonymous": 403,
                "member_a": (403, 404),  # cannot promote themselves
                "admin_a": (200, 404),
                "member_b": (404, 403),
                "park_admin_a": (403, 404),
                "park_admin_b": (404, 403),
                "supervisor": 403,
                "officer_a": 404,
                "officer_b": 404,
            },
            lambda c, s: {"pk": s.membership.pk},
            data={"role": "admin"},
            label="promote the plain member",
        ),
    ],
    "invitation-list": [
        GET({**everyone(200), "anonymous": 403}),
        API(
            "post",
            {
                **everyone(404),  # no enterprise to invite to
                "anonymous": 403,
                "member_a": 403,
                "admin_a": 201,
                "member_b": 403,
            },
            data={"email": "colleague@example.com"},
            label="invite",
        ),
    ],
    "invitation-revoke": [
        API(
            "post",
            {**everyone(404), "anonymous": 403, "admin_a": (204, 404)},
            lambda c, s: {"pk": s.invitation.pk},
        )
    ],
    "invitation-accept": [
        # Everyone signed in is refused: the invitation was sent to another address.
        API("post", {**everyone(400), "anonymous": 403}, data=lambda c, s: {"token": s.token})
    ],
    "joinrequest-list": [
        GET({**everyone(200), "anonymous": 403}),
        API(
            "post",
            {
                **everyone(201),
                "anonymous": 403,
                "member_a": 403,
                "admin_a": 403,
                "member_b": 403,
            },
            data=lambda c, s: {"enterprise": s.firm.pk},
            sides=("A", "B"),
            label="ask to join a verified firm",
        ),
    ],
    "joinrequest-approve": [
        API(
            "post",
            {**everyone(404), "anonymous": 403, "admin_a": (200, 404)},
            lambda c, s: {"pk": s.join_request.pk},
        )
    ],
    "joinrequest-decline": [
        API(
            "post",
            {**everyone(404), "anonymous": 403, "admin_a": (200, 404)},
            lambda c, s: {"pk": s.join_request.pk},
        )
    ],
    # Dashboards and statistics (portal/stats).
    "statistics": [GET(everyone(200))],
    "favicon": [GET(everyone(301))],
    "dashboards:index": [GET(SUPERVISORS_AND_OFFICERS)],
    "dashboards:refresh": [
        POST({**signed_in(404), "park_admin_a": 302, "park_admin_b": 302, "supervisor": 302})
    ],
    "dashboards:region": [GET(REGION_DASHBOARD, lambda c, s: {"code": s.region.code})],
    "dashboards:region_export": [
        GET(REGION_DASHBOARD, lambda c, s: {"code": s.region.code, "export_format": "csv"})
    ],
    "dashboards:park": [GET(PARK_DASHBOARD, lambda c, s: {"pk": s.park.pk})],
    "dashboards:park_export": [
        GET(PARK_DASHBOARD, lambda c, s: {"pk": s.park.pk, "export_format": "xlsx"})
    ],
    "dashboards:cluster": [GET(REGION_DASHBOARD, side_cluster)],
    "dashboards:cluster_export": [
        GET(REGION_DASHBOARD, lambda c, s: {**side_cluster(c, s), "export_format": "csv"})
    ],
    "dashboards:region_records": [
        GET(REGION_DASHBOARD, lambda c, s: {"key": s.region.code, "figure": "deals_confirmed"})
    ],
    "dashboards:park_records": [
        GET(PARK_DASHBOARD, lambda c, s: {"key": s.park.pk, "figure": "listings_posted"})
    ],
    "dashboards:cluster_records": [
        GET(
            REGION_DASHBOARD,
            lambda c, s: {"key": side_cluster(c, s)["pk"], "figure": "enterprises_registered"},
        )
    ],
    "stats": [
        API(
            "get",
            {**REGION_DASHBOARD, "anonymous": 403},
            data=lambda c, s: {"region": s.region.code},
            sides=("A", "B"),
            label="region",
        ),
        API(
            "get",
            {**PARK_DASHBOARD, "anonymous": 403},
            data=lambda c, s: {"park": s.park.pk},
            sides=("A", "B"),
            label="park",
        ),
    ],
    # Accounts (portal/accounts): public pages, and the signed-in person's own pages.
    "accounts:signup": [GET({**everyone(302), "anonymous": 200})],
    "accounts:privacy": [GET(everyone(200))],
    "accounts:login": [GET({**everyone(302), "anonymous": 200})],
    "accounts:logout": [POST(everyone(302))],
    "accounts:password_change": [GET(signed_in(200))],
    "accounts:password_change_done": [GET(signed_in(200))],
    "accounts:password_reset": [GET(everyone(200))],
    "accounts:password_reset_done": [GET(everyone(200))],
    "accounts:password_reset_complete": [GET(everyone(200))],
    "accounts:password_reset_confirm": [
        GET(everyone(200), lambda c, s: {"uidb64": "MQ", "token": "bad-token"}, sides=("A",))
    ],
    "accounts:two_factor_setup": [GET(signed_in(200))],
    # Without a confirmed authenticator: sent to set one up.
    "accounts:two_factor_verify": [GET(signed_in(302))],
    # Only after verifying with the second factor; otherwise back to the account page.
    "accounts:two_factor_recovery_codes": [POST(signed_in(302))],
    "accounts:me": [GET(signed_in(200))],
    "accounts:me_export": [GET(signed_in(200))],
    "accounts:me_delete": [GET(signed_in(200))],
    # Listings, HTML. Published ones are public; the poster stays anonymous to all but its
    # firm, its supervisors and the askers it accepted.
    "sharing:list": [GET(everyone(200))],
    "sharing:create": [GET({**signed_in(302), "member_a": 200, "admin_a": 200, "member_b": 200})],
    "sharing:detail": [
        GET(
            everyone(200),
            listing,
            check=poster_shown(knows_poster(asker=False)),
            label="published, the other firm's inquiry pending",
        ),
        GET(
            everyone(200),
            wanted,
            check=poster_shown(knows_poster(asker=True)),
            label="published, the other firm's inquiry accepted",
        ),
        GET(SEES_UNPUBLISHED_LISTING, pending_listing, label="pending review"),
        GET(
            relation(
                anonymous=404,
                firm=200,
                other_firm=404,
                park_x=404,
                park_y=404,
                supervisor=404,
                officer_x=404,
                officer_y=404,
            ),
            draft,
            label="draft",
        ),
    ],
    "sharing:edit": [
        GET(OWN_LISTING_HTML, listing, label="published"),
        GET(
            relation(
                anonymous=LOGIN,
                firm=200,
                other_firm=404,
                park_x=403,
                park_y=404,
                supervisor=403,
                officer_x=403,
                officer_y=404,
            ),
            pending_listing,
            label="pending review",
        ),
    ],
    "sharing:complain": [
        POST(
            # Anyone signed in but the poster's firm, which sees the listing and is refused; the
            # other firm's plain member has reported it already (a message).
            relation(
                anonymous=LOGIN,
                firm=403,
                other_firm=302,
                park_x=302,
                park_y=302,
                supervisor=302,
                officer_x=302,
                officer_y=302,
            ),
            listing,
            data=COMPLAINT,
            watch=count(Complaint, listing=lambda s, kw: kw["pk"]),
            changes=relation(
                anonymous=False,
                firm=False,
                other_firm=False,  # the plain member has reported it already
                park_x=True,
                park_y=True,
                supervisor=True,
                officer_x=True,
                officer_y=True,
                admin_a=(False, True),  # has not
            ),
        )
    ],
    "sharing:attachment_upload": [
        # No file: the firm gets past the policy to the form's error (a message).
        POST(OWN_LISTING_HTML_POST, listing, watch=count(ListingAttachment))
    ],
    "sharing:attachment": [
        GET(everyone(200), lambda c, s: {"pk": s.listing.pk, "attachment_pk": s.attachment.pk}),
        GET(
            everyone(404),
            lambda c, s: {"pk": s.wanted.pk, "attachment_pk": s.attachment.pk},
            label="another listing's attachment",
        ),
    ],
    "sharing:attachment_delete": [
        POST(
            OWN_LISTING_HTML_POST,
            fresh_attachment,
            watch=count(ListingAttachment, pk=lambda s, kw: kw["attachment_pk"]),
            changes=FIRM,
        )
    ],
    "sharing:matches": [GET(OWN_LISTING_HTML, listing)],
    "sharing:inquire": [
        GET(relation(**INQUIRE), listing, label="already asked"),
        POST(
            relation(**{**INQUIRE, "other_firm": 302}),
            lambda c, s: {"pk": fresh_published(c, s).pk},
            data={"message": "请问下月还有空档吗？"},
            watch=count(Inquiry, listing=lambda s, kw: kw["pk"]),
            changes=OTHER_FIRM,
            label="new listing",
        ),
    ],
    "sharing:action": [
        *(
            POST(
                MODERATE_HTML,
                lambda c, s, a=action: {"pk": s.pending_listing.pk, "action": a},
                data=WHY,
                watch=row(Listing, LISTING_STATE),
                changes=MODERATORS,
                label=action,
            )
            for action in ("approve", "request_changes", "reject")
        ),
        POST(
            # A published listing: everyone sees it, only its supervisors take it down.
            relation(
                anonymous=LOGIN,
                firm=403,
                other_firm=403,
                park_x=302,
                park_y=403,
                supervisor=302,
                officer_x=403,
                officer_y=403,
            ),
            lambda c, s: {"pk": s.listing.pk, "action": "take_down"},
            data=WHY,
            watch=row(Listing, LISTING_STATE),
            changes=MODERATORS,
            label="take_down",
        ),
        *(
            POST(
                OWNER_STEP_HTML,
                lambda c, s, a=action: {"pk": s.listing.pk, "action": a},
                watch=row(Listing, LISTING_STATE),
                changes=FIRM,
                label=action,
            )
            for action in ("withdraw", "close", "renew")
        ),
        POST(
            relation(
                anonymous=LOGIN,
                firm=302,
                other_firm=404,
                park_x=404,
                park_y=404,
                supervisor=404,
                officer_x=404,
                officer_y=404,
            ),
            lambda c, s: {**draft(c, s), "action": "submit"},
            watch=row(Listing, LISTING_STATE),
            changes=FIRM,
            label="submit a draft",
        ),
        POST(
            signed_in(404),
            lambda c, s: {"pk": s.listing.pk, "action": "expire"},
            watch=row(Listing, LISTING_STATE),
            label="expire: the system's",
        ),
        POST(
            signed_in(404),
            lambda c, s: {"pk": s.listing.pk, "action": "publish"},
            label="unknown action",
        ),
    ],
    # Matches, inquiries, deals, HTML.
    "sharing:match_dismiss": [
        POST(
            MATCH_SIDES_HTML,
            lambda c, s: {"pk": s.match.pk},
            watch=row(Match, "offer_state request_state"),
            changes=BOTH_FIRMS,
        )
    ],
    "sharing:inquiries": [GET(signed_in(200))],
    "sharing:inquiry": [
        GET(
            relation(anonymous=LOGIN, **SEES_INQUIRY),
            lambda c, s: {"pk": s.inquiry.pk},
            check=counterpart_shown(asker_sees(False), api=False),
            label="pending",
        ),
        GET(
            relation(anonymous=LOGIN, **SEES_INQUIRY),
            lambda c, s: {"pk": s.accepted.pk},
            check=counterpart_shown(asker_sees(True), api=False),
            label="accepted",
        ),
    ],
    "sharing:inquiry_action": [
        *(
            POST(
                relation(**INQUIRY_STEP_HTML, firm=302, other_firm=403),
                lambda c, s, a=action: {"pk": s.inquiry.pk, "action": a},
                watch=row(Inquiry, "status"),
                changes=FIRM,
                label=action,
            )
            for action in ("accept", "decline")
        ),
        POST(
            relation(**INQUIRY_STEP_HTML, firm=403, other_firm=302),
            lambda c, s: {"pk": s.inquiry.pk, "action": "withdraw"},
            watch=row(Inquiry, "status"),
            changes=OTHER_FIRM,
            label="withdraw",
        ),
        POST(
            relation(**INQUIRY_STEP_HTML, firm=302, other_firm=302),
            lambda c, s: {"pk": s.accepted.pk, "action": "message"},
            data={"body": "下周可以来厂里看看。"},
            watch=count(InquiryMessage, inquiry=lambda s, kw: kw["pk"]),
            changes=BOTH_FIRMS,
            label="message on the accepted one",
        ),
        POST(
            relation(**INQUIRY_STEP_HTML, firm=403, other_firm=403),
            lambda c, s: {"pk": s.inquiry.pk, "action": "message"},
            data={"body": "在吗？"},
            watch=count(InquiryMessage, inquiry=lambda s, kw: kw["pk"]),
            label="message on the pending one",
        ),
        POST(
            relation(**INQUIRY_STEP_HTML, firm=302, other_firm=302),
            lambda c, s: {"pk": s.accepted.pk, "action": "deal"},
            data=DEAL,
            watch=count(Deal, inquiry=lambda s, kw: kw["pk"]),
            changes=BOTH_FIRMS,
            label="record a deal",
        ),
        POST(
            signed_in(404),
            lambda c, s: {"pk": s.inquiry.pk, "action": "archive"},
            label="unknown action",
        ),
    ],
    "sharing:deal_action": [
        *(
            POST(
                relation(**INQUIRY_STEP_HTML, firm=403, other_firm=302),
                lambda c, s, a=action: {"pk": s.deal.pk, "action": a},
                watch=row(Deal, "status"),
                changes=OTHER_FIRM,
                label=action,
            )
            for action in ("confirm", "dispute")
        ),
        POST(
            signed_in(404),
            lambda c, s: {"pk": s.deal.pk, "action": "cancel"},
            watch=row(Deal, "status"),
            label="unknown action",
        ),
    ],
    # One's own saved searches, notifications and preferences.
    "sharing:saved_searches": [
        GET(signed_in(200)),
        POST(
            signed_in(302),
            data={"name": "数控产能", "frequency": "daily", "p_kind": "capacity"},
            label="save a search",
        ),
    ],
    "sharing:saved_search_delete": [
        POST(
            OWN_ROW_HTML,
            lambda c, s: {"pk": s.saved_search.pk},
            watch=count(SavedSearch, pk=lambda s, kw: kw["pk"]),
            changes=OWN_ROW,
        )
    ],
    "sharing:notifications": [GET(signed_in(200))],
    "sharing:notifications_read": [
        # Everyone may mark their own read; another's stays unread.
        POST(
            signed_in(302),
            data=lambda c, s: {"id": s.notification.pk},
            sides=("A", "B"),
            watch=of("notification", "read_at"),
            changes=OWN_ROW,
            label="one notification",
        )
    ],
    "sharing:notification_badge": [GET(everyone(200))],
    "sharing:preferences": [
        GET(signed_in(200)),
        POST(signed_in(302), data={"recommendations_enabled": "1"}, label="save"),
    ],
    # Supervision of listings, HTML.
    "sharing:rematch": [
        GET({**signed_in(404), "supervisor": 200}),
        POST(
            {**signed_in(404), "supervisor": 302},
            watch=count(BackgroundJob),
            changes={**everyone(False), "supervisor": True},
            label="start",
        ),
    ],
    "sharing:mine": [GET({**signed_in(302), "member_a": 200, "admin_a": 200, "member_b": 200})],
    "sharing:moderation": [GET(SUPERVISORS_HTML)],
    "sharing:moderation_bulk": [
        # A supervisor's bulk decision reaches only what they supervise: the other park's
        # administrator is sent back with "not processed", and nothing changes.
        POST(
            relation(
                anonymous=LOGIN,
                firm=404,
                other_firm=404,
                park_x=302,
                park_y=302,
                supervisor=302,
                officer_x=404,
                officer_y=404,
            ),
            data=lambda c, s: {"action": "approve", "listing": [s.pending_listing.pk]},
            sides=("A", "B"),
            watch=of("pending_listing", LISTING_STATE),
            changes=MODERATORS,
        )
    ],
    "sharing:complaint_decide": [
        POST(
            COMPLAINT_HTML,
            lambda c, s: {"pk": s.complaint.pk},
            data={"decision": "dismiss", "note": "并非重复。"},
            watch=row(Complaint, "status"),
            changes=MODERATORS,
            label="dismiss",
        ),
        POST(
            COMPLAINT_HTML,
            lambda c, s: {"pk": s.complaint.pk},
            data={"decision": "uphold", **WHY},
            watch=lambda c, s, kw: (
                Complaint.objects.get(pk=kw["pk"]).status,
                Listing.objects.get(pk=s.listing.pk).status,
            ),
            changes=MODERATORS,
            label="uphold",
        ),
    ],
    # The API: listings. Reading as on the pages; every status change answers 403 to those
    # who see the listing and may not, 404 to those who do not see it.
    "listing-list": [
        GET(everyone(200)),
        API(
            "post",
            {**everyone(403), "member_a": 201, "admin_a": 201, "member_b": 201},  # a firm's
            data=new_listing_api,
            watch=count(Listing),
            changes={**everyone(False), "member_a": True, "admin_a": True, "member_b": True},
            label="create",
        ),
    ],
    "listing-detail": [
        GET(
            everyone(200),
            listing,
            check=api_poster_shown(knows_poster(asker=False)),
            label="published, the other firm's inquiry pending",
        ),
        GET(
            everyone(200),
            wanted,
            check=api_poster_shown(knows_poster(asker=True)),
            label="published, the other firm's inquiry accepted",
        ),
        GET(SEES_UNPUBLISHED_LISTING, pending_listing, label="pending review"),
        API(
            "patch",
            OWN_LISTING_API,
            listing,
            data={"description": "六台立式加工中心。"},
            watch=row(Listing, LISTING_STATE),
            changes=FIRM,
            label="edit published (held for review)",
        ),
        API(
            "patch",
            relation(
                anonymous=403,
                firm=200,
                other_firm=404,
                park_x=403,
                park_y=404,
                supervisor=403,
                officer_x=403,
                officer_y=404,
            ),
            pending_listing,
            data={"description": "六台立式加工中心。"},
            label="edit pending",
        ),
        API("put", {**everyone(405), "anonymous": 403}, listing, label="no PUT"),
    ],
    **{
        f"listing-{action.replace('_', '-')}": [
            API(
                "post",
                MODERATE_API,
                pending_listing,
                data=WHY,
                watch=row(Listing, LISTING_STATE),
                changes=MODERATORS,
            )
        ]
        for action in ("approve", "request_changes", "reject")
    },
    "listing-take-down": [
        API(
            "post",
            relation(
                anonymous=403,
                firm=403,
                other_firm=403,
                park_x=200,
                park_y=403,
                supervisor=200,
                officer_x=403,
                officer_y=403,
            ),
            listing,
            data=WHY,
            watch=row(Listing, LISTING_STATE),
            changes=MODERATORS,
        )
    ],
    **{
        f"listing-{action}": [
            API(
                "post",
                OWN_LISTING_API,
                listing,
                watch=row(Listing, LISTING_STATE),
                changes=FIRM,
            )
        ]
        for action in ("withdraw", "close", "renew")
    },
    "listing-submit": [
        API(
            "post",
            relation(**{**OWN_ARGS, "anonymous": 403, **dict.fromkeys(OTHERS, 404)}),
            draft,
            watch=row(Listing, LISTING_STATE),
            changes=FIRM,
            label="draft",
        )
    ],
    "listing-attachments": [
        # Multipart, without a file: the firm gets past the policy to the missing file (400).
        POST(
            relation(**{**OWN_ARGS, "anonymous": 403, "firm": 400}),
            listing,
            watch=count(ListingAttachment),
        )
    ],
    "my-listing-list": [GET({**everyone(200), "anonymous": 403})],
    # The API: supervision of listings.
    "moderation-list": [GET(SUPERVISORS_API)],
    "moderation-figures": [GET(SUPERVISORS_API)],
    "moderation-decide": [
        API(
            "post",
            MODERATE_API,
            pending_listing,
            data={"decision": decision, **WHY},
            watch=row(Listing, LISTING_STATE),
            changes=MODERATORS,
            label=decision,
        )
        for decision in ("approve", "reject")
    ],
    "moderation-bulk": [
        # Each listing is decided or reported ("not_found", "forbidden"); nothing changes
        # beyond what the caller supervises. Those who supervise nothing are told the route is
        # not theirs (404), as by the list, the figures and the HTML bulk.
        API(
            "post",
            relation(
                anonymous=403,
                firm=404,
                other_firm=404,
                park_x=200,
                park_y=200,
                supervisor=200,
                officer_x=404,
                officer_y=404,
            ),
            data=lambda c, s: {"decision": "approve", "listings": [s.pending_listing.pk]},
            sides=("A", "B"),
            watch=of("pending_listing", LISTING_STATE),
            changes=MODERATORS,
        )
    ],
    "complaint-list": [
        GET({**everyone(200), "anonymous": 403}),
        API(
            "post",
            relation(
                anonymous=403,
                firm=403,
                other_firm=400,  # the plain member has reported it already
                park_x=201,
                park_y=201,
                supervisor=201,
                officer_x=201,
                officer_y=201,
                admin_a=(403, 201),
            ),
            data=lambda c, s: {"listing": s.listing.pk, **COMPLAINT},
            sides=("A", "B"),
            label="report",
        ),
    ],
    **{
        f"complaint-{decision}": [
            API(
                "post",
                COMPLAINT_API,
                lambda c, s: {"pk": s.complaint.pk},
                data=WHY,
                watch=lambda c, s, kw: (
                    Complaint.objects.get(pk=kw["pk"]).status,
                    Listing.objects.get(pk=s.listing.pk).status,
                ),
                changes=MODERATORS,
            )
        ]
        for decision in ("uphold", "dismiss")
    },
    "audit-list": [GET(SUPERVISORS_API)],
    # The API: matches, inquiries, deals.
    "match-list": [GET({**everyone(200), "anonymous": 403})],
    "match-detail": [GET(MATCH_SIDES_API, lambda c, s: {"pk": s.match.pk})],
    "match-state": [
        API(
            "post",
            MATCH_SIDES_API,
            lambda c, s: {"pk": s.match.pk},
            data={"state": "dismissed"},
            watch=row(Match, "offer_state request_state"),
            changes=BOTH_FIRMS,
        )
    ],
    "inquiry-list": [
        GET({**everyone(200), "anonymous": 403}),
        API(
            "post",
            # Another firm's member asks; the poster's own firm is told why not; people of no
            # firm may not.
            {**everyone(403), "member_a": 400, "admin_a": 400, "member_b": 201},
            data=lambda c, s: {"listing": fresh_published(c, s).pk, "message": "还有空档吗？"},
            watch=count(Inquiry),
            changes={**everyone(False), "member_b": True},
            label="ask about a new listing of firm A",
        ),
    ],
    "inquiry-detail": [
        GET(
            relation(anonymous=403, **SEES_INQUIRY),
            lambda c, s: {"pk": s.inquiry.pk},
            check=both(counterpart_shown(asker_sees(False), api=True), asker_shown),
            label="pending",
        ),
        GET(
            relation(anonymous=403, **SEES_INQUIRY),
            lambda c, s: {"pk": s.accepted.pk},
            check=both(counterpart_shown(asker_sees(True), api=True), asker_shown),
            label="accepted",
        ),
    ],
    **{
        f"inquiry-{action}": [
            API(
                "post",
                relation(**INQUIRY_STEP_API, firm=200, other_firm=403),
                lambda c, s: {"pk": s.inquiry.pk},
                watch=row(Inquiry, "status"),
                changes=FIRM,
            )
        ]
        for action in ("accept", "decline")
    },
    "inquiry-withdraw": [
        API(
            "post",
            relation(**INQUIRY_STEP_API, firm=403, other_firm=200),
            lambda c, s: {"pk": s.inquiry.pk},
            watch=row(Inquiry, "status"),
            changes=OTHER_FIRM,
        )
    ],
    "inquiry-messages": [
        # Read by all who see the inquiry (empty unless they may write).
        GET(relation(anonymous=403, **SEES_INQUIRY), lambda c, s: {"pk": s.accepted.pk}),
        API(
            "post",
            relation(**INQUIRY_STEP_API, firm=201, other_firm=201),
            lambda c, s: {"pk": s.accepted.pk},
            data={"body": "下周可以来厂里看看。"},
            watch=count(InquiryMessage, inquiry=lambda s, kw: kw["pk"]),
            changes=BOTH_FIRMS,
            label="write, accepted",
        ),
        API(
            "post",
            relation(**INQUIRY_STEP_API, firm=403, other_firm=403),
            lambda c, s: {"pk": s.inquiry.pk},
            data={"body": "在吗？"},
            watch=count(InquiryMessage, inquiry=lambda s, kw: kw["pk"]),
            label="write, pending",
        ),
    ],
    "deal-list": [
        GET({**everyone(200), "anonymous": 403}),
        API(
            "post",
            # An inquiry one may not see is, in the body, as unknown as a made-up id (400).
            relation(
                **{
                    **INQUIRY_STEP_API,
                    "firm": 201,
                    "other_firm": 201,
                    "park_y": 400,
                    "officer_y": 400,
                }
            ),
            data=lambda c, s: {"inquiry": s.accepted.pk, **DEAL},
            sides=("A", "B"),
            watch=lambda c, s, kw: Deal.objects.filter(inquiry=s.accepted).count(),
            changes=BOTH_FIRMS,
            label="record",
        ),
    ],
    "deal-detail": [GET(relation(anonymous=403, **SEES_INQUIRY), lambda c, s: {"pk": s.deal.pk})],
    **{
        f"deal-{action}": [
            API(
                "post",
                relation(**INQUIRY_STEP_API, firm=403, other_firm=200),
                lambda c, s: {"pk": s.deal.pk},
                watch=row(Deal, "status"),
                changes=OTHER_FIRM,
            )
        ]
        for action in ("confirm", "dispute")
    },
    # The API: one's own saved searches and notifications.
    "savedsearch-list": [
        GET({**everyone(200), "anonymous": 403}),
        API(
            "post",
            {**everyone(201), "anonymous": 403},
            data={"name": "数控产能", "params": {"kind": "capacity"}},
            label="save",
        ),
    ],
    "savedsearch-detail": [
        API(
            "delete",
            {**OWN_ROW_API, "member_a": (204, 404), "member_b": (404, 204)},
            lambda c, s: {"pk": s.saved_search.pk},
            watch=count(SavedSearch, pk=lambda s, kw: kw["pk"]),
            changes=OWN_ROW,
        ),
        GET({**everyone(405), "anonymous": 403}, lambda c, s: {"pk": s.saved_search.pk}),
    ],
    "notification-list": [GET({**everyone(200), "anonymous": 403})],
    "notification-unread": [GET({**everyone(200), "anonymous": 403})],
    "notification-read": [
        API(
            "post",
            {**everyone(200), "anonymous": 403},
            data=lambda c, s: {"ids": [s.notification.pk]},
            sides=("A", "B"),
            watch=of("notification", "read_at"),
            changes=OWN_ROW,
            label="one notification",
        )
    ],
}


# --- Running it ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks a request starts run in-process, inside the rolled-back case, never on a broker."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def pick(value, side: str):
    """A table's value for one side: a pair is (side A, side B)."""
    if isinstance(value, tuple):
        return value[0] if side in ("A", "-") else value[1]
    return value


def expected(case: Case, role: str, side: str):
    return pick(case.expect[role], side)


def refused(status) -> bool:
    return status == LOGIN or status >= 400


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        return LOGIN
    return response.status_code


def send(client: Client, case: Case, url: str, data):
    if case.method == "get":
        return client.get(url, data or {})
    if case.api:
        return getattr(client, case.method)(url, data or {}, content_type="application/json")
    return getattr(client, case.method)(url, data or {})


def run(route: Route, cast: Cast) -> list[str]:
    """Every case of the route, for every role and side; the mismatches, one line each."""
    # A crash is an answer too (500), listed with the others. One client per role, whose
    # cookies are reset before each request; all share one handler, so the middleware (WhiteNoise
    # indexes the static files when it starts) is set up once per route, not once per request.
    clients, logged_in = {}, {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if cast.user(role) is not None:
            client.force_login(cast.user(role))
        if clients:
            client.handler = clients[ROLES[0]].handler
        clients[role], logged_in[role] = client, copy.deepcopy(client.cookies)
    problems = []
    for case in MATRIX[route.name]:
        for side_key in case.sides:
            for role in ROLES:
                side = cast.side("A" if side_key == "-" else side_key)
                client = clients[role]
                client.cookies = copy.deepcopy(logged_in[role])
                want = expected(case, role, side_key)
                found = []
                with transaction.atomic():
                    if case.setup:
                        case.setup(cast, side)
                    kwargs = case.kwargs(cast, side) if case.kwargs else {}
                    if route.format_suffix:
                        kwargs["format"] = "json"
                    url = reverse(route.name, kwargs=kwargs)
                    data = case.data(cast, side) if callable(case.data) else case.data
                    before = case.watch(cast, side, kwargs) if case.watch else None
                    response = send(client, case, url, data)
                    got = outcome(response)
                    if got != want:
                        found.append(f"expected {want}, got {got}")
                    if got == 403 and not url.startswith("/api/"):
                        page = response.content.decode()
                        said = REFUSAL_TITLE in page and (
                            case.method == "get" or "没有做任何更改" in page
                        )
                        if not said:
                            found.append("answered 403 without the refusal page")
                    if case.watch:
                        moved = case.watch(cast, side, kwargs) != before
                        should_move = (
                            bool(pick(case.changes[role], side_key)) if case.changes else None
                        )
                        if moved and (refused(got) or should_move is False):
                            found.append(f"answered {got} but changed the state")
                        elif not moved and should_move:
                            found.append(f"answered {got} but left the state unchanged")
                    if case.check and got == want:
                        found.extend(
                            filter(None, [case.check(cast, side, role, side_key, response)])
                        )
                    transaction.set_rollback(True)
                problems.extend(
                    f"{case.method.upper()} {url} [{case.label or '-'}] side {side_key}, "
                    f"{role}: {problem}"
                    for problem in found
                )
    return problems


def route_id(route: Route) -> str:
    return f"{route.name or route.pattern}{' (.json)' if route.format_suffix else ''}"


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_route(route, cast):
    if route.name not in MATRIX:
        pytest.fail(
            f"route {route.pattern!r} (name {route.name!r}) has no entry in the permission "
            "matrix: add one to MATRIX in tests/test_permission_matrix.py saying who may use it",
            pytrace=False,
        )
    problems = run(route, cast)
    if problems:
        pytest.fail(f"{route_id(route)}:\n  " + "\n  ".join(problems), pytrace=False)


def test_every_route_has_a_matrix_entry():
    missing = sorted(f"{r.pattern}  (name {r.name!r})" for r in ROUTES if r.name not in MATRIX)
    if missing:
        pytest.fail(
            "routes without a permission-matrix entry:\n  " + "\n  ".join(missing), pytrace=False
        )


def test_every_matrix_entry_is_a_route():
    stale = sorted(set(MATRIX) - {r.name for r in ROUTES})
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def test_the_matrix_covers_the_enterprise_routes():
    # A guard against the route walk silently finding nothing.
    names = {r.name for r in ROUTES}
    assert {"enterprises:detail", "enterprise-verify", "joinrequest-approve"} <= names
    assert not any(r.pattern.startswith("admin/") for r in ROUTES)


def test_the_officer_does_not_learn_the_firms_of_an_accepted_inquiry(cast):
    client = Client()
    client.force_login(cast.officer_a)
    response = client.get(reverse("sharing:inquiry", kwargs={"pk": cast.a.accepted.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert NAME_A not in page  # the poster (the deal's recording firm)
    assert NAME_B not in page  # the asker (the author of the message)


def test_a_supervisor_never_decides_on_their_own_firms_listings(cast):
    """Supervision is a neutral third party's: as with enterprises (verify, suspend ...), a park
    administrator who also works for a firm of their park does not moderate its listings or
    the complaints about them. The cast has no such person, so one is made here."""
    from enterprises import services

    _invitation, token = services.invitation_create(
        actor=cast.admin_a, enterprise=cast.a.firm, email=cast.park_admin_a.email
    )
    services.invitation_accept(actor=cast.park_admin_a, token=token)
    client = Client()
    client.force_login(cast.park_admin_a)
    pending, complaint = cast.a.pending_listing, cast.a.complaint
    answers = {
        "decide": client.post(
            reverse("moderation-decide", kwargs={"pk": pending.pk}),
            {"decision": "approve"},
            content_type="application/json",
        ).status_code,
        "bulk": client.post(
            reverse("moderation-bulk"),
            {"decision": "approve", "listings": [pending.pk]},
            content_type="application/json",
        ).json()["results"][0]["error"],
        "take down": client.post(
            reverse("listing-take-down", kwargs={"pk": cast.a.listing.pk}),
            WHY,
            content_type="application/json",
        ).status_code,
        "dismiss": client.post(
            reverse("complaint-dismiss", kwargs={"pk": complaint.pk}),
            {},
            content_type="application/json",
        ).status_code,
    }
    assert answers == {"decide": 403, "bulk": "forbidden", "take down": 403, "dismiss": 403}
    assert Listing.objects.get(pk=pending.pk).status == "pending"
    assert Listing.objects.get(pk=cast.a.listing.pk).status == "published"
    assert Complaint.objects.get(pk=complaint.pk).status == "open"


@pytest.mark.parametrize(
    ("language", "title", "nothing_changed"),
    [
        ("zh-hans", "无权执行此操作", "没有做任何更改。"),
        ("en", "Not allowed", "Nothing was changed."),
    ],
)
def test_a_refusal_is_a_page_in_the_users_language_and_changes_nothing(
    cast, language, title, nothing_changed
):
    """The officer sees firm A's published listing but may not withdraw it: the refusal page
    says so in their language, leads back to the listing, and the listing stays published."""
    listing = cast.a.listing
    client = Client()
    client.force_login(cast.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page_url = reverse("sharing:detail", kwargs={"pk": listing.pk})
    response = client.post(
        reverse("sharing:action", kwargs={"pk": listing.pk, "action": "withdraw"}),
        HTTP_REFERER=f"http://testserver{page_url}",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert title in page and nothing_changed in page
    assert f'href="http://testserver{page_url}"' in page
    assert Listing.objects.get(pk=listing.pk).status == "published"
    # A way back only to the portal itself.
    response = client.post(
        reverse("sharing:action", kwargs={"pk": listing.pk, "action": "withdraw"}),
        HTTP_REFERER="https://evil.example/phish",
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
