"""portal.middleware: the language comes from the cookie only; every response has a CSP."""

from django.conf import settings

from tests.helpers import assert_portal_page, set_language


def test_no_cookie_means_simplified_chinese_even_for_an_english_browser(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert_portal_page(response, "zh-hans")
    assert response["Content-Language"] == "zh-hans"


def test_the_cookie_chooses_english(client, db):
    set_language(client, "en")

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert_portal_page(response, "en")
    assert response["Content-Language"] == "en"


def test_an_unsupported_cookie_value_falls_back_to_chinese(client, db):
    set_language(client, "fr")

    assert_portal_page(client.get("/", HTTP_ACCEPT_LANGUAGE="fr"), "zh-hans")


def test_the_language_does_not_leak_between_requests(client, db):
    set_language(client, "en")
    assert_portal_page(client.get("/"), "en")

    set_language(client, None)

    assert_portal_page(client.get("/"), "zh-hans")


def test_every_response_carries_the_content_security_policy(client, db):
    for url in ("/", "/healthz", "/api/v1/", "/no-such-page/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY, url
