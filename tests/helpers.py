"""Assertions shared by the page tests."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A tag that makes the browser load something: script, stylesheet, icon, image or frame.
_RESOURCE_URL = re.compile(
    r"<(?:script|link|img|iframe|source|embed)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)
_ANY_URL = re.compile(r"(?:https?:)?//[^\s\"'<>)]+", re.IGNORECASE)

# What the <html lang> attribute says for each of the portal's languages.
HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}


def external_resource_urls(html: str, *, local_hosts: tuple[str, ...] = ()) -> list[str]:
    """URLs in ``html`` that make a browser fetch from a host other than the portal's."""
    external = []
    for url in _RESOURCE_URL.findall(html):
        parts = urlsplit(url)
        if (url.startswith("//") or parts.scheme) and parts.hostname not in local_hosts:
            external.append(url)
    return external


def absolute_urls(text: str) -> list[str]:
    """Every absolute (``http://``, ``https://`` or ``//``) URL in ``text``."""
    return _ANY_URL.findall(text)


def local_resource_urls(html: str) -> list[str]:
    """The site-relative URLs that ``html`` makes a browser load."""
    return [url for url in _RESOURCE_URL.findall(html) if url.startswith("/")]


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def assert_portal_page(response, language: str) -> str:
    """A portal page rendered in ``language``, with the switch and no outside resources."""
    html = html_of(response)
    assert f'<html lang="{HTML_LANG[language]}">' in html
    other = {"zh-hans": "en", "en": "zh-hans"}[language]
    assert f'<html lang="{HTML_LANG[other]}">' not in html
    # The language switch: a form posting to Django's set_language with both languages,
    # the current one selected.
    assert 'action="/i18n/setlang/"' in html
    assert re.search(rf'<option value="{re.escape(language)}"\s+selected', html)
    assert re.search(rf'<option value="{re.escape(other)}"(?!\s+selected)', html)
    assert external_resource_urls(html) == []
    assert local_resource_urls(html), "a portal page loads its own static files"
    return html


def set_language(client, language: str | None) -> None:
    """Choose the language the way the switch does: with Django's language cookie."""
    from django.conf import settings

    if language is None:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    else:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
