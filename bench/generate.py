"""Realistic data at a chosen scale, loaded with COPY: deterministic for a seed and an anchor day.

What it makes, over the two years before the anchor day (more activity recently, as a
growing platform has):

- accounts: a platform supervisor, one administrator per park, government officers for the
  province and Wuhan, and one administrator account per enterprise;
- enterprises in the real parks and regions of the reference data, with valid Unified Social
  Credit Codes (``make_credit_code``), industries that fit their park's leading industries,
  clusters of their prefecture, contacts and certifications; most verified;
- listings of all four kinds and both directions, titled and described from the demo's
  hand-written templates (``portal.demo_listings``) or composed from GB/T 4754 class names and
  the vocabulary in :mod:`bench.vocab`, each with the moderation history that brought it to its
  status (decisions with their waits, requests for changes and resubmissions, rejections),
  publication, expiry, closing or withdrawal, and its ``search_document``;
- matches between published offers and requests of the same kind and division, inquiries
  (some from matches) and deals, complaints;
- planted pairs: an offer and a request made to fit each other (same class, same park,
  overlapping dates, enough quantity, price within budget, the same equipment, process and
  product), published recently and not yet matched, to measure the matching's recall.

Rows are produced in pure Python from one ``random.Random(seed)`` and streamed to a sink: COPY
into PostgreSQL (:class:`bench.copy.CopySink`) or a hash (:class:`bench.copy.HashSink`). With
``bulk=True`` the loaded tables' secondary indexes are dropped during the load and rebuilt after
it, and foreign-key triggers are off during the COPY (the generator keeps the references
consistent itself; the tests load with ``bulk=False`` to have PostgreSQL check them).
"""

from __future__ import annotations

import bisect
import logging
import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection

from bench.copy import CopySink, Sink
from bench.text import DocumentCache
from bench.vocab import (
    COMPOSED,
    DEAL_TEXTS,
    DEMO_SECTOR_WEIGHTS,
    FAMILIES,
    GIVEN,
    INQUIRY_MESSAGES,
    KEYWORDS,
    NAME_WORDS,
    SUFFIXES,
    SURNAMES,
)
from enterprises.credit_code import make_credit_code
from portal.accounts.services import PRIVACY_NOTICE_VERSION
from portal.demo_listings import SECTORS, TEMPLATES, Template, _plan_listing
from sharing.choices import EXPIRY_DAYS
from sharing.matching.scoring import ALGORITHM_VERSION, MIN_SCORE, NOTIFY_SCORE, WEIGHTS
from sharing.search import facet_document
from sharing.services import TEXT_ATTRIBUTES

logger = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Shanghai")
DAYS = 730  # the period the data covers
BENCH_PASSWORD = "bench-portal-2026"  # noqa: S105 - the password of every generated account
EMAIL_DOMAIN = "bench.invalid"
OFFICE_SECTORS = {"software", "testing"}
INT_ATTRIBUTES = {"lead_time_days", "headcount", "duration_months"}
COMPOSED_UNITS = {
    "capacity": "machine_hours_month",
    "technology": "items",
    "order": "pieces",
    "talent": "persons",
}

# Tables the generator fills, in load order (a truncate before a new load empties them).
TABLES = (
    "portal_user",
    "clusters_rolegrant",
    "enterprises_enterprise",
    "enterprises_enterprise_clusters",
    "enterprises_contactperson",
    "enterprises_certification",
    "enterprises_membership",
    "sharing_listing",
    "sharing_listingmatchstate",
    "sharing_moderationdecision",
    "sharing_complaint",
    "sharing_match",
    "sharing_inquiry",
    "sharing_deal",
)
# Tables whose key is the listing's (no sequence of their own).
KEYED_BY_LISTING = ("sharing_listingmatchstate",)
# Tables whose secondary indexes are rebuilt after a bulk load.
BIG_TABLES = (
    "sharing_listing",
    "sharing_moderationdecision",
    "sharing_match",
    "sharing_inquiry",
    "enterprises_enterprise",
)

LISTING_COLUMNS = (
    "id",
    "enterprise_id",
    "created_by_id",
    "kind",
    "direction",
    "title",
    "description",
    "industry_id",
    "quantity",
    "unit",
    "price_mode",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "region_id",
    "park_id",
    "visibility",
    "attributes",
    "expires_on",
    "status",
    "pending_changes",
    "submitted_at",
    "first_submitted_at",
    "published_at",
    "status_changed_at",
    "moderation_reason",
    "moderation_note",
    "expiry_warned_at",
    "division",
    "search_document",
    "title_document",
    "facet_document",
    "created_at",
    "updated_at",
)


@dataclass
class Firm:
    id: int
    user_id: int
    region_id: int
    park_id: int | None
    prefecture: str  # four-digit code prefix
    place: str
    sector: str  # a demo sector or a family of bench.vocab
    industry_code: str
    status: str
    created_at: datetime
    verified_at: datetime | None
    cluster_ids: list[int] = field(default_factory=list)
    certs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    """What later tables need to know about a listing."""

    id: int
    firm: int  # index into firms
    kind: str
    direction: str
    division: str
    industry_code: str
    status: str
    published_at: datetime | None
    ended_at: datetime | None  # expiry, close, withdrawal or take-down
    quantity: Decimal | None
    unit: str
    price_min: Decimal | None
    title: str
    planted: bool = False


@dataclass
class Result:
    seed: int
    anchor: str
    counts: dict[str, int]
    seconds: dict[str, float]
    planted: list[dict]
    document_cache: dict[str, int]


