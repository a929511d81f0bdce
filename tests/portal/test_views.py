"""portal.views: the home page and /healthz."""

import pytest
from django.test import override_settings

from clusters.models import Region
from tests.helpers import assert_portal_page, set_language

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_renders_with_every_prefecture(client, ref, language):
    set_language(client, language)

    html = assert_portal_page(client.get("/"), language)

    top = Region.objects.top_level()
    assert top.count() == 17
    for region in top:
        assert f'href="{region.get_absolute_url()}"' in html
    assert 'href="/parks/"' in html
    assert 'href="/api/docs/"' in html


def test_home_title_is_chinese_by_default(client, ref):
    html = assert_portal_page(client.get("/"), "zh-hans")

    assert "<title>湖北产业集群企业信息共享平台</title>" in html
    assert "<h1" in html and "湖北产业集群企业信息共享平台</h1>" in html


@override_settings(REDIS_URL=None)
def test_healthz_is_ok_with_the_database_and_no_broker_configured(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured (tasks run in-process)",
    }
    assert "no-cache" in response["Cache-Control"]


@override_settings(REDIS_URL=CLOSED_PORT_REDIS)
def test_healthz_is_503_when_the_broker_does_not_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "broker": "down"}


def test_healthz_reports_the_real_broker_ok(client, db, redis_url):
    with override_settings(REDIS_URL=redis_url):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_only_get(client, db):
    assert client.post("/healthz").status_code == 405
