"""Hostile input, catalogued: every payload in every text field of the main write endpoints,
HTML forms and API alike.

Each request is refused (4xx, or the form shown again with its errors) with nothing written,
or its text is stored exactly as given and shown escaped. Never a server error, never a
partial write. Input no field can hold (NUL, bytes that are not UTF-8, lone surrogates) is
refused with 400 naming the field, by portal.middleware.RejectUnstorableInputMiddleware.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from enterprises.models import ContactPerson, Enterprise
from portal.models import User
from sharing.models import Complaint, Deal, Inquiry, Listing, ListingAttachment, SavedSearch
from tests.security.world import World, counts, fresh_credit_code

PASSWORD = "Hubei-cluster-2026!"

PAYLOADS = {
    "script": "<script>alert('xss')</script>",
    "html": '"><img src=x onerror=alert(1)><a href="javascript:alert(2)">点我</a>',
    "template": "{{ request.user.password }}{% debug %}{{7*7}}",
    "sql": "' OR '1'='1'; DROP TABLE sharing_listing; --",
    "sql_union": "1 UNION SELECT email, password FROM portal_user --",
    "long": "长" * 6_000,
    "nul": "数控\x00机床",
    "control": "机床\x01\x07\x08\x1b[31m\x7f加工",
    "unicode": "\u202e\u200b\ufeff机床😀𠀀",
}
MARKUP = ("script", "html")


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


@dataclass
class Endpoint:
    name: str
    role: str
    api: bool
    method: str
    url: Callable[[World], str]
    base: Callable[[World], dict]
    fields: tuple[str, ...]
    # The stored value of a field on the object the request created or changed.
    stored: Callable[[World, str], str | None]
    # Who looks at the stored object, and where.
    page: Callable[[World], tuple[str, str]]
    extra: dict = field(default_factory=dict)


def _newest(model, **filters):
    return model.objects.filter(**filters).order_by("-pk").first()


def _attr(obj, name):
    if obj is None:
        return None
    if "." in name:  # attributes.machine_type
        head, key = name.split(".", 1)
        return (getattr(obj, head) or {}).get(key)
    return getattr(obj, name)


# --- HTML forms --------------------------------------------------------------------------------


def _signup_base(w):
    return {
        "name": "张三",
        "email": f"hostile-{fresh_credit_code()[-6:]}@example.com",
        "phone": "13800138000",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "on",
    }


def _enterprise_base(w):
    return {
        "name": "武汉测试装备有限公司",
        "credit_code": fresh_credit_code(),
        "region": str(w.region_pk),
        "park": "",
        "industry": "3421",
        "employees": "50",
        "revenue_band": "1000",
        "assets_band": "",
        "description": "简介",
        "website": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "5",
        "contacts-0-name": "王五",
        "contacts-0-position": "经理",
        "contacts-0-phone": "027-12345678",
        "contacts-0-email": "",
    }


def _enterprise_stored(w, name):
    firm = _newest(Enterprise, created_by__email="newcomer@example.com")
    if name.startswith("contacts-0-"):
        contact = _newest(ContactPerson, enterprise=firm) if firm else None
        return _attr(contact, name.removeprefix("contacts-0-"))
    return _attr(firm, name)


def _listing_base(w):
    return {
        "title": "闲置立式加工中心",
        "description": "五台立式加工中心，每月约 400 机时。",
        "industry": "3421",
        "quantity": "",
        "unit": "",
        "price_mode": "negotiable",
        "price_min": "",
        "price_max": "",
        "available_from": "",
        "available_until": "",
        "region": "",
        "park": "",
        "visibility": "public",
        "expires_on": "",
        "attr-facility": "equipment",
        "attr-machine_type": "VMC850",
        "attr-process": "",
        "attr-min_order": "",
    }


def _listing_stored(listing_of):
    def stored(w, name):
        listing = listing_of(w)
        return _attr(listing, name.replace("attr-", "attributes."))

    return stored


def _deal_base(w):
    return {
        "description": "三坐标测量 100 机时",
        "quantity": "100",
        "unit": "机时",
        "value_yuan": "12000",
        "start_date": "2026-12-01",
        "end_date": "",
    }


HTML_ENDPOINTS = [
    Endpoint(
        "signup",
        "anonymous",
        False,
        "post",
        lambda w: "/accounts/signup/",
        _signup_base,
        ("name", "email", "phone"),
        lambda w, name: _attr(_newest(User, email__startswith="hostile-"), name),
        lambda w: ("signed_up", "/accounts/me/"),
    ),
    Endpoint(
        "enterprise-create",
        "newcomer",
        False,
        "post",
        lambda w: "/enterprises/new/",
        _enterprise_base,
        ("name", "description", "contacts-0-name", "contacts-0-position", "contacts-0-phone"),
        _enterprise_stored,
        lambda w: (
            "newcomer",
            f"/enterprises/{_newest(Enterprise, created_by__email='newcomer@example.com').pk}/",
        ),
    ),
    Endpoint(
        "listing-create",
        "member_a",
        False,
        "post",
        lambda w: "/listings/new/?kind=capacity&direction=offer",
        _listing_base,
        ("title", "description", "attr-machine_type", "attr-process", "attr-min_order"),
        _listing_stored(lambda w: _newest(Listing, created_by__email="member-a@example.com")),
        lambda w: (
            "member_a",
            f"/listings/{_newest(Listing, created_by__email='member-a@example.com').pk}/",
        ),
    ),
    Endpoint(
        "listing-edit",
        "member_a",
        False,
        "post",
        lambda w: f"/listings/{w.draft_a.pk}/edit/",
        _listing_base,
        ("title", "description", "attr-machine_type", "attr-process", "attr-min_order"),
        _listing_stored(lambda w: Listing.objects.get(pk=w.draft_a.pk)),
        lambda w: ("member_a", f"/listings/{w.draft_a.pk}/"),
    ),
    Endpoint(
        "inquiry",
        "member_a",
        False,
        "post",
        lambda w: f"/listings/{w.listing_b.pk}/inquire/",
        lambda w: {"message": "想租用贵司检测设备", "offer_text": "可提供加工产能"},
        ("message", "offer_text"),
        lambda w, name: _attr(_newest(Inquiry, listing=w.listing_b), name),
        lambda w: ("member_b", f"/inquiries/{_newest(Inquiry, listing=w.listing_b).pk}/"),
    ),
    Endpoint(
        "complaint",
        "member_a",
        False,
        "post",
        lambda w: f"/listings/{w.listing_b.pk}/report/",
        lambda w: {"reason": "spam", "text": "疑似广告"},
        ("text",),
        lambda w, name: _attr(_newest(Complaint, listing=w.listing_b), name),
        lambda w: ("park_admin_b", "/supervision/listings/"),
    ),
    Endpoint(
        "deal",
        "member_a",
        False,
        "post",
        lambda w: f"/inquiries/{w.inquiry.pk}/deal/",
        _deal_base,
        ("description", "unit"),
        lambda w, name: _attr(_newest(Deal, inquiry=w.inquiry), name),
        lambda w: ("member_b", f"/inquiries/{w.inquiry.pk}/"),
    ),
    Endpoint(
        "saved-search",
        "member_a",
        False,
        "post",
        lambda w: "/my/searches/",
        lambda w: {"name": "机床产能", "frequency": "daily", "p_q": "机床"},
        ("name", "p_q"),
        lambda w, name: (
            _attr(_newest(SavedSearch, user__email="member-a@example.com"), "name")
            if name == "name"
            else (
                _attr(_newest(SavedSearch, user__email="member-a@example.com"), "params") or {}
            ).get("q")
        ),
        lambda w: ("member_a", "/my/searches/"),
    ),
]


# --- API ---------------------------------------------------------------------------------------


def _api_listing_base(w):
    return {
        "kind": "capacity",
        "direction": "offer",
        "title": "闲置立式加工中心",
        "description": "五台立式加工中心。",
        "industry": "3421",
        "price_mode": "negotiable",
        "visibility": "public",
        "attributes": {"facility": "equipment", "machine_type": "VMC850"},
    }


def _api_enterprise_base(w):
    return {
        "name": "武汉接口测试有限公司",
        "credit_code": fresh_credit_code(),
        "region": "420100",
        "industry": "3421",
        "employees": 50,
        "revenue_band": 1000,
        "description": "简介",
        "contacts_input": [{"name": "王五", "phone": "027-12345678"}],
    }


def _api_enterprise_stored(w, name):
    firm = _newest(Enterprise, created_by__email="newcomer@example.com")
    if name.startswith("contacts_input."):
        contact = _newest(ContactPerson, enterprise=firm) if firm else None
        return _attr(contact, name.rsplit(".", 1)[-1])
    return _attr(firm, name)


API_ENDPOINTS = [
    Endpoint(
        "api-listing-create",
        "member_a",
        True,
        "post",
        lambda w: "/api/v1/listings/",
        _api_listing_base,
        ("title", "description", "attributes.machine_type", "attributes.process"),
        _listing_stored(lambda w: _newest(Listing, created_by__email="member-a@example.com")),
        lambda w: (
            "member_a",
            f"/listings/{_newest(Listing, created_by__email='member-a@example.com').pk}/",
        ),
    ),
    Endpoint(
        "api-listing-edit",
        "member_a",
        True,
        "patch",
        lambda w: f"/api/v1/listings/{w.draft_a.pk}/",
        lambda w: {"title": "草稿：闲置加工中心", "description": "说明"},
        ("title", "description"),
        _listing_stored(lambda w: Listing.objects.get(pk=w.draft_a.pk)),
        lambda w: ("member_a", f"/listings/{w.draft_a.pk}/"),
    ),
    Endpoint(
        "api-enterprise-create",
        "newcomer",
        True,
        "post",
        lambda w: "/api/v1/enterprises/",
        _api_enterprise_base,
        ("name", "description", "contacts_input.0.name", "contacts_input.0.position"),
        _api_enterprise_stored,
        lambda w: (
            "newcomer",
            f"/enterprises/{_newest(Enterprise, created_by__email='newcomer@example.com').pk}/",
        ),
    ),
    Endpoint(
        "api-inquiry",
        "member_a",
        True,
        "post",
        lambda w: "/api/v1/inquiries/",
        lambda w: {"listing": w.listing_b.pk, "message": "想租用", "offer_text": "可提供"},
        ("message", "offer_text"),
        lambda w, name: _attr(_newest(Inquiry, listing=w.listing_b), name),
        lambda w: ("member_b", f"/inquiries/{_newest(Inquiry, listing=w.listing_b).pk}/"),
    ),
    Endpoint(
        "api-complaint",
        "member_a",
        True,
        "post",
        lambda w: "/api/v1/complaints/",
        lambda w: {"listing": w.listing_b.pk, "reason": "spam", "text": "疑似广告"},
        ("text",),
        lambda w, name: _attr(_newest(Complaint, listing=w.listing_b), name),
        lambda w: ("park_admin_b", "/supervision/listings/"),
    ),
    Endpoint(
        "api-deal",
        "member_a",
        True,
        "post",
        lambda w: "/api/v1/deals/",
        lambda w: {
            "inquiry": w.inquiry.pk,
            "description": "三坐标测量 100 机时",
            "unit": "机时",
            "value_yuan": "12000",
            "start_date": "2026-12-01",
        },
        ("description", "unit"),
        lambda w, name: _attr(_newest(Deal, inquiry=w.inquiry), name),
        lambda w: ("member_b", f"/inquiries/{w.inquiry.pk}/"),
    ),
    Endpoint(
        "api-saved-search",
        "member_a",
        True,
        "post",
        lambda w: "/api/v1/saved-searches/",
        lambda w: {"name": "机床产能", "params": {"q": "机床"}},
        ("name", "params.q"),
        lambda w, name: _attr(_newest(SavedSearch, user__email="member-a@example.com"), name),
        lambda w: ("member_a", "/my/searches/"),
    ),
]


def _set(data: dict, path: str, value) -> dict:
    """Put ``value`` at a dotted path (``contacts_input.0.name``) of a JSON body."""
    target = data
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


def _send(client, endpoint: Endpoint, url: str, data: dict):
    call = getattr(client, endpoint.method)
    if endpoint.api:
        return call(url, data=json.dumps(data), content_type="application/json")
    if endpoint.method == "post":
        return call(url, data=data)
    raise AssertionError(endpoint.method)


def assert_harmless(html: str, payload: str) -> None:
    """The payload, if shown, is shown as text: its markup escaped, its template tags inert."""
    if "<" in payload:
        assert payload not in html, "markup shown unescaped"
    assert "<script>alert" not in html
    assert "onerror=alert(1)>" not in html or "&lt;img" in html
    assert "md5$" not in html and "pbkdf2_sha256$" not in html  # no template was evaluated


CASES = [
    pytest.param(endpoint, name, payload_name, id=f"{endpoint.name}-{name}-{payload_name}")
    for endpoint in HTML_ENDPOINTS + API_ENDPOINTS
    for name in endpoint.fields
    for payload_name in PAYLOADS
]


@pytest.mark.parametrize(("endpoint", "field_name", "payload_name"), CASES)
def test_hostile_payload_is_refused_or_stored_as_harmless_text(
    client, cast, world, endpoint, field_name, payload_name
):
    payload = PAYLOADS[payload_name]
    user = _user(cast, endpoint.role)
    if user is not None:
        client.force_login(user)
    data = endpoint.base(world)
    if endpoint.api:
        _set(data, field_name, payload)
    else:
        data[field_name] = payload
    before = counts()

    response = _send(client, endpoint, endpoint.url(world), data)

    assert response.status_code < 500, response.content[:500]
    after = counts()
    html = response.content.decode("utf-8", "replace")
    if response["Content-Type"].startswith("text/html"):
        assert_harmless(html, payload)
    if payload_name == "nul":
        assert response.status_code == 400
        assert field_name.split(".")[0].split("-")[-1] in html or field_name in html
        assert after == before
        return
    stored = endpoint.stored(world, field_name)
    accepted = (response.status_code in (200, 201) and endpoint.api) or (
        response.status_code == 302 and (after != before or stored == payload)
    )
    if not accepted:
        assert response.status_code in (200, 302, 400, 403, 404, 409), response.status_code
        if endpoint.name.endswith("-edit"):
            assert stored != payload
        else:
            assert after == before, "a refused request wrote something"
        return
    # Accepted: stored exactly as given (nothing silently cut or rewritten) and shown escaped.
    assert stored == payload, (stored or "")[:80]
    viewer, page = endpoint.page(world)
    client.logout()
    if viewer == "signed_up":
        client.force_login(
            User.objects.get(name=payload)
            if field_name == "name"
            else _newest(User, email__startswith="hostile-")
        )
    else:
        client.force_login(getattr(cast, viewer))
    shown = client.get(page)
    assert shown.status_code == 200
    assert_harmless(shown.content.decode(), payload)


# --- Bodies that are not what they claim ------------------------------------------------------

MALFORMED_JSON = [
    b'{"title": ',
    b"[1, 2",
    b'{"title": "a" "b"}',
    b"{'title': 'single quotes'}",
    b'{"quantity": NaN}',
    b"\xef\xbb\xbf{}garbage",
]


@pytest.mark.parametrize("body", MALFORMED_JSON, ids=range(len(MALFORMED_JSON)))
@pytest.mark.parametrize(
    "url", ["/api/v1/listings/", "/api/v1/inquiries/", "/api/v1/saved-searches/"]
)
def test_malformed_json_is_a_400(client, cast, world, url, body):
    client.force_login(cast.member_a)
    before = counts()

    response = client.post(url, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert counts() == before


@pytest.mark.parametrize("body", [b"[]", b'"a string"', b"42", b"null", b'[{"title": "x"}]'])
def test_json_that_is_not_an_object_is_a_400(client, cast, world, body):
    client.force_login(cast.member_a)
    before = counts()

    response = client.post("/api/v1/listings/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert counts() == before


def test_invalid_utf8_in_a_json_body_is_a_400(client, cast, world):
    client.force_login(cast.member_a)
    before = counts()
    body = b'{"listing": %d, "message": "\xff\xfe\xc3\x28 bad bytes"}' % world.listing_b.pk

    response = client.post("/api/v1/inquiries/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert counts() == before


def test_a_lone_surrogate_in_json_is_a_400_naming_the_field(client, cast, world):
    client.force_login(cast.member_a)
    before = counts()
    body = '{"listing": LISTING, "message": "\\ud800 half a character"}'.replace(
        "LISTING", str(world.listing_b.pk)
    )

    response = client.post("/api/v1/inquiries/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "message" in response.json()
    assert counts() == before


def test_nul_in_a_json_key_is_a_400(client, cast, world):
    client.force_login(cast.member_a)
    body = '{"listing": LISTING, "mess\\u0000age": "x", "message": "y"}'.replace(
        "LISTING", str(world.listing_b.pk)
    )

    response = client.post("/api/v1/inquiries/", data=body, content_type="application/json")

    assert response.status_code == 400


def test_invalid_utf8_in_a_form_body_is_a_400(client, cast, world):
    client.force_login(cast.member_a)
    before = counts()

    response = client.post(
        f"/listings/{world.listing_b.pk}/inquire/",
        data=b"message=%FF%FE%C3%28&offer_text=ok",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert counts() == before


def test_invalid_utf8_in_a_multipart_field_is_a_400(client, cast, world):
    client.force_login(cast.member_a)
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'.encode()
        + b"\xff\xfe bad"
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="reason"\r\n\r\nspam'
        f"\r\n--{boundary}--\r\n".encode()
    )
    before = counts()

    response = client.post(
        f"/listings/{world.listing_b.pk}/report/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=%FF%FE",
        "region=42%0001",
        "industry=%00",
        "page=%00",
        "sort=%00",
    ],
)
@pytest.mark.parametrize("path", ["/listings/", "/api/v1/listings/", "/enterprises/"])
def test_unstorable_query_strings_are_a_400_not_a_server_error(client, cast, path, query):
    client.force_login(cast.member_a)

    response = client.get(f"{path}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions/42%0001/",
        "/api/v1/stats/?region=42%0001",
        "/enterprises/invitations/abc%00def/",
        "/listings/1/%00/",
    ],
)
def test_nul_in_a_path_or_lookup_is_a_400(client, cast, path):
    client.force_login(cast.officer_a)

    response = client.get(path)

    assert response.status_code == 400


def test_an_oversized_json_body_is_refused_before_the_view(client, cast, world):
    client.force_login(cast.member_a)
    before = counts()
    body = json.dumps({"listing": world.listing_b.pk, "message": "长" * 1_000_000})

    response = client.post("/api/v1/inquiries/", data=body, content_type="application/json")

    assert response.status_code in (400, 413)
    assert counts() == before


def test_an_oversized_form_body_is_refused_before_the_view(client, cast, world):
    client.force_login(cast.member_a)
    before = counts()

    response = client.post(
        f"/listings/{world.listing_b.pk}/inquire/", data={"message": "x" * 3_000_000}
    )

    assert response.status_code in (400, 413)
    assert counts() == before


# --- Files whose content is not their name ----------------------------------------------------


def _png(size=(32, 24), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


def _bomb_png() -> bytes:
    """64 million pixels in a few kilobytes: a decompression bomb."""
    return _png((8000, 8000), mode="1")


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
HOSTILE_FILES = {
    "executable-named-pdf": ("报价单.pdf", EXECUTABLE),
    "elf-named-png": ("photo.png", ELF),
    "svg-script-named-png": (
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "html-named-jpg": ("pic.jpg", b"<html><script>alert(1)</script></html>"),
    "png-named-jpg": ("pic.jpg", None),  # a real PNG under the wrong name
    "truncated-pdf": ("spec.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
    "corrupt-png": ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    "decompression-bomb": ("huge.png", "bomb"),
    "executable-extension": ("setup.exe", EXECUTABLE),
    "double-extension": ("invoice.pdf.exe", EXECUTABLE),
    "no-extension": ("README", b"plain text"),
}


def _file_content(content):
    if content is None:
        return _png()
    if content == "bomb":
        return _bomb_png()
    return content


@pytest.mark.parametrize("case", HOSTILE_FILES, ids=list(HOSTILE_FILES))
@pytest.mark.parametrize("via", ["html", "api"])
def test_files_whose_content_is_not_their_name_are_refused(client, cast, world, case, via):
    client.force_login(cast.member_a)
    name, content = HOSTILE_FILES[case]
    upload = SimpleUploadedFile(name, _file_content(content), content_type="application/pdf")
    before = counts()

    if via == "html":
        response = client.post(
            f"/listings/{world.draft_a.pk}/attachments/", data={"file": upload}, follow=True
        )
        assert response.status_code == 200
        assert "附件已上传" not in response.content.decode()
    else:
        response = client.post(
            f"/api/v1/listings/{world.draft_a.pk}/attachments/", data={"file": upload}
        )
        assert response.status_code == 400
        assert "file" in response.json()

    assert counts() == before
    assert not ListingAttachment.objects.filter(listing=world.draft_a).exists()


def test_a_real_image_is_accepted_so_the_refusals_above_mean_something(client, cast, world):
    client.force_login(cast.member_a)
    upload = SimpleUploadedFile("photo.png", _png(), content_type="image/png")

    response = client.post(
        f"/api/v1/listings/{world.draft_a.pk}/attachments/", data={"file": upload}
    )

    assert response.status_code == 201
    attachment = ListingAttachment.objects.get(listing=world.draft_a)
    assert attachment.content_type == "image/png"
    attachment.file.delete(save=False)
