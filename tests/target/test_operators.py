"""The 指标性质 column beside a bare-number target."""

from __future__ import annotations

import pytest

from indicators.target import parse_target
from indicators.target.operators import operator_comparator, with_operator


@pytest.mark.parametrize(
    ("cell", "comparator"),
    [
        ("≧", "ge"),
        ("大于等于", "ge"),
        ("正向指标", "ge"),
        ("＞", "gt"),
        ("═", "eq"),  # box-drawing character used as = (永德县 2022 自评表)
        ("≤", "le"),
        ("反 向", "le"),
        ("不超过", "le"),
        ("低于", "lt"),
        ("定性", "qualitative"),
        ("定量", None),
        ("", None),
    ],
    ids=lambda v: v if isinstance(v, str) and v else repr(v),
)
def test_operator_cell(cell: str, comparator: str | None) -> None:
    assert operator_comparator(cell) == comparator


@pytest.mark.parametrize(
    ("target", "operator", "written", "direction"),
    [
        ("95", "≧", "≥95", "higher"),
        ("5", "≤", "≤5", "lower"),
        ("100", "═", "=100", "exact"),
        ("≥95%", "≤", "≥95%", "higher"),  # a target that has its own sign keeps it (lint reports the clash)
        ("有效", "≧", "有效", "none"),
        ("95", None, "95", "higher"),
        ("95", "定性", "95", "higher"),
    ],
)
def test_with_operator(target: str, operator: str | None, written: str, direction: str) -> None:
    assert with_operator(target, operator) == written
    assert parse_target(written, unit="%").direction == direction
