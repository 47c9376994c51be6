"""Hypothesis properties of the target language."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.errors import TargetSyntaxError
from indicators.target import OutcomeStatus, Target, TargetKind, parse_target
from indicators.units import format_decimal

# characters the grammar cares about, to reach deep into it more often than arbitrary text does
_ALPHABET = (
    "0123456789.,%‰≥≤><=＞＝≧═～~-至[]()（）/·万亿元人次个天月年日前底"
    "以上内下含及不低于超过控制在较上年提高同比增长百分点优良中差合格是否每亩 。W度号末全且之间介事故"
    "A级景完成/"
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_unicode_gives_a_target_or_a_syntax_error(text: str) -> None:
    try:
        result = parse_target(text)
    except TargetSyntaxError as exc:
        error = exc
    else:
        assert isinstance(result, Target)
        return
    assert error.diagnostics


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=16))
def test_target_like_text_gives_a_target_or_a_syntax_error(text: str) -> None:
    try:
        result = parse_target(text)
    except TargetSyntaxError as exc:
        error = exc
    else:
        assert isinstance(result, Target)
        result.model_dump(mode="json")
        result.canonical()
        return
    assert error.diagnostics


_numbers = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)
_units = st.sampled_from([
    None, "%", "‰", "个", "人次", "万元", "元", "亿元", "元/人", "元/人·月",
    "次/月", "个工作日", "小时", "天", "亩", "平方米", "倍", "万人次",
])
_signs = st.sampled_from(["≥", ">", "=", "≤", "<", "不低于", "不超过", "大于", "低于", "至少"])
_suffixes = st.sampled_from(["", "以上", "以内", "及以上", "以下"])


@settings(max_examples=300, deadline=None)
@given(_numbers, _units, _signs)
def test_numeric_targets_round_trip_through_canonical(number: Decimal, unit: str | None, sign: str) -> None:
    text = f"{sign}{format_decimal(number)}{unit or ''}"
    target = parse_target(text)
    assert target.kind == TargetKind.NUMERIC
    again = parse_target(target.canonical())
    assert (again.comparator, again.bound, again.unit) == (target.comparator, target.bound, target.unit)
    assert again.canonical() == target.canonical()


@settings(max_examples=200, deadline=None)
@given(_numbers, _units, _suffixes)
def test_suffix_targets_round_trip(number: Decimal, unit: str | None, suffix: str) -> None:
    target = parse_target(f"{format_decimal(number)}{unit or ''}{suffix}")
    again = parse_target(target.canonical())
    assert (again.comparator, again.bound, again.unit) == (target.comparator, target.bound, target.unit)


@settings(max_examples=200, deadline=None)
@given(_numbers, _numbers, _units)
def test_ranges_round_trip(a: Decimal, b: Decimal, unit: str | None) -> None:
    low, high = min(a, b), max(a, b)
    target = parse_target(f"{format_decimal(low)}{unit or ''}-{format_decimal(high)}{unit or ''}")
    again = parse_target(target.canonical())
    assert (again.lower, again.upper, again.unit) == (target.lower, target.upper, target.unit)


_bounds = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
_actuals = st.decimals(min_value=-100, max_value=10**7, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(_bounds, _actuals, _actuals, st.sampled_from(["≥", ">", "不低于"]))
def test_raising_the_actual_never_lowers_achievement_for_ge(bound: Decimal, a: Decimal, b: Decimal,
                                                          sign: str) -> None:
    low, high = min(a, b), max(a, b)
    target = parse_target(f"{sign}{format_decimal(bound)}万元")
    first = target.evaluate(f"{format_decimal(low)}万元")
    second = target.evaluate(f"{format_decimal(high)}万元")
    assert first.achievement is not None
    assert second.achievement is not None
    assert second.achievement >= first.achievement
    assert not (first.status == OutcomeStatus.MET and second.status == OutcomeStatus.NOT_MET)


@settings(max_examples=300, deadline=None)
@given(_bounds, _actuals, _actuals, st.sampled_from(["≤", "<", "不超过", "控制在"]))
def test_lowering_the_actual_never_lowers_achievement_for_le(bound: Decimal, a: Decimal, b: Decimal,
                                                           sign: str) -> None:
    low, high = min(a, b), max(a, b)
    target = parse_target(f"{sign}{format_decimal(bound)}%")
    lower, higher = target.evaluate(f"{format_decimal(low)}%"), target.evaluate(f"{format_decimal(high)}%")
    assert lower.achievement is not None
    assert higher.achievement is not None
    assert lower.achievement >= higher.achievement
    assert not (higher.status == OutcomeStatus.MET and lower.status == OutcomeStatus.NOT_MET)


_targets = st.sampled_from([
    "≥1.5万元", "控制在100万元以内", "≤15000元", "=15000元",
    "1万元-2万元", "250万", "0.5亿元以内", "同比增长5%",
])


@settings(max_examples=300, deadline=None)
@given(_targets, st.decimals(min_value=0, max_value=10**5, places=4, allow_nan=False, allow_infinity=False))
def test_equal_quantities_in_different_units_give_identical_outcomes(target_text: str, wan: Decimal) -> None:
    target = parse_target(target_text)
    yuan = wan * 10000
    in_wan = target.evaluate(f"{format_decimal(wan)}万元", "100万元")
    in_yuan = target.evaluate(f"{format_decimal(yuan)}元", "1000000元")
    assert in_wan.status == in_yuan.status
    assert in_wan.achievement == in_yuan.achievement


def test_the_issue_example_of_equal_quantities() -> None:
    target = parse_target("≥1.2万元")
    a, b = target.evaluate("1.5万元"), target.evaluate("15000元")
    assert (a.status, a.achievement) == (b.status, b.achievement) == (OutcomeStatus.MET, Decimal("1.25"))
