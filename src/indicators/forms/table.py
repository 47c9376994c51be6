"""The indicator table of a form: its rows read into :class:`~indicators.forms.model.IndicatorRow`.

The header may continue on the next row; rows are realigned (:mod:`indicators.forms.realign`), copies a
merged range made across columns of another kind are dropped, blank level-1 and level-2 cells inherit
from the row above, and the category cells are read (canonical name, note, points).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from indicators.diagnostics import Diagnostic, Location
from indicators.forms.columns import Layout, detect_layout
from indicators.forms.model import Category, Cell, IndicatorRow
from indicators.forms.names import Role, block_of, column_role, is_footer, is_header_row
from indicators.forms.realign import place_row
from indicators.forms.recognise import Recogniser
from indicators.text import category_key, split_category


def row_texts(row: Sequence[Cell]) -> list[str]:
    return [c.text for c in row]


def blank_row(row: Sequence[Cell]) -> bool:
    return all(c.empty for c in row)


def distinct_cells(row: Sequence[Cell]) -> list[Cell]:
    """The non-empty cells of a row, each run of equal texts (a merged range) given once."""
    out: list[Cell] = []
    for cell in row:
        if not cell.empty and (not out or out[-1].text != cell.text):
            out.append(cell)
    return out


def first_cell(row: Sequence[Cell]) -> Cell | None:
    return next((c for c in row if not c.empty), None)




class TableReader:
    """Reads the indicator table; the form builder (:mod:`indicators.forms.layout`) is one."""

    rec: Recogniser
    diagnostics: list[Diagnostic]
    notes: list[Cell]

    def table(
        self,
        header: Sequence[Cell],
        rows: Sequence[Sequence[Cell]],
        spans: Sequence[tuple[int, int, int, int]] = (),
    ) -> tuple[list[IndicatorRow], Layout, Sequence[Sequence[Cell]]]:
        """The indicator rows, the table's layout, and the rows after the table that open a block."""
        header, rows = _header_continued(header, rows)
        data: list[Sequence[Cell]] = []
        footer = False
        after_footer: tuple[int, int] | None = None  # (position, notes) after the first footer row
        rest: Sequence[Sequence[Cell]] = ()
        for position, row in enumerate(rows):
            if blank_row(row):
                continue
            if is_header_row(row_texts(row)):
                if after_footer is not None:  # after 合计/总分: another table stacked below (IND513)
                    rest = rows[after_footer[0] :]
                    del self.notes[after_footer[1] :]
                    break
                self.notes.extend(distinct_cells(row))  # the header printed again (over several pages)
                continue
            first = first_cell(row)
            if not footer and row and block_of(row[0].text) is not None:
                rest = rows[position:]  # e.g. 总体绩效目标 printed below the table
                break
            if footer or (first is not None and is_footer(first.text)):
                footer = True
                self.notes.extend(distinct_cells(row))
                after_footer = after_footer or (position + 1, len(self.notes))
                continue
            data.append(row)
        layout, found = detect_layout(header, data, self.rec)
        self.diagnostics.extend(found)
        if spans:
            by_row: dict[int, list[tuple[int, int]]] = {}
            for first_row, first_col, last_row, last_col in spans:
                for r in range(first_row, last_row + 1):
                    by_row.setdefault(r, []).append((first_col, last_col))
            data = [_unspan(row, layout, by_row) for row in data]
        indicators: list[IndicatorRow] = []
        previous: dict[Role, Cell] = {}
        for index, row in enumerate(data):
            number = next((c.location.row for c in row if c.location and c.location.row), None)
            placed = place_row(row, layout, self.rec, row_number=number)
            self.diagnostics.extend(placed.diagnostics)
            values: dict[str, object] = {
                "index": index,
                "extra": tuple(placed.extra),
                "others": tuple(placed.others),
            }
            for col, role in layout.roles.items():
                values[role.value] = placed.fields.get(role) or Cell(text="", location=_beside(row, col))
            values["inherited"] = self._inherit(values, previous, set(layout.roles.values()))
            values.update(self._categories(values))
            level3 = values.get("level3")
            if isinstance(level3, Cell) and level3.empty:
                values["level3"] = None  # a category row: level-1/level-2 named, no indicator under them
            indicators.append(IndicatorRow.model_validate(values))
        return indicators, layout, rest

    def _categories(self, values: dict[str, object]) -> dict[str, Category | None]:
        """The level-1 and level-2 cells read as categories (canonical name, note, points)."""
        out: dict[str, Category | None] = {}
        level1, level2 = values.get("level1"), values.get("level2")
        canonical1: str | None = None
        if isinstance(level1, Cell) and not level1.empty:
            canonical1 = self.rec.taxonomy.canonical_level1(level1.text)
            out["category1"] = _category(level1, canonical1)
        if isinstance(level2, Cell) and not level2.empty:
            taxonomy = self.rec.taxonomy
            parents = [canonical1] if canonical1 is not None else list(taxonomy.level1_names)
            canonical2 = next(
                (found for l1 in parents if (found := taxonomy.canonical_level2(l1, level2.text))), None
            )
            out["category2"] = _category(level2, canonical2)
        return out

    def _same_category(self, a: Cell, b: Cell) -> bool:
        canonical = self.rec.level1(a.text)
        if canonical is not None and canonical == self.rec.level1(b.text):
            return True
        return category_key(a.text) == category_key(b.text)

    def _inherit(
        self, values: dict[str, object], previous: dict[Role, Cell], roles: set[Role]
    ) -> tuple[str, ...]:
        """Fill blank level-1/level-2 cells from the row above; the names of the fields so filled."""
        inherited: list[str] = []
        level1, level2 = values.get("level1"), values.get("level2")
        given = isinstance(level1, Cell) and not level1.empty
        if Role.LEVEL1 in roles and not given and Role.LEVEL1 in previous:
            values["level1"] = previous[Role.LEVEL1]
            inherited.append("level1")
        same = not given or (
            isinstance(level1, Cell)
            and Role.LEVEL1 in previous
            and self._same_category(level1, previous[Role.LEVEL1])
        )
        if isinstance(level1, Cell) and given:
            previous[Role.LEVEL1] = level1
            if not same:
                previous.pop(Role.LEVEL2, None)
        blank2 = not isinstance(level2, Cell) or level2.empty
        if Role.LEVEL2 in roles and blank2 and Role.LEVEL2 in previous and same:
            values["level2"] = previous[Role.LEVEL2]
            inherited.append("level2")
        elif isinstance(level2, Cell) and not level2.empty:
            previous[Role.LEVEL2] = level2
        return tuple(inherited)



