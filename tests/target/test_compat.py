"""compatible(kind, unit, target): does a target fit what the formula measures?"""

from __future__ import annotations

import pytest

from indicators.formula.kinds import FormulaKind
from indicators.target import compatible, parse_target

K = FormulaKind

CASES: list[tuple[FormulaKind, str | None, str, bool]] = [
    (K.PERCENTAGE, None, "4个以上", False),
    (K.PERCENTAGE, None, "95%以上", True),
    (K.PERCENTAGE, "%", "95", True),
    (K.PERCENTAGE, None, "90%-100%", True),
    (K.PERCENTAGE, None, "良以上", False),
    (K.PERCENTAGE, None, "12月底前完成", False),
    (K.PERCENTAGE, None, "是", False),
    (K.PERCENTAGE, None, "较上年提高5个百分点", True),
    (K.PERCENTAGE, None, "有效提升", True),
    (K.RATIO, None, "≥2倍", True),
    (K.RATIO, None, "100万元", False),
    (K.RATIO, None, "≥0.4公里/处", True),  # a quotient of two kinds of quantity
    (K.RATIO, "万元/处", "≤3.75", True),
    (K.PERCENTAGE, None, "≤3.75万元/处", False),
    (K.RATIO, None, "≤5个工作日", True),  # a measure per count: the average (∑审批时长/审批件数)
    (K.RATIO, None, "≥2.5亩", True),
    (K.RATIO, None, "4个以上", False),  # a count over a count is a pure number
    (K.PERCENTAGE, None, "≤5个工作日", False),
    (K.QUANTITY, None, "100人次以上", True),
    (K.QUANTITY, "人次", "100人次以上", True),
    (K.QUANTITY, "人次", "100万元", False),
    (K.QUANTITY, None, "95%以上", False),
    (K.AMOUNT, None, "控制在100万元以内", True),
    (K.AMOUNT, "万元", "100", True),
    (K.AMOUNT, None, "4个以上", False),
    (K.AMOUNT, None, "250万", True),
    (K.AMOUNT, "万元", "250万", True),
    (K.QUANTITY, "人次", "≥1.5万", True),
    (K.PERCENTAGE, None, "250万", True),
    (K.GRADE, None, "良以上", True),
    (K.GRADE, None, "95%以上", False),
    (K.BOOLEAN, None, "是", True),
    (K.BOOLEAN, None, "100人次", False),
    (K.STATE, None, "按规定公开", True),
    (K.STATE, None, "12月底前完成", True),
    (K.SURVEY, None, "95%以上", True),
    (K.SURVEY, None, "良以上", True),
    (K.SURVEY, None, "4个以上", False),
]


@pytest.mark.parametrize(("kind", "unit", "target", "ok"), CASES,
                         ids=[f"{c[0].value}-{c[1] or ''}-{c[2]}" for c in CASES])
def test_compatible(kind: FormulaKind, unit: str | None, target: str, ok: bool) -> None:
    result = compatible(kind, unit, parse_target(target))
    assert result.ok is ok
    if ok:
        assert result.reason is None
    else:
        assert result.reason
        assert target in result.reason


def test_coverage_row_of_the_seed_form() -> None:
    # 室内外应急避难场所的服务覆盖率: a percentage formula against 4个以上
    result = compatible(FormulaKind.PERCENTAGE, "%", parse_target("4个以上"))
    assert not result.ok
    assert result.reason is not None
    assert "个" in result.reason
