"""The working state of one scoring run: the policy and inputs (:class:`Context`), one form row while
its line is built (:class:`RowState`), and the one function that turns an exact result into a rounded
:class:`~indicators.scoring.sheet.ScoreLine` (:func:`make_line`).

Every step of :func:`indicators.scoring.score_form` (match → weights → rows → budget → totals) reads and
writes these; none of them takes more than the context and the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from indicators.forms.model import Cell, IndicatorRow
from indicators.scoring.arithmetic import ZERO, Calc
from indicators.scoring.sheet import LineStatus, ScoreLine

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.diagnostics import Diagnostic, Location
    from indicators.scoring.actuals import ActualRecord
    from indicators.scoring.policy import Level1Share, Policy


@dataclass
class Context:
    """What every step needs: the policy, last year's values, the catalog, sheet-level findings."""

    policy: Policy
    prior: Mapping[str, str] = field(default_factory=dict)
    catalog: Catalog | None = None
    findings: list[Diagnostic] = field(default_factory=list)


@dataclass(eq=False)
class RowState:
    """One form row while its line is built."""

    row: IndicatorRow
    level1: str
    level2: str
    weight: Decimal = ZERO
    #: form (分值 as written), share (a % of the level-1 share), split (even split), policy
    weight_source: str = "split"
    share: Level1Share | None = None
    code: str | None = None
    record: ActualRecord | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def base(self) -> dict[str, Any]:
        """The fields of the line every rule fills in the same way."""
        row, record = self.row, self.record
        written = row.target_text()
        return {
            "index": row.index,
            "row": row.row,
            "level1": self.level1,
            "level2": self.level2,
            "level3": row.name,
            "code": self.code,
            "target": (written.combined if written is not None else "") or None,
            "weight": self.weight,
            "weight_source": self.weight_source,
            "location": where(row),
            "deviation": record.reason if record else None,
            "reported_score": record.score if record else None,
        }


def make_line(
    base: Mapping[str, Any],
    policy: Policy,
    calc: Calc,
    diags: Sequence[Diagnostic],
    *,
    explanation: str,
    cap: bool | None = None,
) -> ScoreLine:
    """The line for ``calc``: its score bounded below by 0 and, with ``cap``, above by the weight, then
    rounded once by the policy."""
    if cap is None:
        cap = policy.quantitative.cap
    fields = dict(base)
    prefix = fields.pop("arithmetic_prefix", None)
    weight: Decimal = fields["weight"]
    bounded = max(calc.score, ZERO)
    if cap:
        bounded = min(bounded, weight)
    score = policy.rounding.apply(bounded)
    arithmetic = calc.arithmetic
    if score != calc.score:
        arithmetic = f"{arithmetic} → {score}"
    if prefix:
        arithmetic = f"{prefix}；{arithmetic}"
    return ScoreLine(
        **fields,
        score=score,
        unrounded=calc.score,
        status=calc.status,
        achievement=calc.achievement,
        rule=calc.rule,
        arithmetic=arithmetic,
        explanation=explanation,
        diagnostics=tuple(diags),
    )


def zero_line(
    base: Mapping[str, Any],
    policy: Policy,
    diags: Sequence[Diagnostic],
    status: LineStatus,
    rule: str,
    arithmetic: str,
    explanation: str,
) -> ScoreLine:
    """A line that scores 0 because it cannot be scored (missing, unreadable, no baseline …)."""
    return make_line(base, policy, Calc(ZERO, status, None, arithmetic, rule), diags, explanation=explanation)


def invalid_line(base: Mapping[str, Any], policy: Policy, diags: Sequence[Diagnostic], why: str) -> ScoreLine:
    return zero_line(base, policy, diags, LineStatus.INVALID, "invalid", f"{why}，得 0 分", why)


def text(cell: Cell | None) -> str:
    return cell.stripped if cell is not None else ""


def where(row: IndicatorRow) -> Location | None:
    for cell in (row.level3, row.target, row.level2):
        if cell is not None and cell.location is not None:
            return cell.location
    return None
