"""Every error path of the target parser: a TargetSyntaxError with a code, a position and a hint."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.errors import TargetSyntaxError, ValueSyntaxError
from indicators.limits import Limits
from indicators.target import parse_actual, parse_target

# text -> (code, column of the span, a word the hint must contain)
CASES = [
    ("≧ %", "IND201", 3, "数值"),
    ("万亩", "IND202", 1, "100万亩"),
    ("/", "IND201", 1, "数值"),
    ("", "IND203", 1, "95%以上"),
    ("   ", "IND203", 1, "95%以上"),
    ("≥", "IND202", 1, "≥95%"),
    ("以上", "IND202", 1, "95%以上"),
    ("以内", "IND202", 1, "5%以内"),
    ("95%以内以上", "IND201", 6, "95%以上"),
    ("≥5%以内", "IND209", 1, "只保留一个比较词"),
    ("13月前", "IND216", 1, "9月前"),
    ("100-90%", "IND216", 1, "90%-100%"),
    ("abc", "IND201", 1, "写法"),
    ("95%%", "IND201", 4, "写法"),
    ("≥95元元", "IND201", 5, "写法"),
    ("2023年13月", "IND216", 1, "写法"),
    ("10月32日前", "IND216", 1, "写法"),
    ("2月30日前", "IND216", 1, "2月29日前"),
    ("2025年4月31日前", "IND216", 1, "2025年4月30日前"),
    ("1万元-2人", "IND216", 1, "写法"),
    (".0年底前", "IND216", 1, "写法"),
    ("95%以上(含90%)", "IND216", 1, "95%以上"),
    ("≥90%且≥100%", "IND216", 1, "90%-100%"),
    (">90%且<100%", "IND216", 1, "90%-100%"),
    ("1.5月前", "IND216", 1, "写法"),
    ("2,025年底前", "IND216", 1, "写法"),
    ("30号内", "IND301", 1, "写法"),
    # dates in digits
    ("2025-13-01", "IND216", 1, "写法"),
    ("2025-04-31", "IND216", 1, "2025年4月30日"),
    ("2025/2/29前", "IND216", 1, "2025年2月28日"),
    ("3000-01-01", "IND216", 1, "写法"),
    ("2025-06/30", "IND201", 9, "写法"),
    # letter grades
    ("AAAAAA", "IND201", 6, "写法"),
    ("6A", "IND201", 2, "写法"),
    ("3A级以下", "IND201", 4, "写法"),
]


@pytest.mark.parametrize(("text", "code", "column", "hint_word"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_syntax_errors(text: str, code: str, column: int, hint_word: str) -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(text)
    d = info.value.diagnostic
    assert d.code == code
    assert d.hint is not None
    assert hint_word in d.hint
    if text.strip():
        assert d.span is not None
        assert d.span.column == column
    assert isinstance(info.value, ValueError)


def test_too_long() -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target("9" * 30, limits=Limits(max_text_length=20))
    assert info.value.diagnostic.code == "IND001"


def test_unknown_caller_unit_is_ignored_with_a_warning() -> None:
    target = parse_target("95%以上", unit="斤两")
    assert target.unit == "%"
    assert [(w.code, w.severity.value) for w in target.warnings] == [("IND301", "warning")]


@pytest.mark.parametrize("column", ["/", "-", "无", "定性", ""], ids=["/", "-", "无", "定性", "empty"])
def test_placeholder_unit_column_means_no_unit(column: str) -> None:
    target = parse_target("95", unit=column)
    assert (target.unit, target.warnings) == (None, ())


def test_error_renders_a_caret() -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target("≧ %")
    rendered = info.value.render()
    assert "≧ %" in rendered
    assert "^" in rendered


ACTUAL_ERRORS = [
    ("", "IND210"),
    ("xx%%", "IND210"),
    ("/", "IND210"),
    ("万亩", "IND210"),
    ("2023年13月", "IND210"),
    ("至5%", "IND210"),
    ("2025年2月30日", "IND210"),
    ("2023-02-29", "IND210"),
    ("2025/13/1", "IND210"),
    ("2025.4.31", "IND210"),
    ("2025-06-30前吧", "IND210"),
    ("3A级以下", "IND210"),
    ("≥", "IND210"),
    ("以上", "IND210"),
]


@pytest.mark.parametrize(("text", "code"), ACTUAL_ERRORS, ids=[c[0] or "empty" for c in ACTUAL_ERRORS])
def test_actual_errors(text: str, code: str) -> None:
    with pytest.raises(ValueSyntaxError) as info:
        parse_actual(text)
    assert info.value.diagnostic.code == code
    assert info.value.diagnostic.hint


def test_actual_too_long() -> None:
    with pytest.raises(ValueSyntaxError) as info:
        parse_actual("9" * 30, limits=Limits(max_text_length=20))
    assert info.value.diagnostic.code == "IND001"


def test_actual_unknown_unit_column_is_not_applied() -> None:
    actual = parse_actual("96", unit="斤两")
    assert (actual.value, actual.unit) == (Decimal(96), None)


def test_impossible_value_is_not_called_incomplete() -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target("13月前")
    message = info.value.diagnostic.message
    assert "不完整" not in message
    assert message == "指标值“13月前”不合理：月份“13”不在1-12之间"


def test_hint_of_a_bare_comparator_word_shows_a_number() -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target("以上")
    hint = info.value.diagnostic.hint or ""
    assert any(ch.isdigit() for ch in hint), hint


def test_actual_error_quotes_the_rest_of_the_text() -> None:
    with pytest.raises(ValueSyntaxError) as info:
        parse_actual("100%以上吗")
    d = info.value.diagnostic
    assert d.message == "无法识别的实际完成值“以上吗”"
    assert d.span is not None
    assert (d.span.column, d.span.end_column) == (5, 8)


@pytest.mark.parametrize("text", ["2024年2月29日", "2月29日"])
def test_a_leap_day_is_a_date(text: str) -> None:
    assert parse_actual(text).date is not None
