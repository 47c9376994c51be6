"""Small forms written as YAML: the bad and good examples in the rules' docstrings and the test cases.

An example is a mapping with any of these keys::

    rows:          # indicator rows, top to bottom (row 2 onwards; row 1 is the header)
      - [产出指标, 数量指标, 党员教育培训完成率, 指标值=已培训党员数/应培训党员数*100%, 95%以上]
      - {level1: 产出指标, level2: 质量指标, level3: 供水达标率, target: "95", unit: "%", operator: ≥}
      - [成本指标, 社会成本指标, null, null, null]     # a category row with no level-3 indicator
    budget:        # the budget block, in 万元: group → label → amount
      spending: {基本支出: 5786.45, 项目支出: 9222.67}
      income: {财政拨款: 15009.12}
      development: {财政专项资金: 0, 其他事业发展性支出: 0}
      level: {区本级使用资金: 15009.12, 拟用于对下转移支付资金: 0}
      project: {年度资金总额: 150, 财政拨款: 120, 其他资金: 30}      # a 项目支出 form's funds
      # or, a 自评表's figures per column: {年度资金总额: {全年预算数: 150, 全年执行数: 120}, …}
    tasks:         # 年度重点工作任务: name, funds in 万元 and, optionally, what is done (主要实施内容)
      - [社工服务站购买服务经费, 32.40]
      - [安保经费, 145.00, 聘请保安员开展治安巡逻]
    prior:         # last year's values, by level-3 name or catalog code
      社工站服务评估结果: 良好
    form_type: department   # 部门整体 (default: project, 项目支出)
    annual_goal: 完成辖区10个老旧小区改造……   # 年度绩效目标

Numbers are read as exact decimals, never as binary floats. Row cells sit in columns 1-5 (level-1,
level-2, level-3, formula, target), 6 (unit), 7 (operator, 指标性质), 8 (remark, 备注) and 9 (standard,
评（扣）分标准); budget amounts in column 2 of
rows 101 onwards (a 自评表's further figures in columns 3, 4 …); task funds in column 3 of rows 201
onwards; the annual goal in column 2 of row 301.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from indicators import yamlio
from indicators.diagnostics import Location
from indicators.forms.model import BudgetGroup, BudgetItem, Cell, Form, FormType, IndicatorRow, KeyTask

SOURCE = "example"
_FIELDS = ("level1", "level2", "level3", "formula", "target", "unit", "operator", "remark", "standard")


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


#: safe YAML with floats read as :class:`~decimal.Decimal`
_LOADERS = yamlio.loaders({"tag:yaml.org,2002:float": _decimal})


def load_example(text: str) -> dict[str, Any]:
    """Parse the YAML text of an example (floats as Decimal)."""
    data = yamlio.load(text, _LOADERS)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("an example is a YAML mapping")
    return data


def _cell(value: Any, row: int, column: int) -> Cell | None:
    if value is None:
        return None
    return Cell(text=str(value), location=Location(source=SOURCE, row=row, column=column))


def _amount(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def form_from_example(data: Mapping[str, Any]) -> Form:
    """The :class:`Form` an example describes."""
    unknown = set(data) - {"rows", "budget", "tasks", "prior", "form_type", "annual_goal"}
    if unknown:
        raise ValueError(f"unknown example keys: {sorted(unknown)}")
    rows: list[IndicatorRow] = []
    for index, raw in enumerate(data.get("rows") or ()):
        values = dict(raw) if isinstance(raw, Mapping) else dict(zip(_FIELDS, raw, strict=False))
        if set(values) - set(_FIELDS):
            raise ValueError(f"unknown row fields: {sorted(set(values) - set(_FIELDS))}")
        cells = {
            name: _cell(values.get(name), index + 2, column)
            for column, name in enumerate(_FIELDS, start=1)
        }
        rows.append(IndicatorRow(index=index, **cells))
    budget: list[BudgetItem] = []
    line = 101
    for group, items in (data.get("budget") or {}).items():
        for label, amount in (items or {}).items():
            measures = amount if isinstance(amount, Mapping) else {None: amount}
            for column, (measure, figure) in enumerate(measures.items(), start=2):
                cell = _cell("" if figure is None else figure, line, column)
                budget.append(BudgetItem(group=BudgetGroup(group), label=label, amount=_amount(figure),
                                         cell=cell, measure=measure))
            line += 1
    tasks: list[KeyTask] = []
    for i, (name, funds, *content) in enumerate(data.get("tasks") or ()):
        row = 201 + i
        name_cell = _cell(name, row, 1)
        assert name_cell is not None
        funds_cell = _cell("" if funds is None else funds, row, 3)
        what = _cell(content[0], row, 2) if content else None
        tasks.append(KeyTask(name=name_cell, content=what, funds=_amount(funds), funds_cell=funds_cell))
    goal = data.get("annual_goal")
    return Form(
        source=SOURCE,
        form_type=FormType(data.get("form_type", "project")),
        indicators=tuple(rows),
        budget=tuple(budget),
        tasks=tuple(tasks),
        annual_goal=_cell(goal, 301, 2) if goal is not None else None,
    )


def prior_from_example(data: Mapping[str, Any]) -> dict[str, str]:
    """The example's last-year values as text."""
    return {str(k): str(v) for k, v in (data.get("prior") or {}).items()}
