"""The form model: a 绩效目标申报表 (or a 绩效自评表) as read from any file format.

Every piece of text keeps where it came from (:class:`Cell` with a :class:`Location`), so the linter
and the scorer can point at the exact cell. Readers (``forms/readers``) build a :class:`Form`; the
realigner (``forms/realign.py``) repairs shifted rows and reports each repair in ``Form.diagnostics``.
Nothing here parses formulas or targets: that is the linter's and the scorer's business.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from indicators.diagnostics import Diagnostic, Location


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cell(_Frozen):
    """The text of one cell and where it came from."""

    text: str
    location: Location | None = None

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def empty(self) -> bool:
        return not self.text.strip()


class BudgetGroup(StrEnum):
    #: 部门预算支出: 基本支出, 项目支出
    SPENDING = "spending"
    #: 收入来源: 财政拨款, 其他资金
    INCOME = "income"
    #: 事业发展性支出: 财政专项资金, 其他事业发展性支出
    DEVELOPMENT = "development"
    #: 按预算级次划分: 区本级使用资金, 拟用于对下转移支付资金
    LEVEL = "level"
    #: anything else found in the budget block
    OTHER = "other"


class BudgetItem(_Frozen):
    """One figure of the budget block (预算整体情况), in 万元 unless ``unit`` says otherwise."""

    group: BudgetGroup
    label: str
    amount: Decimal | None = Field(description="None when the cell is empty or unreadable")
    unit: str = "万元"
    cell: Cell | None = Field(default=None, description="the amount's cell")


class KeyTask(_Frozen):
    """A 年度重点工作任务 row."""

    name: Cell
    content: Cell | None = None
    funds: Decimal | None = Field(default=None, description="拟投入的资金, 万元")
    funds_cell: Cell | None = None
    expected: Cell | None = None


class FormKind(StrEnum):
    #: 绩效目标申报表: targets declared for the coming year
    DECLARED = "declared"
    #: 绩效自评表: declared targets with actual values, weights and scores
    SELF_EVALUATION = "self_evaluation"


class IndicatorRow(_Frozen):
    """One level-3 indicator with its category cells, formula and targets.

    ``level1``/``level2`` hold the text in effect for the row: a blank cell inherits from the row
    above, and ``inherited`` names the fields so filled. Optional columns are ``None`` when the form
    has no such column, and a :class:`Cell` with empty text when the column exists but is blank.
    ``level3`` is ``None`` for a *category row*: a level-1/level-2 category listed with no level-3
    indicator under it (the seed's empty 社会成本指标 and 生态环境成本指标), kept so that the linter
    sees the empty category.
    """

    index: int = Field(ge=0, description="0-based position among the form's indicator rows")
    level1: Cell | None = None
    level2: Cell | None = None
    level3: Cell | None = None
    formula: Cell | None = Field(default=None, description="指标解释 / 计算公式")
    target: Cell | None = Field(default=None, description="年度指标值")
    period_target: Cell | None = Field(default=None, description="实施周期指标值")
    unit: Cell | None = Field(default=None, description="计量单位, when in its own column")
    operator: Cell | None = Field(default=None, description="指标性质 / 运算符号, when in its own column")
    weight: Cell | None = Field(default=None, description="分值 (self-evaluation forms)")
    actual: Cell | None = Field(default=None, description="实际完成值 (self-evaluation forms)")
    score: Cell | None = Field(default=None, description="得分 (self-evaluation forms)")
    remark: Cell | None = Field(default=None, description="备注 / 偏差原因")
    inherited: tuple[str, ...] = ()
    extra: tuple[Cell, ...] = Field(
        default=(),
        description="cells of the row that belong to no column: the table label (绩效指标) or text that "
        "fits nowhere (reported as IND504)",
    )
    others: tuple[Cell, ...] = Field(
        default=(),
        description="cells under columns the model has no field for, kept as they are: 序号, "
        "评（扣）分标准, 取值依据, a repeated header …",
    )

    @property
    def name(self) -> str:
        """The level-3 name as written (empty string when missing)."""
        return self.level3.stripped if self.level3 else ""

    @property
    def row(self) -> int | None:
        """The 1-based source row of the level-3 cell (or of the first located cell)."""
        for cell in (self.level3, self.formula, self.target, self.level2, self.level1):
            if cell is not None and cell.location is not None and cell.location.row is not None:
                return cell.location.row
        return None


class Form(_Frozen):
    """A whole form. Export with ``model_dump_json()``; read back with ``read_form`` on the ``.json`` file."""

    kind: FormKind = FormKind.DECLARED
    source: str | None = Field(default=None, description="file name the form was read from")
    title: str | None = None
    department: Cell | None = None
    budget: tuple[BudgetItem, ...] = ()
    overall_goal: Cell | None = None
    tasks: tuple[KeyTask, ...] = ()
    other_tasks: Cell | None = None
    indicators: tuple[IndicatorRow, ...] = ()
    notes: tuple[Cell, ...] = Field(
        default=(),
        description="text outside every block and the table: lines above it, totals and signatures below it",
    )
    diagnostics: tuple[Diagnostic, ...] = Field(
        default=(), description="findings of the import itself: realigned rows, unplaced cells, …"
    )

    def budget_amount(self, label: str) -> Decimal | None:
        """The amount of the budget item with this label (exact match), if present."""
        for item in self.budget:
            if item.label == label:
                return item.amount
        return None
