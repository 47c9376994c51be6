"""What several rules ask of a row's target: its unit's dimension, whether it is money, a rate or a time,
and whether its direction was written or taken by default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from indicators import units
from indicators.errors import UnitError

if TYPE_CHECKING:
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext
    from indicators.target import Target

#: comparators that set a floor (at least) and a ceiling (at most)
FLOORS = frozenset({"ge", "gt"})
CEILINGS = frozenset({"le", "lt"})
#: units of a share: per cent, per mille, per ten thousand
PERCENT_UNITS = frozenset({"%", "‰", "‱"})


def dimension(unit: str | None) -> str | None:
    """The unit's dimension (``[money]``, ``[count]``; ``""`` for a pure number), None when unknown."""
    if not unit:
        return ""
    try:
        return units.dimension_of(unit)
    except UnitError:
        return None


def is_money(unit: str | None) -> bool:
    """元, 万元, 元/人, 元/亩 …; and a scale word alone (``250万``), money on a 成本 row."""
    if not unit:
        return False
    if unit in units.multipliers():
        return True
    dim = dimension(unit)
    return dim is not None and "[money]" in dim


def is_count(unit: str | None) -> bool:
    """个, 人, 人次, 件 …: a count of things."""
    return dimension(unit) == "[count]"


def numeric(target: Target) -> bool:
    return target.kind in ("numeric", "range")


def written_comparator(ctx: LintContext, row: IndicatorRow) -> str | None:
    """The comparator the row writes (in the target or its 指标性质 column); None when it was taken by
    default for a bare number (≥, or ≤ on a 成本 row)."""
    target = ctx.target(row).value
    if target is None:
        return None
    if target.default_comparator:
        written = ctx.operator(row)
        return written if written not in (None, "qualitative") else None
    return target.comparator