class Reference:
    """The reference data the generated rows point at."""

    def __init__(self, cursor):
        cursor.execute("SELECT id, code, name, level, parent_id FROM clusters_region")
        self.regions = {r[0]: r for r in cursor.fetchall()}
        cursor.execute(
            "SELECT id, name, level, type, region_id, leading_industries FROM clusters_park"
        )
        self.parks = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT c.id, c.name, c.leading_industry, r.code FROM clusters_cluster c "
            "JOIN clusters_region r ON r.id = c.region_id ORDER BY c.id"
        )
        self.clusters = cursor.fetchall()
        cursor.execute(
            "SELECT id, code, name, level, section FROM clusters_industrycode ORDER BY code"
        )
        rows = cursor.fetchall()
        self.industry = {code: (pk, name) for pk, code, name, _level, _section in rows}
        self.section = {code: section for _pk, code, _name, _level, section in rows}
        self.classes_by_division: dict[str, list[str]] = {}
        for _pk, code, _name, level, _section in rows:
            if level == "class":
                self.classes_by_division.setdefault(code[:2], []).append(code)
        if not self.parks or not self.industry:
            raise RuntimeError("reference data missing: run `manage.py load_reference_data`")
        self.counties = sorted(
            pk for pk, r in self.regions.items() if r[3] == "county" and r[1].startswith("42")
        )

    def code(self, region_id: int) -> str:
        return self.regions[region_id][1]

    def place(self, region_id: int) -> str:
        name = self.regions[region_id][2]
        for suffix in ("土家族苗族自治州", "林区", "自治县", "市", "区", "县"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)]
        return name


def sectors_for(text: str) -> set[str]:
    found: set[str] = set()
    for keyword, sectors in KEYWORDS:
        if keyword in text:
            found.update(sectors)
    return found


@lru_cache(maxsize=4096)
def _size_class(code: str, employees: int, revenue: int) -> str:
    from enterprises.size_class import size_class

    try:
        return size_class(industry_code=code, employees=employees, revenue_wan=revenue)
    except (ValueError, TypeError, KeyError):
        return "small"


