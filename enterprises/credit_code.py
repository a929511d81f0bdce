"""Unified Social Credit Code (统一社会信用代码), GB 32100-2015: validation and demo codes.

Structure of the 18 characters (GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》):

====  ======  ===========================================================================
pos   length  meaning
====  ======  ===========================================================================
1     1       登记管理部门代码 (registration authority: 1 机构编制, 5 民政, 9 工商, Y 其他, ...)
2     1       机构类别代码 (organisation category under that authority)
3–8   6       登记管理机关行政区划码 (GB/T 2260 code, e.g. 420000 湖北省, 420100 武汉市)
9–17  9       主体标识码 = GB 11714 organisation code (8 body characters + its check character)
18    1       校验码, GB/T 17710 (ISO 7064) mod 31 over positions 1–17
====  ======  ===========================================================================

Sources (carried over from the reference notes the project was built from, which are not
shipped with it): the algorithm agrees with dromara/hutool ``CreditCodeUtil``,
Rockyzsu/social_code_validation ``social_code_gen.py`` and python-stdnum ``stdnum.cn.uscc``;
the structure and the forbidden letters are from public copies of the Chinese Wikipedia
article citing GB 32100-2015. The standard's own text (a paid PDF) was not available.

Only the structure is checked: the region code must be six digits, but it is not checked
against the list of GB/T 2260 codes, and the authority/category characters (positions 1–2)
are not checked against the code tables, because those tables were not available in full and a
too-strict rule would reject real codes.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CHARSET",
    "FORBIDDEN_LETTERS",
    "credit_code_check_char",
    "is_valid_credit_code",
    "make_credit_code",
    "normalize_credit_code",
    "org_code_check_char",
    "validate_credit_code",
]

CODE_LENGTH = 18

# The 31 characters of a USCC. A character's index is its value in the check-character sum:
# 0–9 = 0–9, A=10 B=11 … H=17, J=18 … N=22, P=23 Q=24 R=25, T=26 U=27, W=28 X=29 Y=30.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(CHARSET)}

# GB 32100 never uses these letters (easily confused with 1, 0, 2, 5 and U).
FORBIDDEN_LETTERS = frozenset("IOSVZ")

# Weights for positions 1..17 (they are 3**(i-1) mod 31).
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 organisation code: the check character of the 9-character body is computed over the
# first 8 characters, valued 0–9 = 0–9 and A–Z = 10–35, with these weights.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

MESSAGES = {
    "length": _("统一社会信用代码应为18位，当前为%(length)d位"),
    "forbidden_char": _(
        "统一社会信用代码第%(position)d位为字母“%(char)s”，统一社会信用代码不使用字母I、O、S、V、Z"
    ),
    "invalid_char": _(
        "统一社会信用代码第%(position)d位含有无效字符“%(char)s”，只能使用数字和大写英文字母"
    ),
    "region": _("统一社会信用代码第3至8位应为6位数字的行政区划码，当前为“%(region)s”"),
    "check_char": _("统一社会信用代码校验位错误：第18位应为“%(expected)s”，当前为“%(found)s”"),
    "org_check": _(
        "统一社会信用代码第9至17位（组织机构代码）校验失败：第17位应为“%(expected)s”，"
        "当前为“%(found)s”"
    ),
}


def normalize_credit_code(value: object) -> str:
    """The code as it should be stored: no whitespace anywhere, ASCII, upper case.

    NFKC folds full-width characters (``９１４２…``, common with Chinese input methods) and
    the ideographic space U+3000 to their ASCII forms before the whitespace is removed.
    ``None`` becomes the empty string.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).upper()


