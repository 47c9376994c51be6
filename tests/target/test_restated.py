"""Actual values that restate the target (IND218) or state another requirement (IND219)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.target import ActualKind, OutcomeStatus, parse_actual, parse_target

D = Decimal
MET, NOT_MET, NC = OutcomeStatus.MET, OutcomeStatus.NOT_MET, OutcomeStatus.NOT_COMPARABLE

# (target, actual): the actual repeats the target, however it is written
RESTATED: list[tuple[str, str]] = [
    ("≥85%", "≥85%"),
    ("≥85%", "≥ 85 %"),
    ("≥85%", "＞＝８５％"),
    ("≥85%", "大于等于85%"),
    ("≥85%", "85%以上"),
    ("≥85%", "不低于85%"),
    ("85%以上", "≥85%"),
    ("≥85%", ">=85%。"),
    ("=0起", "=0起"),
    ("=0起", "＝0 起"),
    ("≤5%", "5%以内"),
    ("≤5%", "不超过5%"),
    (">92%", "大于92%"),
    ("控制在100万元以内", "≤100万元"),
    ("90%-100%", "90%～100%"),
    ("90%-100%", "在90%至100%之间"),
    ("明显改善", "明显改善"),
    ("明显改善", "明显 改善"),
    ("效果明显", "效果明显。"),
    ("有效", "有效"),
    ("严格执行相关制度规定", "严格执行相关制度规定"),
    ("2024年6月完成", "2024年6月完成"),
    ("2024年6月底前完成", "2024年6月底前完成"),
    ("12月底前", "12月底之前"),
    ("良以上", "良及以上"),
    ("3A级以上", "3A级及以上"),
    ("较上年提高5个百分点", "较上年提高5个百分点"),
    ("=改善", "=改善"),
    ("=改善", "改善"),
]


@pytest.mark.parametrize(("target", "actual"), RESTATED, ids=[f"{t} | {a}" for t, a in RESTATED])
def test_a_restated_target_is_met_with_a_note(target: str, actual: str) -> None:
    outcome = parse_target(target).evaluate(actual)
    assert outcome.status == MET, outcome.explanation
    assert "照抄" in outcome.explanation
    codes = [d.code for d in outcome.diagnostics]
    assert "IND218" in codes
    note = next(d for d in outcome.diagnostics if d.code == "IND218")
    assert note.severity.value == "info"
    assert actual in note.message


# plain values equal to the target are results, not restatements: no note
PLAIN: list[tuple[str, str]] = [
    ("100%", "100%"),
    ("≥85%", "85%"),
    ("=100%", "100%"),
    ("优", "优"),
    ("2024年6月30日", "2024年6月30日"),
    ("是", "是"),
    ("及时", "及时"),
    ("100%完成", "100%完成"),
]


@pytest.mark.parametrize(("target", "actual"), PLAIN, ids=[f"{t} | {a}" for t, a in PLAIN])
def test_a_plain_value_is_not_a_restatement(target: str, actual: str) -> None:
    outcome = parse_target(target).evaluate(actual)
    assert outcome.status == MET, outcome.explanation
    assert "IND218" not in [d.code for d in outcome.diagnostics]


# (target, actual, status, reading): a different requirement, judged by the bound it guarantees
REQUIREMENTS: list[tuple[str, str, OutcomeStatus, str | None]] = [
    ("≥85%", "≥80%", NOT_MET, "80%"),
    ("≥85%", "≥90%", MET, "90%"),
    ("≥85%", "90%以上", MET, "90%"),
    ("≥85%", "不低于86%", MET, "86%"),
    ("≥85%", "=80%", NOT_MET, "80%"),
    ("≥85%", "80%-90%", NOT_MET, "80%"),
    ("≤5%", "≤3%", MET, "3%"),
    ("≤5%", "8%以内", NOT_MET, "8%"),
    ("≤5%", "3%-8%", NOT_MET, "8%"),
    ("2024年10月底前", "2024年9月底前完成", MET, "完成时间2024年9月"),
    ("2024年10月底前", "2024年12月前", NOT_MET, "完成时间2024年12月"),
    ("良以上", "优秀以上", MET, "等级“优秀”"),
    ("良以上", "合格及以上", NOT_MET, "等级“合格”"),
    ("2024年1月-12月", "2024年3月前完成", MET, "完成时间2024年3月"),
    # the other side of the bound, or another kind of requirement: nothing is shown
    ("≥85%", "≤90%", NC, None),
    ("≤5%", "≥3%", NC, None),
    ("=100%", "≥99%", NC, None),
    ("≥85%", "2024年6月底前", NC, None),
    ("良以上", "≥90%", NC, None),
    ("≥85%", "良以上", NC, None),
    ("≥85%", "较上年提高5%", NC, None),
]


@pytest.mark.parametrize(("target", "actual", "status", "reading"), REQUIREMENTS,
                         ids=[f"{c[0]} | {c[1]}" for c in REQUIREMENTS])
def test_a_different_requirement(
    target: str, actual: str, status: OutcomeStatus, reading: str | None
) -> None:
    outcome = parse_target(target).evaluate(actual)
    assert outcome.status == status, outcome.explanation
    codes = [d.code for d in outcome.diagnostics]
    assert "IND218" not in codes
    if reading is None:
        assert "写成了要求" in outcome.explanation
        assert codes == ["IND211"]
    else:
        note = next(d for d in outcome.diagnostics if d.code == "IND219")
        assert reading in note.message
        assert note.severity.value == "warning"
        assert "写成了要求" in outcome.explanation


def test_a_lower_bound_requirement_scores_its_bound() -> None:
    outcome = parse_target("≥85%").evaluate("≥80%")
    assert outcome.achievement is not None
    assert abs(outcome.achievement - D(80) / D(85)) < D("1e-26")


def test_a_requirement_is_kept_on_the_actual() -> None:
    actual = parse_actual("≥ 85 %")
    assert actual.kind == ActualKind.REQUIREMENT
    assert actual.requirement is not None
    assert actual.requirement.canonical() == "≥85%"
    assert actual.value is None  # scoring must not take it for a measured value


@pytest.mark.parametrize("text", ["2024年6月完成", "2024年6月30日完工", "2024年9月底竣工", "2024.09验收"],
                         ids=str)
def test_a_date_with_a_done_word_is_the_completion_date(text: str) -> None:
    actual = parse_actual(text)
    assert actual.kind == ActualKind.DATE
    assert actual.date is not None
    assert actual.requirement is not None  # and restates a target written the same way


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("于2024年9月完成", MET),
        ("已于10月底前完成", MET),
        ("已在2024年11月5日完成", NOT_MET),
        ("已经于2024年10月31日竣工", MET),
    ],
    ids=str,
)
def test_words_around_a_completion_date_are_read(text: str, status: OutcomeStatus) -> None:
    actual = parse_actual(text)
    assert actual.kind == ActualKind.DATE
    assert parse_target("2024年10月底前").evaluate(actual).status == status


def test_a_completion_date_is_judged_by_its_date() -> None:
    assert parse_target("2024年6月底前").evaluate("2024年5月完成").status == MET
    assert parse_target("2024年6月底前").evaluate("2024年7月完成").status == NOT_MET
    outcome = parse_target("2024年6月底前").evaluate("2024年5月完成")
    assert [d.code for d in outcome.diagnostics] == []


def test_a_number_with_a_word_after_it_is_the_number() -> None:
    actual = parse_actual("100%完成")
    assert (actual.kind, actual.value, actual.unit) == (ActualKind.NUMERIC, D(100), "%")


def test_a_column_unit_applies_to_a_restatement() -> None:
    target = parse_target("85", unit="%")
    outcome = target.evaluate(parse_actual("≥85", unit="%"))
    assert outcome.status == MET
    assert "IND218" in [d.code for d in outcome.diagnostics]


def test_words_with_a_subject_are_not_a_requirement() -> None:
    from indicators.errors import ValueSyntaxError

    with pytest.raises(ValueSyntaxError):
        parse_actual("约96%")


WORDS_AROUND = [("完成率98%", D(98), "%"), ("已完成100%", D(100), "%"),
                ("实际完成1,203人次", D(1203), "人次"), ("100%完成", D(100), "%"),
                ("全年共发放320万粒", D(320), "万粒")]


@pytest.mark.parametrize(("text", "value", "unit"), WORDS_AROUND, ids=[w[0] for w in WORDS_AROUND])
def test_a_number_with_words_around_it_is_the_number(text: str, value: Decimal, unit: str) -> None:
    actual = parse_actual(text)
    assert (actual.kind, actual.value, actual.unit) == (ActualKind.NUMERIC, value, unit)


@pytest.mark.parametrize("text", ["约96%", "近96%", "预计96%", "不足90%", "96%左右"], ids=str)
def test_an_estimate_is_not_a_value(text: str) -> None:
    from indicators.errors import ValueSyntaxError

    with pytest.raises(ValueSyntaxError) as info:
        parse_actual(text)
    assert info.value.diagnostic.code == "IND210"
