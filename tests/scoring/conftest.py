"""Builders shared by the scoring tests: forms made directly from tuples, no reader involved."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from indicators.diagnostics import Location
from indicators.forms.model import Cell, Form, FormKind, IndicatorRow

#: (level1, level2, level3, formula, target[, weight[, unit[, operator]]])
RowSpec = Sequence[str | None]


def build_form(rows: Sequence[RowSpec], *, source: str = "form.txt") -> Form:
    def cell(text: str | None, row: int, column: int) -> Cell | None:
        if text is None:
            return None
        return Cell(text=text, location=Location(source=source, row=row, column=column))

    indicators = []
    for i, spec in enumerate(rows):
        padded = [*spec, None, None, None][:8]
        level1, level2, level3, formula, target, weight, unit, operator = padded
        r = i + 2
        indicators.append(
            IndicatorRow(
                index=i,
                level1=cell(level1, r, 1),
                level2=cell(level2, r, 2),
                level3=cell(level3, r, 3),
                formula=cell(formula, r, 4),
                target=cell(target, r, 5),
                weight=cell(weight, r, 6),
                unit=cell(unit, r, 7),
                operator=cell(operator, r, 8),
            )
        )
    return Form(kind=FormKind.DECLARED, source=source, indicators=tuple(indicators))


@pytest.fixture(scope="session")
def make_form() -> Callable[..., Form]:
    return build_form