def credit_code_check_char(first17: str) -> str:
    """The 18th character (GB/T 17710 mod 31) for the first 17 characters of a code.

    Raises ``ValueError`` if ``first17`` is not 17 characters from :data:`CHARSET`.
    """
    if len(first17) != CODE_LENGTH - 1:
        raise ValueError(f"expected 17 characters, got {len(first17)}: {first17!r}")
    try:
        total = sum(_VALUE[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not allowed in a credit code") from None
    return CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character (position 17 of a USCC) for an 8-character body.

    Raises ``ValueError`` unless ``body8`` is 8 ASCII digits or upper-case letters.
    """
    if len(body8) != 8 or not all(char.isascii() and char.isalnum() for char in body8):
        raise ValueError(f"expected 8 ASCII letters or digits, got {body8!r}")
    if body8 != body8.upper():
        raise ValueError(f"organisation code body must be upper case: {body8!r}")
    total = sum(int(char, 36) * weight for char, weight in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _fail(code: str, **params: object) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params)


# The GB 11714 check on positions 9–17 is ENFORCED by default. Why: it is not part of the
# GB 32100 check character, so the project only enforces it because real codes reliably pass
# it. Both verified real examples pass (华为 914403001922038216: body 19220382 -> 1; 东风汽车集团
# 914200001000115161: body 10001151 -> 6), and so did all 383 real-world codes in
# python-stdnum's test list (tests/test_cn_uscc.doctest: enterprises, 个体工商户 "92…MA…" codes,
# a public institution "12…", a "L…" body), checked when this module was written. A code that
# passes the mod-31 check but fails this one is in practice a fabricated code (mock generators
# often compute only the 18th character) or has two typos. Bulk imports from official
# registries can pass ``check_org_code=False``: the reference notes warn that a few codes in
# the wild are anomalous and such records should be flagged, not dropped.
def validate_credit_code(value: object, *, check_org_code: bool = True) -> str:
    """Validate a USCC and return it normalised, or raise ``ValidationError``.

    Usable as a Django field validator (Django ignores the return value there, so normalise
    the stored value separately, e.g. with :func:`normalize_credit_code` in ``clean()``).

    Error codes, checked in this order: ``length``, ``forbidden_char``, ``invalid_char``
    (first bad position wins), ``region``, ``check_char``, ``org_check``.
    """
    code = normalize_credit_code(value)
    if len(code) != CODE_LENGTH:
        raise _fail("length", length=len(code))
    for position, char in enumerate(code, start=1):
        if char in FORBIDDEN_LETTERS:
            raise _fail("forbidden_char", position=position, char=char)
        if char not in _VALUE:
            raise _fail("invalid_char", position=position, char=char)
    region = code[2:8]
    if not region.isdigit():
        raise _fail("region", region=region)
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise _fail("check_char", expected=expected, found=code[17])
    if check_org_code:
        expected = org_code_check_char(code[8:16])
        if code[16] != expected:
            raise _fail("org_check", expected=expected, found=code[16])
    return code


def is_valid_credit_code(value: object, *, check_org_code: bool = True) -> bool:
    """``True`` if :func:`validate_credit_code` accepts ``value``."""
    try:
        validate_credit_code(value, check_org_code=check_org_code)
    except ValidationError:
        return False
    return True


def make_credit_code(authority: str, category: str, region_code: str, org_body8: str) -> str:
    """Build a valid code from its parts, computing positions 17 and 18.

    For demo and test data, e.g. ``make_credit_code("9", "1", "420100", "HB000001")`` for an
    enterprise (9 = 工商, 1 = 企业) registered in 武汉市. ``org_body8`` must use the USCC
    character set (no I, O, S, V, Z). Raises ``ValueError`` on bad parts; the result always
    passes :func:`validate_credit_code`.
    """
    authority, category = authority.upper(), category.upper()
    org_body8 = org_body8.upper()
    for name, part in (("authority", authority), ("category", category)):
        if len(part) != 1 or part not in _VALUE:
            raise ValueError(f"{name} must be one character of {CHARSET!r}, got {part!r}")
    if len(region_code) != 6 or not (region_code.isascii() and region_code.isdigit()):
        raise ValueError(f"region_code must be 6 digits, got {region_code!r}")
    if len(org_body8) != 8 or any(char not in _VALUE for char in org_body8):
        raise ValueError(f"org_body8 must be 8 characters of {CHARSET!r}, got {org_body8!r}")
    first17 = authority + category + region_code + org_body8 + org_code_check_char(org_body8)
    return first17 + credit_code_check_char(first17)
