"""clusters.models: the region and industry-code trees and their subtree filters."""

import pytest

from clusters.models import Cluster, IndustryCode, Park, Region

pytestmark = pytest.mark.usefixtures("ref")


def test_top_level_returns_the_17_units_under_the_province():
    top = Region.objects.top_level()

    assert top.count() == 17
    assert {r.level for r in top} == {"prefecture", "county"}
    # 12 prefecture-level cities and Enshi prefecture, plus Xiantao, Qianjiang, Tianmen and
    # Shennongjia, which the province administers directly.
    assert set(top.filter(level="county").values_list("code", flat=True)) == {
        "429004",
        "429005",
        "429006",
        "429021",
    }
    assert top.filter(level="prefecture").count() == 13


def test_is_top_level_is_true_for_a_prefecture_and_a_directly_administered_city_only():
    assert Region.objects.get(code="420600").is_top_level
    assert Region.objects.get(code="429004").is_top_level
    assert not Region.objects.get(code="420602").is_top_level
    assert not Region.objects.get(code="420000").is_top_level


def test_region_subtree_q_of_a_prefecture_covers_its_counties():
    xiangyang = Region.objects.get(code="420600")

    parks = Park.objects.filter(xiangyang.subtree_q())

    # Xiangyang's own high-tech zone and the chemical parks of six of its counties.
    assert set(parks.values_list("region__code", flat=True)) == {
        "420600",
        "420602",
        "420624",
        "420625",
        "420682",
        "420683",
        "420684",
    }
    assert parks.count() == 7
    assert Park.objects.exclude(xiangyang.subtree_q()).count() == 66 - 7


def test_region_subtree_q_takes_the_field_to_filter_on():
    xiangyang = Region.objects.get(code="420600")

    counties = Region.objects.filter(xiangyang.subtree_q("parent"))

    assert counties.count() == Region.objects.filter(parent=xiangyang).count() > 0


def test_region_subtree_q_of_a_county_covers_only_that_county():
    zaoyang = Region.objects.get(code="420683")

    clusters = Cluster.objects.filter(zaoyang.subtree_q())

    assert set(clusters.values_list("name", flat=True)) == {
        "枣阳市新能源新材料产业集群",
        "枣阳市汽车装备制造产业集群",
    }


def test_region_subtree_q_of_the_province_covers_everything():
    hubei = Region.objects.get(code="420000")

    assert Park.objects.filter(hubei.subtree_q()).count() == Park.objects.count() == 66


@pytest.fixture
def parks_by_industry():
    """Five parks, each tagged with one industry code at a different depth of the tree."""
    tags = {
        "3670": "class",
        "367": "group",
        "36": "division",
        "3711": "other division",
        "0111": "A",
    }
    parks = {}
    for park, code in zip(Park.objects.order_by("pk")[:5], tags, strict=True):
        park.industry_codes.set([IndustryCode.objects.get(code=code)])
        parks[code] = park.pk
    return parks


def _tagged(code: str, parks_by_industry) -> set[str]:
    node = IndustryCode.objects.get(code=code)
    pks = Park.objects.filter(node.subtree_q("industry_codes")).values_list("pk", flat=True)
    by_pk = {pk: tag for tag, pk in parks_by_industry.items()}
    return {by_pk[pk] for pk in pks}


def test_industry_subtree_q_of_a_section_covers_the_whole_section(parks_by_industry):
    assert _tagged("C", parks_by_industry) == {"3670", "367", "36", "3711"}
    assert _tagged("A", parks_by_industry) == {"0111"}
    assert _tagged("B", parks_by_industry) == set()


def test_industry_subtree_q_of_a_division_covers_its_groups_and_classes(parks_by_industry):
    assert _tagged("36", parks_by_industry) == {"3670", "367", "36"}
    assert _tagged("37", parks_by_industry) == {"3711"}


def test_industry_subtree_q_of_a_group_or_class_stays_below_it(parks_by_industry):
    assert _tagged("367", parks_by_industry) == {"3670", "367"}
    assert _tagged("3670", parks_by_industry) == {"3670"}


def test_industry_subtree_q_of_a_section_includes_codes_that_do_not_start_with_its_letter():
    manufacturing = IndustryCode.objects.get(code="C")

    below = IndustryCode.objects.filter(manufacturing.subtree_q("parent"))

    assert below.count() == IndustryCode.objects.filter(section="C").count() - 1
    assert below.filter(code="3670").exists()
    assert not below.filter(section="A").exists()
