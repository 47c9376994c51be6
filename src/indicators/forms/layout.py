"""From a grid of cells (any file format) to a :class:`~indicators.forms.model.Form`.

Every reader produces :class:`Sheet` objects — rows of :class:`Cell` with their file locations — and
:func:`build_form` does the rest, the same way for text, CSV and XLSX:

* the indicator sheet is the first whose rows hold the header of an indicator table (a 三级指标 cell);
* the blocks above the table are found by the label in their first column (部门名称, 预算整体情况,
  总体绩效目标, 年度重点工作任务, 其他需完成的任务); a single-cell line before them is the title; any
  other text is kept in ``Form.notes``;
* the indicator table is realigned (:mod:`indicators.forms.realign`), then blank level-1 and level-2
  cells inherit from the row above;
* rows below the table that start with 合计, 填报人, 联系电话, 注： … go to ``Form.notes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.errors import FormReadError
from indicators.forms.columns import Layout, detect_layout
from indicators.forms.header import ProjectReader, decide_type
from indicators.forms.model import (
    BudgetGroup,
    BudgetItem,
    Category,
    Cell,
    Form,
    FormKind,
    IndicatorRow,
    KeyTask,
)
from indicators.forms.money import TO_WAN, budget_group, is_unit_header, parse_amount, unit_of
from indicators.forms.names import (
    Block,
    Role,
    block_of,
    column_role,
    header_key,
    is_footer,
    is_header_row,
)
from indicators.forms.realign import place_row
from indicators.forms.recognise import Recogniser
from indicators.text import category_key, nfkc, split_category, squash_spaces

#: TO_WAN and parse_amount live in :mod:`indicators.forms.money`; named here for earlier importers
__all__ = ["TO_WAN", "Sheet", "build_form", "find_header", "parse_amount"]


@dataclass
class Sheet:
    """One sheet (or a whole text file): ``rows[i][j]`` is the cell at row ``i + 1``, column ``j + 1``.

    ``hidden`` marks a worksheet hidden in the workbook; ``diagnostics`` are the reader's findings about
    the sheet (a formula without a saved value), reported when the sheet is read into the form.
    """

    name: str | None
    rows: list[list[Cell]] = field(default_factory=list)
    hidden: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _texts(row: Sequence[Cell]) -> list[str]:
    return [c.text for c in row]


def find_header(sheet: Sheet) -> int | None:
    """0-based index of the indicator table's header row, or None."""
    for i, row in enumerate(sheet.rows):
        if is_header_row(_texts(row)):
            return i
    return None


def _blank(row: Sequence[Cell]) -> bool:
    return all(c.empty for c in row)


def _distinct(row: Sequence[Cell]) -> list[Cell]:
    """The non-empty cells of a row, each run of equal texts (a merged range) given once."""
    out: list[Cell] = []
    for cell in row:
        if not cell.empty and (not out or out[-1].text != cell.text):
            out.append(cell)
    return out


def _first(row: Sequence[Cell]) -> Cell | None:
    return next((c for c in row if not c.empty), None)


#: the columns of a goal sub-table: 预期目标 | 实际完成情况
_GOAL_COLUMNS = {
    "预期目标": "expected",
    "年度目标": "expected",
    "目标": "expected",
    "绩效目标": "expected",
    "实际完成情况": "actual",
    "实际完成": "actual",
    "完成情况": "actual",
    "实际完成目标": "actual",
}


