"""Tests for analysis.numbers: width, numerals, units and qualifiers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.numbers import (
    _POST_QUALIFIER_FIRST,
    _POST_QUALIFIER_RE,
    _PRE_GAP_QUALIFIER_RE,
    _PRE_QUALIFIER_LAST,
    _PRE_QUALIFIER_RE,
    _may_gap_qualify,
    cn_to_number,
    gap_qualifier,
    normalize_width,
    parse_arabic,
    percent_of_fraction,
    qualifier_after,
    qualifier_before,
    read_qualifiers,
    unit_base,
    units,
)

# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [
        ("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105),
        ("一千二百", 1200), ("一千二", 1200), ("两千", 2000), ("一万二千", 12000), ("三万五", 35000),
        ("二〇二三", 2023), ("百", 100), ("九十九点七", 99.7), ("一亿二千万", 120_000_000),
    ],
)  # fmt: skip
def test_cn_to_number(numeral: str, expected: float) -> None:
    assert cn_to_number(numeral) == expected


@pytest.mark.parametrize("bad", ["", "三a", "点", "abc"])
def test_cn_to_number_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        cn_to_number(bad)


def test_parse_arabic() -> None:
    assert parse_arabic("1,234.5") == Decimal("1234.5")
    assert parse_arabic("0.50") == Decimal("0.50")


def test_normalize_width_keeps_length() -> None:
    raw = "立案８０宗，罚款１．５万元（含）：完成率９９．７％　"
    out = normalize_width(raw)
    assert len(out) == len(raw)
    assert out == "立案80宗,罚款1.5万元(含):完成率99.7% "


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("mag", "unit", "expected"),
    [
        ("", "宗", ("宗", "宗", 1)), ("万", "元", ("万元", "元", 10_000)), ("", "成", ("成", "%", 10)),
        ("", "平方", ("平方", "平方米", 1)), ("", "个工作日", ("个工作日", "工作日", 1)),
        ("亿", "元", ("亿元", "元", 100_000_000)), ("", r"场(次)", ("场(次)", "场次", 1)), ("万", "", ("万", "", 10_000)),
    ],
)  # fmt: skip
def test_units(mag: str, unit: str, expected: tuple[str, str, int]) -> None:
    assert units(mag, unit) == (expected[0], expected[1], Decimal(expected[2]))


def test_unit_base_of_rates() -> None:
    assert unit_base("个百分点") == ("百分点", 1)


# --------------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("全区逾八成", "八成", ("more_than", 2)), ("超过 1.4万人", "1.4", ("more_than", 0)), ("近7200余人次", "7200", ("nearly", 0)),
        ("约100亩", "100", ("about", 0)), ("不少于15学时", "15", ("at_least", 0)), ("签约3家", "3", None),
        ("附近5处", "5", None), ("立案80宗", "80", None),
    ],
)  # fmt: skip
def test_qualifier_before(text: str, number: str, expected: tuple[str, int] | None) -> None:
    assert qualifier_before(text, text.index(number)) == expected


@pytest.mark.parametrize(
    ("text", "unit_end", "unit", "expected"),
    [
        ("80%以上", 3, "%", ("more_than", 5)), ("30%左右", 3, "%", ("about", 5)), ("3天以内", 2, "天", ("at_most", 4)),
        ("两个月内完成", 3, "个月", ("at_most", 4)), ("3件内容", 2, "件", None), ("3天内容", 2, "天", None),
        ("5个工作日 以内", 5, "个工作日", ("at_most", 8)),
    ],
)  # fmt: skip
def test_qualifier_after(text: str, unit_end: int, unit: str, expected: tuple[str, int] | None) -> None:
    assert qualifier_after(text, unit_end, unit) == expected


def test_gap_qualifier() -> None:
    assert gap_qualifier("每月至少开展1次", 6) == "at_least"
    assert gap_qualifier("最多办理3件", 4) == "at_most"
    assert gap_qualifier("开展1次", 2) is None


def _implies_no_match(skip: Callable[[str], bool], find: Callable[[str], object]) -> Callable[[str], None]:
    def check(s: str) -> None:
        assert not skip(s) or find(s) is None

    return check


_WORDS = sorted(set(re.findall("[\u4e00-\u9fff]{1,4}", _PRE_QUALIFIER_RE.pattern + _POST_QUALIFIER_RE.pattern)))
_TEXT = st.one_of(
    st.text(max_size=20),
    st.lists(st.sampled_from(_WORDS + list("0123456789 \t立案宗个月天内的是在")), max_size=10).map("".join),
)
# name: (pattern whose matches generate text, check of the pre-check on any text)
_PRECHECKS: dict[str, tuple[re.Pattern[str], Callable[[str], None]]] = {
    "pre_qualifier": (_PRE_QUALIFIER_RE, _implies_no_match(
        lambda s: s.rstrip()[-1:] not in _PRE_QUALIFIER_LAST, _PRE_QUALIFIER_RE.search)),
    "pre_gap_qualifier": (_PRE_GAP_QUALIFIER_RE, _implies_no_match(
        lambda s: not _may_gap_qualify(s), _PRE_GAP_QUALIFIER_RE.search)),
    "post_qualifier": (_POST_QUALIFIER_RE, _implies_no_match(
        lambda s: not (s[:1] in _POST_QUALIFIER_FIRST or s[:1].isspace()), _POST_QUALIFIER_RE.match)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_PRECHECKS))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_qualifier_prechecks_only_skip_failures(name: str, data: st.DataObject) -> None:
    rx, check = _PRECHECKS[name]
    check(data.draw(st.one_of(_TEXT, st.from_regex(rx, fullmatch=name == "post_qualifier"))))


# --------------------------------------------------------------------------- robustness (issue 12)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        ("2", "3", "66.67"), ("1", "1" * 25, "0.00"), ("1" + "0" * 29, "4", "25" + "0" * 29 + ".00"),
        ("1", "0.0000000000000000000001", "1" + "0" * 24 + ".00"),
    ],
)  # fmt: skip
def test_percent_of_fraction_of_any_length(numerator: str, denominator: str, expected: str) -> None:
    assert percent_of_fraction(Decimal(numerator), Decimal(denominator)) == Decimal(expected)


def test_percent_of_fraction_rejects_zero() -> None:
    with pytest.raises(ValueError):
        percent_of_fraction(Decimal(1), Decimal(0))


def test_long_fractions_parse() -> None:
    """A fraction with a 25-digit denominator (or numerator) is read, not an error."""
    from analysis.indicators import audit_numbers, extract_indicators

    for text in ("1234567890123456789012345分之1的群众参与。", "3分之1234567890123456789012345678901234。",
                 "百分之1234567890123456789012345678901。", "三分之一亿亿亿亿亿亿亿亿亿亿亿亿。"):  # fmt: skip
        got = extract_indicators(text)
        assert len(got) == 1 and got["unit"].item() == "%"
        assert len(audit_numbers(text)) == 1


def test_traditional_decimal_point_and_digit_groups() -> None:
    assert cn_to_number("十二點五") == 12.5
    assert parse_arabic("1 286") == Decimal(1286)


_NUMERALS = st.text(alphabet=st.sampled_from(list("零〇一二两三四五六七八九十百千万亿点點a")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(_NUMERALS)
def test_property_cn_to_number_raises_only_value_error(s: str) -> None:
    try:
        value = cn_to_number(s)
    except ValueError:
        return
    assert value >= 0


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, allow_nan=False, allow_infinity=False), st.decimals(allow_nan=False, allow_infinity=False))
def test_property_percent_of_fraction_never_fails(numerator: Decimal, denominator: Decimal) -> None:
    if denominator == 0:
        with pytest.raises(ValueError):
            percent_of_fraction(numerator, denominator)
    else:
        assert percent_of_fraction(numerator, denominator).as_tuple().exponent == -2


def _qualifiers_one_by_one(t: str, start: int, end: int, unit: str, qualifier: str) -> tuple[str, int, int]:
    before = qualifier_before(t, start)
    qstart = start
    if before is not None:
        qualifier, qstart = before[0] or qualifier, before[1]
    elif not qualifier and (gap := gap_qualifier(t, start)) is not None:
        qualifier = gap
    after = qualifier_after(t, end, unit)
    if after is not None:
        if before is None:
            qualifier = after[0]
        end = after[1]
    return qualifier, qstart, end


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(_WORDS + list("0123456789 \t立案宗个月天内的是在以上左右之")), max_size=8).map("".join),
    st.sampled_from(["12", "3", "八"]),
    st.sampled_from(["件", "个月", "天", "%", "个工作日", ""]),
    st.lists(st.sampled_from(_WORDS + list("内以上左右之下 的")), max_size=4).map("".join),
    st.sampled_from(["", "more_than"]),
)
def test_read_qualifiers_is_the_three_readers(before: str, number: str, unit: str, after: str, qualifier: str) -> None:
    t = before + number + unit + after
    start, end = len(before), len(before) + len(number) + len(unit)
    assert read_qualifiers(t, start, end, unit, qualifier) == _qualifiers_one_by_one(t, start, end, unit, qualifier)
