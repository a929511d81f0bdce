"""clusters.api.views: the read-only reference-data endpoints under /api/v1/."""

import pytest

from clusters.models import IndustryCode, Park

pytestmark = pytest.mark.usefixtures("ref")


def _get(client, url, params=None, status=200):
    response = client.get(url, params or {}, HTTP_ACCEPT="application/json")
    assert response.status_code == status, response.content[:500]
    return response.json()


def _all_pages(client, url, params=None):
    """Every result of a paginated list, following ``next``."""
    data = _get(client, url, {**(params or {}), "page_size": 200})
    results = list(data["results"])
    while data["next"]:
        data = _get(client, data["next"])
        results += data["results"]
    return results


def test_regions_list_every_region_with_its_parent_code(client):
    regions = _all_pages(client, "/api/v1/regions/")

    assert len(regions) == 117
    by_code = {r["code"]: r for r in regions}
    assert by_code["420102"]["parent"] == "420100"
    assert by_code["429004"]["parent"] == "420000"
    assert by_code["420000"]["parent"] is None
    assert set(by_code["420102"]) == {
        "code",
        "name",
        "level",
        "kind",
        "parent",
        "latitude",
        "longitude",
    }


def test_region_detail_is_looked_up_by_code(client):
    region = _get(client, "/api/v1/regions/420102/")

    assert region["name"] == "江岸区"
    assert region["level"] == "county"
    assert region["parent"] == "420100"
    _get(client, "/api/v1/regions/999999/", status=404)


def test_regions_filter_by_level_and_parent(client):
    prefectures = _get(client, "/api/v1/regions/", {"level": "prefecture"})
    xiangyang = _get(client, "/api/v1/regions/", {"parent": "420600"})

    assert prefectures["count"] == 13
    assert xiangyang["count"] == 9
    assert {r["parent"] for r in xiangyang["results"]} == {"420600"}


def test_industry_codes_search_by_code_prefix(client):
    data = _get(client, "/api/v1/industry-codes/", {"q": "36"})
    expected = IndustryCode.objects.filter(code__startswith="36").count()

    assert data["count"] == expected > 10
    assert all(item["code"].startswith("36") for item in data["results"])


def test_industry_codes_search_by_chinese_name(client):
    data = _get(client, "/api/v1/industry-codes/", {"q": "汽车零部件"})

    codes = {item["code"] for item in data["results"]}
    assert codes == {"367", "3670"}
    assert all("汽车零部件" in item["name"] for item in data["results"])


def test_industry_codes_filter_by_level_and_section(client):
    sections = _get(client, "/api/v1/industry-codes/", {"level": "section"})
    manufacturing_divisions = _get(
        client, "/api/v1/industry-codes/", {"level": "division", "section": "C"}
    )

    assert sections["count"] == 20
    assert manufacturing_divisions["count"] == 31
    assert {d["parent"] for d in manufacturing_divisions["results"]} == {"C"}


def test_industry_code_detail_names_its_parent_and_section(client):
    code = _get(client, "/api/v1/industry-codes/3670/")

    assert code == {
        "code": "3670",
        "name": "汽车零部件及配件制造",
        "level": "class",
        "section": "C",
        "parent": "367",
        "description": code["description"],
    }


def test_industry_code_tree_nests_the_whole_classification(client):
    tree = _get(client, "/api/v1/industry-codes/tree/")

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node["children"])

    assert isinstance(tree, list)
    assert [node["code"] for node in tree][:3] == ["A", "B", "C"]
    assert len(tree) == 20
    assert {node["level"] for node in tree} == {"section"}
    assert len(list(walk(tree))) == 1971
    manufacturing = next(node for node in tree if node["code"] == "C")
    cars = next(node for node in manufacturing["children"] if node["code"] == "36")
    parts = next(node for node in cars["children"] if node["code"] == "367")
    assert [node["code"] for node in parts["children"]] == ["3670"]
    assert parts["children"][0]["children"] == []


def test_clusters_filter_by_region_including_counties(client):
    clusters = _all_pages(client, "/api/v1/clusters/", {"region": "420600"})

    assert len(clusters) == 7
    assert all(c["region"]["code"].startswith("4206") for c in clusters)
    assert {c["region"]["code"] for c in clusters} > {"420600"}


def test_clusters_list_all_clusters(client):
    data = _get(client, "/api/v1/clusters/")

    assert data["count"] == 66
    assert set(data["results"][0]["region"]) == {"code", "name"}


def test_parks_in_a_prefecture_include_county_level_parks(client):
    parks = _all_pages(client, "/api/v1/parks/", {"region": "420600"})

    codes = {p["region"]["code"] for p in parks}
    assert len(parks) == 7
    assert all(code.startswith("4206") for code in codes)
    assert "420682" in codes  # 老河口市化工园区, in a county-level city of Xiangyang
    assert "420600" in codes  # 襄阳高新区, at prefecture level


def test_parks_filter_by_level_and_type(client):
    national = _get(client, "/api/v1/parks/", {"level": "national"})
    chemical = _get(client, "/api/v1/parks/", {"type": "chemical", "region": "420600"})

    assert national["count"] == Park.objects.filter(level="national").count() == 14
    assert chemical["count"] == 6


def test_park_detail(client):
    park = Park.objects.get(name="襄阳高新区")

    data = _get(client, f"/api/v1/parks/{park.pk}/")

    assert data["name"] == "襄阳高新区"
    assert data["region"] == {"code": "420600", "name": "襄阳市"}
    assert data["level"] == "national"


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/v1/regions/", {"level": "bogus"}, "level"),
        ("/api/v1/regions/", {"parent": "999999"}, "parent"),
        ("/api/v1/industry-codes/", {"level": "bogus"}, "level"),
        ("/api/v1/clusters/", {"region": "999999"}, "region"),
        ("/api/v1/clusters/", {"list_year": "last"}, "list_year"),
        ("/api/v1/parks/", {"region": "999999"}, "region"),
        ("/api/v1/parks/", {"level": "bogus"}, "level"),
        ("/api/v1/parks/", {"type": "bogus", "region": "420600"}, "type"),
    ],
)
def test_unknown_filter_value_is_a_400_naming_the_parameter(client, url, params, parameter):
    body = _get(client, url, params, status=400)

    assert list(body) == [parameter]
    assert body[parameter]


def test_reference_endpoints_are_read_only(client):
    for url in ("/api/v1/regions/", "/api/v1/industry-codes/", "/api/v1/parks/"):
        response = client.post(url, {"name": "x"}, content_type="application/json")
        assert response.status_code == 405, url
    assert Park.objects.count() == 66
