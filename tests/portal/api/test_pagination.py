"""portal.api.pagination: page-number pagination with a client-chosen size up to 200."""

import pytest

pytestmark = pytest.mark.usefixtures("ref")

URL = "/api/v1/industry-codes/"


def test_first_page_has_the_default_size_and_links_to_the_next(client):
    data = client.get(URL).json()

    assert data["count"] == 1971
    assert len(data["results"]) == 20
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/v1/industry-codes/?page=2"


def test_page_size_is_chosen_by_the_client(client):
    data = client.get(URL, {"page_size": 150}).json()

    assert len(data["results"]) == 150
    assert "page_size=150" in data["next"]


def test_page_size_is_capped_at_200(client):
    data = client.get(URL, {"page_size": 5000}).json()

    assert data["count"] == 1971
    assert len(data["results"]) == 200


def test_pages_cover_every_item_once(client):
    codes = []
    data = client.get(URL, {"page_size": 200}).json()
    pages = 1
    codes += [item["code"] for item in data["results"]]
    while data["next"]:
        data = client.get(data["next"]).json()
        codes += [item["code"] for item in data["results"]]
        pages += 1

    assert pages == 10
    assert len(codes) == len(set(codes)) == 1971
    assert len(data["results"]) == 1971 - 9 * 200
    assert data["previous"] is not None


def test_a_page_past_the_end_is_404(client):
    response = client.get(URL, {"page": 999})

    assert response.status_code == 404
