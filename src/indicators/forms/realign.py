"""Realignment of shifted rows of the indicator table, driven by what the cells *are*
(:mod:`indicators.forms.recognise`), never by the seed; the columns themselves are found by
:mod:`indicators.forms.columns`.

A row is realigned only when one of its cells clearly conflicts with its column — a category name, formula
or target in a column of another kind, or text in a column without a header. Its non-empty cells are then
assigned, left to right, to the indicator columns (一级, 二级, 三级, 计算公式, 实施周期指标值, 年度指标值)
by a small dynamic programme that keeps their order, prefers the kind each cell was recognised as, and
moves as little as possible. Plain names go to 三级指标 (the first) and to 计算公式 (a second one after
it, an explanation). A proposed move is made only on evidence (:func:`_justify`): the cell fits its new
column better, or goes along with a cell that does; text of a target column never goes into the formula
column unless it is a formula. Columns such as 实际完成值, 分值, 备注, 序号, 评（扣）分标准 and 偏差原因
are never touched, and neither are kept, unknown or repeated columns: their cells go to
``IndicatorRow.others``. Each realigned row gives one IND503 diagnostic naming each move and its reason; a
row whose repair lacks evidence is left as it is with an IND511 warning; a cell that fits nowhere stays in
``IndicatorRow.extra`` with an IND504 warning, so no text is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.forms.columns import STRONG as _STRONG
from indicators.forms.columns import Layout, detect_layout, fit, header_roles
from indicators.forms.model import Cell
from indicators.forms.names import CORE_ROLES, Role
from indicators.forms.recognise import Kind, Recogniser

__all__ = ["Layout", "PlacedRow", "detect_layout", "header_roles", "place_row"]

_INF = 1_000_000.0
_EXTRA_COST = 2.0
_STAY_COST = 1.2
_NAME_BONUS = 0.05
_QUOTED = 40  # characters of a cell quoted in a message


@dataclass
class PlacedRow:
    """One data row after realignment: the cell of each role, cells placed nowhere, and findings."""

    fields: dict[Role, Cell]
    extra: list[Cell] = field(default_factory=list)
    others: list[Cell] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    moved: bool = False


def _short(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compatible(kinds: frozenset[Kind], role: Role | None) -> bool:
    """Whether a cell may stay in a column of this role without realigning its row."""
    strong = kinds & _STRONG
    if role is None:
        return kinds == {Kind.LABEL}
    if role is Role.LEVEL1:
        return not strong or Kind.LEVEL1 in kinds
    if role is Role.LEVEL2:
        return not strong or Kind.LEVEL2 in kinds
    if role is Role.LEVEL3:
        return not strong
    if role is Role.FORMULA:
        return not strong or Kind.FORMULA in kinds
    return not strong or Kind.TARGET in kinds  # PERIOD, TARGET


def _cost(kinds: frozenset[Kind], col: int, slot_col: int, role: Role) -> float:
    """The cost of putting a cell (recognised as ``kinds``, found in ``col``) in a slot."""
    distance = abs(col - slot_col) * 0.01
    same = col == slot_col
    strong = kinds & _STRONG
    if role in (Role.LEVEL1, Role.LEVEL2):
        wanted = Kind.LEVEL1 if role is Role.LEVEL1 else Kind.LEVEL2
        if wanted in kinds:
            return distance
        if not strong:
            return 1.0 if same else _INF
    elif role is Role.LEVEL3:
        if not strong:
            return distance - _NAME_BONUS  # a realigned row should name its indicator
    elif role is Role.FORMULA:
        if Kind.FORMULA in kinds:
            return distance
        if not strong:
            return 0.0 if same else 0.5 + distance
    else:  # PERIOD, TARGET
        if Kind.TARGET in kinds:
            return distance if role is Role.TARGET or same else 0.2 + distance
        if not strong:
            return 0.1 if same else _INF
    return _STAY_COST if same else _INF


def _assign(
    items: Sequence[tuple[int, frozenset[Kind]]], slots: Sequence[tuple[int, Role]]
) -> tuple[int | None, ...]:
    """Order-keeping assignment of cells to slots (index into ``slots``, or None for extra).

    Rows of one form repeat a few shapes (the same columns recognised as the same kinds): the
    assignment is kept per shape."""
    return _assign_shape(tuple(items), tuple(slots))


@lru_cache(maxsize=4096)
def _assign_shape(
    items: tuple[tuple[int, frozenset[Kind]], ...], slots: tuple[tuple[int, Role], ...]
) -> tuple[int | None, ...]:
    @cache
    def best(i: int, j: int) -> tuple[float, tuple[int | None, ...]]:
        if i == len(items):
            return 0.0, ()
        col, kinds = items[i]
        extra_cost = 0.0 if kinds == {Kind.LABEL} else _EXTRA_COST
        rest_cost, rest = best(i + 1, j)
        choice: tuple[float, tuple[int | None, ...]] = (extra_cost + rest_cost, (None, *rest))
        for k in range(j, len(slots)):
            cost = _cost(kinds, col, slots[k][0], slots[k][1])
            if cost >= _INF:
                continue
            rest_cost, rest = best(i + 1, k + 1)
            if cost + rest_cost < choice[0] - 1e-9:
                choice = (cost + rest_cost, (k, *rest))
        return choice

    return best(0, 0)[1]


@dataclass(frozen=True)
class Move:
    """One cell of a row being realigned: where it is, what it was recognised as, where it would go."""

    cell: Cell
    col: int
    kinds: frozenset[Kind]
    to_col: int | None
    role: Role | None

    @property
    def offset(self) -> int | None:
        return None if self.to_col is None else self.to_col - self.col

    def gain(self, layout: Layout) -> float:
        """How much better the cell fits its new column than its old one (> 0: better)."""
        return fit(self.kinds, self.role) - fit(self.kinds, layout.roles.get(self.col))

    def why(self) -> str:
        """The recognised kind that justifies the move, in words."""
        for kind, words in _KIND_WORDS:
            if kind in self.kinds:
                return words
        return "名称或说明文字"

    def describe(self, layout: Layout) -> str:
        target = self.role.label if self.role is not None else "任何栏目"
        return f"“{_short(self.cell.text)}”从{layout.describe(self.col)}移到{target}"

    def evidence(self, layout: Layout, reason: str) -> dict[str, object]:
        return {
            "reason": reason,
            "text": self.cell.text,
            "from": layout.roles[self.col].value if self.col in layout.roles else None,
            "from_column": self.col + 1,
            "to": self.role.value if self.role is not None else None,
            "to_column": self.to_col + 1 if self.to_col is not None else None,
            "recognised_as": next((k.value for k, _ in _KIND_WORDS if k in self.kinds), "text"),
            "gain": self.gain(layout),
        }


_KIND_WORDS = (
    (Kind.LEVEL1, "一级指标类别"),
    (Kind.LEVEL2, "二级指标类别"),
    (Kind.FORMULA, "计算公式"),
    (Kind.TARGET, "指标值"),
    (Kind.LABEL, "表格标签"),
)


def _justify(planned: Sequence[Move], layout: Layout) -> tuple[dict[int, str], list[Move]]:
    """Why each move of a realignment is made (by index into ``planned``), and the moves not justified.

    A move is justified when the cell fits its new column better than its old one (a formula out of the
    三级指标 column into the 计算公式 column, a category name into its category column); or when it goes
    along with a justified move: by the same number of columns, fitting no worse (a whole row shifted
    one column carries its plain explanation), or out of a column a justified move fills, in the same
    direction (the name moving into the 三级指标 column pushes the explanation there to the right). Never
    justified: text of the 年度指标值 or 实施周期指标值 column moving into the 计算公式 column when it is
    not a formula — a date range (``2024年3月--2024年10月``) or a sentence there is a target, whatever
    else the row shows.
    """
    moved = [i for i, m in enumerate(planned) if m.role is not None and m.to_col != m.col]
    reasons: dict[int, str] = {}
    for i in moved:
        m = planned[i]
        if m.gain(layout) > 0 and not _guarded(m, layout):
            strong = m.kinds & _STRONG
            label = m.role.label if m.role is not None else ""
            reasons[i] = f"识别为{m.why()}" if strong else f"文字，更适合{label}"
    changed = True
    while changed:
        changed = False
        offsets = {planned[i].offset for i in reasons}
        filled = {planned[i].to_col: planned[i] for i in reasons}
        for i in moved:
            m = planned[i]
            if i in reasons or _guarded(m, layout):
                continue
            pusher = filled.get(m.col)
            if m.gain(layout) >= 0 and m.offset in offsets:
                reasons[i] = f"随同行单元格{_columns(m.offset)}"
            elif pusher is not None and (m.offset or 0) * (pusher.offset or 0) > 0:
                reasons[i] = f"原位置由“{_short(pusher.cell.text, 10)}”占用"
            else:
                continue
            changed = True
    refused = [planned[i] for i in moved if i not in reasons]
    return reasons, refused


def _columns(offset: int | None) -> str:
    return f"{'右' if (offset or 0) > 0 else '左'}移 {abs(offset or 0)} 列"


def _refusal(move: Move, layout: Layout) -> str:
    """Why a move was not made, in words."""
    if _guarded(move, layout):
        return f"{layout.describe(move.col)}中不是计算公式的内容不移入计算公式栏"
    return "内容与新位置并不更相符"


def _guarded(move: Move, layout: Layout) -> bool:
    """A move realignment never makes: target-column text that is not a formula into the formula column."""
    source = layout.roles.get(move.col)
    into_formula = move.role is Role.FORMULA and Kind.FORMULA not in move.kinds
    return into_formula and source in (Role.TARGET, Role.PERIOD)


def _in_place(placed: PlacedRow, movable: Sequence[tuple[int, Cell]], layout: Layout) -> None:
    """Every cell to the column it stands in; cells of a column without a role to ``extra``."""
    for col, cell in movable:
        role = layout.roles.get(col)
        if role is None:
            placed.extra.append(cell)  # the table label (绩效指标) beside the first row, or stray text
        else:
            placed.fields[role] = cell


def _refuse(
    placed: PlacedRow,
    movable: Sequence[tuple[int, Cell]],
    kinds: Sequence[frozenset[Kind]],
    weak: Sequence[Move],
    layout: Layout,
    row_number: int | None,
) -> list[Cell]:
    """Every cell stays where it is, with an IND511 warning naming the moves refused and why."""
    _in_place(placed, movable, layout)
    indicator = placed.fields[Role.LEVEL3].stripped if Role.LEVEL3 in placed.fields else None
    placed.diagnostics.append(
        diagnostic(
            "IND511",
            location=weak[0].cell.location,
            row=row_number if row_number is not None else "?",
            detail="；".join(f"{m.describe(layout)}（{_refusal(m, layout)}）" for m in weak),
            indicator=indicator,
            data={"refused": [m.evidence(layout, _refusal(m, layout)) for m in weak]},
        )
    )
    return [
        cell
        for (col, cell), k in zip(movable, kinds, strict=True)
        if layout.roles.get(col) is None and k != {Kind.LABEL}
    ]


def _apply(
    placed: PlacedRow,
    planned: Sequence[Move],
    reasons: dict[int, str],
    weak: Sequence[Move],
    layout: Layout,
    row_number: int | None,
) -> list[Cell]:
    """The justified moves made, a refused cell left in its own column; one IND503 naming each move and
    its reason (and each cell kept in place, and why). Returns the cells placed nowhere."""
    unplaced: list[Cell] = []
    for move in planned:
        role = layout.roles.get(move.col) if move in weak else move.role
        if role is None:
            placed.extra.append(move.cell)
            if move.kinds != {Kind.LABEL}:
                unplaced.append(move.cell)
        else:
            placed.fields[role] = move.cell
    indicator = placed.fields[Role.LEVEL3].stripped if Role.LEVEL3 in placed.fields else None
    if not reasons:
        return unplaced
    moved = [(planned[i], reasons[i]) for i in sorted(reasons)]
    details = [f"{m.describe(layout)}（{why}）" for m, why in moved]
    details += [f"“{_short(m.cell.text)}”留在{layout.describe(m.col)}（{_refusal(m, layout)}）" for m in weak]
    placed.moved = True
    placed.diagnostics.append(
        diagnostic(
            "IND503",
            location=planned[0].cell.location,
            row=row_number if row_number is not None else "?",
            detail="；".join(details),
            indicator=indicator,
            data={
                "moves": [m.describe(layout) for m, _ in moved],
                "evidence": [m.evidence(layout, why) for m, why in moved],
                "kept": [m.evidence(layout, _refusal(m, layout)) for m in weak],
            },
        ),
    )
    return unplaced


def place_row(
    cells: Sequence[Cell], layout: Layout, rec: Recogniser, *, row_number: int | None = None
) -> PlacedRow:
    """The cells of one data row, each given to its role (realigned when the row is shifted)."""
    placed = PlacedRow(fields={})
    movable: list[tuple[int, Cell]] = []
    for col, cell in enumerate(cells):
        if cell.empty:
            continue
        role = layout.roles.get(col)
        if col in layout.extra:
            placed.others.append(cell)
        elif role is not None and role not in CORE_ROLES:
            placed.fields[role] = cell
        else:
            movable.append((col, cell))
    if row_number is None:
        row_number = next((c.location.row for _, c in movable if c.location and c.location.row), None)

    kinds = [rec.kinds(cell.text) for _, cell in movable]
    if all(_compatible(k, layout.roles.get(col)) for k, (col, _) in zip(kinds, movable, strict=True)):
        _in_place(placed, movable, layout)
        return placed

    slots = sorted((col, role) for col, role in layout.roles.items() if role in CORE_ROLES)
    choice = _assign([(col, k) for (col, _), k in zip(movable, kinds, strict=True)], slots)
    planned = [
        Move(cell, col, k, *(slots[slot] if slot is not None else (None, None)))
        for (col, cell), k, slot in zip(movable, kinds, choice, strict=True)
    ]
    reasons, weak = _justify(planned, layout)
    landing = {planned[i].to_col for i in reasons}
    if any(m.col in landing for m in weak):  # a refused cell would be overwritten: leave the row alone
        unplaced = _refuse(placed, movable, kinds, weak, layout, row_number)
    else:
        unplaced = _apply(placed, planned, reasons, weak, layout, row_number)
    indicator = placed.fields[Role.LEVEL3].stripped if Role.LEVEL3 in placed.fields else None
    for cell in unplaced:
        placed.diagnostics.append(
            diagnostic(
                "IND504",
                location=cell.location,
                text=cell.text,
                span=Span.of(cell.text, 0, min(len(cell.text), _QUOTED)),  # the message quotes this
                hint="该内容已原样保留，未计入任何栏目；请核对这一行各单元格的位置",
                indicator=indicator,
                data={"row": row_number} if row_number is not None else None,
            )
        )
    return placed
