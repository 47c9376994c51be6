"""The header block of a 项目支出 (project) form, and the form type (项目支出 or 部门整体).

A project form writes label/value pairs above its indicator table, often several to a row and with labels
merged over two cells::

    项目名称 | 社区养老服务项目 | 主管部门 | 民政局
    实施单位 | 社区服务中心     | 项目负责人 | 张三
    实施期   | 2025年1月-12月
    项目资金（万元） | 年度资金总额 | 150 | 其中：财政拨款 | 100 | 其他资金 | 50

and its funds as a small table, the amounts beside their labels (above) or below them::

    项目资金（万元） | 年度资金总额 | 财政拨款 | 其他资金
                    | 150          | 100      | 50

or, on a 自评表, one row per source with a column per figure::

    项目资金（万元） |              | 年初预算数 | 全年预算数 | 全年执行数
                    | 年度资金总额 | 150        | 150        | 120

The labels are the ``project``, ``funds`` and ``fund_measures`` lists of ``catalog/columns.yaml``. Amounts
are money read exactly (``150``, ``150万``, ``1,234.56元``): the unit is the one written after the amount,
else the one in the block's label (``项目资金（元）``), else 万元.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.forms.model import BudgetGroup, BudgetItem, Cell, FormType, ProjectInfo, TypeEvidence
from indicators.forms.names import fund_label, fund_measure, header_key, project_field
from indicators.text import nfkc, squash_spaces, to_simplified

#: money units a label may name in brackets, longest first
_UNITS = ("亿元", "万元", "千元", "元")
#: fund labels read anywhere above the table; the others (合计, 其他, 总额 …) only inside a funds block
_UNAMBIGUOUS_FUNDS = frozenset(
    {"年度资金总额", "项目资金总额", "财政拨款", "当年财政拨款", "上年结转资金", "其他资金", "实施期资金总额"}
)

#: the label of the figures of a whole budget, written without one
_FUNDS_TOTAL = "年度资金总额"

#: what a title says about the form's type
_PROJECT_TITLE = re.compile(r"项目(?:支出)?(?:预算)?绩效|项目支出")
_DEPARTMENT_TITLE = re.compile(r"部门整体|单位整体|整体支出|部门(?:预算)?(?:整体)?绩效目标|部门预算绩效")


def _unit_in(text: str) -> str | None:
    """The money unit named in a label or header: ``项目资金（元）``, ``金额(万元)``, ``单位：万元``."""
    key = squash_spaces(nfkc(text))
    return next((unit for unit in _UNITS if unit in key[-6:]), None)


@dataclass
class ProjectReader:
    """Reads the rows above the indicator table that hold project labels; one per form read."""

    amount: Callable[[Cell, str], tuple[Decimal | None, str | None]]
    fields: dict[str, Cell] = field(default_factory=dict)
    funds: list[BudgetItem] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    leftover: list[Cell] = field(default_factory=list)
    _in_funds: bool = False
    _unit: str = "万元"
    _measures: dict[int, str] = field(default_factory=dict)
    _fund_columns: dict[int, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.fields or self.funds)

    def info(self) -> ProjectInfo | None:
        info = ProjectInfo(**{k: v for k, v in self.fields.items() if k in ProjectInfo.model_fields})
        return None if info.empty else info

    def _fund(self, text: str) -> str | None:
        label = fund_label(text)
        if label is None or (not self._in_funds and header_key(text) not in _UNAMBIGUOUS_FUNDS):
            return None
        return label

    def row(self, row: Sequence[Cell]) -> bool:
        """Read a row; False when it holds nothing of a project header (nothing is consumed then)."""
        cells = _runs(row)
        if not cells:
            return False
        if self._header_row(cells):
            return True
        if self._fund_columns and self._amounts_below(cells):
            return True
        if self._measures and self._total_below(cells):
            return True
        return self._pairs(cells, row)

    def _header_row(self, cells: list[tuple[int, Cell]]) -> bool:
        """A row naming the figures (年初预算数 | 全年预算数 …) or the sources (年度资金总额 | 财政拨款 …)
        of a funds table laid out across."""
        measures = {col: m for col, cell in cells if (m := fund_measure(cell.text)) is not None}
        first = cells[0][1]
        opens = project_field(first.text) == "funds"
        if len(measures) >= 2 or (measures and opens):
            self._open_funds(first if opens else None)
            self._measures = measures
            self._fund_columns = {}
            return True
        sources = [(col, label) for col, cell in cells if (label := self._fund(cell.text) or (
            fund_label(cell.text) if opens else None)) is not None]
        rest = [cell for col, cell in cells if col not in dict(sources) and not (opens and cell is first)]
        if len(sources) >= 2 and not any(self.amount(cell, "")[0] is not None for cell in rest):
            self._open_funds(first if opens else None)
            self._fund_columns = dict(sources)
            self._measures = {}
            return True
        return False

    def _open_funds(self, label: Cell | None) -> None:
        self._in_funds = True
        if label is not None:
            self.labels.append(label.stripped)
            self._unit = _unit_in(label.text) or self._unit

    def _amounts_below(self, cells: list[tuple[int, Cell]]) -> bool:
        """Amounts under the columns of a sources header row."""
        found = [(col, cell) for col, cell in cells if col in self._fund_columns]
        if not found or len(found) < len(cells) - 1:
            return False
        for col, cell in found:
            self._add(self._fund_columns[col], cell, None)
        self._fund_columns = {}
        return True

    def _total_below(self, cells: list[tuple[int, Cell]]) -> bool:
        """Amounts under the figures' header with no label of their own (年度部门整体支出预算执行情况 |
        年初预算数 | 全年预算数 … over a row of amounts): the figures of the whole budget."""
        if any(col not in self._measures for col, _ in cells):
            return False
        if not any(self.amount(cell, "")[0] is not None for _, cell in cells):
            return False
        for col, cell in cells:
            self._add(_FUNDS_TOTAL, cell, self._measures[col])
        return True

    def _pairs(self, cells: list[tuple[int, Cell]], row: Sequence[Cell]) -> bool:
        """Label/value pairs, several to a row; a funds label opens the funds block."""
        used = False
        i = 0
        while i < len(cells):
            cell = cells[i][1]
            name = project_field(cell.text)
            label = self._fund(cell.text)
            following = cells[i + 1][1] if i + 1 < len(cells) else None
            if name == "funds":
                self._open_funds(cell)
                used, i = True, i + 1
            elif name is not None:
                self.labels.append(cell.stripped)
                if following is not None and not self._is_label(following):
                    self.fields.setdefault(name, following)
                    i += 1
                used, i = True, i + 1
            elif label is not None:
                self.labels.append(cell.stripped)
                if self._measures:
                    for c, measure in self._measures.items():
                        if c < len(row) and not row[c].empty:
                            self._add(label, row[c], measure)
                    return True
                if following is not None and not self._is_label(following):
                    self._add(label, following, None)
                    i += 1
                used, i = True, i + 1
            else:
                if used:
                    self.leftover.append(cell)
                i += 1
        return used

    def _is_label(self, cell: Cell) -> bool:
        return project_field(cell.text) is not None or self._fund(cell.text) is not None

    def _add(self, label: str, cell: Cell, measure: str | None) -> None:
        if measure in _SCORE_MEASURES:  # 分值 | 执行率 | 得分 of a 自评表: points or a rate, not money
            self.funds.append(_score_item(label, cell, measure))
            return
        amount, unit = self.amount(cell, "金额应为数字，可带单位或千位分隔符，如“150”“150万元”“1,234.56元”")
        self.funds.append(
            BudgetItem(
                group=BudgetGroup.PROJECT,
                label=label,
                amount=amount,
                unit=unit or self._unit,
                cell=cell,
                measure=measure,
            )
        )


#: the figures of a funds table that are the 预算执行率 line's own: 分值 and 得分 in points, 执行率 in %
_SCORE_MEASURES = frozenset({"分值", "执行率", "得分"})


def _score_item(label: str, cell: Cell, measure: str) -> BudgetItem:
    """``10`` (分值, 得分) or ``86.18%`` (执行率) as written; unreadable: the cell kept, amount None."""
    written = squash_spaces(nfkc(cell.text)).removesuffix("分")
    percent = written.endswith("%")
    try:
        value: Decimal | None = Decimal(written.removesuffix("%").replace(",", ""))
    except ArithmeticError:
        value = None
    if value is not None and not value.is_finite():
        value = None
    unit = "%" if percent or measure == "执行率" else "分"
    group = BudgetGroup.PROJECT
    return BudgetItem(group=group, label=label, amount=value, unit=unit, cell=cell, measure=measure)


def _runs(row: Sequence[Cell]) -> list[tuple[int, Cell]]:
    """The non-empty cells of a row with their column, each run of equal texts (a merged range) once."""
    out: list[tuple[int, Cell]] = []
    for col, cell in enumerate(row):
        if not cell.empty and (not out or out[-1][1].text != cell.text):
            out.append((col, cell))
    return out


def stated_type(texts: Sequence[str]) -> FormType | None:
    """The type a title states: …项目支出绩效目标申报表 → project; 部门整体支出… → department."""
    for text in texts:
        key = to_simplified(squash_spaces(nfkc(text)))
        if _DEPARTMENT_TITLE.search(key):
            return FormType.DEPARTMENT
        if _PROJECT_TITLE.search(key):
            return FormType.PROJECT
    return None


@dataclass(frozen=True)
class TypeDecision:
    form_type: FormType
    evidence: TypeEvidence
    diagnostics: tuple[Diagnostic, ...] = ()


def decide_type(
    titles: Sequence[str], project_labels: Sequence[str], department_labels: Sequence[str]
) -> TypeDecision:
    """The form type from its title (stated), else from its blocks (inferred), else project (default).

    A title that contradicts the blocks wins, with an IND512 warning naming the blocks.
    """
    from_blocks: FormType | None = None
    if project_labels and not department_labels:
        from_blocks = FormType.PROJECT
    elif department_labels and not project_labels:
        from_blocks = FormType.DEPARTMENT
    stated = stated_type(titles)
    if stated is not None:
        found: list[Diagnostic] = []
        if from_blocks is not None and from_blocks is not stated:
            labels = project_labels if from_blocks is FormType.PROJECT else department_labels
            found.append(
                diagnostic(
                    "IND512",
                    stated=stated.label,
                    found=from_blocks.label,
                    labels="、".join(dict.fromkeys(header_key(x) for x in labels[:4])),
                    data={"stated": stated.value, "blocks": from_blocks.value},
                )
            )
        return TypeDecision(stated, TypeEvidence.TITLE, tuple(found))
    if from_blocks is not None:
        return TypeDecision(from_blocks, TypeEvidence.BLOCKS)
    if project_labels and department_labels:
        return TypeDecision(FormType.PROJECT, TypeEvidence.BLOCKS)
    return TypeDecision(FormType.PROJECT, TypeEvidence.DEFAULT)