class _Builder:
    def __init__(self, source: str | None, rec: Recogniser) -> None:
        self.source = source
        self.rec = rec
        self.diagnostics: list[Diagnostic] = []
        self.notes: list[Cell] = []
        self.title: str | None = None
        self.department: Cell | None = None
        self.budget: list[BudgetItem] = []
        self.goal: Cell | None = None
        self.tasks: list[KeyTask] = []
        self.other_tasks: Cell | None = None
        self.seen_block = False
        self.task_unit = "万元"
        self.annual_goal: Cell | None = None
        self.goal_actual: Cell | None = None
        self.goal_columns: dict[int, str] = {}
        self.project = ProjectReader(amount=self._amount)
        #: labels of the 部门整体 blocks found (部门名称, 预算整体情况, 年度重点工作任务): the type's evidence
        self.department_labels: list[str] = []

    # --- the blocks above the table -----------------------------------------------------------
    def blocks(self, rows: Sequence[Sequence[Cell]]) -> None:
        block: Block | None = None
        label = ""
        groups: dict[int, tuple[BudgetGroup, str]] = {}
        task_cols: dict[str, int] = {}
        for row in rows:
            if _blank(row):
                continue
            head = row[0].stripped if row else ""
            opened = block_of(head) if head else None
            if opened is not None and (head != label or opened is not block):
                block, label = opened, head
                self.seen_block = True
                if opened in (Block.DEPARTMENT, Block.BUDGET, Block.TASKS):
                    self.department_labels.append(head)
                self._open(block, row, groups, task_cols)
                continue
            if head and head != label:
                block, label = None, ""
            if block is Block.BUDGET:
                self._budget_row(row, groups)
            elif block in (Block.GOAL, Block.ANNUAL_GOAL) and self.goal_columns:
                self._goal_row(block, row)
            elif block is Block.TASKS:
                self._task_row(row, task_cols)
            elif self.project.row(row):
                self.seen_block = True
            elif not self.seen_block and self.title is None and len(_distinct(row)) == 1:
                self.title = _distinct(row)[0].stripped
            else:
                self.notes.extend(_distinct(row))

    def _open(
        self,
        block: Block,
        row: Sequence[Cell],
        groups: dict[int, tuple[BudgetGroup, str]],
        task_cols: dict[str, int],
    ) -> None:
        self.goal_columns = {}
        if block in (Block.GOAL, Block.ANNUAL_GOAL) and self._goal_header(row):
            return
        if block in (Block.DEPARTMENT, Block.GOAL, Block.ANNUAL_GOAL, Block.OTHER_TASKS):
            # the label may be merged over two cells; text after the value (联系人, 填报日期 …) is a note,
            # and so are further label/value pairs of a project header (主管部门 | 民政局)
            label = row[0].stripped
            cells = [c for c in _distinct(row[1:]) if c.stripped != label]
            value = cells[0] if cells else None
            if block is Block.DEPARTMENT:
                self.department = value
            elif block is Block.GOAL:
                self.goal = value
            elif block is Block.ANNUAL_GOAL:
                self.annual_goal = value
            else:
                self.other_tasks = value
            if not self.project.row(cells[1:]):
                self.notes.extend(cells[1:])
        elif block is Block.BUDGET:
            groups.clear()
            self._budget_row(row, groups)
        else:
            task_cols.clear()
            for col, cell in enumerate(row[1:], start=1):
                key = squash_spaces(nfkc(cell.text))
                for name, words in (
                    ("name", ("名称",)),
                    ("content", ("内容",)),
                    ("funds", ("资金", "金额")),
                    ("expected", ("目标", "预期", "期望")),
                ):
                    if name not in task_cols and any(w in key for w in words):
                        task_cols[name] = col
                        if name == "funds":
                            self.task_unit = unit_of(cell.text)
                        break
            for default, name in enumerate(("name", "content", "funds", "expected"), start=1):
                task_cols.setdefault(name, default)

    def _goal_header(self, row: Sequence[Cell]) -> bool:
        """A goal label over a two-column sub-table (年度总体目标 | 预期目标 | 实际完成情况): the columns."""
        columns = {
            col: kind
            for col, cell in enumerate(row)
            if col > 0 and (kind := _GOAL_COLUMNS.get(header_key(cell.text))) is not None
        }
        if "expected" not in columns.values():
            return False
        self.goal_columns = columns
        return True

    def _goal_row(self, block: Block, row: Sequence[Cell]) -> None:
        """The row under a goal sub-table header: the expected goal, and on a 自评表 what was achieved."""
        for col, kind in self.goal_columns.items():
            cell = row[col] if col < len(row) else None
            if cell is None or cell.empty:
                continue
            if kind == "actual":
                self.goal_actual = cell
            elif block is Block.GOAL:
                self.goal = cell
            else:
                self.annual_goal = cell
        self.goal_columns = {}

    def _budget_row(self, row: Sequence[Cell], groups: dict[int, tuple[BudgetGroup, str]]) -> None:
        for col in range(1, len(row), 2):
            label = row[col]
            value = row[col + 1] if col + 1 < len(row) else Cell(text="", location=None)
            if label.empty and value.empty:
                continue
            group = budget_group(label.text)
            if group is not None or is_unit_header(value.text):
                groups[col] = (group or BudgetGroup.OTHER, unit_of(value.text))
                continue
            current, unit = groups.get(col, (BudgetGroup.OTHER, "万元"))
            amount, written_unit = self._amount(value, "金额应为数字，可带千位分隔符，如“5,786.45”")
            self.budget.append(
                BudgetItem(
                    group=current,
                    label=label.stripped,
                    amount=amount,
                    unit=written_unit or unit,
                    cell=value if not value.empty or value.location else None,
                )
            )

    def _amount(self, cell: Cell, hint: str) -> tuple[Decimal | None, str | None]:
        """The amount in a cell and the unit written after it; IND506 when the text is no amount."""
        amount, unit = parse_amount(cell.text)
        if amount is None and unit is None:
            self.diagnostics.append(diagnostic("IND506", location=cell.location, text=cell.text, hint=hint))
        return amount, unit

    def _task_row(self, row: Sequence[Cell], cols: dict[str, int]) -> None:
        def get(name: str) -> Cell | None:
            col = cols[name]
            return row[col] if col < len(row) else None

        name = get("name") or Cell(text="")
        funds_cell = get("funds")
        funds: Decimal | None = None
        if funds_cell is not None and not funds_cell.empty:
            funds, unit = self._amount(funds_cell, f"拟投入的资金应为数字（{self.task_unit}），如“32.40”")
            if funds is not None:
                funds = funds * TO_WAN.get(unit or self.task_unit, Decimal(1))
        used = {cols[n] for n in cols}
        self.notes.extend(c for i, c in enumerate(row) if i not in used and i > 0 and not c.empty)
        self.tasks.append(
            KeyTask(
                name=name,
                content=get("content"),
                funds=funds,
                funds_cell=funds_cell,
                expected=get("expected"),
            )
        )

    def form(self, kind: FormKind, indicators: Sequence[IndicatorRow], sheet: str | None) -> Form:
        """The form read, its type decided from the title and the blocks (IND512 when they disagree)."""
        titles = [t for t in (self.title, *(c.text for c in self.notes), sheet or "") if t]
        decided = decide_type(titles, self.project.labels, self.department_labels)
        where = Location(source=self.source, sheet=sheet)
        located = (d.model_copy(update={"location": where}) for d in decided.diagnostics)
        diagnostics = [*self.diagnostics, *located]
        return Form(
            kind=kind,
            form_type=decided.form_type,
            form_type_evidence=decided.evidence,
            source=self.source,
            title=self.title,
            department=self.department,
            project=self.project.info(),
            budget=(*self.budget, *self.project.funds),
            overall_goal=self.goal,
            annual_goal=self.annual_goal,
            goal_actual=self.goal_actual,
            tasks=tuple(self.tasks),
            other_tasks=self.other_tasks,
            indicators=tuple(indicators),
            notes=(*self.notes, *self.project.leftover),
            diagnostics=tuple(diagnostics),
        )

    # --- the indicator table ------------------------------------------------------------------
    def table(
        self, header: Sequence[Cell], rows: Sequence[Sequence[Cell]]
    ) -> tuple[list[IndicatorRow], Layout, Sequence[Sequence[Cell]]]:
        """The indicator rows, the table's layout, and the rows after the table that open a block."""
        header, rows = _header_continued(header, rows)
        data: list[Sequence[Cell]] = []
        footer = False
        rest: Sequence[Sequence[Cell]] = ()
        for position, row in enumerate(rows):
            if _blank(row):
                continue
            if is_header_row(_texts(row)):  # the header printed again (a table over several pages)
                self.notes.extend(_distinct(row))
                continue
            first = _first(row)
            if not footer and row and block_of(row[0].text) is not None:
                rest = rows[position:]  # e.g. 总体绩效目标 printed below the table
                break
            if footer or (first is not None and is_footer(first.text)):
                footer = True
                self.notes.extend(_distinct(row))
                continue
            data.append(row)
        layout, found = detect_layout(header, data, self.rec)
        self.diagnostics.extend(found)
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
    while rest and not _blank(rest[0]):
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