def _category(cell: Cell, canonical: str | None) -> Category:
    parts = split_category(cell.text)
    return Category(
        name=canonical or parts.name, canonical=canonical, note=parts.note, points=parts.points, cell=cell
    )


def _header_continued(
    header: Sequence[Cell], rows: Sequence[Sequence[Cell]]
) -> tuple[list[Cell], Sequence[Sequence[Cell]]]:
    """Merge a second header row into the first.

    A header cell merged over two rows repeats its text in the second row; a second row may also
    name sub-columns (``指标值`` over ``年度指标值 | 实施周期指标值``). Such a row, whose every non-empty
    cell repeats the cell above or names a column, refines the header and is not data.
    """
    merged = list(header)
    rest = list(rows)
    while rest and not blank_row(rest[0]):
        row = rest[0]
        continued = all(
            cell.empty
            or (col < len(merged) and cell.text == merged[col].text)
            or column_role(cell.text) is not None
            for col, cell in enumerate(row)
        )
        if not continued:
            break
        for col, cell in enumerate(row):
            if cell.empty or column_role(cell.text) is None:
                continue
            while len(merged) <= col:
                merged.append(Cell(text="", location=None))
            merged[col] = cell
        rest.pop(0)
    return merged, rest


_NAMES = frozenset({Role.LEVEL1, Role.LEVEL2, Role.LEVEL3})


def _unspan(
    row: Sequence[Cell], layout: Layout, by_row: Mapping[int, list[tuple[int, int]]]
) -> Sequence[Cell]:
    """The row without the copies a merged range made in columns of another kind: ``预算执行率`` merged
    from 一级指标 across to 实际完成值 names the row; it is not its target or actual value. Copies among
    the names (一级 → 二级 → 三级) and within one kind of column stay. ``by_row`` gives each sheet row's
    ranges that span columns (first and last column, 1-based)."""
    number = next((c.location.row for c in row if c.location and c.location.row), None)
    ranges = by_row.get(number) if number is not None else None
    if not ranges:
        return row
    out = list(row)
    for first, last in ranges:
        origin = layout.roles.get(first - 1)
        for j in range(first, min(last, len(out))):  # the copies: 0-based columns first … last-1
            role = layout.roles.get(j)
            if role == origin or (role in _NAMES and origin in _NAMES):
                continue
            out[j] = Cell(text="", location=out[j].location)
    return out


def _beside(row: Sequence[Cell], col: int) -> Location | None:
    """The location of column ``col`` in this row (for empty cells that have no cell of their own)."""
    for cell in row:
        if cell.location is not None and cell.location.row is not None:
            return cell.location.model_copy(update={"column": col + 1})
    return None
