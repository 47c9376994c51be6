"""Budget block arithmetic (预算整体情况): three identities between the block's figures.

The identities were worked out from the bundled 番禺区小谷围街道 declaration form, whose block reads
(万元): 基本支出 5,786.45, 项目支出 9,222.67, 财政专项资金 0.00, 其他事业发展性支出 2,036.41 on the
spending side; 财政拨款 17,045.54 and 其他资金 30.00 as income; 区本级使用资金 17,045.54 and
拟用于对下转移支付资金 0.00 by budget level. No published rule for this layout was found, so:

1. **Spending = income** (IND701). 基本支出 + 项目支出 + 事业发展性支出 (财政专项资金 + 其他事业发展性支出)
   = 财政拨款 + 其他资金. *Assumption:* in this layout 事业发展性支出 is a third spending block beside
   基本支出 and 项目支出, not a part of 项目支出. The seed supports this reading: the four spending lines
   add up to 17,045.53, one cent from 财政拨款 17,045.54, whereas 基本支出 + 项目支出 alone (15,009.12)
   matches nothing. The seed's 其他资金 30.00 then has no spending line, and the check reports it.
2. **Budget levels = 财政拨款** (IND702). 区本级使用资金 + 拟用于对下转移支付资金 = 财政拨款: the split
   by budget level divides the fiscal appropriation (the seed: 17,045.54 + 0.00 = 17,045.54).
   *Assumption:* 其他资金 is not split by level.
3. **Key tasks ⊆ 项目支出** (IND703). The funds of the 年度重点工作任务 add up to at most 项目支出: the key
   tasks are projects, and not every project is a key task (the seed: 1,564.90 ≤ 9,222.67).

Amounts in 元 (or 千元, 亿元) are converted to 万元 first. Every figure is printed with thousands
separators to the cent and carried exactly in the finding's ``data``. Each figure is rounded to the cent
on the form, so a difference of at most 0.01 万元 is reported as rounding (IND704, info) and a larger
one as an error. A check that holds is reported too (IND705, info), with the same figures, so that a
reviewer sees every identity that was verified and on which numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from indicators.forms.layout import TO_WAN
from indicators.forms.model import BudgetGroup, BudgetItem, Cell
from indicators.lint.base import Rule, register
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.lint.context import LintContext

#: the largest difference put down to rounding, in 万元
ROUNDING = Decimal("0.01")


def money(amount: Decimal) -> str:
    """``17,045.54``: thousands separators, two decimals."""
    return f"{amount:,.2f}"




def in_wan(items: Iterable[BudgetItem]) -> list[BudgetItem]:
    """The items with every amount in 万元 (an amount in an unknown unit counts as not filled in)."""
    out = []
    for item in items:
        if item.unit == "万元":
            out.append(item)
            continue
        factor = TO_WAN.get(item.unit.strip())
        amount = None if item.amount is None or factor is None else item.amount * factor
        out.append(item.model_copy(update={"amount": amount, "unit": "万元"}))
    return out


def _sum(items: Sequence[BudgetItem]) -> Decimal:
    return sum((i.amount for i in items if i.amount is not None), Decimal(0))


def _terms(items: Sequence[BudgetItem]) -> str:
    return " + ".join(
        f"{i.label} {money(i.amount)}" if i.amount is not None else f"{i.label}（未填）" for i in items
    )


def _lines(items: Iterable[BudgetItem]) -> dict[str, str | None]:
    return {i.label: None if i.amount is None else str(i.amount) for i in items}


def _find(items: Iterable[BudgetItem], label: str) -> BudgetItem | None:
    key = normalize_name(label)
    for item in items:
        if normalize_name(item.label) == key:
            return item
    return None


def _group(items: Iterable[BudgetItem], *groups: BudgetGroup) -> list[BudgetItem]:
    return [i for i in items if i.group in groups]


def _first_cell(items: Sequence[BudgetItem]) -> Cell | None:
    for item in items:
        if item.cell is not None:
            return item.cell
    return None


def _figures(
    left_name: str, left: Decimal, right_name: str, right: Decimal, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The ``data`` of a budget finding: both sides, their totals and the difference (left − right)."""
    diff = left - right
    return {
        "left": left_name,
        "left_total": str(left),
        "right": right_name,
        "right_total": str(right),
        "difference": str(diff) if diff else "0",
        **(extra or {}),
    }


