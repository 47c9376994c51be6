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
from indicators.forms.header import ProjectReader, decide_type
from indicators.forms.model import (
    BudgetGroup,
    BudgetItem,
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
    header_key,
    is_header_row,
)
from indicators.forms.recognise import Recogniser
from indicators.forms.table import TableReader, blank_row, distinct_cells, row_texts
from indicators.text import nfkc, squash_spaces

#: TO_WAN and parse_amount live in :mod:`indicators.forms.money`; named here for earlier importers
__all__ = ["TO_WAN", "Sheet", "build_form", "find_header", "parse_amount"]


@dataclass
class Sheet:
    """One sheet (or a whole text file): ``rows[i][j]`` is the cell at row ``i + 1``, column ``j + 1``.

    ``hidden`` marks a worksheet hidden in the workbook; ``diagnostics`` are the reader's findings about
    the sheet (a formula without a saved value), reported when the sheet is read into the form; ``spans``
    the cells a merged range filled to the right of its first column.
    """

    name: str | None
    rows: list[list[Cell]] = field(default_factory=list)
    hidden: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: the merged ranges that span columns, clipped to the used area: (first row, first column, last
    #: row, last column), 1-based as in locations
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)


def find_header(sheet: Sheet) -> int | None:
    """0-based index of the indicator table's header row, or None."""
    for i, row in enumerate(sheet.rows):
        if is_header_row(row_texts(row)):
            return i
    return None


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


class _Builder(TableReader):
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
            if blank_row(row):
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
            elif not self.seen_block and self.title is None and len(distinct_cells(row)) == 1:
                self.title = distinct_cells(row)[0].stripped
            else:
                self.notes.extend(distinct_cells(row))

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
            cells = [c for c in distinct_cells(row[1:]) if c.stripped != label]
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


def _before_another_table(
    rest: Sequence[Sequence[Cell]], found: list[Diagnostic], source: str | None
) -> Sequence[Sequence[Cell]]:
    """The rows after the table up to another indicator table in the same sheet (IND513, not read): a
    sheet that stacks several forms, each with its title and header block."""
    second = next((i for i, row in enumerate(rest) if is_header_row(row_texts(row))), None)
    if second is None:
        return rest
    blanks = [i for i in range(second) if blank_row(rest[i])]
    start = blanks[-1] + 1 if blanks else second
    first = next((c for row in rest[start:] for c in row if c.location is not None and not c.empty), None)
    location = first.location if first is not None else Location(source=source)
    row = location.row if location is not None and location.row is not None else start + 1
    found.append(diagnostic("IND513", row=row, location=location))
    return rest[:start]


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
    indicators, layout, rest = builder.table(header, chosen.rows[header_index + 1 :], chosen.spans)
    if not indicators:
        location = next((c.location for c in header if c.location is not None), Location(source=source))
        builder.diagnostics.append(diagnostic("IND509", row=header_index + 1, location=location))
    builder.blocks(_before_another_table(rest, builder.diagnostics, source))
    roles = set(layout.roles.values())
    kind = FormKind.SELF_EVALUATION if roles & {Role.ACTUAL, Role.SCORE} else FormKind.DECLARED
    return builder.form(kind, indicators, chosen.name)