class Generator:
    def __init__(
        self,
        *,
        listings: int,
        enterprises: int | None = None,
        seed: int = 7,
        anchor: date | None = None,
        planted: int | None = None,
    ):
        if listings < 100:
            raise ValueError("at least 100 listings")
        self.n_listings = listings
        self.n_enterprises = enterprises or max(40, listings // 10)
        self.n_planted = planted if planted is not None else min(2000, max(20, listings // 500))
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible bench data, not secrets
        anchor = anchor or datetime.now(TZ).date()
        self.anchor_day = anchor
        self.now = datetime(anchor.year, anchor.month, anchor.day, tzinfo=TZ).astimezone(UTC)
        self.start = self.now - timedelta(days=DAYS)
        self.docs = DocumentCache()
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.firms: list[Firm] = []
        self.rows: list[Row] = []
        self.planted: list[dict] = []
        self._attr_cache: dict = {}

    # --- helpers ------------------------------------------------------------------------

    def _growth_time(self, low: datetime, high: datetime) -> datetime:
        """A time in [low, high] with density growing linearly over the whole period."""
        a = max(0.0, (low - self.start).total_seconds() / (DAYS * 86400))
        b = max(a, (high - self.start).total_seconds() / (DAYS * 86400))
        u = self.rng.uniform(a * a, b * b)
        return self.start + timedelta(seconds=math.sqrt(u) * DAYS * 86400)

    def _person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def _write(self, sink: Sink, table: str, columns, rows) -> None:
        self.counts[table] = self.counts.get(table, 0) + sink.write(table, columns, rows)

    # --- accounts, enterprises ----------------------------------------------------------

    def _accounts(self, sink: Sink, ref: Reference) -> None:
        password = make_password(BENCH_PASSWORD, salt="benchsalt")
        joined = self.start - timedelta(days=30)
        users = [(1, "supervisor", "省平台监管员")]
        self.park_admin: dict[int, int] = {}
        for i, park in enumerate(ref.parks):
            users.append((2 + i, f"park-{park[0]}", f"{park[1][:8]}管理员"))
            self.park_admin[park[0]] = 2 + i
        base = 2 + len(ref.parks)
        users += [
            (base, "officer-hubei", "省经信厅工作人员"),
            (base + 1, "officer-wuhan", "武汉市经信局"),
        ]
        self.supervisor_id = 1
        self.officer_ids = (base, base + 1)
        self.first_firm_user = base + 2
        self.users = users
        grants = [(1, "platform_supervisor", None, None, 1)]
        for park_id, user_id in self.park_admin.items():
            grants.append((len(grants) + 1, "park_admin", park_id, None, user_id))
        province = next(pk for pk, r in ref.regions.items() if r[1] == "420000")
        wuhan = next(pk for pk, r in ref.regions.items() if r[1] == "420100")
        grants.append((len(grants) + 1, "government_officer", None, province, base))
        grants.append((len(grants) + 1, "government_officer", None, wuhan, base + 1))

        def user_rows():
            for pk, key, name in users:
                yield self._user_row(pk, f"{key}@{EMAIL_DOMAIN}", name, password, joined)
            for index in range(self.n_enterprises):
                yield self._user_row(
                    self.first_firm_user + index,
                    f"firm-{index + 1}@{EMAIL_DOMAIN}",
                    self._person(),
                    password,
                    joined,  # every account predates the two generated years
                )

        self._write(sink, "portal_user", USER_COLUMNS, user_rows())
        self._write(
            sink,
            "clusters_rolegrant",
            ("id", "kind", "park_id", "region_id", "user_id", "granted_at"),
            ((*g, joined) for g in grants),
        )

    @staticmethod
    def _user_row(pk, email, name, password, joined):
        return (
            pk,
            password,
            None,
            False,
            email,
            name,
            "",
            True,
            False,
            joined,
            joined,
            PRIVACY_NOTICE_VERSION,
            "",
            False,
            True,
        )

    def _enterprises(self, sink: Sink, ref: Reference) -> None:
        rng = self.rng
        park_weight = {"national": 6.0, "provincial": 3.0}
        parks = ref.parks
        park_cum = list(_cumulative(park_weight.get(p[2], 0.7) for p in parks))
        family_names = list(FAMILIES)
        base_sectors = list(DEMO_SECTOR_WEIGHTS) + family_names
        base_weights = [DEMO_SECTOR_WEIGHTS.get(s, 0) or FAMILIES[s].weight for s in base_sectors]
        clusters_by_pref: dict[str, list[tuple[int, set[str]]]] = {}
        for cid, name, leading, rcode in ref.clusters:
            clusters_by_pref.setdefault(rcode[:4], []).append(
                (cid, sectors_for(f"{name} {leading}"))
            )
        statuses = (("verified", 0.86), ("pending", 0.08), ("rejected", 0.03), ("suspended", 0.03))
        status_cum = list(_cumulative(w for _s, w in statuses))
        self.firm_weights: list[float] = []
        for index in range(self.n_enterprises):
            if rng.random() < 0.72:
                park = parks[_pick(rng, park_cum)]
                park_id, region_id = park[0], park[4]
                hint = sectors_for(f"{park[1]} {park[5]}")
            else:
                park_id, region_id = None, rng.choice(ref.counties)
                hint = set()
            code = ref.code(region_id)
            weights = [
                w * (5 if s in hint else 1) for s, w in zip(base_sectors, base_weights, strict=True)
            ]
            sector = rng.choices(base_sectors, weights)[0]
            if sector in FAMILIES:
                division = rng.choice(FAMILIES[sector].divisions)
                industry_code = rng.choice(ref.classes_by_division[division])
            else:
                industry_code = SECTORS[sector].code
            status = statuses[_pick(rng, status_cum)][0]
            created = self._growth_time(
                self.start - timedelta(days=30), self.now - timedelta(days=2)
            )
            verified = (
                created + timedelta(hours=rng.uniform(1, 96))
                if status in ("verified", "suspended")
                else None
            )
            firm = Firm(
                id=index + 1,
                user_id=self.first_firm_user + index,
                region_id=region_id,
                park_id=park_id,
                prefecture=code[:4],
                place=ref.place(region_id),
                sector=sector,
                industry_code=industry_code,
                status=status,
                created_at=created,
                verified_at=verified,
            )
            for cid, cluster_sectors in clusters_by_pref.get(code[:4], ()):
                if sector in cluster_sectors and rng.random() < 0.6:
                    firm.cluster_ids.append(cid)
            if rng.random() < 0.55:
                firm.certs.append("iso9001")
            if (
                sector in ("auto", "vehicles", "plastics", "metal", "casting")
                and rng.random() < 0.5
            ):
                firm.certs.append("iatf16949")
            if sector in ("chemical", "pharma", "battery") and rng.random() < 0.4:
                firm.certs.append("iso14001")
            self.firms.append(firm)
            # A few firms post a lot, most a handful (a Pareto tail).
            active = status == "verified"
            self.firm_weights.append(min(50.0, rng.paretovariate(1.3)) if active else 0.0)

        def enterprise_rows():
            for f in self.firms:
                employees = int(min(2000, rng.lognormvariate(4.0, 0.9))) + 5
                revenue = _revenue_band(rng, employees)
                word = rng.choice(NAME_WORDS) + (
                    rng.choice(NAME_WORDS) if rng.random() < 0.3 else ""
                )
                words = SECTORS[f.sector].words if f.sector in SECTORS else None
                industry_word = (
                    rng.choice(words)
                    if words
                    else ref.industry[f.industry_code][1].removesuffix("制造")[:6]
                )
                name = f"{f.place}{word}{industry_word}{rng.choice(SUFFIXES)}"[:128]
                credit = make_credit_code("9", "1", ref.code(f.region_id), _org_body(f.id))
                yield (
                    f.id,
                    name,
                    credit,
                    employees,
                    revenue,
                    None,
                    _size_class(f.industry_code, employees, revenue),
                    f"{f.place}的{ref.industry[f.industry_code][1]}企业。",
                    "",
                    f.status,
                    "资料不全" if f.status == "rejected" else "",
                    f.verified_at or f.created_at,
                    f.created_at,
                    f.verified_at or f.created_at,
                    f.user_id,
                    ref.industry[f.industry_code][0],
                    f.park_id,
                    f.region_id,
                    f.verified_at,
                )

        self._write(sink, "enterprises_enterprise", ENTERPRISE_COLUMNS, enterprise_rows())
        links = ((f.id, cid) for f in self.firms for cid in f.cluster_ids)
        self._write(
            sink,
            "enterprises_enterprise_clusters",
            ("id", "enterprise_id", "cluster_id"),
            ((i + 1, e, c) for i, (e, c) in enumerate(links)),
        )
        self._write(
            sink,
            "enterprises_contactperson",
            ("id", "enterprise_id", "name", "position", "phone", "email"),
            (
                (
                    f.id,
                    f.id,
                    self._person(),
                    "销售经理",
                    f"0{rng.randint(710, 728)}-{rng.randint(6000000, 8999999)}",
                    f"contact-{f.id}@{EMAIL_DOMAIN}",
                )
                for f in self.firms
            ),
        )
        certs = (
            (
                f.id,
                kind,
                rng.randint(0, 10**6),
                self.anchor_day + timedelta(days=rng.randint(-120, 1000)),
            )
            for f in self.firms
            for kind in f.certs
        )
        self._write(
            sink,
            "enterprises_certification",
            ("id", "enterprise_id", "kind", "other_name", "number", "valid_until"),
            (
                (i + 1, e, kind, "", f"{kind.upper()}-{n:07d}", until)
                for i, (e, kind, n, until) in enumerate(certs)
            ),
        )
        self._write(
            sink,
            "enterprises_membership",
            ("id", "user_id", "enterprise_id", "role", "joined_at"),
            ((f.id, f.user_id, f.id, "admin", f.created_at) for f in self.firms),
        )

    # --- listings -----------------------------------------------------------------------

    def _schedule(self) -> list[tuple[datetime, int, int | None]]:
        """(creation time, firm index, planted pair number or None), in time order."""
        rng = self.rng
        cum = list(_cumulative(self.firm_weights))
        normal = self.n_listings - 2 * self.n_planted
        plan: list[tuple[datetime, int, int | None]] = []
        for _ in range(normal):
            index = _pick(rng, cum)
            firm = self.firms[index]
            plan.append(
                (self._growth_time(firm.verified_at, self.now - timedelta(minutes=5)), index, None)
            )
        # Planted pairs: two verified firms of the same park, posted in the last three weeks.
        by_park: dict[int, list[int]] = {}
        for index, firm in enumerate(self.firms):
            if firm.status == "verified" and firm.park_id is not None:
                by_park.setdefault(firm.park_id, []).append(index)
        parks = sorted(p for p, firms in by_park.items() if len(firms) >= 2)
        self.planted_specs = []
        for number in range(self.n_planted):
            park = rng.choice(parks)
            offer_firm, request_firm = rng.sample(by_park[park], 2)
            self.planted_specs.append(self._planted_spec(offer_firm, request_firm))
            for index in (offer_firm, request_firm):
                created = self.now - timedelta(days=rng.uniform(1, 21))
                plan.append((max(created, self.firms[index].verified_at), index, number))
        plan.sort(key=lambda item: item[0])
        return plan

    def _planted_spec(self, offer_firm: int, request_firm: int) -> dict:
        rng = self.rng
        firm = self.firms[offer_firm]
        family = (
            FAMILIES[firm.sector]
            if firm.sector in FAMILIES
            else rng.choice(list(FAMILIES.values()))
        )
        code = firm.industry_code if firm.sector in FAMILIES else None
        return {
            "offer_firm": offer_firm,
            "request_firm": request_firm,
            "kind": rng.choice(("capacity", "technology", "order", "talent")),
            "family": family,
            "code": code,
            "words": {
                "equip": rng.choice(family.equipment),
                "process": rng.choice(family.processes),
                "product": rng.choice(family.products),
                "skill": rng.choice(family.skills),
            },
            "qty": rng.randint(2, 30) * 10,
            "price": Decimal(rng.randint(40, 200)),
            "ids": {},
        }

    def _composed(
        self, firm: Firm, kind: str, direction: str, ref: Reference, words=None, code=None
    ):
        rng = self.rng
        family = FAMILIES.get(firm.sector) or rng.choice(list(FAMILIES.values()))
        if code is None:
            code = (
                firm.industry_code
                if firm.sector in FAMILIES
                else rng.choice(ref.classes_by_division[rng.choice(family.divisions)])
            )
        words = words or {
            "equip": rng.choice(family.equipment),
            "process": rng.choice(family.processes),
            "product": rng.choice(family.products),
            "skill": rng.choice(family.skills),
        }
        title, description = rng.choice(COMPOSED[(kind, direction)])
        values = dict(
            words,
            industry=ref.industry[code][1],
            place=firm.place,
            qty=rng.randint(2, 40) * 10,
            n=rng.randint(2, 12),
            months=rng.randint(2, 8),
            lead=rng.choice((5, 7, 10, 15, 20)),
        )
        if kind == "capacity":
            attributes = {
                "facility": "equipment",
                "machine_type": words["equip"],
                "process": words["process"],
            }
        elif kind == "technology":
            attributes = {
                "field": f"{words['product']}{words['process']}",
                "maturity": rng.choice(("pilot", "industrial")),
                "mode": rng.choice(("license", "cooperation", "service")),
            }
        elif kind == "order":
            attributes = {"product": words["product"]}
        else:
            attributes = {
                "skills": words["skill"],
                "headcount": values["qty"] // 10,
                "mode": "secondment" if direction == "offer" else "hire",
            }
            values["qty"] = attributes["headcount"]
            if direction == "offer":
                attributes.update(
                    labour_contract_kept=True, insurance_covered=True, worker_consent=True
                )
        return {
            "kind": kind,
            "direction": direction,
            "title": title.format_map(values)[:100],
            "description": description.format_map(values),
            "industry": code,
            "quantity": Decimal(values["qty"]),
            "unit": COMPOSED_UNITS[kind],
            "price_mode": "negotiable",
            "price_min": None,
            "price_max": None,
            "attributes": attributes,
        }

    def _template_fields(self, firm: Firm, created: datetime, ref: Reference) -> dict:
        rng = self.rng
        today = created.astimezone(TZ).date()
        if firm.sector not in SECTORS or rng.random() < 0.15:
            kind = rng.choice(("capacity", "capacity", "technology", "order", "order", "talent"))
            return self._composed(firm, kind, rng.choice(("offer", "request")), ref)
        pool = TEMPLATES[firm.sector]
        names = list(pool)
        if firm.sector not in OFFICE_SECTORS and rng.random() < 0.12:
            pool, names = TEMPLATES["generic"], list(TEMPLATES["generic"])
        template: Template = pool[rng.choice(names)]
        fields = _plan_listing(
            rng, _Where(firm.place, firm.place), firm.industry_code, template, today
        )
        fields["attributes"] = {
            k: (int(v) if k in INT_ATTRIBUTES and isinstance(v, str) and v.isdigit() else v)
            for k, v in fields["attributes"].items()
        }
        return fields

    def _listings(self, sink: Sink, ref: Reference) -> None:
        schedule = self._schedule()
        decisions: list[tuple] = []
        complaints: list[tuple] = []
        matched: list[tuple] = []
        rows_out = self._listing_rows(schedule, ref, decisions, complaints, matched)
        self._write(sink, "sharing_listing", LISTING_COLUMNS, rows_out)
        self._write(
            sink, "sharing_listingmatchstate", ("listing_id", "version", "matched_at"), matched
        )
        self._write(
            sink,
            "sharing_moderationdecision",
            (
                "id",
                "listing_id",
                "moderator_id",
                "decision",
                "reason",
                "note",
                "was_edit",
                "submitted_at",
                "decided_at",
            ),
            ((i + 1, *d) for i, d in enumerate(decisions)),
        )
        self._write(
            sink,
            "sharing_complaint",
            (
                "id",
                "listing_id",
                "reporter_id",
                "reason",
                "text",
                "status",
                "created_at",
                "handled_by_id",
                "handled_at",
                "resolution",
            ),
            ((i + 1, *c) for i, c in enumerate(complaints)),
        )

    def _listing_rows(
        self, schedule, ref: Reference, decisions: list, complaints: list, matched: list
    ):
        rng = self.rng
        now = self.now
        for number, (created, firm_index, planted) in enumerate(schedule, start=1):
            firm = self.firms[firm_index]
            moderator = self.park_admin.get(firm.park_id, self.supervisor_id)
            if planted is not None:
                spec = self.planted_specs[planted]
                direction = (
                    "offer"
                    if firm_index == spec["offer_firm"] and "offer" not in spec["ids"]
                    else "request"
                )
                fields = self._planted_fields(spec, firm, direction, created, ref)
                spec["ids"][direction] = number
            else:
                fields = self._template_fields(firm, created, ref)
            kind = fields["kind"]
            code = fields["industry"]
            status = "draft"
            submitted = first_submitted = published = ended = None
            changed = created
            reason = note = ""
            pending_changes = None
            matched_version = matched_at = None
            draft = planted is None and rng.random() < 0.03
            if not draft:
                submitted = first_submitted = created + timedelta(minutes=rng.uniform(1, 120))
                status, published, changed, reason, note, submitted = self._moderate(
                    number, moderator, submitted, decisions, planted is not None
                )
            expires = None
            if published is not None:
                expires = published.astimezone(TZ).date() + timedelta(days=EXPIRY_DAYS[kind][0])
                status, ended, changed = self._after_publication(
                    published, expires, planted is not None
                )
                if status == "taken_down":
                    reason, note = "misleading", "经核实，举报属实，予以下架。"
                    complaints.append(
                        (
                            number,
                            None,
                            "fraud",
                            "所述资源已不能提供，信息与实际不符。",
                            "upheld",
                            ended - timedelta(days=1),
                            moderator,
                            ended,
                            note,
                        )
                    )
                elif status == "published":
                    if planted is None:
                        matched_version, matched_at = (
                            ALGORITHM_VERSION,
                            published + timedelta(seconds=rng.uniform(0.5, 5)),
                        )
                    if planted is None and rng.random() < 0.01:
                        pending_changes = {
                            "description": fields["description"]
                            + "\n\n更新：可增加夜班，交期可再缩短一周。"
                        }
                        submitted = now - timedelta(hours=rng.uniform(0.5, 60))
                    if planted is None and rng.random() < 0.002:
                        opened = published + (now - published) * rng.random()
                        complaints.append(
                            (
                                number,
                                None,
                                "other",
                                "同一内容重复发布，影响检索。",
                                "open",
                                opened,
                                None,
                                None,
                                "",
                            )
                        )
                else:
                    matched_version, matched_at = (
                        ALGORITHM_VERSION,
                        published + timedelta(seconds=rng.uniform(0.5, 5)),
                    )
            attributes = fields["attributes"]
            attribute_text = " ".join(
                str(v) for k, v in attributes.items() if k in TEXT_ATTRIBUTES and isinstance(v, str)
            )
            industry_pk, industry_name = ref.industry[code]
            visibility = "public"
            roll = rng.random()
            if planted is None and roll < 0.12:
                visibility = "registered"
            elif planted is None and roll < 0.2 and firm.cluster_ids:
                visibility = "cluster"
            self.rows.append(
                Row(
                    number,
                    firm_index,
                    kind,
                    fields["direction"],
                    code[:2],
                    code,
                    status,
                    published,
                    ended,
                    fields["quantity"],
                    fields["unit"],
                    fields["price_min"],
                    fields["title"],
                    planted is not None,
                )
            )
            if matched_version is not None:
                matched.append((number, matched_version, matched_at))
            yield (
                number,
                firm.id,
                firm.user_id,
                kind,
                fields["direction"],
                fields["title"],
                fields["description"],
                industry_pk,
                fields["quantity"],
                fields["unit"],
                fields["price_mode"],
                fields["price_min"],
                fields["price_max"],
                fields.get("available_from"),
                fields.get("available_until"),
                firm.region_id,
                firm.park_id,
                visibility,
                attributes,
                expires,
                status,
                pending_changes,
                submitted if status == "pending" or pending_changes else None,
                first_submitted,
                published,
                changed,
                reason,
                note,
                None,
                code[:2],
                self.docs.document(
                    fields["title"], fields["description"], attribute_text, industry_name
                ),
                self.docs.document(fields["title"]),
                facet_document(
                    kind=kind,
                    direction=fields["direction"],
                    industry_code=code,
                    industry_section=ref.section[code],
                    region_code=ref.code(firm.region_id),
                    park_id=firm.park_id,
                    certifications=firm.certs,
                ),
                created,
                changed,
            )

    def _moderate(self, number, moderator, submitted, decisions, planted):
        """Decisions until the listing is published, rejected, sent back or still waiting."""
        rng = self.rng
        now = self.now
        rounds = 0
        while True:
            rounds += 1
            if planted:
                wait = timedelta(hours=rng.uniform(0.2, 6))
            else:
                wait = timedelta(hours=min(240.0, rng.lognormvariate(math.log(6), 1.0)))
            decided = submitted + wait
            if decided > now and not planted:
                return "pending", None, submitted, "", "", submitted
            if planted:
                decided = min(decided, now - timedelta(minutes=30))
            roll = rng.random()
            if planted or roll < 0.86 or (rounds > 1 and roll < 0.95):
                decisions.append((number, moderator, "approve", "", "", False, submitted, decided))
                return "published", decided, decided, "", "", None
            if roll < 0.94 and rounds == 1:
                reason, note = rng.choice(CHANGES)
                decisions.append(
                    (number, moderator, "request_changes", reason, note, False, submitted, decided)
                )
                resubmitted = decided + timedelta(hours=rng.uniform(4, 120))
                if rng.random() < 0.55 and resubmitted < now:
                    submitted = resubmitted
                    continue
                return "changes_requested", None, decided, reason, note, None
            reason, note = rng.choice(REJECTIONS)
            decisions.append((number, moderator, "reject", reason, note, False, submitted, decided))
            return "rejected", None, decided, reason, note, None

    def _after_publication(self, published: datetime, expires: date, planted: bool):
        rng = self.rng
        now = self.now
        expiry = datetime(expires.year, expires.month, expires.day, tzinfo=TZ).astimezone(UTC)
        if planted:
            return "published", None, published
        if expires < self.anchor_day:
            roll = rng.random()
            if roll < 0.62:
                return "expired", expiry, expiry
            ended = published + (expiry - published) * rng.uniform(0.1, 0.95)
            return ("closed" if roll < 0.86 else "withdrawn"), ended, ended
        roll = rng.random()
        if roll < 0.88:
            return "published", None, published
        ended = published + (now - published) * rng.uniform(0.2, 0.99)
        if roll < 0.95:
            return "closed", ended, ended
        if roll < 0.99:
            return "withdrawn", ended, ended
        return "taken_down", ended, ended

    def _planted_fields(
        self, spec: dict, firm: Firm, direction: str, created: datetime, ref: Reference
    ) -> dict:
        kind = spec["kind"]
        code = spec["code"]
        if code is None:
            code = spec["code"] = self.rng.choice(
                ref.classes_by_division[spec["family"].divisions[0]]
            )
        fields = self._composed(firm, kind, direction, ref, words=spec["words"], code=code)
        start = self.anchor_day - timedelta(days=25)
        if direction == "offer":
            fields["quantity"] = Decimal(spec["qty"] * 2)
            fields["available_from"], fields["available_until"] = start, start + timedelta(days=150)
            fields["price_mode"], fields["price_min"], fields["price_max"] = (
                "fixed",
                spec["price"],
                spec["price"],
            )
        else:
            fields["quantity"] = Decimal(spec["qty"])
            fields["available_from"] = start + timedelta(days=30)
            fields["available_until"] = start + timedelta(days=90)
            budget = (spec["price"] * Decimal("1.3")).quantize(Decimal("1"))
            fields["price_mode"], fields["price_min"], fields["price_max"] = (
                "range",
                spec["price"],
                budget,
            )
        if kind == "talent":
            fields["quantity"] = Decimal(fields["attributes"]["headcount"])
        return fields

    # --- matches, inquiries, deals --------------------------------------------------------

    def _matches(self, sink: Sink) -> None:
        rng = self.rng
        buckets: dict[tuple[str, str, str], list[Row]] = {}
        for row in self.rows:
            if row.published_at is not None and not row.planted:
                buckets.setdefault((row.kind, row.division, row.direction), []).append(row)
        matches: list[tuple] = []
        self.match_rows: list[tuple[int, Row, Row, str, str, datetime]] = []
        seen: set[tuple[int, int]] = set()
        states = ("new", "new", "seen", "seen", "seen", "dismissed", "contacted")
        for (kind, division, direction), offers in sorted(buckets.items()):
            if direction != "offer":
                continue
            requests = buckets.get((kind, division, "request"))
            if not requests:
                continue
            requests.sort(key=lambda r: r.published_at)
            times = [r.published_at for r in requests]
            for offer in offers:
                if rng.random() > 0.35:
                    continue
                at = bisect.bisect_left(times, offer.published_at)
                for _ in range(rng.randint(1, 3)):
                    request = requests[min(len(requests) - 1, max(0, at + rng.randint(-30, 30)))]
                    pair = (offer.id, request.id)
                    if request.firm == offer.firm or pair in seen:
                        continue
                    seen.add(pair)
                    score, factors = self._factors(offer, request)
                    created = max(offer.published_at, request.published_at) + timedelta(
                        seconds=rng.uniform(1, 600)
                    )
                    if created > self.now:
                        continue
                    offer_state, request_state = rng.choice(states), rng.choice(states)
                    pk = len(matches) + 1
                    matches.append(
                        (
                            pk,
                            offer.id,
                            request.id,
                            score,
                            factors,
                            ALGORITHM_VERSION,
                            offer_state,
                            request_state,
                            score >= NOTIFY_SCORE,
                            created,
                            created,
                        )
                    )
                    self.match_rows.append(
                        (pk, offer, request, offer_state, request_state, created)
                    )
        self._write(
            sink,
            "sharing_match",
            (
                "id",
                "offer_id",
                "request_id",
                "score",
                "factors",
                "algorithm_version",
                "offer_state",
                "request_state",
                "notified",
                "created_at",
                "updated_at",
            ),
            matches,
        )

    def _factors(self, offer: Row, request: Row) -> tuple[float, dict]:
        rng = self.rng
        a, b = offer.industry_code, request.industry_code
        industry = 1.0 if a == b else 0.75 if a[:3] == b[:3] else 0.45
        values = {
            "industry": (
                industry,
                {
                    "level": "same_code"
                    if a == b
                    else "same_group"
                    if a[:3] == b[:3]
                    else "same_division"
                },
            ),
            "distance": (round(rng.uniform(0.2, 1), 4), {"km": round(rng.uniform(0, 250), 1)}),
            "cluster": (rng.choice((0.0, 0.0, 0.7, 1.0)), {"same": None}),
            "quantity": (round(rng.uniform(0.3, 1), 4), {"covered": None}),
            "dates": (round(rng.uniform(0.3, 1), 4), {"overlap_days": rng.randint(5, 120)}),
            "price": (rng.choice((0.6, 1.0, 0.8)), {"within_budget": None}),
            "text": (round(rng.uniform(0.1, 0.9), 4), {"shared": []}),
            "trust": (
                rng.choice((0.0, 1.0, 1.0)),
                {"verified": True, "missing_certifications": []},
            ),
        }
        # stored as the engine stores them (sharing.matching.scoring.explanation)
        factors = {name: {"value": v, "detail": d} for name, (v, d) in values.items()}
        score = round(sum(v * WEIGHTS[name] for name, (v, _d) in values.items()), 4)
        return max(score, MIN_SCORE), factors

    def _inquiries(self, sink: Sink) -> None:
        rng = self.rng
        now = self.now
        verified = [i for i, f in enumerate(self.firms) if f.status == "verified"]
        inquiries: list[tuple] = []
        deals: list[tuple] = []
        open_pairs: set[tuple[int, int]] = set()

        def add(listing: Row, asker: int, match_id: int | None, after: datetime) -> None:
            if asker == listing.firm or (listing.id, asker) in open_pairs:
                return
            end = listing.ended_at or now
            if end <= after:
                return
            created = after + (end - after) * rng.uniform(0.01, 0.6)
            age = now - created
            roll = rng.random()
            if age < timedelta(days=3) and roll < 0.6:
                status, decided = "pending", None
            elif roll < 0.45:
                status, decided = "accepted", created + timedelta(hours=rng.uniform(1, 96))
            elif roll < 0.75:
                status, decided = "declined", created + timedelta(hours=rng.uniform(1, 96))
            elif roll < 0.87:
                status, decided = "withdrawn", created + timedelta(hours=rng.uniform(1, 96))
            else:
                status, decided = "pending", None
            if decided is not None and decided > now:
                status, decided = "pending", None
            if status in ("pending", "accepted"):
                open_pairs.add((listing.id, asker))
            owner = self.firms[listing.firm]
            asker_firm = self.firms[asker]
            pk = len(inquiries) + 1
            inquiries.append(
                (
                    pk,
                    listing.id,
                    asker_firm.id,
                    asker_firm.user_id,
                    match_id,
                    rng.choice(INQUIRY_MESSAGES),
                    "",
                    status,
                    created,
                    decided,
                    owner.user_id if decided else None,
                )
            )
            if status == "accepted" and rng.random() < 0.55:
                deal_created = decided + timedelta(days=rng.uniform(0.5, 20))
                if deal_created > now:
                    return
                by_owner = rng.random() < 0.6
                recorder, other = (owner, asker_firm) if by_owner else (asker_firm, owner)
                quantity = listing.quantity
                if listing.price_min is not None and quantity:
                    value = (
                        listing.price_min * quantity * Decimal(str(round(rng.uniform(0.3, 1.0), 2)))
                    ).quantize(Decimal("0.01"))
                else:
                    value = Decimal(int(rng.lognormvariate(math.log(60000), 1.0))).quantize(
                        Decimal("0.01")
                    )
                start = deal_created.astimezone(TZ).date() + timedelta(days=rng.randint(0, 10))
                roll = rng.random()
                confirmed_at = deal_created + timedelta(hours=rng.uniform(2, 96))
                if roll < 0.82 and confirmed_at <= now:
                    status, confirmed_by = "confirmed", other.user_id
                elif roll < 0.95 or confirmed_at > now:
                    status, confirmed_at, confirmed_by = "proposed", None, None
                else:
                    status, confirmed_at, confirmed_by = "disputed", None, None
                deals.append(
                    (
                        len(deals) + 1,
                        pk,
                        recorder.id,
                        recorder.user_id,
                        f"{DEAL_TEXTS[listing.kind]}：{listing.title}"[:200],
                        quantity,
                        listing.unit if quantity is not None else "",
                        value,
                        start,
                        start + timedelta(days=rng.randint(30, 180)),
                        rng.random() < 0.3,
                        status,
                        deal_created,
                        confirmed_at,
                        confirmed_by,
                        "数量与约定不符。" if status == "disputed" else "",
                    )
                )

        for _pk, offer, request, offer_state, request_state, created in self.match_rows:
            if request_state == "contacted":
                add(offer, request.firm, _pk, created)
            if offer_state == "contacted":
                add(request, offer.firm, _pk, created)
        for row in self.rows:
            if row.published_at is not None and not row.planted and rng.random() < 0.06:
                add(row, rng.choice(verified), None, row.published_at)
        self._write(
            sink,
            "sharing_inquiry",
            (
                "id",
                "listing_id",
                "from_enterprise_id",
                "created_by_id",
                "match_id",
                "message",
                "offer_text",
                "status",
                "created_at",
                "decided_at",
                "decided_by_id",
            ),
            inquiries,
        )
        self._write(
            sink,
            "sharing_deal",
            (
                "id",
                "inquiry_id",
                "recorded_by_id",
                "recorded_by_user_id",
                "description",
                "quantity",
                "unit",
                "value_yuan",
                "start_date",
                "end_date",
                "close_listing",
                "status",
                "created_at",
                "confirmed_at",
                "confirmed_by_id",
                "dispute_note",
            ),
            deals,
        )

    # --- the whole load -------------------------------------------------------------------

    def run(self, sink: Sink, cursor) -> Result:
        ref = Reference(cursor)
        for name, step in (
            ("accounts", lambda: self._accounts(sink, ref)),
            ("enterprises", lambda: self._enterprises(sink, ref)),
            ("listings", lambda: self._listings(sink, ref)),
            ("matches", lambda: self._matches(sink)),
            ("inquiries_deals", lambda: self._inquiries(sink)),
        ):
            started = time.perf_counter()
            step()
            self.seconds[name] = round(time.perf_counter() - started, 2)
            logger.info("generated %s in %.1f s", name, self.seconds[name])
        for spec in self.planted_specs:
            self.planted.append(
                {
                    "offer": spec["ids"]["offer"],
                    "request": spec["ids"]["request"],
                    "kind": spec["kind"],
                    "industry": spec["code"],
                }
            )
        return Result(
            seed=self.seed,
            anchor=self.anchor_day.isoformat(),
            counts=dict(self.counts),
            seconds=dict(self.seconds),
            planted=self.planted,
            document_cache={"hits": self.docs.hits, "misses": self.docs.misses},
        )


class _Where:
    """What ``portal.demo_listings._plan_listing`` reads of a firm: where it is."""

    def __init__(self, place: str, site: str):
        self.place = place
        self.site = site


USER_COLUMNS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "email",
    "name",
    "phone",
    "is_active",
    "is_staff",
    "date_joined",
    "privacy_consent_at",
    "privacy_notice_version",
    "language",
    "digest_opt_in",
    "recommendations_enabled",
)
ENTERPRISE_COLUMNS = (
    "id",
    "name",
    "credit_code",
    "employees",
    "revenue_band",
    "assets_band",
    "size_class",
    "description",
    "website",
    "status",
    "status_reason",
    "status_changed_at",
    "created_at",
    "updated_at",
    "created_by_id",
    "industry_id",
    "park_id",
    "region_id",
    "verified_at",
)
CHANGES = (
    ("incomplete", "请补充具体的设备型号、加工精度和可承接的材料范围。"),
    ("contact_in_text", "正文中留有联系方式，请删除；对接请通过平台进行。"),
    ("misleading", "“全省最低”等表述无法核实，请修改。"),
    ("wrong_category", "类别选择有误，请改选后重新提交。"),
)
REJECTIONS = (
    ("duplicate", "与贵企业已发布的同类信息重复。"),
    ("other", "该内容为产品销售广告，不属于资源共享。"),
    ("misleading", "所述产能与企业规模明显不符。"),
)


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def _org_body(number: int) -> str:
    """Eight characters of the credit-code set, unique per number."""
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ""
    for _ in range(6):
        number, rest = divmod(number, 31)
        body = digits[rest] + body
    return "BN" + body


def _revenue_band(rng: random.Random, employees: int) -> int:
    from enterprises.choices import REVENUE_BAND_BOUNDS

    target = employees * rng.uniform(15, 50)
    bands = [b for b in REVENUE_BAND_BOUNDS if b <= min(target, 100000)]
    return bands[-1] if bands else 0


# --- loading into the database --------------------------------------------------------------


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
        [table, table],
    )
    return cursor.fetchall()


def load(
    *,
    listings: int,
    enterprises: int | None = None,
    seed: int = 7,
    anchor: date | None = None,
    planted: int | None = None,
    bulk: bool = True,
    replace: bool = False,
) -> Result:
    """Generate and COPY into the default database (PostgreSQL), which must hold the reference
    data and none of the generated tables' rows (``replace`` empties them first)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the generator loads with COPY: it needs PostgreSQL")
    generator = Generator(
        listings=listings, enterprises=enterprises, seed=seed, anchor=anchor, planted=planted
    )
    with connection.cursor() as cursor:
        if replace:
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        for table in TABLES:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - fixed names
            if cursor.fetchone()[0]:
                raise RuntimeError(f"{table} is not empty: load into a fresh database or replace")
        dropped: list[tuple[str, str]] = []
        if bulk:
            for table in BIG_TABLES:
                for name, definition in secondary_indexes(cursor, table):
                    cursor.execute(f'DROP INDEX "{name}"')
                    dropped.append((name, definition))
            cursor.execute("SET session_replication_role = replica")
        try:
            result = generator.run(CopySink(cursor.cursor), cursor)
        finally:
            if bulk:
                cursor.execute("SET session_replication_role = DEFAULT")
        started = time.perf_counter()
        if dropped:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in dropped:
                cursor.execute(definition)
        for table in TABLES:
            if table in KEYED_BY_LISTING:
                continue
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        result.seconds["indexes"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        if bulk:
            # What autovacuum would long have done on a two-year-old database: statistics for
            # the planner and a visibility map for index-only scans.
            for table in TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        result.seconds["vacuum_analyze"] = round(time.perf_counter() - started, 2)
    return result
