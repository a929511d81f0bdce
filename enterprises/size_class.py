"""Enterprise size class (大型/中型/小型/微型) under the 2011 SME size standard.

Source: 《中小企业划型标准规定》, 工信部联企业〔2011〕300号 (MIIT, NBS, NDRC and MOF, 2011-06-18),
clause 4, items (一)–(十六), as reproduced in the project's reference file
``sme_size_standard.csv`` (16 rows; items 1–15 from the full clause text, item 16 from a quote of
the clause, 工业 corroborated by a third copy). No 2024/2025 revision was found, so this is the
standard in force as far as the project knows. Units: people (从业人员), 万元 = 10,000 CNY for
营业收入 (revenue) and 资产总额 (total assets).

How a rule reads (clause 4 and the note under it):

* "X以下" means strictly below X, "X及以上" means ``>= X``.
* 中小微型企业: ANY listed ceiling is met (e.g. 工业: 从业人员1000人以下 **或** 营业收入40000万元以下).
  An enterprise that meets none of them is 大型.
* 中型: ALL listed medium minimums are met (从业人员300人及以上, **且** 营业收入2000万元及以上);
  小型: ALL listed small minimums are met; 微型: otherwise. This is the standard's
  "大型、中型和小型企业须同时满足所列指标的下限，否则下划一档；微型企业只须满足所列指标中的一项即可".
* Single-criterion rules: 农、林、牧、渔业 uses revenue only, 其他未列明行业 employees only.
  建筑业 and 房地产开发经营 use revenue and assets; 租赁和商务服务业 employees and assets.
  The same three-step reading covers all of them, so the table below is the only
  industry-specific data.

Missing figures (``None``), a project decision, not the standard's:

* A minimum whose figure is missing is NOT met, so missing data never promotes an enterprise
  to 中型 or 小型 (a caller that wants to show the result as provisional can compare
  :func:`required_figures` with what it has).
* A ceiling whose figure is missing is NOT met either: only a known figure below its ceiling
  makes the enterprise an SME. So the known figures decide 大型: an industrial enterprise with
  5000 employees and unknown revenue is 大型 rather than 微型. (Counting the missing ceiling as
  met would make every enterprise with an unknown figure fall through to 微型.)
* If none of the figures the industry's rule uses is given, nothing can be said and
  :class:`MissingFiguresError` (a ``ValueError``) is raised.
* Figures the industry's rule does not use are ignored (assets for 工业, for example).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.choices import SizeClass

__all__ = [
    "ASSETS",
    "EMPLOYEES",
    "REVENUE",
    "SIZE_RULES",
    "MissingFiguresError",
    "SizeRule",
    "StandardIndustry",
    "covered_by_standard",
    "required_figures",
    "size_class",
    "standard_industry_for",
]


class StandardIndustry(models.TextChoices):
    """The 16 industries of clause 4 of the 2011 standard, in the standard's order."""

    AGRICULTURE = "agriculture", _("农、林、牧、渔业")
    INDUSTRY = "industry", _("工业")
    CONSTRUCTION = "construction", _("建筑业")
    WHOLESALE = "wholesale", _("批发业")
    RETAIL = "retail", _("零售业")
    TRANSPORT = "transport", _("交通运输业")
    WAREHOUSING = "warehousing", _("仓储业")
    POSTAL = "postal", _("邮政业")
    ACCOMMODATION = "accommodation", _("住宿业")
    CATERING = "catering", _("餐饮业")
    INFORMATION_TRANSMISSION = "information_transmission", _("信息传输业")
    SOFTWARE_IT = "software_it", _("软件和信息技术服务业")
    REAL_ESTATE_DEVELOPMENT = "real_estate_development", _("房地产开发经营")
    PROPERTY_MANAGEMENT = "property_management", _("物业管理")
    LEASING_BUSINESS = "leasing_business", _("租赁和商务服务业")
    OTHER = "other", _("其他未列明行业")


# Figure names, as the keyword arguments of size_class().
EMPLOYEES = "employees"  # 从业人员, people
REVENUE = "revenue_wan"  # 营业收入, 万元
ASSETS = "assets_wan"  # 资产总额, 万元


class MissingFiguresError(ValueError):
    """None of the figures the industry's rule needs was given."""


@dataclass(frozen=True)
class SizeRule:
    """One item of clause 4. Each mapping is figure name -> threshold."""

    item: int  # (一) = 1 … (十六) = 16
    industry: StandardIndustry
    name: str  # the industry as the standard names it
    sme_below: Mapping[str, int]  # 中小微型 if ANY figure < its ceiling ("以下")
    medium_min: Mapping[str, int]  # 中型 if ALL figures >= these ("及以上")
    small_min: Mapping[str, int]  # 小型 if ALL figures >= these ("及以上")

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(self.sme_below)


