"""Approximate figures (70%左右, 约100人, 控制在3%左右): a bound reached within a tolerance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from indicators import resources
from indicators.forms import read_form_text
from indicators.scoring import score_form
from indicators.target import OutcomeStatus, TargetKind, parse_actual, parse_target
from indicators.target.vocabulary import load_vocabulary

D = Decimal
MET, NOT_MET = OutcomeStatus.MET, OutcomeStatus.NOT_MET

# (target, parse_target keyword arguments, canonical, the bound to reach)
READINGS: list[tuple[str, dict[str, Any], str, Decimal]] = [
    ("70%左右", {}, "≥70%左右", D("66.5")),
    ("约70%", {}, "≥70%左右", D("66.5")),
    ("大约70%", {}, "≥70%左右", D("66.5")),
    ("70%上下", {}, "≥70%左右", D("66.5")),
    ("约100人", {}, "≥100人左右", D("95")),
    ("控制在3%左右", {}, "≤3%左右", D("3.15")),
    ("不低于70%左右", {}, "≥70%左右", D("66.5")),
    ("200万元左右", {"level2": "成本指标"}, "≤200万元左右", D("210")),
    ("-2%左右", {}, "≥-2%左右", D("-2.1")),
]


@pytest.mark.parametrize(("text", "kwargs", "canonical", "reach"), READINGS, ids=[r[0] for r in READINGS])
def test_an_approximate_figure_is_a_bound_with_a_tolerance(
    text: str, kwargs: dict[str, Any], canonical: str, reach: Decimal
) -> None:
    target = parse_target(text, **kwargs)
    assert target.kind is TargetKind.NUMERIC
    assert target.tolerance == D("0.05")
    assert target.reach() == reach
    assert target.canonical() == canonical
    again = parse_target(canonical, **kwargs)
    assert (again.canonical(), again.reach()) == (canonical, reach)
    assert [w.code for w in target.warnings] == ["IND228"]


def test_the_reading_is_said_with_its_tolerance() -> None:
    (note,) = parse_target("70%左右").warnings
    assert note.message == "指标值“70%左右”是约数，按“≥70%”理解，与之相差不到其5%的实际值也算达到"
    assert note.span is not None
    assert (note.span.start, note.span.end) == (0, 5)


JUDGED: list[tuple[str, str, OutcomeStatus]] = [
    ("70%左右", "71.2%", MET),
    ("70%左右", "66.5%", MET),  # on the edge of the tolerance
    ("70%左右", "66.4%", NOT_MET),
    ("控制在3%左右", "3.15%", MET),
    ("控制在3%左右", "3.2%", NOT_MET),
    ("约100人", "96人", MET),
    ("70%", "69%", NOT_MET),  # a plain figure has no tolerance
]


@pytest.mark.parametrize(("target", "actual", "status"), JUDGED, ids=[f"{t} | {a}" for t, a, _ in JUDGED])
def test_an_approximate_figure_is_met_within_its_tolerance(
    target: str, actual: str, status: OutcomeStatus
) -> None:
    outcome = parse_target(target).evaluate(parse_actual(actual))
    assert outcome.status is status


def test_the_explanation_names_the_figure_and_the_bound() -> None:
    outcome = parse_target("70%左右").evaluate(parse_actual("67%"))
    assert "要求约70%，即不低于66.5%" in outcome.explanation


def test_words_that_only_look_approximate_are_not_read_as_such() -> None:
    assert parse_target("≥70%").tolerance is None
    assert parse_target("约定时间内完成").kind is not TargetKind.NUMERIC


def test_the_tolerance_is_data() -> None:
    shipped = resources.catalog_text("completion.yaml")
    assert "approximate_tolerance: 0.05" in shipped
    assert load_vocabulary(shipped).approximate_tolerance == D("0.05")
    wider = load_vocabulary(shipped.replace("approximate_tolerance: 0.05", "approximate_tolerance: 0.1"))
    assert wider.approximate_tolerance == D("0.1")


FORM = """一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分
产出指标\t数量指标\t报销比例\t70%左右\t67%\t50\t50
效益指标\t可持续影响指标\t基金运行平稳\t平稳运行\t基本平稳\t50\t35
"""


def test_scoring_reaches_the_figure_within_its_tolerance_and_a_hedged_state_is_partial() -> None:
    sheet = score_form(read_form_text(FORM))
    by_name = {line.level3: line for line in sheet.lines}
    assert by_name["报销比例"].score == D("50.00")
    hedged = by_name["基金运行平稳"]
    assert str(hedged.status) == "partial"
    assert hedged.score == D("35.00")  # the unit's score stands: inside the partial band


RELATIVE: list[tuple[str, str, str, OutcomeStatus]] = [
    ("较上年提高2个百分点左右", "5.95%", "4%", MET),  # 1.9 points will do
    ("较上年提高2个百分点左右", "5.85%", "4%", NOT_MET),
    ("较上年提高2个百分点", "5.95%", "4%", NOT_MET),
    ("同比下降3%左右", "97.1", "100", MET),
    ("同比增长10%左右", "109.5", "100", MET),
]


@pytest.mark.parametrize(
    ("target", "actual", "baseline", "status"), RELATIVE, ids=[r[0] + r[1] for r in RELATIVE]
)
def test_an_approximate_change_is_met_within_its_tolerance(
    target: str, actual: str, baseline: str, status: OutcomeStatus
) -> None:
    parsed = parse_target(target)
    outcome = parsed.evaluate(parse_actual(actual), baseline=parse_actual(baseline))
    assert outcome.status is status
    assert parse_target(parsed.canonical()).canonical() == parsed.canonical()


def test_an_approximate_change_keeps_its_mark_and_says_so() -> None:
    target = parse_target("较上年提高2个百分点左右")
    assert target.kind is TargetKind.RELATIVE
    assert target.canonical() == "较上年提高2个百分点左右"
    assert [w.code for w in target.warnings] == ["IND228"]
