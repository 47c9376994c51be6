"""Units in targets and actual values: new units, mixed units, kinds of count, units outside the table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.errors import TargetSyntaxError
from indicators.target import ActualKind, OutcomeStatus, TargetKind, parse_actual, parse_target

D = Decimal
MET, NOT_MET, NC = OutcomeStatus.MET, OutcomeStatus.NOT_MET, OutcomeStatus.NOT_COMPARABLE

# (target, actual, status)
CHECKS: list[tuple[str, str, OutcomeStatus]] = [
    ("300万粒", "320万粒", MET),
    ("300万粒", "2800000粒", NOT_MET),
    ("≥1万株", "12000棵", MET),
    ("≥1000米", "1.5公里", MET),
    ("≥1.5公里", "1000米", NOT_MET),
    ("≥2千米", "2000m", MET),
    ("≥80M", "85米", MET),
    ("≥80M", "0.08km", MET),
    ("≥30厘米", "0.4米", MET),
    ("≥10亩", "1公顷", MET),
    ("≥1公顷", "14亩", NOT_MET),
    ("≥5000m²", "6000平方米", MET),
    ("≥2平方公里", "300公顷", MET),
    ("≥20m³", "25方", MET),
    ("≥2吨", "2500公斤", MET),
    ("≥100斤", "60千克", MET),
    ("≥100斤", "40kg", NOT_MET),
    ("≥10kW", "12千瓦", MET),
    ("≥100度", "120千瓦时", MET),
    ("≤1600元/亩", "1500元/亩", MET),
    ("≤2.4元/平方米", "1500元/亩", MET),
    ("≥530元/人·月", "6000元/人·年", NOT_MET),
    ("≥530元/人*月", "600元/人/月", MET),
    ("≤50万元/公里", "45万元/公里", MET),
    ("≥3万人", "35000人", MET),
    ("≥1.5万人次", "16000人次", MET),
    ("≥5只", "6只", MET),
    ("≥5只", "6个", MET),
    ("≥5个", "6只", MET),
    ("≥5株", "6棵", MET),
    ("≥3期", "4场", MET),
    ("≥3班次", "2期", NOT_MET),
    ("≥20座", "20处", MET),
    ("≥10台套", "12套", MET),
    ("≥200人日", "250工日", MET),
    # a count for the year against a target per period (the self-evaluation covers the year)
    ("1次/年", "1次", MET),
    ("≥2次/年", "1次", NOT_MET),
    ("≥1次/月", "12次", MET),
    ("≥1次/月", "10次", NOT_MET),
    ("≥2次/季度", "8次", MET),
    ("≥1期/季度", "4期", MET),
    ("≥50人次/月", "650人次", MET),
    ("4次/年", "4人次", NC),  # a count of other things
    ("≥1次/日", "365次", NC),  # a target per day is not spread over the year
    # counts of different things
    ("≥5只", "6头", NC),
    ("≥5头", "6只", NC),
    ("≥100人", "120人次", NC),
    ("≥100户", "300人", NC),
    ("≥5辆", "6艘", NC),
    ("≥500元/人", "600元/户", NC),
    # units outside the table: the same word compares, through its scale word
    ("300万樽", "320万樽", MET),
    ("300万樽", "3200000樽", MET),
    ("300万樽", "2000000樽", NOT_MET),
    ("≥5台班", "4台班", NOT_MET),
    ("≥5台班", "6个", NC),
    ("300万樽", "320万粒", NC),
    ("300万樽", "320万", NC),
    ("≥100kwh", "120kwh", MET),
]


@pytest.mark.parametrize(("target", "actual", "status"), CHECKS, ids=[f"{t} | {a}" for t, a, _ in CHECKS])
def test_units_judged(target: str, actual: str, status: OutcomeStatus) -> None:
    outcome = parse_target(target).evaluate(actual)
    assert outcome.status == status, outcome.explanation


def test_counts_of_different_things_say_why() -> None:
    outcome = parse_target("≥5只").evaluate("6头")
    assert "“头”与“只”计数的不是同一种事物" in outcome.explanation
    assert [d.code for d in outcome.diagnostics] == ["IND211"]


UNKNOWN: list[tuple[str, Decimal, str, str]] = [
    ("300万樽", D(300), "万樽", "樽"),
    ("≥5台班", D(5), "台班", "台班"),
    ("不少于20樽井", D(20), "樽井", "樽井"),
    ("≥3000元/吨公里", D(3000), "元/吨公里", "吨公里"),
    ("≥100kwh", D(100), "kwh", "kwh"),
    ("10樽以上", D(10), "樽", "樽"),
]


@pytest.mark.parametrize(("text", "bound", "unit", "word"), UNKNOWN, ids=[u[0] for u in UNKNOWN])
def test_a_unit_outside_the_table_is_a_warning_naming_it(
    text: str, bound: Decimal, unit: str, word: str
) -> None:
    target = parse_target(text)
    assert (target.kind, target.bound, target.unit) == (TargetKind.NUMERIC, bound, unit)
    note = next(w for w in target.warnings if w.code == "IND303")
    assert note.severity.value == "warning"
    assert f"“{word}”" in note.message
    assert note.span is not None
    # it reads back the same
    assert parse_target(target.canonical()).unit == unit


def test_an_actual_in_a_unit_outside_the_table() -> None:
    actual = parse_actual("320万樽")
    assert (actual.kind, actual.value, actual.unit) == (ActualKind.NUMERIC, D(320), "万樽")
    assert [w.code for w in actual.warnings] == ["IND303"]


def test_a_range_in_a_unit_outside_the_table() -> None:
    target = parse_target("1万-2万樽")
    assert (target.lower, target.upper, target.unit) == (D(1), D(2), "万樽")
    assert target.evaluate("15000樽").status == MET


# never taken for a unit: the text stays an error
@pytest.mark.parametrize(("text", "code"), [
    ("≥95元元", "IND201"),          # made of known units: a slip
    ("30号内", "IND301"),           # a day word used as a unit
    ("12月底前完成任务", "IND201"),  # words of the target language
    ("6A", "IND201"),               # a grade letter
    ("≥5以上以下", "IND201"),
    ("100%优秀", "IND201"),
], ids=str)
def test_not_a_unit(text: str, code: str) -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(text)
    assert info.value.diagnostic.code == code


def test_the_examples_units_need_no_warning() -> None:
    published = ("300万粒", "≥80M", "≥100公里", "≥20座", "1600元/亩", "3500公斤", "≥500亩", "≥2倍",
                 "4000万元")
    for text in published:
        target = parse_target(text)
        assert not [w for w in target.warnings if w.code in ("IND301", "IND303")], text


def test_a_year_total_says_how_it_was_read() -> None:
    outcome = parse_target("≥1次/月").evaluate(parse_actual("10次"))
    assert outcome.status is NOT_MET
    assert outcome.explanation == (
        "实际值0.8333…次/月未达到指标值“≥1次/月”（要求不低于1次/月），完成度83.33%"
        "（实际值“10次”是全年数，按“次/年”理解）"
    )

