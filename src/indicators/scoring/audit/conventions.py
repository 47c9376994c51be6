"""Local scoring conventions a table may follow, detected across its rows.

Published tables often score a shortfall by the national ratio rule and then round in their own way:
cut to one decimal (1.946 → 1.9), to whole points (9.8 → 9), or dock a fixed number of points per missed
target. When one such convention explains the published score of at least :data:`MIN_ROWS` of the rows
that differ from the recomputed score, the audit says "consistent with …" for those rows (IND835, info)
and names the convention once for the table (IND841), instead of flagging each row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from indicators.scoring.audit.model import Convention

#: a convention must explain at least this many differing rows of one table
MIN_ROWS = 2


@dataclass(frozen=True)
class Candidate:
    """A differing shortfall row: file row, exact ratio score before rounding, weight, published score."""

    row: int
    exact: Decimal
    weight: Decimal
    published: Decimal


def _rounded(places: int, mode: str) -> Callable[[Candidate], Decimal]:
    exponent = Decimal(1).scaleb(-places)
    return lambda c: c.exact.quantize(exponent, rounding=mode)


_RULES: tuple[tuple[str, str, Callable[[Candidate], Decimal]], ...] = (
    ("cut_1", "按完成比例计分后截尾保留一位小数", _rounded(1, ROUND_DOWN)),
    ("round_1", "按完成比例计分后四舍五入保留一位小数", _rounded(1, ROUND_HALF_UP)),
    ("cut_0", "按完成比例计分后截尾取整数", _rounded(0, ROUND_DOWN)),
    ("round_0", "按完成比例计分后四舍五入取整数", _rounded(0, ROUND_HALF_UP)),
)


def detect(candidates: Sequence[Candidate]) -> Convention | None:
    """The convention explaining the most candidates (at least MIN_ROWS), or None."""
    best: Convention | None = None
    for key, label, rule in _RULES:
        rows = tuple(c.row for c in candidates if rule(c) == c.published)
        if len(rows) >= MIN_ROWS and (best is None or len(rows) > len(best.rows)):
            best = Convention(key=key, label=label, rows=rows)
    fixed = _fixed_deduction(candidates)
    if fixed is not None and (best is None or len(fixed.rows) > len(best.rows)):
        best = fixed
    return best


def _fixed_deduction(candidates: Sequence[Candidate]) -> Convention | None:
    """A fixed number of points docked per missed target (10 → 8, 5 → 3: 2 points each). Only rows it
    docks at least as much as the ratio rule does count: a score above the ratio is no convention to
    excuse but a departure in the unit's favour."""
    candidates = [c for c in candidates if c.published <= c.exact]
    docked = Counter(c.weight - c.published for c in candidates if c.published < c.weight)
    if not docked:
        return None
    points, count = docked.most_common(1)[0]
    if count < MIN_ROWS or points <= 0:
        return None
    rows = tuple(c.row for c in candidates if c.weight - c.published == points)
    shown = format(points.normalize(), "f")
    return Convention(key="fixed_deduction", label=f"每项未完成扣 {shown} 分", rows=rows)
