"""A count for the year against a target per period: ``1次`` against ``1次/年``, ``12次`` against ``≥1次/月``.

The year-end self-evaluation (绩效自评) reports what was done in the year, so an actual written as a
plain count (``次``, ``人次``, ``场``) is the year's total: against a target per year it is the same
number, against a target per month or per quarter it is spread over the year (``12次`` is ``1次/月``).
Anything else (a count of other things, a target per day) is not converted.
"""

from __future__ import annotations

from decimal import Decimal

from indicators import units
from indicators.errors import UnitError

#: the per-period units a year's total is spread over (pint knows each as a fraction of a year)
_PERIODS = ("年", "季度", "月")


def year_total(value: Decimal, a_unit: str, unit: str) -> tuple[Decimal, str] | None:
    """``value`` ``a_unit`` (a count for the year) in the per-period ``unit``, with the unit it was read
    as (``次/年``); None when ``unit`` is not ``a_unit`` per year, quarter or month."""
    base, slash, period = unit.rpartition("/")
    if not slash or period not in _PERIODS or units.count_mismatch(a_unit, base) is not None:
        return None
    read_as = f"{a_unit}/年"
    try:
        return units.convert(value, read_as, unit), read_as
    except UnitError:
        return None
