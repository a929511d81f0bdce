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
request.
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
from tests import cast as the_cast
from tests.cast import ROLES, Cast, Side

# The fixed cast's fixtures (tests/cast.py).
cast_ids, cast = the_cast.cast_ids, the_cast.cast

LOGIN = "login"  # 302 to the log-in page

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

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        extra = set(self.expect) - set(ROLES)
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


def expected(case: Case, role: str, side: str):
    value = case.expect[role]
    if isinstance(value, tuple):
        return value[0] if side in ("A", "-") else value[1]
    return value


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
    logged_in = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if cast.user(role) is not None:
            client.force_login(cast.user(role))
        logged_in[role] = client.cookies
    problems = []
    for case in MATRIX[route.name]:
        for side_key in case.sides:
            for role in ROLES:
                side = cast.side("A" if side_key == "-" else side_key)
                # A crash is an answer too (500), listed with the others.
                client = Client(raise_request_exception=False)
                client.cookies = copy.deepcopy(logged_in[role])
                with transaction.atomic():
                    if case.setup:
                        case.setup(cast, side)
                    kwargs = case.kwargs(cast, side) if case.kwargs else {}
                    if route.format_suffix:
                        kwargs["format"] = "json"
                    url = reverse(route.name, kwargs=kwargs)
                    data = case.data(cast, side) if callable(case.data) else case.data
                    got = outcome(send(client, case, url, data))
                    transaction.set_rollback(True)
                want = expected(case, role, side_key)
                if got != want:
                    problems.append(
                        f"{case.method.upper()} {url} [{case.label or '-'}] side {side_key}, "
                        f"{role}: expected {want}, got {got}"
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