class _BudgetRule(Rule):
    also_emits = ("IND704", "IND705")
    #: what is compared, for the IND704 message
    what = ""

    def compare(
        self,
        *,
        left_name: str,
        left: Decimal,
        left_terms: str,
        right_name: str,
        right: Decimal,
        right_terms: str,
        cell: Cell | None,
        extra: dict[str, Any] | None = None,
        hint: str | None = None,
    ) -> Iterator[Diagnostic]:
        diff = left - right
        data = _figures(left_name, left, right_name, right, extra)
        if diff == 0:
            detail = (
                f"{left_name} {money(left)} 万元（{left_terms}）= {right_name} {money(right)} 万元"
                f"（{right_terms}）"
            )
            yield self.finding(code="IND705", cell=cell, what=self.what, detail=detail, data=data, hint=None)
            return
        detail = (
            f"{left_name} {money(left)} 万元（{left_terms}），{right_name} {money(right)} 万元"
            f"（{right_terms}），相差 {money(abs(diff))} 万元"
        )
        if abs(diff) <= ROUNDING:
            hint = "差额不超过 0.01 万元，多为各项金额分别四舍五入所致；如有条件，按未舍入的金额核对"
            yield self.finding(code="IND704", cell=cell, what=self.what, detail=detail, data=data, hint=hint)
        else:
            yield self.finding(cell=cell, detail=detail, data=data, hint=hint)


@register
class IncomeSpendingMismatch(_BudgetRule):
    """The spending lines of the budget block do not add up to the income lines.

    Identity: 基本支出 + 项目支出 + 财政专项资金 + 其他事业发展性支出 = 财政拨款 + 其他资金 (万元). The
    事业发展性支出 lines count as spending beside 基本支出 and 项目支出; this reading is an assumption
    drawn from the bundled seed form (see "Budget identities" above). The message prints both totals,
    their terms and the difference; when the difference is within 0.01 万元 of a single line, the
    hint names that line (often income with no spending line, or the reverse).

    Never fires on:
        - a difference of at most 0.01 万元 (IND704, info)
        - a block without spending or without income figures
        - a 项目支出 form (its funds are checked by IND706)

    Source:
        The seed form (番禺区小谷围街道 部门整体预算绩效目标申报表); the reading of 事业发展性支出 is an
        assumption.

    Bad:
        budget:
          spending: {基本支出: 5786.45, 项目支出: 9222.67}
          income: {财政拨款: 15009.12, 其他资金: 30.00}

    Good:
        budget:
          spending: {基本支出: 5786.45, 项目支出: 9222.67}
          income: {财政拨款: 14979.12, 其他资金: 30.00}
    """

    code = "IND701"
    what = "支出合计与收入合计"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        items = in_wan(ctx.form.budget)
        spending = _group(items, BudgetGroup.SPENDING, BudgetGroup.DEVELOPMENT)
        income = _group(items, BudgetGroup.INCOME)
        if not any(i.amount is not None for i in spending) or not any(i.amount is not None for i in income):
            return
        left, right = _sum(spending), _sum(income)
        diff = left - right
        hint = None
        for item in (*spending, *income):
            if item.amount is not None and item.amount != 0 and abs(abs(diff) - item.amount) <= ROUNDING:
                side = "支出可能没有对应的收入来源" if item in spending else "收入可能没有列入支出"
                hint = f"差额与“{item.label}”{money(item.amount)} 万元相当：该项{side}"
                break
        yield from self.compare(
            left_name="支出合计",
            left=left,
            left_terms=_terms(spending),
            right_name="收入合计",
            right=right,
            right_terms=_terms(income),
            cell=_first_cell(spending),
            extra={"lines": _lines((*spending, *income))},
            hint=hint or "核对各项支出与收入来源的金额",
        )


@register
class LevelSplitMismatch(_BudgetRule):
    """The split by budget level (按预算级次划分) does not add up to 财政拨款.

    Identity: 区本级使用资金 + 拟用于对下转移支付资金 = 财政拨款 (万元): the levels divide the fiscal
    appropriation. That 其他资金 stays outside the split is an assumption (the seed form's figures
    agree with it). The check runs when the form has both the level lines and a 财政拨款 line.

    Never fires on:
        - a difference of at most 0.01 万元 (IND704, info)
        - a block without the level lines or without 财政拨款

    Source:
        The seed form; that 其他资金 stays outside the split is an assumption.

    Bad:
        budget:
          income: {财政拨款: 17045.54}
          level: {区本级使用资金: 16045.54, 拟用于对下转移支付资金: 0}

    Good:
        budget:
          income: {财政拨款: 17045.54}
          level: {区本级使用资金: 16045.54, 拟用于对下转移支付资金: 1000.00}
    """

    code = "IND702"
    what = "按预算级次划分的资金与财政拨款"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        items = in_wan(ctx.form.budget)
        levels = _group(items, BudgetGroup.LEVEL)
        appropriation = _find(_group(items, BudgetGroup.INCOME), "财政拨款")
        if appropriation is None or appropriation.amount is None:
            return
        if not any(i.amount is not None for i in levels):
            return
        yield from self.compare(
            left_name="按预算级次划分合计",
            left=_sum(levels),
            left_terms=_terms(levels),
            right_name="财政拨款",
            right=appropriation.amount,
            right_terms=f"{appropriation.label} {money(appropriation.amount)}",
            cell=_first_cell(levels),
            extra={"lines": _lines((*levels, appropriation))},
            hint="区本级使用资金与拟用于对下转移支付资金之和应等于财政拨款",
        )


