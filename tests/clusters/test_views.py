"""clusters.views: the park list and the park, cluster and region pages, in both languages."""

import pytest

from clusters.models import Cluster, Park
from tests.helpers import assert_portal_page, html_of, set_language

pytestmark = pytest.mark.usefixtures("ref")

LANGUAGES = ["zh-hans", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_park_list_renders_every_park(client, language):
    set_language(client, language)

    html = assert_portal_page(client.get("/parks/"), language)

    for park in Park.objects.all():
        assert park.name in html
        assert f'href="{park.get_absolute_url()}"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_park_list_filters_by_region_including_counties(client, language):
    set_language(client, language)

    html = assert_portal_page(client.get("/parks/", {"region": "420600"}), language)

    inside = Park.objects.filter(region__code__startswith="4206")
    assert inside.count() == 7
    for park in inside:
        assert f'href="{park.get_absolute_url()}"' in html
    for park in Park.objects.exclude(region__code__startswith="4206"):
        assert f'href="{park.get_absolute_url()}"' not in html


def test_park_list_shows_the_error_for_an_unknown_filter_value(client):
    html = html_of(client.get("/parks/", {"level": "bogus"}))

    assert "invalid-feedback" in html
    assert "bogus" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_park_detail_renders(client, language):
    set_language(client, language)
    park = Park.objects.get(name="襄阳高新区")

    html = assert_portal_page(client.get(park.get_absolute_url()), language)

    assert "襄阳高新区" in html
    assert 'href="/regions/420600/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_cluster_detail_renders(client, language):
    set_language(client, language)
    cluster = Cluster.objects.get(name="襄阳市汽车及零部件产业集群")

    html = assert_portal_page(client.get(cluster.get_absolute_url()), language)

    assert "襄阳市汽车及零部件产业集群" in html
    assert "汽车及零部件" in html
    assert 'href="/regions/420600/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_prefecture_page_lists_its_counties_clusters_and_parks(client, language):
    set_language(client, language)

    html = assert_portal_page(client.get("/regions/420600/"), language)

    assert "襄阳市" in html
    for county in ("襄城区", "枣阳市", "老河口市"):
        assert county in html
    # Parks and clusters anywhere below the prefecture, and none from elsewhere.
    for park in Park.objects.all():
        listed = f'href="{park.get_absolute_url()}"' in html
        assert listed == park.region.code.startswith("4206"), park.name
    for cluster in Cluster.objects.all():
        listed = f'href="{cluster.get_absolute_url()}"' in html
        assert listed == cluster.region.code.startswith("4206"), cluster.name


def test_county_page_lists_only_its_own_parks(client):
    html = html_of(client.get("/regions/420682/"))

    laohekou = Park.objects.get(name="老河口市化工园区")
    zaoyang = Park.objects.get(name="枣阳市化工园区")
    assert f'href="{laohekou.get_absolute_url()}"' in html
    assert f'href="{zaoyang.get_absolute_url()}"' not in html


@pytest.mark.parametrize(
    "url", ["/parks/999999/", "/clusters/999999/", "/regions/999999/", "/regions/abc/"]
)
def test_unknown_objects_are_404(client, url):
    assert client.get(url).status_code == 404