def _beside(row: Sequence[Cell], col: int) -> Location | None:
    """The location of column ``col`` in this row (for empty cells that have no cell of their own)."""
    for cell in row:
        if cell.location is not None and cell.location.row is not None:
            return cell.location.model_copy(update={"column": col + 1})
    return None


def _tables(sheets: Sequence[Sheet], sheet: str | None, source: str | None) -> list[tuple[Sheet, int]]:
    """The sheets holding an indicator table, with their header row, visible sheets first; IND501 for a
    ``sheet`` name the workbook does not have, IND502 when no sheet holds a table."""
    candidates = [s for s in sheets if sheet is None or s.name == sheet]
    if sheet is not None and not candidates:
        names = "、".join(f"“{s.name}”" for s in sheets if s.name)
        raise FormReadError(
            diagnostic(
                "IND501",
                reason=f"工作簿中没有名为“{sheet}”的工作表（现有：{names or '无'}）",
                location=Location(source=source),
            )
        )
    found = [(s, h) for s in candidates for h in [find_header(s)] if h is not None]
    found.sort(key=lambda pair: pair[0].hidden)  # a hidden sheet (an old copy, a template) comes last
    if not found:
        raise FormReadError(
            diagnostic(
                "IND502",
                location=Location(source=source),
                hint="表格中应有一行表头，含“三级指标”以及“一级指标”“二级指标”或“年度指标值”等栏目",
            )
        )
    return found