def _rule(item, industry, name, sme_below, medium_min, small_min) -> SizeRule:
    return SizeRule(
        item,
        industry,
        name,
        MappingProxyType(sme_below),
        MappingProxyType(medium_min),
        MappingProxyType(small_min),
    )


_I = StandardIndustry
E, R, A = EMPLOYEES, REVENUE, ASSETS  # short names for the table only

# 《中小企业划型标准规定》 工信部联企业〔2011〕300号, clause 4; data from sme_size_standard.csv.
# item, industry, standard's name, SME ceilings, medium minimums, small minimums.
# fmt: off
SIZE_RULES: Mapping[StandardIndustry, SizeRule] = MappingProxyType({rule.industry: rule for rule in (
    #     item industry                     name                    SME if ANY below        medium: ALL >=         small: ALL >=
    _rule(1,  _I.AGRICULTURE,              "农、林、牧、渔业",       {R: 20000},             {R: 500},              {R: 50}),
    _rule(2,  _I.INDUSTRY,                 "工业",                   {E: 1000, R: 40000},    {E: 300, R: 2000},     {E: 20, R: 300}),
    _rule(3,  _I.CONSTRUCTION,             "建筑业",                 {R: 80000, A: 80000},   {R: 6000, A: 5000},    {R: 300, A: 300}),
    _rule(4,  _I.WHOLESALE,                "批发业",                 {E: 200, R: 40000},     {E: 20, R: 5000},      {E: 5, R: 1000}),
    _rule(5,  _I.RETAIL,                   "零售业",                 {E: 300, R: 20000},     {E: 50, R: 500},       {E: 10, R: 100}),
    _rule(6,  _I.TRANSPORT,                "交通运输业",             {E: 1000, R: 30000},    {E: 300, R: 3000},     {E: 20, R: 200}),
    _rule(7,  _I.WAREHOUSING,              "仓储业",                 {E: 200, R: 30000},     {E: 100, R: 1000},     {E: 20, R: 100}),
    _rule(8,  _I.POSTAL,                   "邮政业",                 {E: 1000, R: 30000},    {E: 300, R: 2000},     {E: 20, R: 100}),
    _rule(9,  _I.ACCOMMODATION,            "住宿业",                 {E: 300, R: 10000},     {E: 100, R: 2000},     {E: 10, R: 100}),
    _rule(10, _I.CATERING,                 "餐饮业",                 {E: 300, R: 10000},     {E: 100, R: 2000},     {E: 10, R: 100}),
    _rule(11, _I.INFORMATION_TRANSMISSION, "信息传输业",             {E: 2000, R: 100000},   {E: 100, R: 1000},     {E: 10, R: 100}),
    _rule(12, _I.SOFTWARE_IT,              "软件和信息技术服务业",   {E: 300, R: 10000},     {E: 100, R: 1000},     {E: 10, R: 50}),
    _rule(13, _I.REAL_ESTATE_DEVELOPMENT,  "房地产开发经营",         {R: 200000, A: 10000},  {R: 1000, A: 5000},    {R: 100, A: 2000}),
    _rule(14, _I.PROPERTY_MANAGEMENT,      "物业管理",               {E: 1000, R: 5000},     {E: 300, R: 1000},     {E: 100, R: 500}),
    _rule(15, _I.LEASING_BUSINESS,         "租赁和商务服务业",       {E: 300, A: 120000},    {E: 100, A: 8000},     {E: 10, A: 100}),
    # Item 16: the reference file took it from a quote that gives the SME ceiling and the medium
    # and small minimums; its micro rule (< 10) follows from the general reading above.
    _rule(16, _I.OTHER,                    "其他未列明行业",         {E: 300},               {E: 100},              {E: 10}),
)})
# fmt: on
del E, R, A  # keep the one-letter names out of the module namespace


