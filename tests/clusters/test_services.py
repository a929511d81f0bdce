"""clusters.services: loading the reference data from the project's CSV fixtures."""

import csv
import shutil

import pytest

from clusters.models import Cluster, IndustryCode, Park, Region
from clusters.services import FIXTURE_DIR, reference_data_load

pytestmark = pytest.mark.django_db


def _fixture_rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURE_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_loader_counts_match_the_fixture_files():
    report = reference_data_load()

    assert Region.objects.count() == len(_fixture_rows("regions.csv")) == 117
    assert IndustryCode.objects.count() == len(_fixture_rows("industry_codes.csv")) == 1971
    assert Cluster.objects.count() == len(_fixture_rows("clusters.csv")) == 66
    assert Park.objects.count() == len(_fixture_rows("parks.csv")) == 66
    assert report.counts["regions"].created == 117
    assert report.counts["industry_codes"].created == 1971
    assert report.counts["clusters"].created == 66
    assert report.counts["parks"].created == 66
    assert report.changed


def test_loader_loads_every_level_of_the_industry_classification():
    reference_data_load()

    counts = {
        level: IndustryCode.objects.filter(level=level).count()
        for level in ("section", "division", "group", "class")
    }
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}


def test_loader_rerun_changes_nothing():
    reference_data_load()
    before = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (Region, IndustryCode, Cluster, Park)
    }

    report = reference_data_load()

    assert not report.changed
    for name, counts in report.counts.items():
        assert counts.created == 0, name
        assert counts.updated == 0, name
    assert report.counts["regions"].unchanged == 117
    assert report.counts["industry_codes"].unchanged == 1971
    assert report.counts["clusters"].unchanged == 66
    assert report.counts["parks"].unchanged == 66
    after = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (Region, IndustryCode, Cluster, Park)
    }
    assert after == before


def _copy_fixtures(tmp_path):
    directory = tmp_path / "reference"
    shutil.copytree(FIXTURE_DIR, directory)
    return directory


def _rewrite(path, change):
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fieldnames = reader.fieldnames
        rows = [change(row) for row in reader]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def test_loader_updates_an_edited_park_row_instead_of_duplicating_it(tmp_path):
    reference_data_load()
    park = Park.objects.get(name="襄阳高新区")
    directory = _copy_fixtures(tmp_path)

    def edit(row):
        if row["name"] == "襄阳高新区":
            row["leading_industries"] = "新能源汽车、测试产业"
        return row

    _rewrite(directory / "parks.csv", edit)
    report = reference_data_load(directory=directory)

    assert report.counts["parks"].updated == 1
    assert report.counts["parks"].created == 0
    assert report.counts["parks"].unchanged == 65
    assert Park.objects.count() == 66
    park.refresh_from_db()
    assert park.leading_industries == "新能源汽车、测试产业"


def test_loader_updates_an_edited_region_row_instead_of_duplicating_it(tmp_path):
    reference_data_load()
    directory = _copy_fixtures(tmp_path)

    def edit(row):
        if row["code"] == "420102":
            row["name"] = "江岸区（改）"
        return row

    _rewrite(directory / "regions.csv", edit)
    report = reference_data_load(directory=directory)

    assert report.counts["regions"].updated == 1
    assert report.counts["regions"].unchanged == 116
    assert Region.objects.filter(code="420102").get().name == "江岸区（改）"
    assert Region.objects.count() == 117


def test_loader_rejects_a_region_whose_parent_is_unknown(tmp_path):
    directory = _copy_fixtures(tmp_path)

    def edit(row):
        if row["code"] == "420102":
            row["parent_code"] = "429999"
        return row

    _rewrite(directory / "regions.csv", edit)
    with pytest.raises(ValueError, match="420102 names unknown parent 429999"):
        reference_data_load(directory=directory)
    # The load is one transaction: nothing of the failed run stays behind.
    assert not Region.objects.exists()


def test_loader_links_regions_to_their_parents():
    reference_data_load()

    assert Region.objects.get(code="420000").parent is None
    assert Region.objects.get(code="420100").parent.code == "420000"
    assert Region.objects.get(code="420102").parent.code == "420100"
    # A province-administered county-level city hangs directly under the province.
    assert Region.objects.get(code="429004").parent.code == "420000"
    assert not Region.objects.filter(parent__isnull=True).exclude(code="420000").exists()


def test_loader_links_industry_codes_to_parents_and_sections():
    reference_data_load()

    car_parts = IndustryCode.objects.get(code="3670")
    assert car_parts.level == "class"
    assert car_parts.parent.code == "367"
    assert car_parts.parent.parent.code == "36"
    assert car_parts.parent.parent.parent.code == "C"
    assert car_parts.section == "C"
    assert not IndustryCode.objects.filter(parent__isnull=True).exclude(level="section").exists()


def test_loader_places_parks_at_their_region_centre():
    reference_data_load()

    park = Park.objects.select_related("region").get(name="襄阳高新区")
    assert park.region.code == "420600"
    assert park.level == "national"
    assert park.type == "high_tech"
    assert park.latitude == park.region.latitude
    assert park.longitude == park.region.longitude
