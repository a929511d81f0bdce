"""clusters.filters: the FilterSets shared by the API and the HTML pages."""

import pytest

from clusters.filters import ClusterFilter, IndustryCodeFilterSet, ParkFilter, RegionFilter
from clusters.models import Cluster, IndustryCode, Park, Region

pytestmark = pytest.mark.usefixtures("ref")


def _valid(filterset):
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def test_park_region_filter_includes_parks_in_counties_below_the_region():
    parks = _valid(ParkFilter({"region": "420600"}, queryset=Park.objects.all()))

    codes = set(parks.values_list("region__code", flat=True))
    assert parks.count() == 7
    assert "420600" in codes
    assert {"420602", "420624", "420625", "420682", "420683", "420684"} <= codes


def test_park_region_filter_on_a_county_keeps_only_that_county():
    parks = _valid(ParkFilter({"region": "420683"}, queryset=Park.objects.all()))

    assert list(parks.values_list("name", flat=True)) == ["枣阳市化工园区"]


def test_park_filters_combine():
    parks = _valid(
        ParkFilter({"region": "420600", "level": "national"}, queryset=Park.objects.all())
    )

    assert list(parks.values_list("name", flat=True)) == ["襄阳高新区"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "999999"}, "region"),
        ({"level": "bogus"}, "level"),
        ({"type": "bogus"}, "type"),
        ({"industry": "Z9"}, "industry"),
        ({"cluster": "not-a-number"}, "cluster"),
    ],
)
def test_park_filter_rejects_an_unknown_value_naming_the_field(params, field):
    filterset = ParkFilter(params, queryset=Park.objects.all())

    assert not filterset.is_valid()
    assert set(filterset.errors) == {field}


def test_industry_filter_counts_a_park_once_when_several_of_its_codes_match():
    park = Park.objects.get(name="襄阳高新区")
    park.industry_codes.set(IndustryCode.objects.filter(code__in=["3670", "3611", "2611"]))

    by_section = _valid(ParkFilter({"industry": "C"}, queryset=Park.objects.all()))
    by_division = _valid(ParkFilter({"industry": "36"}, queryset=Park.objects.all()))
    by_other = _valid(ParkFilter({"industry": "37"}, queryset=Park.objects.all()))

    assert list(by_section) == [park]
    assert list(by_division) == [park]
    assert list(by_other) == []


def test_cluster_region_filter_includes_counties_below_the_region():
    clusters = _valid(ClusterFilter({"region": "420600"}, queryset=Cluster.objects.all()))

    assert clusters.count() == 7
    assert not clusters.exclude(region__code__startswith="4206").exists()


def test_cluster_q_searches_name_and_leading_industry():
    clusters = _valid(ClusterFilter({"q": "汽车"}, queryset=Cluster.objects.all()))

    assert clusters.exists()
    for cluster in clusters:
        assert "汽车" in cluster.name or "汽车" in cluster.leading_industry
    others = Cluster.objects.exclude(pk__in=clusters.values("pk"))
    assert not [c for c in others if "汽车" in c.name + c.leading_industry]


def test_region_within_filter_lists_the_divisions_below_a_prefecture():
    regions = _valid(RegionFilter({"within": "420600"}, queryset=Region.objects.all()))

    assert set(regions) == set(Region.objects.filter(parent__code="420600"))
    assert regions.count() == 9


def test_region_q_matches_code_prefix_or_name():
    by_code = _valid(RegionFilter({"q": "4206"}, queryset=Region.objects.all()))
    by_name = _valid(RegionFilter({"q": "襄阳"}, queryset=Region.objects.all()))

    assert by_code.count() == 10
    assert list(by_name.values_list("code", flat=True)) == ["420600"]


def test_industry_code_q_matches_a_code_prefix():
    codes = _valid(IndustryCodeFilterSet({"q": "367"}, queryset=IndustryCode.objects.all()))

    assert list(codes.values_list("code", flat=True)) == ["367", "3670"]


def test_industry_code_q_matches_a_chinese_name():
    codes = _valid(IndustryCodeFilterSet({"q": "汽车制造"}, queryset=IndustryCode.objects.all()))

    assert "36" in set(codes.values_list("code", flat=True))
    assert all("汽车制造" in name for name in codes.values_list("name", flat=True))


def test_industry_code_q_matches_a_section_letter_in_either_case():
    codes = _valid(IndustryCodeFilterSet({"q": "c"}, queryset=IndustryCode.objects.all()))

    assert list(codes.values_list("code", flat=True)) == ["C"]