# --- GB/T 4754-2017 industry code -> standard industry -----------------------------------------
#
# The 2011 standard was written against GB/T 4754-2011; the portal stores GB/T 4754-2017 codes.
# The boundaries below follow the 2011 standard's clause 2 (scope) and the notes to the NBS
# 《统计上大中小微型企业划分办法（2017）》, which restates the same thresholds on GB/T 4754-2017:
#
# * 农、林、牧、渔业 = section A, divisions 01–05 (05 = 专业及辅助性活动 is part of A).
# * 工业 = 采矿业 B (06–12) + 制造业 C (13–43) + 电力、热力、燃气及水生产和供应业 D (44–46).
# * 建筑业 = E (47–50). 批发业 = 51. 零售业 = 52.
# * 交通运输业 = 54 道路, 55 水上, 56 航空, 57 管道, 58 多式联运和运输代理, and group 591 装卸搬运
#   (装卸搬运 moved from division 58 to 59 in the 2017 edition); it excludes 53 铁路运输业.
# * 仓储业 = division 59 except 591, i.e. 592 通用仓储 … 599 其他仓储业. 邮政业 = 60.
# * 住宿业 = 61. 餐饮业 = 62. 信息传输业 = 63 + 64. 软件和信息技术服务业 = 65.
# * 房地产开发经营 = group 701 (class 7010). 物业管理 = group 702 (class 7020).
# * 租赁和商务服务业 = L (71–72).
# * 其他未列明行业 = everything else. The standard names M, N, O, 社会工作 (85), R "等" and the NBS
#   note adds 703 房地产中介服务 and 709 其他房地产业.
#
# Assumption: some codes are outside both documents' scope: 53 铁路运输业 (explicitly excluded),
# J 金融业 66–69 (it has its own standard, 银发〔2015〕309号, with other criteria), 704 房地产租赁经营
# (the NBS note excludes 自有房地产经营活动), P 教育 83, 84 卫生, S 公共管理… 91–96 and T 97.
# They are mapped to 其他未列明行业 too, as a best effort for display, so that every code gets
# a class. covered_by_standard() tells a caller which codes these are.
#
# Codes are only checked structurally (section letter, division 01–97, 2–4 digits); whether a
# group or class exists is left to the industry table in the clusters app.

_SECTIONS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "A": (1, 5),
        "B": (6, 12),
        "C": (13, 43),
        "D": (44, 46),
        "E": (47, 50),
        "F": (51, 52),
        "G": (53, 60),
        "H": (61, 62),
        "I": (63, 65),
        "J": (66, 69),
        "K": (70, 70),
        "L": (71, 72),
        "M": (73, 75),
        "N": (76, 79),
        "O": (80, 82),
        "P": (83, 83),
        "Q": (84, 85),
        "R": (86, 90),
        "S": (91, 96),
        "T": (97, 97),
    }
)


def _division_industry(division: int) -> StandardIndustry:
    if 1 <= division <= 5:
        return _I.AGRICULTURE
    if 6 <= division <= 46:
        return _I.INDUSTRY
    if 47 <= division <= 50:
        return _I.CONSTRUCTION
    if 54 <= division <= 58:
        return _I.TRANSPORT
    if division in (71, 72):
        return _I.LEASING_BUSINESS
    return {
        51: _I.WHOLESALE,
        52: _I.RETAIL,
        59: _I.WAREHOUSING,  # but see group 591 below
        60: _I.POSTAL,
        61: _I.ACCOMMODATION,
        62: _I.CATERING,
        63: _I.INFORMATION_TRANSMISSION,
        64: _I.INFORMATION_TRANSMISSION,
        65: _I.SOFTWARE_IT,
    }.get(division, _I.OTHER)


# Groups (3-digit) whose standard industry differs from their division's.
_GROUP_INDUSTRY: Mapping[str, StandardIndustry] = MappingProxyType(
    {
        "591": _I.TRANSPORT,  # 装卸搬运
        "701": _I.REAL_ESTATE_DEVELOPMENT,  # 房地产开发经营 (class 7010)
        "702": _I.PROPERTY_MANAGEMENT,  # 物业管理 (class 7020)
    }
)

# Codes mapped to OTHER although the standard does not cover them (see the comment above).
_NOT_COVERED_DIVISIONS = frozenset({53, 66, 67, 68, 69, 83, 84, 91, 92, 93, 94, 95, 96, 97})
_NOT_COVERED_GROUPS = frozenset({"704"})

_CODE_RE = re.compile(r"(?P<section>[A-T])?(?P<digits>\d{2,4})?")


def _parse(code: str) -> tuple[str, str]:
    """(section letter, digits) of a GB/T 4754-2017 code; raises ValueError if malformed."""
    if not isinstance(code, str):
        raise TypeError(f"industry code must be a string, got {type(code).__name__}")
    text = code.strip().upper()
    match = _CODE_RE.fullmatch(text)
    if not text or match is None:
        raise ValueError(f"not a GB/T 4754-2017 industry code: {code!r}")
    section, digits = match["section"], match["digits"] or ""
    if digits:
        division = int(digits[:2])
        owner = next((s for s, (lo, hi) in _SECTIONS.items() if lo <= division <= hi), None)
        if owner is None:
            raise ValueError(f"no GB/T 4754-2017 division {digits[:2]!r} in {code!r}")
        if section and section != owner:
            raise ValueError(f"division {digits[:2]} belongs to section {owner}, not {section}")
        section = owner
    return section, digits


