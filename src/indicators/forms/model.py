"""The form model: a 绩效目标申报表 (or a 绩效自评表) as read from any file format.

Every piece of text keeps where it came from (:class:`Cell` with a :class:`Location`), so the linter
and the scorer can point at the exact cell. Readers (``forms/readers``) build a :class:`Form`; the
realigner (``forms/columns.py``, ``forms/realign.py``) repairs shifted rows and reports each repair in
``Form.diagnostics``. Nothing here parses formulas or targets (``IndicatorRow.target_text`` only puts a
split target's cells together): that is the linter's and the scorer's business.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from indicators.diagnostics import Diagnostic, Location
from indicators.text import nfkc


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
    #: a 项目支出 form's funds: 年度资金总额, 财政拨款, 上年结转资金, 其他资金
    PROJECT = "project"
    #: anything else found in the budget block
    OTHER = "other"


class BudgetItem(_Frozen):
    """One figure of the budget block (预算整体情况), in 万元 unless ``unit`` says otherwise."""

    group: BudgetGroup
    label: str
    amount: Decimal | None = Field(description="None when the cell is empty or unreadable")
    unit: str = "万元"
    cell: Cell | None = Field(default=None, description="the amount's cell")
    measure: str | None = Field(
        default=None,
        description="the figure of a project funds table: 年初预算数, 全年预算数 or 全年执行数",
    )


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


class FormType(StrEnum):
    #: 项目支出绩效目标表 / 自评表: one project's targets (项目名称, 实施单位, 年度资金总额 …)
    PROJECT = "project"
    #: 部门整体支出绩效目标表 / 自评表: a department's targets (部门名称, 预算整体情况, 年度重点工作任务 …)
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return "项目支出" if self is FormType.PROJECT else "部门整体支出"


class TypeEvidence(StrEnum):
    """How the form type was decided."""

    #: the title says so (…项目支出绩效目标申报表, 部门整体支出…): stated
    TITLE = "title"
    #: the blocks above the table (项目名称/实施单位/年度资金总额, or
    #: 部门名称/预算整体情况/年度重点工作任务): inferred
    BLOCKS = "blocks"
    #: nothing says: a bare indicator table, taken as a project form (what most published tables are)
    DEFAULT = "default"


class ProjectInfo(_Frozen):
    """The header block of a 项目支出 form; each field is the value cell after its label."""

    name: Cell | None = Field(default=None, description="项目名称")
    competent: Cell | None = Field(default=None, description="主管部门")
    implementer: Cell | None = Field(default=None, description="实施单位")
    leader: Cell | None = Field(default=None, description="项目负责人")
    period: Cell | None = Field(default=None, description="实施期 / 项目期")
    attribute: Cell | None = Field(default=None, description="项目属性")

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in type(self).model_fields)


class Category(_Frozen):
    """A level-1 or level-2 cell read as a category: the taxonomy's name and what the cell adds to it.

    ``产出指标（50分）`` is 产出指标 with the note ``50分`` and 50 points; ``產 出 指 標`` is 产出指标;
    ``质量指标（必填）`` is 质量指标 with the note ``必填``. ``canonical`` is None when the taxonomy does not
    know the name (``name`` is then the cell's name without its note).
    """

    name: str = Field(description="the canonical name, or the written name without its note")
    canonical: str | None = Field(default=None, description="the taxonomy's name, when it knows this one")
    note: str | None = Field(default=None, description="the annotation: 必填, 0-10分, 50分 …")
    points: Decimal | None = Field(default=None, description="a score share printed in the cell (50分, 30)")
    cell: Cell = Field(description="the cell it was read from (the points' cell too)")


class TargetText(_Frozen):
    """The target of a row as the target language reads it, with the cells it was put together from.

    A form may split a target over three columns (指标性质 ``≥`` | 指标值 ``95`` | 计量单位 ``%``);
    ``text`` is the target cell with the operator's sign when the target is a bare number (``≥95``),
    ``unit`` the 计量单位 cell (passed to ``parse_target(text, unit=…)``), and ``combined`` the whole
    (``≥95%``) for display, the unit not repeated when the target already ends in it.
    """

    text: str
    unit: str | None = None
    combined: str
    target: Cell
    operator: Cell | None = Field(default=None, description="the 指标性质 cell, when it gave the sign")
    unit_cell: Cell | None = None


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
    sequence: Cell | None = Field(default=None, description="序号: kept, never read as data")
    level1: Cell | None = None
    level2: Cell | None = None
    level3: Cell | None = None
    formula: Cell | None = Field(default=None, description="指标解释 / 计算公式")
    standard: Cell | None = Field(default=None, description="评（扣）分标准")
    target: Cell | None = Field(default=None, description="年度指标值")
    period_target: Cell | None = Field(default=None, description="实施周期指标值")
    unit: Cell | None = Field(default=None, description="计量单位, when in its own column")
    operator: Cell | None = Field(default=None, description="指标性质 / 运算符号, when in its own column")
    weight: Cell | None = Field(default=None, description="分值 (self-evaluation forms)")
    actual: Cell | None = Field(default=None, description="实际完成值 (self-evaluation forms)")
    score: Cell | None = Field(default=None, description="得分 (self-evaluation forms)")
    deviation: Cell | None = Field(default=None, description="偏差原因分析及改进措施 / 未完成原因")
    remark: Cell | None = Field(default=None, description="备注")
    category1: Category | None = Field(default=None, description="the level-1 cell read as a category")
    category2: Category | None = Field(default=None, description="the level-2 cell read as a category")
    inherited: tuple[str, ...] = ()
    extra: tuple[Cell, ...] = Field(
        default=(),
        description="cells of the row that belong to no column: the table label (绩效指标) or text that "
        "fits nowhere (reported as IND504)",
    )
    others: tuple[Cell, ...] = Field(
        default=(),
        description="cells under columns the model has no field for, kept as they are: 取值依据, "
        "指标值确定依据, an unknown column (reported as IND510), a repeated header …",
    )

    @property
    def name(self) -> str:
        """The level-3 name as written (empty string when missing)."""
        return self.level3.stripped if self.level3 else ""

    @property
    def level1_points(self) -> Decimal | None:
        """The score share printed in the level-1 cell (``产出指标(50分)`` → 50), if any."""
        return self.category1.points if self.category1 is not None else None

    def target_text(self) -> TargetText | None:
        """The target as one text for the target language, with its cells; None without a target.

        The one place where a split target (operator | number | unit columns) is put together.
        """
        if self.target is None or self.target.empty:
            return None
        from indicators.target.operators import with_operator

        written = self.target.stripped
        operator = self.operator if self.operator is not None and not self.operator.empty else None
        text = written
        if operator is not None and _BARE_NUMBER.match(nfkc(written)):
            text = with_operator(written, _operator_text(operator))
        unit_cell = self.unit if self.unit is not None and not self.unit.empty else None
        unit = unit_cell.stripped if unit_cell is not None else None
        combined = text
        if unit and not _ends_with_unit(text, unit):
            combined = text + unit
        return TargetText(
            text=text,
            unit=unit,
            combined=combined,
            target=self.target,
            operator=operator if text != written else None,
            unit_cell=unit_cell,
        )

    @property
    def row(self) -> int | None:
        """The 1-based source row of the level-3 cell (or of the first located cell)."""
        for cell in (self.level3, self.formula, self.target, self.level2, self.level1):
            if cell is not None and cell.location is not None and cell.location.row is not None:
                return cell.location.row
        return None


#: a number with at most a unit after it (``95``, ``1,200人次``, ``1600元/亩``): the only target a separate
#: 指标性质 sign is put before; ``95%以上``, ``≤5%``, ``90-100``, ``12月底前`` say their own comparison
_BARE_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?\s*[^\d\s以至~～\-—年月日前后内上下<>=≥≤≧≦]{0,6}$")


def _operator_text(cell: Cell) -> str:
    """The 指标性质 cell as the operator reader takes it: half-width, no spaces (``＞＝`` → ``>=``)."""
    from indicators.target.operators import operator_comparator

    text = "".join(cell.text.split())
    if operator_comparator(text) is None:
        half = nfkc(text)
        if operator_comparator(half) is not None:
            return half
    return text


def _ends_with_unit(text: str, unit: str) -> bool:
    """Whether a target already ends in its unit, or in words (``95%`` or ``95％`` with ``%``;
    ``≥100人次以上``; ``优良``): a unit is added only after a number."""
    clean = nfkc("".join(text.split())).rstrip("。.")
    unit = nfkc("".join(unit.split()))
    for suffix in ("及以上", "及以下", "以上", "以下", "以内"):
        clean = clean.removesuffix(suffix)
    return clean.endswith(unit) or not clean[-1:].isdigit()


class Form(_Frozen):
    """A whole form. Export with ``model_dump_json()``; read back with ``read_form`` on the ``.json`` file."""

    schema_version: Literal[1] = Field(default=1, description="the version of this JSON shape (docs/api.md)")
    kind: FormKind = FormKind.DECLARED
    form_type: FormType = FormType.PROJECT
    form_type_evidence: TypeEvidence = Field(
        default=TypeEvidence.DEFAULT, description="title: stated; blocks: inferred; default: nothing said"
    )
    source: str | None = Field(default=None, description="file name the form was read from")
    title: str | None = None
    department: Cell | None = None
    project: ProjectInfo | None = Field(default=None, description="a 项目支出 form's header block")
    budget: tuple[BudgetItem, ...] = ()
    overall_goal: Cell | None = Field(default=None, description="总体绩效目标 / 总体目标 / 实施期目标")
    annual_goal: Cell | None = Field(default=None, description="年度绩效目标 / 年度目标")
    goal_actual: Cell | None = Field(
        default=None,
        description="自评表: the 实际完成情况 beside the goal (年度总体目标 | 预期目标 | 实际完成情况)",
    )
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

    @property
    def form_type_stated(self) -> bool:
        """Whether the form's title states its type (rather than the type being inferred or assumed)."""
        return self.form_type_evidence is TypeEvidence.TITLE

    def budget_amount(self, label: str) -> Decimal | None:
        """The amount of the budget item with this label (exact match), if present."""
        for item in self.budget:
            if item.label == label:
                return item.amount
        return None
