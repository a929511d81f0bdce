"""Unified Social Credit Code (GB 32100-2015) validation. Pure logic: no database."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db.migrations.serializer import serializer_factory
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.credit_code import (
    CHARSET,
    MESSAGES,
    credit_code_check_char,
    is_valid_credit_code,
    make_credit_code,
    normalize_credit_code,
    org_code_check_char,
    validate_credit_code,
)

HUAWEI = "914403001922038216"  # 华为技术有限公司, zh.wikipedia infobox
DONGFENG = "914200001000115161"  # 东风汽车集团有限公司, registered by the Hubei authority 420000

# Real codes from python-stdnum tests/test_cn_uscc.doctest ("found online"): an enterprise in
# 湖北 (420684 宜城市), a public institution (12…), an "L…" body, 个体工商户 (92…MA…) and codes
# whose check characters are letters. They pin down the decision to enforce the GB 11714 check.
REAL_CODES = [
    HUAWEI,
    DONGFENG,
    "91420684MA4927PJ7B",
    "121200004013590816",
    "91110000600037341L",
    "9115220107837941X1",
    "91620105L015101280",
    "91310115MA1K3BTP2B",
    "92340602MA2PEL8AXA",
    "92340621MA2PBKRXXG",
    "92340603MA2PBMYMX1",
    "9144030071526726XG",
]

# Real Hubei GB/T 2260 codes: the province, the 12 prefecture-level cities, 恩施州, the three
# province-administered cities, 神农架林区, and some districts and counties.
HUBEI_REGIONS = [
    "420000",
    "420100",
    "420102",
    "420111",
    "420115",
    "420200",
    "420300",
    "420500",
    "420600",
    "420684",
    "420700",
    "420800",
    "420900",
    "421000",
    "421100",
    "421200",
    "421300",
    "422800",
    "429004",
    "429005",
    "429006",
    "429021",
]

# Autouse fixtures from tests/conftest.py are function-scoped; they only reset state around a
# test, which is harmless to share between hypothesis examples.
hypothesis_settings = settings(
    max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def error_of(value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value, **kwargs)
    return excinfo.value


def message_of(error: ValidationError) -> str:
    with translation.override("zh-hans"):
        (message,) = error.messages
    return message


# --- valid codes --------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    assert validate_credit_code(code) == code
    assert is_valid_credit_code(code)


def test_weights_are_powers_of_three_mod_31():
    from enterprises.credit_code import _WEIGHTS

    assert tuple(pow(3, i, 31) for i in range(17)) == _WEIGHTS


def test_charset_has_31_characters_without_forbidden_letters():
    assert len(CHARSET) == len(set(CHARSET)) == 31
    assert not set("IOSVZ") & set(CHARSET)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 914403001922038216 ", HUAWEI),
        ("\t914200001000115161\n", DONGFENG),
        ("9144 0300 1922 0382 16", HUAWEI),
        ("91420684ma4927pj7b", "91420684MA4927PJ7B"),
        ("  91420684Ma4927pJ7b\r\n", "91420684MA4927PJ7B"),
        # full-width digits and letters, and the ideographic space, from Chinese input methods
        ("９１４２００００１０００１１５１６１", DONGFENG),
        ("\u3000９１４２０６８４ＭＡ４９２７ＰＪ７Ｂ\u3000", "91420684MA4927PJ7B"),
    ],
)
def test_input_is_normalised(raw, expected):
    assert validate_credit_code(raw) == expected
    assert normalize_credit_code(raw) == expected


def test_normalize_none_is_empty():
    assert normalize_credit_code(None) == ""


# --- check character ----------------------------------------------------------------------


def test_known_check_characters():
    assert credit_code_check_char(HUAWEI[:17]) == "6"
    assert credit_code_check_char(DONGFENG[:17]) == "1"
    assert credit_code_check_char("0" * 17) == "0"
    assert credit_code_check_char("91420100000000369") == "Y"


def test_changed_check_character_is_rejected_naming_the_expected_one():
    error = error_of("914403001922038217")
    assert error.code == "check_char"
    assert error.params == {"expected": "6", "found": "7"}
    message = message_of(error)
    assert "“6”" in message
    assert "“7”" in message
    assert "校验位" in message


@pytest.mark.parametrize("wrong", [c for c in CHARSET if c != "6"])
def test_every_other_check_character_is_rejected(wrong):
    error = error_of(HUAWEI[:17] + wrong)
    assert error.code == "check_char"
    assert error.params["expected"] == "6"


@pytest.mark.parametrize("bad", ["", HUAWEI[:16], HUAWEI, "9144030019220382I", "91440300192203-82"])
def test_check_char_function_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        credit_code_check_char(bad)


# --- length -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "length"),
    [
        (HUAWEI[:17], 17),
        (HUAWEI + "6", 19),
        ("", 0),
        ("   ", 0),
        (None, 0),
        ("9", 1),
        (HUAWEI * 2, 36),
    ],
)
def test_wrong_length(value, length):
    error = error_of(value)
    assert error.code == "length"
    assert error.params == {"length": length}
    assert f"当前为{length}位" in message_of(error)
    assert "18位" in message_of(error)


# --- characters ---------------------------------------------------------------------------


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
@pytest.mark.parametrize("position", [1, 2, 10, 17, 18])
def test_forbidden_letters(letter, position):
    code = HUAWEI[: position - 1] + letter + HUAWEI[position:]
    error = error_of(code)
    assert error.code == "forbidden_char"
    assert error.params == {"position": position, "char": letter}
    message = message_of(error)
    assert f"第{position}位" in message
    assert f"“{letter}”" in message


@pytest.mark.parametrize("letter", ["i", "o", "s", "v", "z"])
def test_forbidden_letters_in_lower_case(letter):
    error = error_of(HUAWEI[:9] + letter + HUAWEI[10:])
    assert error.code == "forbidden_char"
    assert error.params == {"position": 10, "char": letter.upper()}


def test_forbidden_letter_in_region_is_reported_as_forbidden():
    error = error_of("91O403001922038216")
    assert error.code == "forbidden_char"
    assert error.params["position"] == 3


@pytest.mark.parametrize("char", ["-", "*", "_", "中", "é", ".", "#"])
def test_other_invalid_characters(char):
    error = error_of(HUAWEI[:11] + char + HUAWEI[12:])
    assert error.code == "invalid_char"
    assert error.params == {"position": 12, "char": char.upper()}  # reported normalised
    assert "第12位" in message_of(error)


def test_first_bad_position_wins():
    error = error_of("9*440300192203821S")
    assert error.code == "invalid_char"
    assert error.params["position"] == 2


@pytest.mark.parametrize("position", range(3, 9))
def test_region_must_be_six_digits(position):
    code = HUAWEI[: position - 1] + "A" + HUAWEI[position:]
    error = error_of(code)
    assert error.code == "region"
    assert error.params == {"region": code[2:8]}
    assert code[2:8] in message_of(error)


def test_letters_allowed_outside_region():
    # Y = 其他 registration authority; letters in the body and the check character.
    code = make_credit_code("Y", "1", "420100", "ABCDEFGH")
    assert validate_credit_code(code) == code


# --- GB 11714 organisation-code check -----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("19220382", "1"),  # Huawei
        ("10001151", "6"),  # Dongfeng
        ("MA4927PJ", "7"),
        ("00000001", "9"),
        ("00000006", "X"),  # 11 - r == 10
        ("HB000002", "0"),  # 11 - r == 11
    ],
)
def test_org_code_check_char(body, check):
    assert org_code_check_char(body) == check


@pytest.mark.parametrize("bad", ["1922038", "192203821", "1922038-", "ma4927pj", "中国000000"])
def test_org_code_check_char_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        org_code_check_char(bad)


def _with_wrong_org_check(code: str) -> str:
    """``code`` with position 17 changed and position 18 recomputed: passes mod 31 only."""
    wrong = "2" if code[16] != "2" else "3"
    first17 = code[:16] + wrong
    return first17 + credit_code_check_char(first17)


def test_org_check_failure():
    code = _with_wrong_org_check(HUAWEI)
    error = error_of(code)
    assert error.code == "org_check"
    assert error.params == {"expected": "1", "found": code[16]}
    message = message_of(error)
    assert "组织机构代码" in message
    assert "“1”" in message


def test_org_check_can_be_turned_off_for_registry_imports():
    code = _with_wrong_org_check(DONGFENG)
    assert not is_valid_credit_code(code)
    assert validate_credit_code(code, check_org_code=False) == code
    assert is_valid_credit_code(code, check_org_code=False)


def test_mod31_check_comes_before_org_check():
    # A single typo in the body breaks both checks; the GB 32100 check is reported.
    code = HUAWEI[:10] + "3" + HUAWEI[11:]
    assert error_of(code).code == "check_char"


# --- messages and Django integration ------------------------------------------------------


def test_messages_are_lazy_translatable_chinese():
    assert set(MESSAGES) == {
        "length",
        "forbidden_char",
        "invalid_char",
        "region",
        "check_char",
        "org_check",
    }
    for message in MESSAGES.values():
        assert isinstance(message, Promise)
        with translation.override("zh-hans"):
            assert "统一社会信用代码" in str(message)


def test_works_as_form_field_validator():
    field = forms.CharField(validators=[validate_credit_code])
    assert field.clean(HUAWEI) == HUAWEI
    with pytest.raises(ValidationError) as excinfo:
        field.clean("914403001922038217")
    assert [e.code for e in excinfo.value.error_list] == ["check_char"]


def test_works_as_model_field_validator():
    from django.db import models

    field = models.CharField(max_length=18, validators=[validate_credit_code])
    field.run_validators(DONGFENG)
    with pytest.raises(ValidationError) as excinfo:
        field.run_validators("91420000100011516")
    assert [e.code for e in excinfo.value.error_list] == ["length"]


def test_validator_is_serialisable_in_migrations():
    path, imports = serializer_factory(validate_credit_code).serialize()
    assert path == "enterprises.credit_code.validate_credit_code"
    assert imports == {"import enterprises.credit_code"}


# --- make_credit_code ---------------------------------------------------------------------


def test_make_credit_code_rebuilds_real_codes():
    assert make_credit_code("9", "1", "440300", "19220382") == HUAWEI
    assert make_credit_code("9", "1", "420000", "10001151") == DONGFENG
    assert make_credit_code("9", "1", "420684", "ma4927pj") == "91420684MA4927PJ7B"


@pytest.mark.parametrize(
    "args",
    [
        ("I", "1", "420100", "HB000001"),
        ("91", "1", "420100", "HB000001"),
        ("9", "", "420100", "HB000001"),
        ("9", "1", "42010", "HB000001"),
        ("9", "1", "4201A0", "HB000001"),
        ("9", "1", "420100", "DEMO0001"),  # O is not allowed
        ("9", "1", "420100", "HB00001"),
        ("9", "1", "420100", "HB-00001"),
    ],
)
def test_make_credit_code_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        make_credit_code(*args)


bodies = st.text(alphabet=CHARSET, min_size=8, max_size=8)
hubei_regions = st.one_of(
    st.sampled_from(HUBEI_REGIONS),
    st.integers(min_value=0, max_value=9999).map(lambda n: f"42{n:04d}"),
)


@hypothesis_settings
@given(
    authority=st.sampled_from("159Y"),
    category=st.sampled_from(CHARSET),
    region=hubei_regions,
    body=bodies,
)
def test_make_credit_code_always_validates(authority, category, region, body):
    code = make_credit_code(authority, category, region, body)
    assert len(code) == 18
    assert code[:16] == authority + category + region + body
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@hypothesis_settings
@given(
    region=hubei_regions,
    body=bodies,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(CHARSET),
)
def test_any_single_substitution_is_rejected(region, body, position, replacement):
    code = make_credit_code("9", "1", region, body)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(changed)
    assert excinfo.value.code in {"region", "check_char"}


@hypothesis_settings
@given(text=st.text(max_size=25))
def test_arbitrary_text_either_validates_or_raises_validation_error(text):
    try:
        code = validate_credit_code(text)
    except ValidationError as error:
        assert error.code in MESSAGES
    else:
        assert len(code) == 18
        assert is_valid_credit_code(code)
