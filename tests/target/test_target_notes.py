"""A note after a target (≥95%（以统计局数据为准）, ≥95%，以统计数据为准) is kept apart from it (IND229)."""

from __future__ import annotations

import pytest

from indicators.errors import TargetSyntaxError
from indicators.target import OutcomeStatus, parse_actual, parse_target

# (text, canonical target, the note as written)
NOTES: list[tuple[str, str, str]] = [
    ("≥4.5分（满分5分）", "≥4.5分", "（满分5分）"),
    ("≥95%（以统计局数据为准）", "≥95%", "（以统计局数据为准）"),
    ("90分以上(百分制)", "≥90分", "(百分制)"),
    ("≥95%，以统计数据为准", "≥95%", "以统计数据为准"),
    ("≥95%；以年末数为准", "≥95%", "以年末数为准"),
    ("满意率达95%以上（抽样调查）", "≥95%", "（抽样调查）"),
    ("2024年12月底前（以验收报告为准）", "2024年12月底前", "（以验收报告为准）"),
    ("良以上【第三方评价】", "良以上", "【第三方评价】"),
    ("是（按时完成）", "是", "（按时完成）"),
    ("否(无事故)", "否", "(无事故)"),
]


@pytest.mark.parametrize(("text", "canonical", "note"), NOTES, ids=[n[0] for n in NOTES])
def test_a_note_after_the_target_is_reported_not_read(text: str, canonical: str, note: str) -> None:
    target = parse_target(text)
    assert target.canonical() == canonical
    (found,) = [w for w in target.warnings if w.code == "IND229"]
    assert found.message == f"指标值后的“{note}”按说明理解，不参与判断"
    assert found.span is not None
    assert text[found.span.start : found.span.end].strip().lstrip("，；") == note


@pytest.mark.parametrize(
    "text", ["(≥95%)", "98%以上（含98%）", "≥95%（含）", "≥80%且≤100%", "≥90%；≤100%", "≥90%;≤100%"]
)
def test_brackets_and_commas_of_the_target_itself_are_not_notes(text: str) -> None:
    assert "IND229" not in [w.code for w in parse_target(text).warnings]


@pytest.mark.parametrize("text", ["（满分5分）", "，以统计数据为准", "【待定】"])
def test_a_note_alone_is_no_target(text: str) -> None:
    with pytest.raises(TargetSyntaxError):
        parse_target(text)


def test_the_target_before_a_note_is_judged() -> None:
    outcome = parse_target("≥95%（以统计局数据为准）").evaluate(parse_actual("96%"))
    assert outcome.status is OutcomeStatus.MET


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("是", "是（已公开）"),
        ("全覆盖", "已完成（详见附件）"),
        ("≥95%", "已完成，详见附件"),
        ("按时", "按时【见报告】"),
    ],
)
def test_a_completion_word_before_a_note_is_the_word(target: str, actual: str) -> None:
    assert parse_target(target).evaluate(parse_actual(actual)).status is OutcomeStatus.MET


def test_the_words_before_the_note_decide_not_the_note() -> None:
    assert str(parse_actual("部分完成（已完成）").tier) == "partial"
    assert parse_actual("见附件（已完成）").tier is None


@pytest.mark.parametrize("text", ["≥90%；≤100%", "≥90%;≤100%"])
def test_two_bounds_after_a_semicolon_are_a_range(text: str) -> None:
    assert parse_target(text).canonical() == "90%-100%"


def test_a_second_figure_after_a_mark_is_not_a_note() -> None:
    with pytest.raises(TargetSyntaxError):
        parse_target("≥95%，95%以上")
