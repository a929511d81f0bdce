"""Rebuild clusters/fixtures/reference/*.csv from the team's shared reference folder.

Run by hand when ../shared/data changes: ``python scripts/build_reference_fixtures.py``.
The portal itself never reads ../shared; it loads the fixtures this script writes. What the
script derives (park level and type codes, a county inferred from a park's name) is recorded
in the fixture's ``derivation`` column. Sources are listed in docs/reference-data.md.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "clusters" / "fixtures" / "reference"

PARK_TYPES = {
    "高新技术产业开发区": "high_tech",
    "经济技术开发区": "etdz",
    "出口加工区(海关特殊监管区域)": "export_processing",
    "经济开发区": "economic",
    "化工园区": "chemical",
}
PARK_LEVELS = {
    "国家级": "national",
    "省级": "provincial",
    "省级(2006年清理整顿后保留)": "provincial",
}
# The shared list names one zone twice under two names; keep one row.
PARK_DUPLICATES = {"孝感高新技术产业开发区": "孝感高新区"}


def read(name):
    with open(SHARED / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(name, fields, rows):
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main() -> int:
    if not SHARED.is_dir():
        print(f"no shared data at {SHARED}", file=sys.stderr)
        return 1
    divisions = read("hubei_divisions.csv")
    write(
        "regions.csv",
        ["code", "name", "level", "parent_code", "kind", "latitude", "longitude"],
        [
            {
                "code": d["code"],
                "name": d["name"],
                "level": d["level"],
                "parent_code": d["parent_code"],
                "kind": d["kind"],
                "latitude": d["lat"],
                "longitude": d["lng"],
            }
            for d in divisions
        ],
    )
    write(
        "industry_codes.csv",
        ["code", "name", "level", "parent_code", "description"],
        [
            {k: r[k] for k in ("code", "name", "level", "parent_code", "description")}
            for r in read("industry_gbt4754_2017.csv")
        ],
    )
    write(
        "clusters.csv",
        ["name", "region_code", "leading_industry", "list_name", "list_year", "source"],
        [
            {
                "name": c["name"],
                "region_code": c["region_code_if_known"],
                "leading_industry": c["leading_industry"],
                "list_name": c["list_name"],
                "list_year": c["list_year"],
                "source": c["source"],
            }
            for c in read("hubei_clusters.csv")
        ],
    )
    counties = {}
    for d in divisions:
        if d["level"] == "county":
            counties.setdefault(d["parent_code"], []).append(d)
    parks = []
    for p in read("hubei_parks.csv"):
        if p["name"] in PARK_DUPLICATES:
            continue
        derivation = []
        region_code = p["region_code"]
        stem_name = p["name"].removeprefix("湖北")
        prefecture_stem = p["region_name"][:2]
        for county in counties.get(region_code, []):
            stem = county["name"][:-1]
            # 荆州区 shares its stem with 荆州市: a name starting 荆州 names the city, not the district.
            if len(stem) >= 2 and stem != prefecture_stem and stem_name.startswith(stem):
                region_code = county["code"]
                derivation.append(f"county {county['name']} inferred from the park's name")
                break
        level = PARK_LEVELS.get(p["level"], "other")
        if p["level"] not in PARK_LEVELS:
            derivation.append(f"level '{p['level'] or 'not stated'}' recorded as other")
        parks.append(
            {
                "name": p["name"],
                "level": level,
                "type": PARK_TYPES[p["type"]],
                "region_code": region_code,
                "approved_area_ha": p["approved_area_ha"],
                "approved": p["approved_date"],
                "leading_industries": p["leading_industries"],
                "notes": p["notes"],
                "source": p["source"],
                "derivation": "; ".join(derivation),
            }
        )
    write(
        "parks.csv",
        [
            "name",
            "level",
            "type",
            "region_code",
            "approved_area_ha",
            "approved",
            "leading_industries",
            "notes",
            "source",
            "derivation",
        ],
        parks,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
