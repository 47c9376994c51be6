"""Realignment of the indicator table: columns found by content, shifted rows put back.

Two steps, both driven by what the cells *are* (:mod:`indicators.forms.recognise`), never by the seed:

1. **Columns.** The header gives each column a :class:`~indicators.forms.names.Role`. The header row
   itself may be shifted against the data (the seed's header starts one column to the left of its
   data, whose first column holds the table label 绩效指标). Every shift of the header by −2…+2 columns
   is scored by how well the data cells fit the roles they would get; a shift is taken only when it
   fits clearly better than none. A 实施周期指标值 column whose cells are mostly formulas (and no other
   column holds formulas) is read as the formula column: the seed's declaration form prints its
   指标解释 under that header; likewise a column under an unknown header (考核标准) holding mostly
   formulas or targets becomes the formula or target column the table lacks. Each decision is an
   IND503 diagnostic on the header row.

2. **Rows.** A row is realigned only when one of its cells clearly conflicts with its column — a
   category name, formula or target in a column of another kind, or text in a column without a header.
   Its non-empty cells are then assigned, left to right, to the indicator columns (一级, 二级, 三级,
   计算公式, 实施周期指标值, 年度指标值) by a small dynamic programme that keeps their order, prefers the
   kind each cell was recognised as, and moves as little as possible. Plain names go to 三级指标 (the
   first) and to 计算公式 (a second one after it, an explanation). Columns such as 实际完成值, 分值 or
   备注 are never touched, and neither are columns whose header the model has no field for (序号,
   评（扣）分标准, 取值依据 …) or that repeat a header: their cells go to ``IndicatorRow.others``. Each
   realigned row gives one IND503 diagnostic naming what moved; a cell that fits nowhere stays in
   ``IndicatorRow.extra`` with an IND504 warning, so no text is lost.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span, column_letter
from indicators.forms.model import Cell
from indicators.forms.names import CORE_ROLES, Role, column_role, is_table_label, known_column
from indicators.forms.recognise import Kind, Recogniser
from indicators.text import nfkc

_INF = 1_000_000.0
_EXTRA_COST = 2.0
_STAY_COST = 1.2
_NAME_BONUS = 0.05
_MAX_SHIFT = 2
_QUOTED = 40  # characters of a cell quoted in a message
_STRONG = frozenset({Kind.LEVEL1, Kind.LEVEL2, Kind.FORMULA, Kind.TARGET})


@dataclass(frozen=True)
class Layout:
    """The indicator table's columns: 0-based column → role.

    ``extra`` columns are named by the header but have no role of their own (a repeated header, or a
    header such as 序号 or 评（扣）分标准): their cells are kept as they are, in ``IndicatorRow.others``.
    """

    roles: dict[int, Role]
    shift: int = 0
    extra: frozenset[int] = frozenset()

    def column_of(self, role: Role) -> int | None:
        for col, found in self.roles.items():
            if found is role:
                return col
        return None

    def describe(self, col: int) -> str:
        role = self.roles.get(col)
        return role.label if role is not None else f"第 {column_letter(col + 1)} 列"


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


def header_roles(header: Sequence[Cell]) -> tuple[dict[int, Role], frozenset[int]]:
    """Roles named by the header, and the columns kept as they are.

    A role named twice keeps its first column; the later ones, and columns whose header names no role
    (取值依据, 指标值确定依据, or a header ``catalog/columns.yaml`` does not list), are kept as they are.
    An empty header cell or the table label (绩效指标) names nothing: its column may receive shifted cells.
    """
    roles: dict[int, Role] = {}
    extra: set[int] = set()
    for col, cell in enumerate(header):
        role = column_role(cell.text)
        if role is None:
            if not cell.empty and not is_table_label(cell.text):
                extra.add(col)
            continue
        if role in roles.values():
            extra.add(col)
        else:
            roles[col] = role
    return roles, frozenset(extra)


_SEQUENCE_NUMBER = re.compile(r"^[(（]?\d{1,3}[)）.、．]?$")


def _sequence_columns(header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> frozenset[int]:
    """Columns with no header (or the table label) whose cells are all row numbers (1, 2, 3 …; ``1.``,
    ``(1)``), in two rows or more: a 序号 column printed without its header, never data."""
    width = max((len(r) for r in rows), default=0)
    found: set[int] = set()
    for col in range(width):
        head = header[col] if col < len(header) else None
        if head is not None and not head.empty and not is_table_label(head.text):
            continue
        texts = [row[col].stripped for row in rows if col < len(row) and not row[col].empty]
        if len(texts) >= 2 and all(_SEQUENCE_NUMBER.match(nfkc(t)) for t in texts):
            numbers = [int(re.sub(r"\D", "", nfkc(t))) for t in texts]
            if all(b > a for a, b in itertools.pairwise(numbers)):
                found.add(col)
    return frozenset(found)


def _fit(kinds: frozenset[Kind], role: Role | None) -> float:
    """How well a cell of these kinds fits a column of this role (for choosing the header shift)."""
    strong = kinds & _STRONG
    if role is None:
        if Kind.LABEL in kinds:
            return 0.5
        return -1.0 if strong else -0.25
    wanted = {
        Role.LEVEL1: Kind.LEVEL1,
        Role.LEVEL2: Kind.LEVEL2,
        Role.FORMULA: Kind.FORMULA,
        Role.PERIOD: Kind.TARGET,
        Role.TARGET: Kind.TARGET,
    }.get(role)
    if role is Role.LEVEL3:
        return -1.0 if strong else 0.5
    if wanted is None:  # 实际完成值, 分值, 备注 …: no opinion
        return 0.0
    if wanted in kinds:
        return 1.0
    if strong:
        return -1.0
    return -0.5 if Kind.LABEL in kinds else 0.0


def _reinterpret_period(
    roles: dict[int, Role], rows: Sequence[Sequence[Cell]], rec: Recogniser
) -> tuple[dict[int, Role], int | None]:
    """Read a 实施周期指标值 column holding formulas as the formula column (returns the column)."""
    if Role.FORMULA in roles.values():
        return roles, None
    for col, role in roles.items():
        if role is not Role.PERIOD:
            continue
        texts = [row[col].text for row in rows if col < len(row) and not row[col].empty]
        formulas = sum(1 for t in texts if Kind.FORMULA in rec.kinds(t))
        if formulas and formulas * 2 >= len(texts):
            return {**roles, col: Role.FORMULA}, col
    return roles, None


def _read_unnamed(
    header: Sequence[Cell],
    extra: frozenset[int],
    shift: int,
    roles: dict[int, Role],
    rows: Sequence[Sequence[Cell]],
    rec: Recogniser,
) -> tuple[dict[int, Role], list[tuple[int, Role]]]:
    """Read an unknown column, or the 评（扣）分标准 column, as the formula or target column the table lacks.

    A header the table does not list (说明性文字) names no role; 评（扣）分标准 is its own column. When at
    least half of such a column's cells are formulas (targets) and no other column is the formula
    (target) column, the column is read as one — the 评（扣）分标准 column only as the formula column.
    Returns the roles and the (shifted) columns so read.
    """
    read_as: list[tuple[int, Role]] = []
    candidates = [c for c in extra if not known_column(header[c].text)]
    candidates += [c - shift for c, role in roles.items() if role is Role.STANDARD]
    for col in sorted(candidates):
        shifted = col + shift
        wanted = ((Role.FORMULA, Kind.FORMULA),) if roles.get(shifted) is Role.STANDARD else (
            (Role.FORMULA, Kind.FORMULA),
            (Role.TARGET, Kind.TARGET),
        )
        texts = [row[shifted].text for row in rows if shifted < len(row) and not row[shifted].empty]
        for role, kind in wanted:
            found = sum(1 for t in texts if kind in rec.kinds(t))
            if role not in roles.values() and found and found * 2 >= len(texts):
                roles = {**roles, shifted: role}
                read_as.append((shifted, role))
                break
    return roles, read_as


def _best_shift(
    named: dict[int, Role],
    extra: frozenset[int],
    skip: frozenset[int],
    rows: Sequence[Sequence[Cell]],
    rec: Recogniser,
    width: int,
) -> tuple[int, dict[int, Role], int | None]:
    """The header shift (−2…+2) under which the data fits the roles clearly best (0 unless one does)."""

    def candidate(shift: int) -> tuple[float, dict[int, Role], int | None]:
        roles = {col + shift: role for col, role in named.items() if 0 <= col + shift < max(width, 1) + 1}
        roles, period_col = _reinterpret_period(roles, rows, rec)
        kept = {col + shift for col in extra} | skip
        score = 0.0
        for row in rows:
            for col, cell in enumerate(row):
                if not cell.empty and col not in kept:
                    score += _fit(rec.kinds(cell.text), roles.get(col))
        return score, roles, period_col

    results = {shift: candidate(shift) for shift in range(-_MAX_SHIFT, _MAX_SHIFT + 1)}
    base_score = results[0][0]
    cells = sum(1 for row in rows for cell in row if not cell.empty)
    margin = max(2.0, 0.1 * cells)
    best = 0
    for shift in sorted(results, key=lambda s: (abs(s), s)):
        if results[shift][0] >= base_score + margin and results[shift][0] > results[best][0]:
            best = shift
    _, roles, period_col = results[best]
    return best, roles, period_col


def _unknown_columns(
    header: Sequence[Cell], extra: frozenset[int], shift: int, roles: dict[int, Role]
) -> list[Diagnostic]:
    """IND510 for every header cell the column table does not list and no content rule read as a column."""
    found: list[Diagnostic] = []
    for col in sorted(extra):
        cell = header[col]
        if known_column(cell.text) or col + shift in roles:
            continue
        found.append(
            diagnostic(
                "IND510",
                column=column_letter(col + shift + 1),
                text=" ".join(cell.text.split()),
                location=cell.location,
                data={"column": col + shift + 1, "header": cell.text},
            )
        )
    return found


def detect_layout(
    header: Sequence[Cell], rows: Sequence[Sequence[Cell]], rec: Recogniser, *, row_number: int | None = None
) -> tuple[Layout, list[Diagnostic]]:
    """The table's columns, with the header's shift and any reinterpreted column, and their diagnostics."""
    named, extra = header_roles(header)
    width = max([len(header), *(len(r) for r in rows)], default=0)
    sequence = _sequence_columns(header, rows)
    best, roles, period_col = _best_shift(named, extra, sequence, rows, rec, width)
    roles, read_as = _read_unnamed(header, extra, best, roles, rows, rec)
    for col in sequence:
        roles.setdefault(col, Role.SEQUENCE)
    extra_cols = frozenset(col + best for col in extra if col + best not in roles)
    location = header[0].location if header else None
    if location is not None and row_number is None:
        row_number = location.row
    notes: list[tuple[str, dict[str, object]]] = []
    if best != 0:
        first = min(named) if named else 0
        direction = "右" if best > 0 else "左"
        detail = (
            f"表头与其下的数据错开 {abs(best)} 列，已将各栏标题向{direction}移动 {abs(best)} 列"
            f"（“{header[first].stripped}”对应第 {column_letter(first + best + 1)} 列）"
        )
        notes.append((detail, {"shift": best}))
    if period_col is not None:
        detail = (
            f"“实施周期指标值”栏（第 {column_letter(period_col + 1)} 列）填写的是指标解释和计算公式，"
            "已按计算公式栏读取"
        )
        notes.append((detail, {"column": period_col + 1, "read_as": Role.FORMULA.value}))
    for col, role in read_as:
        detail = (
            f"“{header[col - best].stripped}”栏（第 {column_letter(col + 1)} 列）填写的是"
            f"{role.label.removesuffix('栏')}，已按{role.label}读取"
        )
        notes.append((detail, {"column": col + 1, "read_as": role.value}))
    found = [diagnostic("IND503", location=location, row=row_number, detail=d, data=x) for d, x in notes]
    found += _unknown_columns(header, extra, best, roles)
    return Layout(roles=roles, shift=best, extra=extra_cols), found


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
    """Order-keeping assignment of cells to slots (index into ``slots``, or None for extra)."""

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
        return _fit(self.kinds, self.role) - _fit(self.kinds, layout.roles.get(self.col))

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
