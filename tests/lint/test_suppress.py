"""Suppressions written in the form (``noqa: IND605 理由：…``, ``免检：…``): with a reason they suppress the
codes on their row; without one they suppress nothing and are reported; unused ones are noted."""

from __future__ import annotations

import pytest

from indicators.diagnostics import Diagnostic
from indicators.lint import lint_form
from indicators.lint.examples import form_from_example, load_example

#: IND605 on row 2 (105% on a bounded rate), IND638 on row 3 (no survey method)
ROWS = """
rows:
  - {{level1: 产出指标, level2: 质量指标, level3: 补贴发放准确率,
     formula: 指标值=准确发放次数/发放总次数*100%, target: 105%, remark: "{first}"}}
  - {{level1: 满意度指标, level2: 服务对象满意度指标, level3: 市民满意度, formula: 满意度, target: ≥90%,
     remark: "{second}"}}
"""


def _lint(first: str = "", second: str = "") -> list[Diagnostic]:
    form = form_from_example(load_example(ROWS.format(first=first, second=second)))
    return lint_form(form, ignore=["IND611"])  # the two rows are not a whole form


def _codes(found: list[Diagnostic]) -> list[tuple[str, int | None]]:
    return [(d.code, d.location.row if d.location else None) for d in found]


def test_without_markers() -> None:
    assert _codes(_lint()) == [("IND605", 2), ("IND638", 3)]


@pytest.mark.parametrize(
    "marker",
    [
        "noqa: IND605 理由：按合同约定可超过100%",
        "NOQA：IND605，原因：按合同约定可超过100%",
        "免检：IND605 理由：按合同约定可超过100%",
        "免审: lint.percent-over-100 说明：按合同约定",
        "noqa: IND60 reason: contract",
        "已与单位核实。noqa: IND605、IND638 理由：按合同约定",
    ],
    ids=lambda m: m,
)
def test_marker_with_reason_suppresses_its_row_only(marker: str) -> None:
    assert _codes(_lint(first=marker)) == [("IND638", 3)]


def test_marker_on_another_row_does_not_suppress() -> None:
    found = _lint(second="noqa: IND605 理由：按合同约定")
    assert _codes(found) == [("IND605", 2), ("IND638", 3), ("IND640", 3)]


@pytest.mark.parametrize("marker", ["noqa: IND605", "免检：IND605 理由：", "noqa: IND605 原因：  "], ids=repr)
def test_marker_without_reason_suppresses_nothing(marker: str) -> None:
    found = _lint(first=marker)
    assert _codes(found) == [("IND605", 2), ("IND639", 2), ("IND638", 3)]
    note = next(d for d in found if d.code == "IND639")
    assert note.message.startswith("免检标记“")
    assert note.span is not None
    assert note.location is not None
    assert note.location.column == 8


def test_unused_marker_is_noted() -> None:
    found = _lint(second="noqa: IND701 理由：没有预算块")
    assert _codes(found) == [("IND605", 2), ("IND638", 3), ("IND640", 3)]


def test_markers_are_selected_like_other_findings() -> None:
    form = form_from_example(load_example(ROWS.format(first="noqa: IND605", second="")))
    assert [d.code for d in lint_form(form, ignore=["IND611", "IND639"])] == ["IND605", "IND638"]


def test_words_that_are_no_marker() -> None:
    assert _codes(_lint(first="按 noqa 规范填写", second="免检项目：无")) == [("IND605", 2), ("IND638", 3)]
