"""Writes to the reference data: loading it from the project's fixtures."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from clusters.models import Cluster, IndustryCode, Park, Region

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "reference"


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    counts: dict[str, LoadCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(model, lookup: dict, values: dict, counts: LoadCounts, *, existing=None):
    """Create or update one row; touch the database only when something differs.

    ``existing`` maps natural keys to rows already loaded, to spare a query per row.
    """
    if existing is not None:
        obj = existing.get(tuple(lookup.values()))
    else:
        obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _load_regions(directory: Path, counts: LoadCounts) -> dict[str, Region]:
    rows = _rows(directory, "regions.csv")
    by_code: dict[str, Region] = {}
    # Parents first: rows are ordered province, prefectures, counties by code, but sort by
    # level to be safe when the fixture is edited by hand.
    order = {"province": 0, "prefecture": 1, "county": 2}
    for row in sorted(rows, key=lambda r: (order[r["level"]], r["code"])):
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        if row["parent_code"] and parent is None:
            raise ValueError(
                f"regions.csv: {row['code']} names unknown parent {row['parent_code']}"
            )
        by_code[row["code"]] = _upsert(
            Region,
            {"code": row["code"]},
            {
                "name": row["name"],
                "level": row["level"],
                "kind": row["kind"],
                "parent": parent,
                "latitude": _float(row["latitude"]),
                "longitude": _float(row["longitude"]),
            },
            counts,
        )
    return by_code


def _load_industry_codes(directory: Path, counts: LoadCounts) -> None:
    rows = _rows(directory, "industry_codes.csv")
    order = {"section": 0, "division": 1, "group": 2, "class": 3}
    existing = {(c.code,): c for c in IndustryCode.objects.all()}
    by_code: dict[str, IndustryCode] = {}
    for row in sorted(rows, key=lambda r: (order[r["level"]], r["code"])):
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        section = row["code"] if row["level"] == "section" else parent.section
        values = {
            "name": row["name"],
            "level": row["level"],
            "parent": parent,
            "section": section,
            "description": row["description"],
        }
        obj = _upsert(IndustryCode, {"code": row["code"]}, values, counts, existing=existing)
        by_code[row["code"]] = obj


def _load_clusters(directory: Path, regions: dict[str, Region], counts: LoadCounts) -> None:
    for row in _rows(directory, "clusters.csv"):
        region = regions.get(row["region_code"])
        if region is None:
            raise ValueError(
                f"clusters.csv: {row['name']} names unknown region {row['region_code']}"
            )
        _upsert(
            Cluster,
            {"name": row["name"], "list_year": int(row["list_year"]) if row["list_year"] else None},
            {
                "region": region,
                "leading_industry": row["leading_industry"],
                "list_name": row["list_name"],
                "source": row["source"],
            },
            counts,
        )


def _load_parks(directory: Path, regions: dict[str, Region], counts: LoadCounts) -> None:
    for row in _rows(directory, "parks.csv"):
        region = regions.get(row["region_code"])
        if region is None:
            raise ValueError(f"parks.csv: {row['name']} names unknown region {row['region_code']}")
        notes = row["notes"]
        if row["derivation"]:
            notes = f"{notes}\n[{row['derivation']}]".strip()
        _upsert(
            Park,
            {"name": row["name"]},
            {
                "level": row["level"],
                "type": row["type"],
                "region": region,
                "approved_area_ha": Decimal(row["approved_area_ha"])
                if row["approved_area_ha"]
                else None,
                "approved": row["approved"],
                "leading_industries": row["leading_industries"],
                "latitude": region.latitude,
                "longitude": region.longitude,
                "notes": notes,
                "source": row["source"],
            },
            counts,
        )


@transaction.atomic
def reference_data_load(*, directory: Path = FIXTURE_DIR) -> LoadReport:
    """Load regions, industry codes, clusters and parks; rerunning changes nothing.

    Rows are matched by natural key (region and industry code; cluster name and list year;
    park name), so a rerun updates what changed in the fixtures and never duplicates. Rows
    added by administrators and absent from the fixtures are left alone.
    """
    report = LoadReport()
    report.counts["regions"] = LoadCounts()
    regions = _load_regions(directory, report.counts["regions"])
    report.counts["industry_codes"] = LoadCounts()
    _load_industry_codes(directory, report.counts["industry_codes"])
    report.counts["clusters"] = LoadCounts()
    _load_clusters(directory, regions, report.counts["clusters"])
    report.counts["parks"] = LoadCounts()
    _load_parks(directory, regions, report.counts["parks"])
    return report
