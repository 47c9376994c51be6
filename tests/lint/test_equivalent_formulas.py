"""IND614 compares formulas by meaning: an equivalent rewrite of the catalog's formula is no difference.

The catalog defines “12345”热线工单办结率 (JD-CC-ZL-002) as ``指标值=办结工单/呈办工单*100%``. A form row that
writes the same indicator another way (factors reordered, a fraction split, full-width signs) defines it
the same; a formula with another value, or the same value in another unit (a ratio instead of a
percentage), still differs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from indicators.catalog.registry import formulas_agree
from indicators.diagnostics import Diagnostic

LintExample = Callable[..., list[Diagnostic]]
NAME = "“12345”热线工单办结率"
CATALOG = "指标值=办结工单/呈办工单*100%"


def _row(formula: str) -> dict[str, object]:
    return {"rows": [["产出指标", "质量指标", NAME, formula, "95%以上"]]}


def _ind614(lint_example: LintExample, formula: str) -> list[Diagnostic]:
    return [d for d in lint_example(_row(formula), select=["IND614"]) if d.code == "IND614"]


EQUIVALENT = [
    "指标值=100%*办结工单/呈办工单",
    "指标值=办结工单*100%/呈办工单",
    "指标值=办结工单÷呈办工单×100%",
    "指标值=(办结工单/呈办工单)*100%",
    "指标值=办结工单/(呈办工单/100%)",
    "“12345”热线工单办结率=100％×办结工单÷呈办工单",
]
DIFFERENT = [
    "指标值=办结工单/呈办工单",  # the same number as a ratio, not a percentage
    "指标值=呈办工单/办结工单*100%",
    "指标值=办结工单/(呈办工单+办结工单)*100%",
    "指标值=办结工单/呈办工单*100",  # 96.67, not 96.67%
    "指标值=办结工单数",
]


@pytest.mark.parametrize("formula", EQUIVALENT, ids=lambda v: v)
def test_an_equivalent_rewrite_is_not_reported(lint_example: LintExample, formula: str) -> None:
    assert formulas_agree(formula, CATALOG)
    assert _ind614(lint_example, formula) == []


@pytest.mark.parametrize("formula", DIFFERENT, ids=lambda v: v)
def test_a_real_difference_is_reported(lint_example: LintExample, formula: str) -> None:
    assert not formulas_agree(formula, CATALOG)
    findings = _ind614(lint_example, formula)
    assert [d.code for d in findings] == ["IND614"]
    assert f"计算公式为“{formula}”" in findings[0].message


def test_formulas_that_cannot_be_analysed_fall_back_to_their_text() -> None:
    assert formulas_agree("指标值=是/否符合", "指标值=是/否符合")
    assert not formulas_agree("指标值=是/否符合", CATALOG)
    assert not formulas_agree("指标值=按规定公开", "指标值=动态清零")
    assert not formulas_agree("指标值=办结工单/", CATALOG)
