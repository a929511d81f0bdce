"""The public statistics page over the demo data (`make run`): province-wide figures for
everyone, and not one enterprise's identity. Loading the demo takes several seconds, so it is
loaded once for the module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from clusters.services import reference_data_load
from enterprises.models import ContactPerson, Enterprise
from portal.demo import FIRMS, load_demo_data
from portal.stats import figures
from portal.stats.rollup import rollups_refresh


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Reference and demo data, rolled up; undone after the module."""
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
        rollups_refresh()
        yield
        transaction.set_rollback(True)


def test_public_statistics_show_no_enterprise_identity(client, demo, db):
    response = client.get(reverse("statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    # The figures are there: the demo's firms were verified and some deals confirmed.
    all_time = response.context["all_time"]
    assert all_time["enterprises_verified"] > 0
    assert all_time == figures.totals(figures.area_rows())
    # Not one name, credit code or contact of the demo's firms.
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert {firm.name for firm in FIRMS} <= names
    for name in names:
        assert name not in html, name
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert code not in html
    for phone, email in ContactPerson.objects.values_list("phone", "email"):
        assert phone not in html
        assert not email or email not in html


def test_public_statistics_in_english_too(client, demo, db):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in Enterprise.objects.values_list("name", flat=True):
        assert name not in html
