"""The Python scorer of a long table: each unit × period as a 绩效自评表, scored by :func:`score_form`.

This is the reference ``score-batch`` agrees with, and the path for every row that SQL does not score:
a unit × period's rows become the indicator rows of a self-evaluation form (their 实际完成值, 分值,
指标性质 and 计量单位 in the form's own columns), scored with the policy exactly as ``indicators score``
scores such a table. Each line gives one :class:`LineResult` (verdict, achievement, score, the
diagnostic code of a line that was not scored); :class:`GroupTotal` is the sheet's total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.forms.model import Cell, Form, FormKind, IndicatorRow
from indicators.scoring.policy import Policy
from indicators.scoring.score import score_form
from indicators.scoring.sheet import LineStatus, ScoreLine, ScoreSheet

#: decimals of the achievement ratio in a result (0.9650 for 96.5 of 100), rounded half up
ACHIEVEMENT_PLACES = 4
#: the verdicts of a line that earns nothing because it could not be scored: its code says why
NOT_SCORED = frozenset({LineStatus.MISSING, LineStatus.INVALID, LineStatus.NEEDS_BASELINE})


@dataclass(frozen=True, slots=True)
class LongRow:
    """One row of a long table, its cells as text (None where the table has no such column or the cell
    is empty); ``row`` counts as a spreadsheet does (the header is row 1)."""

    row: int
    unit: str | None = None
    period: str | None = None
    level1: str | None = None
    level2: str | None = None
    indicator: str | None = None
    target: str | None = None
    measure: str | None = None
    direction: str | None = None
    actual: str | None = None
    weight: str | None = None

    @property
    def group(self) -> tuple[str | None, str | None]:
        return (self.unit, self.period)


@dataclass(frozen=True, slots=True)
class LineResult:
    """The score of one row (or of a 预算执行率 line without a row of its own: ``row`` None)."""

    row: int | None
    unit: str | None
    period: str | None
    indicator: str | None
    verdict: str | None
    achievement: Decimal | None
    weight: Decimal | None
    score: Decimal | None
    code: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """One unit × period: its rows, the sum of the weights and of the scores, the total rescaled to the
    policy's total (when the weights do not add up to it) and the grade."""

    unit: str | None
    period: str | None
    rows: int
    weight_total: Decimal
    total: Decimal
    scaled_total: Decimal | None
    grade: str


def _cell(text: str | None, row: int, column: int) -> Cell | None:
    return None if text is None else Cell(text=text, location=Location(row=row, column=column))


def build_form(rows: Sequence[LongRow], *, source: str | None = None) -> Form:
    """The 绩效自评表 of one unit × period: one indicator row per long-table row, in table order."""
    indicators = [
        IndicatorRow(
            index=i,
            level1=_cell(r.level1, r.row, 3),
            level2=_cell(r.level2, r.row, 4),
            level3=_cell(r.indicator, r.row, 5),
            target=_cell(r.target, r.row, 6),
            unit=_cell(r.measure, r.row, 7),
            operator=_cell(r.direction, r.row, 8),
            actual=_cell(r.actual, r.row, 9),
            weight=_cell(r.weight, r.row, 10),
        )
        for i, r in enumerate(rows)
    ]
    return Form(kind=FormKind.SELF_EVALUATION, source=source, indicators=tuple(indicators))


def score_group(rows: Sequence[LongRow], policy: Policy) -> ScoreSheet:
    """The score sheet of one unit × period (rows of one group, in table order)."""
    return score_form(build_form(rows), None, policy=policy)


def achievement_of(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-ACHIEVEMENT_PLACES), rounding=ROUND_HALF_UP)


def line_results(rows: Sequence[LongRow], sheet: ScoreSheet) -> list[LineResult]:
    """One result per row of the group (in order), then the sheet's lines that have no row.

    A 预算执行率 row of the table is the budget line (no index; found by its source row)."""
    by_index: dict[int, ScoreLine] = {line.index: line for line in sheet.lines if line.index is not None}
    budget = {line.row: line for line in sheet.lines if line.index is None and line.row is not None}
    out: list[LineResult] = []
    used: set[int] = set()
    for i, r in enumerate(rows):
        line = by_index.get(i) or budget.get(r.row)
        if line is not None and line.index is None:
            used.add(r.row)
        if line is None:
            reason = "没有三级指标名称" if not (r.indicator or "").strip() else "不是评分的指标行"
            found = diagnostic("IND851", row=r.row, reason=reason)
            out.append(
                LineResult(
                    r.row, r.unit, r.period, r.indicator, None, None, None, None, found.code, found.message
                )
            )
            continue
        out.append(_result(r.row, r.unit, r.period, r.indicator, line))
    first = rows[0] if rows else LongRow(row=0)
    out.extend(
        _result(None, first.unit, first.period, line.level3, line)
        for line in sheet.lines
        if line.index is None and line.row not in used
    )
    return out


def _result(
    row: int | None, unit: str | None, period: str | None, indicator: str | None, line: ScoreLine
) -> LineResult:
    code = message = None
    if line.status in NOT_SCORED and line.diagnostics:
        code, message = line.diagnostics[0].code, line.diagnostics[0].message
    return LineResult(
        row,
        unit,
        period,
        indicator,
        str(line.status),
        achievement_of(line.achievement),
        line.weight,
        line.score,
        code,
        message,
    )


def group_total(rows: Sequence[LongRow], sheet: ScoreSheet) -> GroupTotal:
    first = rows[0] if rows else LongRow(row=0)
    return GroupTotal(
        first.unit, first.period, len(rows), sheet.weight_total, sheet.total, sheet.scaled_total, sheet.grade
    )


def groups(rows: Iterable[LongRow]) -> dict[tuple[str | None, str | None], list[LongRow]]:
    """The rows of each unit × period, groups in order of first appearance, rows in table order."""
    out: dict[tuple[str | None, str | None], list[LongRow]] = {}
    for r in rows:
        out.setdefault(r.group, []).append(r)
    return out


def score_rows(rows: Iterable[LongRow], policy: Policy) -> tuple[list[LineResult], list[GroupTotal]]:
    """Every row scored in Python, group by group: the reference result of ``score-batch``."""
    lines: list[LineResult] = []
    totals: list[GroupTotal] = []
    for members in groups(rows).values():
        sheet = score_group(members, policy)
        lines.extend(line_results(members, sheet))
        totals.append(group_total(members, sheet))
    return lines, totals