def _industries_under(section: str, digits: str) -> set[StandardIndustry]:
    """Every standard industry a code at this level can stand for."""
    if len(digits) >= 3:
        return {_GROUP_INDUSTRY.get(digits[:3], _division_industry(int(digits[:2])))}
    if digits:
        divisions = [digits]
    else:
        lo, hi = _SECTIONS[section]
        divisions = [f"{d:02d}" for d in range(lo, hi + 1)]
    found = {_division_industry(int(d)) for d in divisions}
    found.update(ind for group, ind in _GROUP_INDUSTRY.items() if group[:2] in divisions)
    return found


def standard_industry_for(code: str) -> StandardIndustry:
    """The standard's industry for a GB/T 4754-2017 code at any level.

    Accepts a section letter (``"C"``), a division (``"34"``), a group (``"342"``) or a class
    (``"3421"``), optionally prefixed by its section letter (``"C3421"``). Raises
    ``ValueError`` for a malformed code, or for a code that spans several of the standard's
    industries (section ``"F"`` = 批发业 + 零售业, division ``"59"`` = 装卸搬运 + 仓储,
    division ``"70"`` = 房地产开发经营 + 物业管理 + others): those need a finer code.
    """
    section, digits = _parse(code)
    found = _industries_under(section, digits)
    if len(found) > 1:
        names = "、".join(sorted(str(ind.label) for ind in found))
        raise ValueError(
            f"industry code {code!r} spans several industries of the standard ({names}); "
            "give a more specific code"
        )
    return found.pop()


def covered_by_standard(code: str) -> bool:
    """False for codes outside the 2011 standard's scope (mapped to 其他未列明行业 anyway).

    A section letter counts as covered if any of its divisions is (G is, because of 54–60).
    """
    section, digits = _parse(code)
    if not digits:
        lo, hi = _SECTIONS[section]
        return not all(d in _NOT_COVERED_DIVISIONS for d in range(lo, hi + 1))
    if len(digits) >= 3 and digits[:3] in _NOT_COVERED_GROUPS:
        return False
    return int(digits[:2]) not in _NOT_COVERED_DIVISIONS


def _industry(industry_code: str | StandardIndustry) -> StandardIndustry:
    if isinstance(industry_code, str) and industry_code in StandardIndustry.values:
        return StandardIndustry(industry_code)
    return standard_industry_for(industry_code)


def required_figures(industry_code: str | StandardIndustry) -> tuple[str, ...]:
    """The figure names (``employees``, ``revenue_wan``, ``assets_wan``) the rule uses."""
    return SIZE_RULES[_industry(industry_code)].figures


def _figure(name: str, value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise TypeError(f"{name} must be a number or None, got {type(value).__name__}")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return number


def _all_met(minimums: Mapping[str, int], figures: Mapping[str, Decimal | None]) -> bool:
    """Every listed minimum is met ("及以上"); a missing figure does not meet its minimum."""
    return all(
        (value := figures[name]) is not None and value >= minimum
        for name, minimum in minimums.items()
    )


def size_class(
    *,
    industry_code: str | StandardIndustry,
    employees: int | None,
    revenue_wan: Decimal | int | None,
    assets_wan: Decimal | int | None = None,
) -> SizeClass:
    """The size class of an enterprise under the 2011 standard.

    ``industry_code`` is a GB/T 4754-2017 code (see :func:`standard_industry_for`) or a
    :class:`StandardIndustry`. ``employees`` is 从业人员 (people), ``revenue_wan`` 营业收入 and
    ``assets_wan`` 资产总额, both in 万元. See the module docstring for missing figures.
    Raises ``ValueError`` (:class:`MissingFiguresError` when the rule's figures are all
    ``None``) or ``TypeError`` on bad input.
    """
    rule = SIZE_RULES[_industry(industry_code)]
    figures = {
        EMPLOYEES: _figure(EMPLOYEES, employees),
        REVENUE: _figure(REVENUE, revenue_wan),
        ASSETS: _figure(ASSETS, assets_wan),
    }
    if all(figures[name] is None for name in rule.figures):
        raise MissingFiguresError(
            f"{rule.name} is classified by {', '.join(rule.figures)}; none was given"
        )
    is_sme = any(
        (value := figures[name]) is not None and value < ceiling
        for name, ceiling in rule.sme_below.items()
    )
    if not is_sme:
        return SizeClass.LARGE
    if _all_met(rule.medium_min, figures):
        return SizeClass.MEDIUM
    if _all_met(rule.small_min, figures):
        return SizeClass.SMALL
    return SizeClass.MICRO