@register
class TasksExceedProjects(_BudgetRule):
    """The key tasks' funds (年度重点工作任务 拟投入的资金) add up to more than 项目支出.

    Identity: Σ 重点工作任务资金 ≤ 项目支出 (万元). Key tasks are projects of the department, and not
    every project is a key task, so their funds may be less than 项目支出 but not more. Only an excess
    is reported; an excess within 0.01 万元 is rounding.

    Never fires on:
        - key tasks whose funds add up to less than 项目支出 (not every project is a key task)
        - an excess of at most 0.01 万元 (IND704, info)
        - a form without 项目支出 or without funds for the key tasks

    Source:
        The seed form (年度重点工作任务 with 拟投入的资金).

    Bad:
        budget:
          spending: {基本支出: 500.00, 项目支出: 100.00}
        tasks:
          - [社工服务站购买服务经费, 60.00]
          - [教育补助经费, 50.00]

    Good:
        budget:
          spending: {基本支出: 500.00, 项目支出: 120.00}
        tasks:
          - [社工服务站购买服务经费, 60.00]
          - [教育补助经费, 50.00]
    """

    code = "IND703"
    what = "重点工作任务资金与项目支出"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        projects = _find(_group(in_wan(ctx.form.budget), BudgetGroup.SPENDING), "项目支出")
        tasks = [t for t in ctx.form.tasks if t.funds is not None]
        if projects is None or projects.amount is None or not tasks:
            return
        total = sum((t.funds for t in tasks if t.funds is not None), Decimal(0))
        terms = " + ".join(f"{t.name.stripped} {money(t.funds)}" for t in tasks if t.funds is not None)
        cell = next((t.funds_cell for t in tasks if t.funds_cell is not None), None)
        if total <= projects.amount:
            detail = (
                f"重点工作任务资金合计 {money(total)} 万元（{terms}）未超过项目支出 "
                f"{money(projects.amount)} 万元，余 {money(projects.amount - total)} 万元"
            )
            data = _figures("重点工作任务资金合计", total, "项目支出", projects.amount)
            yield self.finding(code="IND705", cell=cell, what=self.what, detail=detail, data=data, hint=None)
            return
        yield from self.compare(
            left_name="重点工作任务资金合计",
            left=total,
            left_terms=terms,
            right_name="项目支出",
            right=projects.amount,
            right_terms=f"{projects.label} {money(projects.amount)}",
            cell=cell,
            extra={"lines": _lines((projects,)), "tasks": {t.name.stripped: str(t.funds) for t in tasks}},
            hint="核对各项重点工作任务的拟投入资金，或项目支出的金额",
        )


#: the lines of a project's funds that make up its 年度资金总额 (labels as kept by the form reader)
PROJECT_LINES = ("财政拨款", "上年结转资金", "其他资金")


@register
class ProjectFundsMismatch(_BudgetRule):
    """The funds of a project (项目资金) do not add up: 年度资金总额 ≠ 财政拨款 + 上年结转资金 + 其他资金.

    A 项目支出 form prints the year's funds and where they come from (``项目资金（万元） | 年度资金总额 150 |
    其中：财政拨款 120 | 其他资金 30``); a 自评表 prints them per figure (年初预算数, 全年预算数, 全年执行数),
    and each column adds up on its own. Amounts in 元 are converted to 万元 first; a difference of at most
    0.01 万元 is rounding (IND704), an identity that holds is noted (IND705).

    Never fires on:
        - a form without 年度资金总额, or without any of its lines filled in
        - a difference of at most 0.01 万元 (IND704, info)
        - the budget block of a 部门整体 form (IND701-IND703)

    Source:
        财预〔2021〕101号 项目支出绩效目标表 and 财预〔2020〕10号 项目支出绩效自评表 (年度资金总额 = 其中：财
        政拨款 +
        上年结转资金 + 其他资金), as commonly quoted; domain brief §1.5.

    Bad:
        budget:
          project: {年度资金总额: 150, 财政拨款: 100, 其他资金: 30}

    Good:
        budget:
          project: {年度资金总额: 150, 财政拨款: 120, 其他资金: 30}
    """

    code = "IND706"
    what = "项目资金各项之和与资金总额"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        items = in_wan(_group(ctx.form.budget, BudgetGroup.PROJECT))
        for measure in dict.fromkeys(i.measure for i in items):
            column = [i for i in items if i.measure == measure]
            total = _find(column, "年度资金总额")
            lines = [i for i in column if i.label in PROJECT_LINES]
            if total is None or total.amount is None or not any(i.amount is not None for i in lines):
                continue
            name = f"年度资金总额（{measure}）" if measure else "年度资金总额"
            yield from self.compare(
                left_name="各项资金合计",
                left=_sum(lines),
                left_terms=_terms(lines),
                right_name=name,
                right=total.amount,
                right_terms=f"{total.label} {money(total.amount)}",
                cell=total.cell,
                extra={"lines": _lines((*lines, total)), "measure": measure},
                hint="年度资金总额应等于财政拨款、上年结转资金与其他资金之和：核对各项金额",
            )
