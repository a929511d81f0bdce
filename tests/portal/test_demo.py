"""The demo data behind `make run`: idempotent, every listing status, valid attributes and an
intact audit chain. Loading it takes several seconds, so it is loaded once for the module."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from clusters.choices import IndustryLevel
from clusters.services import reference_data_load
from enterprises.audit import audit_verify
from enterprises.credit_code import is_valid_credit_code
from enterprises.models import Enterprise
from portal.demo import load_demo_data
from portal.demo_listings import FIRMS, build_plan
from sharing.attributes import clean_attributes
from sharing.choices import Direction, ListingKind, ListingStatus
from sharing.models import Listing

APPS = ("portal", "clusters", "enterprises", "sharing")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Reference and demo data loaded twice; the counts after each load. Rolled back after the
    module (each test's own transaction nests inside)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        transaction.atomic(),
    ):
        reference_data_load()
        load_demo_data()
        first = _counts()
        reference_data_load()
        load_demo_data()
        second = _counts()
        yield first, second
        transaction.set_rollback(True)


def test_second_load_creates_nothing(demo):
    first, second = demo
    assert second == first
    assert first["sharing.Listing"] >= 250
    assert first["enterprises.Enterprise"] >= 6 + len(FIRMS)


def test_every_status_kind_and_direction_appears(demo, db):
    assert set(Listing.objects.values_list("status", flat=True)) == set(ListingStatus.values)
    pairs = set(Listing.objects.values_list("kind", "direction"))
    assert pairs == {(k, d) for k in ListingKind.values for d in Direction.values}
    statuses = Counter(Listing.objects.values_list("status", flat=True))
    assert 0.6 < statuses[ListingStatus.PUBLISHED] / sum(statuses.values()) < 0.8


def test_published_attributes_validate(demo, db):
    published = Listing.objects.filter(status=ListingStatus.PUBLISHED)
    assert published.exists()
    for listing in published:
        cleaned = clean_attributes(listing.kind, listing.direction, listing.attributes)
        assert cleaned == listing.attributes, listing.title


def test_audit_chain_verifies(demo, db):
    assert audit_verify() is None


def test_demo_firms_have_valid_codes_and_class_level_industries(demo, db):
    firms = Enterprise.objects.filter(memberships__user__email__startswith="demo-firm-")
    assert firms.count() == len(FIRMS)
    assert set(firms.values_list("status", flat=True)) == {"verified", "pending"}
    for firm in firms.select_related("industry", "region"):
        assert is_valid_credit_code(firm.credit_code)
        assert firm.credit_code[2:8] == firm.region.code
        assert firm.industry.level == IndustryLevel.CLASS
    levels = set(Listing.objects.values_list("industry__level", flat=True))
    assert levels == {IndustryLevel.CLASS}


def test_offers_and_requests_pair_up_nearby(demo, db):
    """Each kind has a published offer and request in one industry group and prefecture, for
    the matching to find."""
    rows = Listing.objects.filter(status=ListingStatus.PUBLISHED).values_list(
        "kind", "direction", "industry__code", "region__code"
    )
    seen = {(k, d, code[:3], region[:4]) for k, d, code, region in rows}
    for kind in ListingKind.values:
        pairs = {
            (group, area)
            for k, d, group, area in seen
            if k == kind and d == Direction.OFFER and (k, Direction.REQUEST, group, area) in seen
        }
        assert pairs, kind


def test_plan_is_deterministic():
    one, two = build_plan(date(2026, 1, 5)), build_plan(date(2026, 1, 5))
    assert [(f.name, [lp.fields for lp in f.listings]) for f in one] == [
        (f.name, [lp.fields for lp in f.listings]) for f in two
    ]
