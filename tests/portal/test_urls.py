"""portal.urls: the language switch, the OpenAPI schema and the API documentation page."""

import pytest
from django.conf import settings

from tests.helpers import absolute_urls, assert_portal_page, local_resource_urls

COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_set_language_switches_to_english_and_redirects_to_next(client, ref):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/parks/"})

    assert response.status_code == 302
    assert response["Location"] == "/parks/"
    assert response.cookies[COOKIE].value == "en"
    assert int(response.cookies[COOKIE]["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    assert_portal_page(client.get("/parks/"), "en")


def test_set_language_switches_back_to_chinese(client, ref):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert response.cookies[COOKIE].value == "zh-hans"
    assert_portal_page(client.get("/"), "zh-hans")


def test_set_language_to_an_unsupported_language_leaves_the_portal_in_chinese(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert response.status_code == 302
    assert_portal_page(client.get("/"), "zh-hans")


def test_set_language_never_redirects_to_another_host(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://elsewhere.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "en"


def test_schema_is_an_openapi_document_of_the_api(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == settings.SPECTACULAR_SETTINGS["TITLE"]
    for path in (
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/industry-codes/",
        "/api/v1/industry-codes/tree/",
        "/api/v1/clusters/",
        "/api/v1/parks/",
        "/api/v1/parks/{id}/",
    ):
        assert path in schema["paths"], path
    park_params = {p["name"] for p in schema["paths"]["/api/v1/parks/"]["get"]["parameters"]}
    assert {"region", "level", "type", "industry", "q", "page", "page_size"} <= park_params


def test_schema_is_yaml_by_default(client, db):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_api_docs_render_from_local_files_only(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    assert absolute_urls(html) == []
    assets = local_resource_urls(html)
    assert any("swagger-ui-bundle.js" in url for url in assets)
    # Every file the page loads is served by the portal itself, including the start-up script
    # that the Content-Security-Policy requires to be a file rather than inline.
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert body, url
    assert "<script>" not in html.replace(" ", "")


@pytest.mark.parametrize("url", ["/api/docs/", "/"])
def test_pages_send_a_strict_content_security_policy(client, db, url):
    policy = client.get(url)["Content-Security-Policy"]

    assert "script-src 'self';" in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
