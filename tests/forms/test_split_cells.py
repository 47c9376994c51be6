"""Split targets: an operator column (计算符号 / 指标性质), the number under 指标值 and the unit under
计量单位, put together in one place (IndicatorRow.target_text) that lint and scoring both read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.diagnostics import Location
from indicators.forms import read_form_text
from indicators.forms.model import Cell, IndicatorRow
from indicators.lint import lint_form
from indicators.scoring import score_form


def _row(target: str, operator: str | None = None, unit: str | None = None) -> IndicatorRow:
    def cell(text: str | None, column: int) -> Cell | None:
        return None if text is None else Cell(text=text, location=Location(row=2, column=column))

    return IndicatorRow(
        index=0,
        level3=Cell(text="服务合格率"),
        operator=cell(operator, 4),
        target=cell(target, 5),
        unit=cell(unit, 6),
    )


#: (operator, target, unit, text for the parser, combined text)
CASES = [
    ("≥", "95", "%", "≥95", "≥95%"),
    ("≧", "95", "%", "≥95", "≥95%"),
    (">=", "95", "%", "≥95", "≥95%"),
    ("＞＝", "95", "%", "≥95", "≥95%"),
    ("≤", "5", "%", "≤5", "≤5%"),
    ("≦", "5", "%", "≤5", "≤5%"),
    ("<=", "5", "%", "≤5", "≤5%"),
    ("＜", "5", "次", "<5", "<5次"),
    ("<", "5", "次", "<5", "<5次"),
    ("＞", "90", "%", ">90", ">90%"),
    (">", "90", "%", ">90", ">90%"),
    ("=", "100", "%", "=100", "=100%"),
    ("═", "100", "%", "=100", "=100%"),
    ("＝", "100", "%", "=100", "=100%"),
    (" ≥ ", "1,200", "人次", "≥1,200", "≥1,200人次"),
    ("正向", "95", "%", "≥95", "≥95%"),
    ("反向", "5", "%", "≤5", "≤5%"),
    # words that are not signs: nothing is put before the number
    ("定量", "95", "%", "95", "95%"),
    ("定性", "优良", None, "优良", "优良"),
    ("", "95", "%", "95", "95%"),
    # a unit already written in the target is not repeated
    ("≥", "95%", "%", "≥95%", "≥95%"),
    ("≥", "95％", "%", "≥95％", "≥95％"),
    ("≥", "1200人次", "人次", "≥1200人次", "≥1200人次"),
    # a target that says its own comparison keeps it (the operator column is checked by IND617)
    ("≤", "95%以上", "%", "95%以上", "95%以上"),
    ("≥", "≤5%", "%", "≤5%", "≤5%"),
    ("≥", "90-100", "%", "90-100", "90-100%"),
    ("≥", "12月底前", None, "12月底前", "12月底前"),
    ("≥", "合格", None, "合格", "合格"),
]


@pytest.mark.parametrize(
    ("operator", "target", "unit", "text", "combined"), CASES, ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in CASES]
)
def test_target_text(operator: str, target: str, unit: str | None, text: str, combined: str) -> None:
    found = _row(target, operator or None, unit).target_text()
    assert found is not None
    assert (found.text, found.combined) == (text, combined)
    assert found.unit == unit
    assert found.target.location == Location(row=2, column=5)
    signed = found.text != target
    assert (found.operator is not None) is signed  # the operator cell is named only when it gave the sign
    if signed:
        assert found.operator is not None
        assert found.operator.location == Location(row=2, column=4)
    if unit:
        assert found.unit_cell is not None
        assert found.unit_cell.location == Location(row=2, column=6)


def test_no_target_no_text() -> None:
    assert _row("").target_text() is None
    assert IndicatorRow(index=0).target_text() is None


HEADER = "一级指标\t二级指标\t三级指标\t计算符号\t指标值\t计量单位\t实际完成值\t分值\t得分"


def _form(*rows: str) -> object:
    return read_form_text("\n".join([HEADER, *rows]), use_parsers=True)


def test_lint_reads_the_combined_target() -> None:
    form = read_form_text(
        "\n".join(
            [
                "一级指标\t二级指标\t三级指标\t计算公式\t计算符号\t指标值\t计量单位",
                "产出指标\t质量指标\t服务合格率\t指标值=合格次数/服务次数*100%\t≥\t95\t%",
                "产出指标\t质量指标\t投诉率\t指标值=投诉次数/服务次数*100%\t≥\t≤5%\t%",
            ]
        )
    )
    found = lint_form(form)
    conflicts = [d for d in found if d.code == "IND617"]
    assert [d.indicator for d in conflicts] == ["投诉率"]  # ≥ against ≤5%: the directions differ
    assert not [d for d in found if d.code in {"IND601", "IND208"} and d.indicator == "服务合格率"]


def test_scoring_reads_the_combined_target() -> None:
    form = read_form_text(
        "\n".join(
            [
                HEADER,
                "产出指标\t数量指标\t培训人次\t≥\t500\t人次\t450\t10\t9",
                "产出指标\t质量指标\t投诉率\t≤\t5\t%\t4%\t10\t10",
            ]
        )
    )
    sheet = score_form(form)
    first, second = sheet.lines[:2]
    assert first.target == "≥500人次"
    assert first.score == Decimal(9)  # 450 / 500 × 10
    assert second.target == "≤5%"
    assert second.score == Decimal(10)  # a reverse indicator met
