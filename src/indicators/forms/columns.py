"""The columns of the indicator table: the header's roles, its shift against the data, and columns read
by their content.

The header gives each column a :class:`~indicators.forms.names.Role` (``catalog/columns.yaml``). The header
row itself may be shifted against the data (the seed's header starts one column to the left of its data,
whose first column holds the table label 绩效指标). Every shift of the header by −2…+2 columns is scored by
how well the data cells fit the roles they would get; a shift is taken only when it fits clearly better than
none. A 实施周期指标值 column whose cells are mostly formulas (and no other column holds formulas) is read as
the formula column: the seed's declaration form prints its 指标解释 under that header; likewise an unknown
column, or the 评（扣）分标准 column, holding mostly formulas becomes the formula column the table lacks
(an unknown one holding targets, the target column). A column with no header whose cells count up is a
序号 column. Each decision is an IND503 diagnostic on the header row; a header the column table does not
list, and that no content rule reads, is an IND510 warning.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, column_letter
from indicators.forms.model import Cell
from indicators.forms.names import Role, column_role, is_table_label, known_column
from indicators.forms.recognise import Kind, Recogniser
from indicators.text import nfkc

_MAX_SHIFT = 2
#: the kinds that are evidence of a column: a cell of one of them conflicts with a column of another kind
STRONG = frozenset({Kind.LEVEL1, Kind.LEVEL2, Kind.FORMULA, Kind.TARGET})


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


def fit(kinds: frozenset[Kind], role: Role | None) -> float:
    """How well a cell of these kinds fits a column of this role (for choosing the header shift)."""
    strong = kinds & STRONG
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
    """The header shift (−2…+2) under which the data fits the roles clearly best (0 unless one does).

    The cells are counted once by column and kinds; each shift scores the counts (every :func:`fit` is
    a multiple of ¼, so the sums are exact in any order)."""
    tally: Counter[tuple[int, frozenset[Kind]]] = Counter(
        (col, rec.kinds(cell.text)) for row in rows for col, cell in enumerate(row) if not cell.empty
    )

    def candidate(shift: int) -> tuple[float, dict[int, Role], int | None]:
        roles = {col + shift: role for col, role in named.items() if 0 <= col + shift < max(width, 1) + 1}
        roles, period_col = _reinterpret_period(roles, rows, rec)
        kept = {col + shift for col in extra} | skip
        score = 0.0
        for (col, kinds), count in tally.items():
            if col not in kept:
                score += count * fit(kinds, roles.get(col))
        return score, roles, period_col

    results = {shift: candidate(shift) for shift in range(-_MAX_SHIFT, _MAX_SHIFT + 1)}
    base_score = results[0][0]
    cells = sum(tally.values())
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
