"""Size class under 《中小企业划型标准规定》 (2011) and the GB/T 4754-2017 mapping. No database."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation

from enterprises.choices import SizeClass
from enterprises.size_class import (
    ASSETS,
    EMPLOYEES,
    REVENUE,
    SIZE_RULES,
    MissingFiguresError,
    StandardIndustry,
    covered_by_standard,
    required_figures,
    size_class,
    standard_industry_for,
)

LARGE, MEDIUM, SMALL, MICRO = (
    SizeClass.LARGE,
    SizeClass.MEDIUM,
    SizeClass.SMALL,
    SizeClass.MICRO,
)
I = StandardIndustry  # noqa: E741

# The numeric columns of the reference file sme_size_standard.csv, copied verbatim, so that the
# Python table is checked against the source rather than against itself.
SOURCE_CSV = """\
item_no,industry,sme_if_employees_below,sme_if_revenue_below_wan,sme_if_assets_below_wan,medium_min_employees,medium_min_revenue_wan,medium_min_assets_wan,small_min_employees,small_min_revenue_wan,small_min_assets_wan
1,农、林、牧、渔业,,20000,,,500,,,50,
2,工业,1000,40000,,300,2000,,20,300,
3,建筑业,,80000,80000,,6000,5000,,300,300
4,批发业,200,40000,,20,5000,,5,1000,
5,零售业,300,20000,,50,500,,10,100,
6,交通运输业,1000,30000,,300,3000,,20,200,
7,仓储业,200,30000,,100,1000,,20,100,
8,邮政业,1000,30000,,300,2000,,20,100,
9,住宿业,300,10000,,100,2000,,10,100,
10,餐饮业,300,10000,,100,2000,,10,100,
11,信息传输业,2000,100000,,100,1000,,10,100,
12,软件和信息技术服务业,300,10000,,100,1000,,10,50,
13,房地产开发经营,,200000,10000,,1000,5000,,100,2000
14,物业管理,1000,5000,,300,1000,,100,500,
15,租赁和商务服务业,300,,120000,100,,8000,10,,100
16,其他未列明行业,300,,,100,,,10,,
"""

# A class code in each standard industry, for the rule tests.
CODE_FOR = {
    I.AGRICULTURE: "0111",
    I.INDUSTRY: "C3421",
    I.CONSTRUCTION: "4710",
    I.WHOLESALE: "5111",
    I.RETAIL: "5211",
    I.TRANSPORT: "5411",
    I.WAREHOUSING: "5920",
    I.POSTAL: "6010",
    I.ACCOMMODATION: "6110",
    I.CATERING: "6210",
    I.INFORMATION_TRANSMISSION: "6311",
    I.SOFTWARE_IT: "6513",
    I.REAL_ESTATE_DEVELOPMENT: "7010",
    I.PROPERTY_MANAGEMENT: "7020",
    I.LEASING_BUSINESS: "7211",
    I.OTHER: "7310",
}


def classify(code, employees=None, revenue=None, assets=None):
    return size_class(
        industry_code=code, employees=employees, revenue_wan=revenue, assets_wan=assets
    )


# --- the table ----------------------------------------------------------------------------


def _figures(row, columns):
    names = (EMPLOYEES, REVENUE, ASSETS)
    return {name: int(row[col]) for name, col in zip(names, columns, strict=True) if row[col]}


def test_table_matches_the_source_csv():
    rules = {rule.item: rule for rule in SIZE_RULES.values()}
    rows = list(csv.DictReader(io.StringIO(SOURCE_CSV)))
    assert len(rows) == len(rules) == 16
    for row in rows:
        rule = rules[int(row["item_no"])]
        assert rule.name == row["industry"]
        assert dict(rule.sme_below) == _figures(
            row,
            ("sme_if_employees_below", "sme_if_revenue_below_wan", "sme_if_assets_below_wan"),
        )
        assert dict(rule.medium_min) == _figures(
            row, ("medium_min_employees", "medium_min_revenue_wan", "medium_min_assets_wan")
        )
        assert dict(rule.small_min) == _figures(
            row, ("small_min_employees", "small_min_revenue_wan", "small_min_assets_wan")
        )


def test_every_standard_industry_has_one_rule():
    assert set(SIZE_RULES) == set(StandardIndustry)
    assert sorted(rule.item for rule in SIZE_RULES.values()) == list(range(1, 17))
    for industry, rule in SIZE_RULES.items():
        assert rule.industry == industry
        with translation.override("zh-hans"):
            assert str(industry.label) == rule.name


@pytest.mark.parametrize("rule", SIZE_RULES.values(), ids=lambda r: r.industry.value)
def test_rule_is_consistent(rule):
    assert set(rule.sme_below) == set(rule.medium_min) == set(rule.small_min)
    for name in rule.figures:
        assert 0 < rule.small_min[name] < rule.medium_min[name] < rule.sme_below[name]


def test_table_is_read_only():
    with pytest.raises(TypeError):
        SIZE_RULES[I.INDUSTRY] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        SIZE_RULES[I.INDUSTRY].sme_below[EMPLOYEES] = 1  # type: ignore[index]


def test_size_class_choices():
    assert SizeClass.values == ["micro", "small", "medium", "large"]
    with translation.override("zh-hans"):
        assert [str(label) for label in SizeClass.labels] == ["微型", "小型", "中型", "大型"]


# --- generic boundaries, for every rule ---------------------------------------------------


@pytest.mark.parametrize("rule", SIZE_RULES.values(), ids=lambda r: r.industry.value)
def test_boundaries_of_every_rule(rule):
    code = CODE_FOR[rule.industry]

    def at(thresholds, **below):
        figures = {name: thresholds[name] for name in rule.figures}
        for name, delta in below.items():
            figures[name] -= delta
        return classify(code, figures.get(EMPLOYEES), figures.get(REVENUE), figures.get(ASSETS))

    assert at(rule.sme_below) == LARGE
    assert at(rule.medium_min) == MEDIUM
    assert at(rule.small_min) == SMALL
    for name in rule.figures:
        # One ceiling met ("以下" = strictly below) is enough to be an SME …
        assert at(rule.sme_below, **{name: 1}) == MEDIUM
        # … and one minimum missed ("及以上" = at least) drops a class.
        assert at(rule.medium_min, **{name: 1}) == SMALL
        assert at(rule.small_min, **{name: 1}) == MICRO
    zero = {EMPLOYEES: 0, REVENUE: 0, ASSETS: 0}
    assert at(zero) == MICRO


# --- explicit edges per industry ----------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1000, 40000, LARGE),
        (5000, 100000, LARGE),
        (999, 40000, MEDIUM),
        (1000, 39999, MEDIUM),
        (1000, Decimal("39999.99"), MEDIUM),
        (1000, Decimal("40000.00"), LARGE),
        (300, 2000, MEDIUM),
        (299, 2000, SMALL),
        (300, 1999, SMALL),
        (20, 300, SMALL),
        (19, 300, MICRO),
        (20, 299, MICRO),
        (20, Decimal("299.5"), MICRO),
        (5000, 100, MICRO),  # 营业收入300万元以下 alone makes it micro
        (10, 39000, MICRO),  # 从业人员20人以下 alone makes it micro
        (0, 0, MICRO),
    ],
)
def test_industry(employees, revenue, expected):
    assert classify("C3421", employees, revenue) == expected


def test_industry_ignores_assets():
    assert classify("C3421", 300, 2000, assets=0) == MEDIUM
    assert classify("C3421", 20, 300, assets=10**9) == SMALL


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (200, 40000, LARGE),
        (199, 40000, MEDIUM),
        (200, 39999, MEDIUM),
        (20, 5000, MEDIUM),
        (19, 5000, SMALL),
        (20, 4999, SMALL),
        (5, 1000, SMALL),
        (4, 1000, MICRO),
        (5, 999, MICRO),
    ],
)
def test_wholesale(employees, revenue, expected):
    assert classify("5111", employees, revenue) == expected


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (300, 20000, LARGE),
        (299, 20000, MEDIUM),
        (300, 19999, MEDIUM),
        (50, 500, MEDIUM),
        (49, 500, SMALL),
        (50, 499, SMALL),
        (10, 100, SMALL),
        (9, 100, MICRO),
        (10, 99, MICRO),
    ],
)
def test_retail(employees, revenue, expected):
    assert classify("5211", employees, revenue) == expected


@pytest.mark.parametrize(
    ("revenue", "assets", "expected"),
    [
        (80000, 80000, LARGE),
        (79999, 80000, MEDIUM),
        (80000, 79999, MEDIUM),
        (6000, 5000, MEDIUM),
        (5999, 5000, SMALL),
        (6000, 4999, SMALL),
        (300, 300, SMALL),
        (299, 300, MICRO),
        (300, 299, MICRO),
    ],
)
def test_construction_uses_revenue_and_assets(revenue, assets, expected):
    assert classify("4710", None, revenue, assets) == expected
    # Employees are not a criterion for 建筑业.
    assert classify("E", 100000, revenue, assets) == expected


@pytest.mark.parametrize(
    ("revenue", "expected"),
    [
        (20000, LARGE),
        (Decimal("19999.99"), MEDIUM),
        (500, MEDIUM),
        (499, SMALL),
        (50, SMALL),
        (49, MICRO),
        (0, MICRO),
    ],
)
def test_agriculture_uses_revenue_only(revenue, expected):
    assert classify("0111", None, revenue) == expected
    assert classify("A", 100000, revenue, assets=10**9) == expected


@pytest.mark.parametrize(
    ("revenue", "assets", "expected"),
    [
        (200000, 10000, LARGE),
        (199999, 10000, MEDIUM),
        (200000, 9999, MEDIUM),
        (300000, 3000, SMALL),  # assets below the 10000 ceiling: SME; below the medium 5000
        (1000, 5000, MEDIUM),
        (999, 5000, SMALL),
        (1000, 4999, SMALL),
        (100, 2000, SMALL),
        (99, 2000, MICRO),
        (100, 1999, MICRO),
    ],
)
def test_real_estate_development(revenue, assets, expected):
    assert classify("7010", None, revenue, assets) == expected
    assert classify("K7010", 10000, revenue, assets) == expected


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1000, 5000, LARGE),
        (999, 5000, MEDIUM),
        (300, 1000, MEDIUM),
        (100, 500, SMALL),
        (99, 500, MICRO),
        (100, 499, MICRO),
    ],
)
def test_property_management(employees, revenue, expected):
    assert classify("7020", employees, revenue) == expected


@pytest.mark.parametrize(
    ("employees", "assets", "expected"),
    [
        (300, 120000, LARGE),
        (299, 120000, MEDIUM),
        (100, 8000, MEDIUM),
        (99, 8000, SMALL),
        (10, 100, SMALL),
        (10, 99, MICRO),
        (9, 100, MICRO),
    ],
)
def test_leasing_and_business_services_use_employees_and_assets(employees, assets, expected):
    assert classify("7211", employees, revenue=None, assets=assets) == expected
    assert classify("L", employees, revenue=10**9, assets=assets) == expected


@pytest.mark.parametrize(
    ("employees", "expected"),
    [(300, LARGE), (299, MEDIUM), (100, MEDIUM), (99, SMALL), (10, SMALL), (9, MICRO), (0, MICRO)],
)
def test_other_industries_use_employees_only(employees, expected):
    assert classify("7310", employees) == expected
    assert classify("M", employees, revenue=10**9, assets=10**9) == expected
    assert classify("7030", employees) == expected  # 房地产中介服务


@pytest.mark.parametrize(
    ("code", "employees", "revenue", "expected"),
    [
        ("5910", 1000, 30000, LARGE),  # 装卸搬运 is 交通运输业
        ("5910", 300, 3000, MEDIUM),
        ("5920", 200, 30000, LARGE),  # 通用仓储 is 仓储业
        ("5920", 100, 1000, MEDIUM),
        ("5920", 99, 1000, SMALL),
        ("6010", 300, 2000, MEDIUM),
        ("6010", 20, 99, MICRO),
        ("6110", 100, 2000, MEDIUM),
        ("6210", 10, 100, SMALL),
        ("6311", 2000, 100000, LARGE),
        ("6421", 1999, 100000, MEDIUM),
        ("6513", 300, 10000, LARGE),
        ("6513", 10, 50, SMALL),
        ("6513", 10, 49, MICRO),
    ],
)
def test_other_rules_at_edges(code, employees, revenue, expected):
    assert classify(code, employees, revenue) == expected


def test_float_figures_are_accepted():
    assert classify("C3421", 300, 2000.0) == MEDIUM
    assert classify("C3421", 300, 1999.99) == SMALL


def test_standard_industry_can_be_given_directly():
    assert classify(I.INDUSTRY, 300, 2000) == MEDIUM
    assert classify("industry", 300, 2000) == MEDIUM
    assert classify(I.OTHER, 9) == MICRO


# --- missing figures ----------------------------------------------------------------------


def test_missing_figure_never_meets_a_minimum():
    # SME by employees; revenue unknown, so neither the medium nor the small minimums are met.
    assert classify("C3421", 500, None) == MICRO
    assert classify("C3421", None, 3000) == MICRO
    assert classify("4710", None, 10000, None) == MICRO
    assert classify("7211", 200, None, None) == MICRO


def test_missing_figure_does_not_make_an_sme():
    # Only a known figure below its ceiling makes an SME: the known figures decide 大型.
    assert classify("C3421", 5000, None) == LARGE
    assert classify("C3421", None, 50000) == LARGE
    assert classify("4710", None, None, 90000) == LARGE
    assert classify("7010", None, 250000, None) == LARGE


@pytest.mark.parametrize(
    ("code", "employees", "revenue", "assets"),
    [
        ("C3421", None, None, None),
        ("C3421", None, None, 5000),  # assets are not a 工业 criterion
        ("0111", 50, None, None),  # 农林牧渔: revenue only
        ("7310", None, 1000, 1000),  # 其他未列明行业: employees only
        ("4710", 300, None, None),  # 建筑业: revenue and assets
        ("7211", None, 1000, None),  # 租赁和商务服务业: employees and assets
    ],
)
def test_no_usable_figure_raises(code, employees, revenue, assets):
    with pytest.raises(MissingFiguresError):
        classify(code, employees, revenue, assets)
    assert issubclass(MissingFiguresError, ValueError)


@pytest.mark.parametrize(
    ("code", "figures"),
    [
        ("C3421", (EMPLOYEES, REVENUE)),
        ("0111", (REVENUE,)),
        ("4710", (REVENUE, ASSETS)),
        ("7010", (REVENUE, ASSETS)),
        ("7211", (EMPLOYEES, ASSETS)),
        ("7310", (EMPLOYEES,)),
        (I.RETAIL, (EMPLOYEES, REVENUE)),
    ],
)
def test_required_figures(code, figures):
    assert required_figures(code) == figures


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "revenue", "error"),
    [
        (-1, 100, ValueError),
        (10, Decimal("-0.01"), ValueError),
        (10, float("nan"), ValueError),
        (10, Decimal("Infinity"), ValueError),
        (True, 100, TypeError),
        ("10", 100, TypeError),
        (10, "100", TypeError),
    ],
)
def test_bad_figures(employees, revenue, error):
    with pytest.raises(error):
        classify("C3421", employees, revenue)


@pytest.mark.parametrize("code", ["F", "G", "H", "I", "K", "59", "70", "", "X", "98", "C01"])
def test_unusable_industry_code(code):
    with pytest.raises(ValueError):
        classify(code, 10, 10, 10)


# --- GB/T 4754-2017 -> standard industry --------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # 农、林、牧、渔业: section A, including 05 专业及辅助性活动
        ("A", I.AGRICULTURE),
        ("01", I.AGRICULTURE),
        ("0111", I.AGRICULTURE),
        ("05", I.AGRICULTURE),
        ("A0511", I.AGRICULTURE),
        # 工业: B, C, D = divisions 06–46
        ("B", I.INDUSTRY),
        ("C", I.INDUSTRY),
        ("D", I.INDUSTRY),
        ("06", I.INDUSTRY),
        ("0610", I.INDUSTRY),
        ("13", I.INDUSTRY),
        ("1311", I.INDUSTRY),
        ("C3421", I.INDUSTRY),
        ("3421", I.INDUSTRY),
        ("342", I.INDUSTRY),
        ("34", I.INDUSTRY),
        ("3612", I.INDUSTRY),
        ("43", I.INDUSTRY),
        ("44", I.INDUSTRY),
        ("46", I.INDUSTRY),
        ("D4610", I.INDUSTRY),
        # 建筑业: E = 47–50
        ("E", I.CONSTRUCTION),
        ("47", I.CONSTRUCTION),
        ("4710", I.CONSTRUCTION),
        ("50", I.CONSTRUCTION),
        # 批发业 51, 零售业 52
        ("51", I.WHOLESALE),
        ("5111", I.WHOLESALE),
        ("F51", I.WHOLESALE),
        ("52", I.RETAIL),
        ("5211", I.RETAIL),
        ("F5211", I.RETAIL),
        # 交通运输业: 54–58 and 591 装卸搬运; 仓储业: the rest of 59; 邮政业: 60
        ("54", I.TRANSPORT),
        ("5411", I.TRANSPORT),
        ("58", I.TRANSPORT),
        ("591", I.TRANSPORT),
        ("5910", I.TRANSPORT),
        ("592", I.WAREHOUSING),
        ("5920", I.WAREHOUSING),
        ("5990", I.WAREHOUSING),
        ("60", I.POSTAL),
        ("6010", I.POSTAL),
        # 住宿业 61, 餐饮业 62
        ("61", I.ACCOMMODATION),
        ("6110", I.ACCOMMODATION),
        ("62", I.CATERING),
        ("6210", I.CATERING),
        # 信息传输业 63–64, 软件和信息技术服务业 65
        ("63", I.INFORMATION_TRANSMISSION),
        ("6311", I.INFORMATION_TRANSMISSION),
        ("64", I.INFORMATION_TRANSMISSION),
        ("6421", I.INFORMATION_TRANSMISSION),
        ("65", I.SOFTWARE_IT),
        ("651", I.SOFTWARE_IT),
        ("6513", I.SOFTWARE_IT),
        ("I6513", I.SOFTWARE_IT),
        # 房地产开发经营 701, 物业管理 702; 703/709 are 其他未列明行业
        ("701", I.REAL_ESTATE_DEVELOPMENT),
        ("7010", I.REAL_ESTATE_DEVELOPMENT),
        ("K7010", I.REAL_ESTATE_DEVELOPMENT),
        ("702", I.PROPERTY_MANAGEMENT),
        ("7020", I.PROPERTY_MANAGEMENT),
        ("7030", I.OTHER),
        ("7090", I.OTHER),
        # 租赁和商务服务业: L = 71–72
        ("L", I.LEASING_BUSINESS),
        ("71", I.LEASING_BUSINESS),
        ("7211", I.LEASING_BUSINESS),
        # 其他未列明行业
        ("M", I.OTHER),
        ("7310", I.OTHER),
        ("N", I.OTHER),
        ("O", I.OTHER),
        ("Q", I.OTHER),
        ("85", I.OTHER),
        ("R", I.OTHER),
        # outside the standard's scope, mapped to 其他未列明行业 as a best effort
        ("53", I.OTHER),
        ("5311", I.OTHER),
        ("J", I.OTHER),
        ("6621", I.OTHER),
        ("7040", I.OTHER),
        ("P", I.OTHER),
        ("S", I.OTHER),
        ("T", I.OTHER),
        ("97", I.OTHER),
    ],
)
def test_standard_industry_for(code, expected):
    assert standard_industry_for(code) == expected


@pytest.mark.parametrize("code", [" c3421 ", "c3421", "\t5211\n"])
def test_industry_code_is_normalised(code):
    assert standard_industry_for(code) in {I.INDUSTRY, I.RETAIL}


@pytest.mark.parametrize(
    "code",
    [
        "F",  # 批发业 + 零售业
        "G",
        "H",  # 住宿业 + 餐饮业
        "I",
        "K",
        "59",  # 装卸搬运 (交通运输业) + 仓储
        "G59",
        "70",  # 房地产开发经营 + 物业管理 + 其他
    ],
)
def test_code_spanning_several_industries_is_rejected(code):
    with pytest.raises(ValueError, match="several industries"):
        standard_industry_for(code)


@pytest.mark.parametrize(
    "code",
    ["", "  ", "U", "CC", "C3", "3", "00", "98", "99", "12345", "3421A", "C01", "A13", "34-21"],
)
def test_malformed_code_is_rejected(code):
    with pytest.raises(ValueError):
        standard_industry_for(code)


def test_non_string_code_is_rejected():
    with pytest.raises(TypeError):
        standard_industry_for(3421)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "covered"),
    [
        ("C3421", True),
        ("7010", True),
        ("7030", True),
        ("85", True),
        ("M", True),
        ("Q", True),  # 85 社会工作 is named by the standard
        ("G", True),
        ("53", False),  # 铁路运输业 is excluded from 交通运输业
        ("5311", False),
        ("J", False),  # 金融业 has its own standard
        ("6621", False),
        ("7040", False),  # 房地产租赁经营 (自有房地产经营活动)
        ("P", False),
        ("8310", False),
        ("8411", False),
        ("S", False),
        ("91", False),
        ("T", False),
    ],
)
def test_covered_by_standard(code, covered):
    assert covered_by_standard(code) is covered