def build_form(
    sheets: Sequence[Sheet],
    *,
    source: str | None,
    recogniser: Recogniser,
    sheet: str | None = None,
) -> Form:
    """The form held by these sheets; :class:`FormReadError` (IND502) when none has an indicator table."""
    found = _tables(sheets, sheet, source)
    chosen, header_index = found[0]
    builder = _Builder(source, recogniser)
    for other, _ in found[1:]:
        builder.diagnostics.append(
            diagnostic("IND507", sheet=other.name or "?", location=Location(source=source, sheet=other.name))
        )
    builder.diagnostics.extend(chosen.diagnostics)
    builder.blocks(chosen.rows[:header_index])
    if builder.department is None:
        for other in sheets:
            if other is not chosen and not other.hidden and find_header(other) is None:
                had_blocks = builder.seen_block
                builder.blocks(other.rows)
                if builder.seen_block and not had_blocks:  # the sheet gave the blocks above the table
                    builder.diagnostics.extend(other.diagnostics)
    header = chosen.rows[header_index]
    indicators, layout, rest = builder.table(header, chosen.rows[header_index + 1 :])
    if not indicators:
        location = next((c.location for c in header if c.location is not None), Location(source=source))
        builder.diagnostics.append(diagnostic("IND509", row=header_index + 1, location=location))
    builder.blocks(rest)
    roles = set(layout.roles.values())
    kind = FormKind.SELF_EVALUATION if roles & {Role.ACTUAL, Role.SCORE} else FormKind.DECLARED
    return builder.form(kind, indicators, chosen.name)
