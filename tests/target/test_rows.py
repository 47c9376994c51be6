"""What the row says: a month on a 时效 row is a deadline, on a 服务周期 row a period; rates at 100%."""

from __future__ import annotations

import pytest

from indicators.target import OutcomeStatus, TargetKind, parse_target
from indicators.target.rows import is_rate, time_rule

MET, NOT_MET = OutcomeStatus.MET, OutcomeStatus.NOT_MET

RULES: list[tuple[str | None, str | None, str | None]] = [
    ("项目完工时限", None, "deadline"),
    ("工程竣工时间", None, "deadline"),
    ("资金拨付及时性", None, "deadline"),
    ("项目建设进度", None, "deadline"),
    ("设备采购完成时间", None, "deadline"),
    ("报告提交截止时间", None, "deadline"),
    ("按期交付率", None, "deadline"),
    ("项目实施", "时效指标", "deadline"),
    ("项目实施", "时效", "deadline"),
    ("服务周期", None, "period"),
    ("服务周期", "时效指标", "period"),  # the name wins
    ("项目实施期", "时效指标", "period"),
    ("运营期", None, "period"),
    ("培训人数", "数量指标", None),
    (None, None, None),
    ("验收合格率", "质量指标", None),
]


@pytest.mark.parametrize(("indicator", "level2", "rule"), RULES, ids=[f"{i} {l2}" for i, l2, _ in RULES])
def test_time_rule(indicator: str | None, level2: str | None, rule: str | None) -> None:
    assert time_rule(indicator, level2) == rule


# (target, actual, indicator, level2, status)
CASES: list[tuple[str, str, str | None, str | None, OutcomeStatus]] = [
    ("2024年11月", "2024年9月", "项目完工时限", None, MET),
    ("2024年11月", "2024年11月", "项目完工时限", None, MET),
    ("2024年11月", "2024年11月30日", "项目完工时限", None, MET),
    ("2024年11月", "2024年12月", "项目完工时限", None, NOT_MET),
    ("2024年11月", "2024年9月", None, "时效指标", MET),
    ("11月", "9月", "资金拨付及时性", None, MET),
    ("11月", "12月", "资金拨付及时性", None, NOT_MET),
    ("2024.11", "2024年10月", "项目完工时限", None, MET),
    # a span: the period of the month, as without a row
    ("2024年11月", "2024年9月", "服务周期", "时效指标", NOT_MET),
    ("2024年11月", "2024年11月", "服务周期", None, MET),
    ("2024年11月", "2024年9月", None, None, NOT_MET),
    ("2024年11月", "2024年9月", "培训人数", "数量指标", NOT_MET),
    # ranges stay periods, dates stay deadlines, on every row
    ("2024年3月-10月", "2024年2月", "项目完工时限", None, NOT_MET),
    ("2024年6月30日", "2024年6月30日", None, None, MET),
]


@pytest.mark.parametrize(("target", "actual", "indicator", "level2", "status"), CASES,
                         ids=[f"{c[0]} | {c[1]} | {c[2]} {c[3]}" for c in CASES])
def test_month_by_the_row(target: str, actual: str, indicator: str | None, level2: str | None,
                          status: OutcomeStatus) -> None:
    parsed = parse_target(target, indicator=indicator, level2=level2)
    assert parsed.evaluate(actual).status == status


def test_a_month_on_a_deadline_row_is_a_deadline_with_a_note() -> None:
    target = parse_target("2024年11月", indicator="项目完工时限")
    assert target.kind == TargetKind.DEADLINE
    assert target.deadline is not None
    assert target.deadline.end_of
    assert target.time_rule == "deadline"
    assert target.canonical() == "2024年11月底前"
    note = next(w for w in target.warnings if w.code == "IND227")
    assert "2024年11月底前" in note.message


def test_without_a_row_the_outcome_says_how_a_deadline_row_reads_it() -> None:
    target = parse_target("2024年11月")
    assert (target.kind, target.time_rule) == (TargetKind.PERIOD, None)
    assert "IND227" not in [w.code for w in target.warnings]
    outcome = target.evaluate("2024年9月")
    assert "若为时效类指标" in outcome.explanation
    assert "2024年11月底前" in outcome.explanation
    assert "IND221" in [d.code for d in outcome.diagnostics]


@pytest.mark.parametrize(("indicator", "level2"), [("服务周期", None), ("项目完工时限", None)], ids=str)
def test_a_row_that_decides_gets_no_hint(indicator: str, level2: str | None) -> None:
    outcome = parse_target("2024年11月", indicator=indicator, level2=level2).evaluate("2024年9月")
    assert "IND221" not in [d.code for d in outcome.diagnostics]
    assert "若为时效类指标" not in outcome.explanation


def test_no_hint_when_the_actual_cannot_be_judged() -> None:
    outcome = parse_target("2024年11月").evaluate("96%")
    assert [d.code for d in outcome.diagnostics] == ["IND211"]


def test_a_bare_year_month_number_on_a_deadline_row_is_a_month() -> None:
    target = parse_target("2024.11", indicator="竣工时间")
    assert target.kind == TargetKind.DEADLINE
    assert "IND217" not in [w.code for w in target.warnings]
    assert "IND217" in [w.code for w in parse_target("2024.11").warnings]


RATES = [("项目(工程)完成及时率", True), ("验收合格率", True), ("受益人口占比", True), ("资金到位比例", True),
         ("培训人数", False), (None, False), ("合格率(%)", True)]


@pytest.mark.parametrize(("indicator", "rate"), RATES, ids=[str(i) for i, _ in RATES])
def test_is_rate(indicator: str | None, rate: bool) -> None:
    assert is_rate(indicator) is rate


@pytest.mark.parametrize("text", ["≥100%", "100%", "≥100百分比", "100"], ids=str)
def test_at_least_100_percent_on_a_rate_is_noted(text: str) -> None:
    target = parse_target(text, unit="%", indicator="项目(工程)完成及时率")
    assert "IND223" in [w.code for w in target.warnings]
    assert target.evaluate("100%").status == MET
    assert target.evaluate("98%").status == NOT_MET


NOT_RATES = [("≥100%", "培训人数"), ("≥95%", "验收合格率"), ("≤100%", "验收合格率"), ("≥100%", None)]


@pytest.mark.parametrize(("text", "indicator"), NOT_RATES, ids=[f"{t} {i}" for t, i in NOT_RATES])
def test_no_rate_note_otherwise(text: str, indicator: str | None) -> None:
    assert "IND223" not in [w.code for w in parse_target(text, indicator=indicator).warnings]
