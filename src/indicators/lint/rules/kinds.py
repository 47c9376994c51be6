"""Whether a target is the kind of value its category, its name and its formula call for: a time for a
时效指标, money for a 成本指标, a per cent for a percentage formula or a rate."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators.formula.kinds import FormulaKind
from indicators.lint.base import Rule, abbreviate, register
from indicators.lint.rules.common import (
    PERCENT_UNITS,
    dimension,
    is_money,
    numeric,
    written_comparator,
)
from indicators.lint.vocabulary import review_words
from indicators.units import TIME_DIMENSIONS, format_decimal

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext
    from indicators.target import Target

HUNDRED = Decimal(100)


def _per_time(dim: str | None) -> bool:
    """A time span (天, 个工作日) or a frequency (次/月, 次/年): a dimension with a time in it."""
    return dim is not None and any(t in dim for t in TIME_DIMENSIONS)


@register
class TimelinessWithoutTime(Rule):
    """A timeliness indicator (时效指标) whose target sets no time.

    A 时效指标 measures when the work is done: its target is a deadline (``12月底前完成``, ``2024年6月``,
    read as a deadline on a 时效 row), a period (``2023.07-2024.01``), a time limit (``≤5个工作日``), a
    rate of timely completion (``及时率≥95%``) or a timeliness word (``及时``, ``按时完成``). A count, an
    amount, a grade or a state without any word of time (``time_words`` of ``catalog/review.yaml``) sets
    no time.

    Never fires on:
        - a deadline, a period, a time limit in 天/小时/个工作日/月, a frequency (``每月1次``, ``≥4次/年``),
          a per-cent rate, ``是``
        - a word target with a word of time (``在项目计划完成时间内完成``, ``及时``, ``按期完成``)
        - a number without a unit, or with a unit the unit table lacks
        - a vague target (IND603 reports it)

    Source:
        财预〔2021〕101号 (时效指标: the time of completion), as commonly quoted; 通用共性指标库 (采购/验收完
        成时间
        ``**月**日前``).

    Bad:
        rows:
          - [产出指标, 时效指标, 设备采购完成时间, 指标值=采购设备台数, ≥20台]

    Good:
        rows:
          - [产出指标, 时效指标, 设备采购完成时间, 指标值=采购完成日期, 2024年6月底前]
    """

    code = "IND625"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        words = review_words()
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or ctx.level2_of(row) != "时效指标":
                continue
            if target.kind in ("deadline", "period", "relative", "boolean") or ctx.is_vague(row):
                continue
            if numeric(target):
                dim = dimension(target.unit)
                if dim in (None, "") or target.unit in PERCENT_UNITS or _per_time(dim):
                    continue
            elif words.says_time(row.target.text):
                continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               data={"target_kind": str(target.kind), "unit": target.unit})


@register
class CostNotMoney(Rule):
    """An economic cost (经济成本指标, or 成本指标 under 产出指标) whose target is not an amount of money.

    财预〔2021〕101号 measures 经济成本 in money: 成本控制数 ``≤30万元``, 单位成本 ``≤800元/人``, 分项成本.
    A count, a length or a yes/no (``符合相关规定``, ``是``) under a cost category says nothing about what
    the project costs; such a row belongs under 质量指标, or its target should be the cost figure.
    Social and ecological costs (社会成本指标, 生态环境成本指标) are not money and are not checked.

    Never fires on:
        - an amount (``≤30万元``, ``1600元/亩``, ``250万``) or a cost rate (``成本控制率≤100%``)
        - a social or ecological cost (``征地拆迁影响人数 0人``)
        - a catalog indicator (the catalog defines it: ``工程支出符合定额标准情况`` is a yes/no in the seed's
          set)
        - a number without a unit, or with a unit the unit table lacks
        - a vague target (IND603 reports it)

    Source:
        财预〔2021〕101号 (经济成本指标 in money), as commonly quoted; domain brief §6.

    Bad:
        rows:
          - [产出指标, 成本指标, 单项业务成本, null, 符合相关规定]

    Good:
        rows:
          - [产出指标, 成本指标, 单项业务成本, 指标值=业务支出/业务项数, ≤2万元/项]
    """

    code = "IND626"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not ctx.is_economic_cost_row(row):
                continue
            if ctx.is_vague(row) or ctx.entry(row) is not None:
                continue
            if numeric(target):
                dim = dimension(target.unit)
                if dim in (None, "") or is_money(target.unit) or target.unit in PERCENT_UNITS:
                    continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               data={"target_kind": str(target.kind), "unit": target.unit})


#: a cost indicator named a standard (补助标准, 补贴标准, 定额标准) is an amount fixed by policy
_STANDARD = "标准"


@register
class CostWithoutCeiling(Rule):
    """A cost amount written without a ceiling: a bare amount, ``=``, or a range.

    A cost target is a control ceiling (``≤250万元``, ``控制在250万元以内``). A bare amount (``250万``,
    ``1600元/亩``) is read as a ceiling on a 成本 row, but the form does not say so, and a system that reads
    the 指标值 as a number with a separate 计算符号 cannot tell; ``=90万元`` asks for exactly that
    cost (scored like a floor: spending more scores better); a range (``80-100万元``) sets a floor too.

    Never fires on:
        - ``≤250万元``, ``不超过250万元``, ``控制在250万元以内``, or a bare amount whose 指标性质 column says
          ``≤``
        - a zero (IND622) or a floor (IND621)
        - a target that is not money (``0人``, ``≤100%``)
        - ``=`` on a standard set by policy (``人均财政补助标准 =640元/人``, ``补贴标准``): the amount is
          fixed, neither a ceiling nor a floor

    Source:
        财预〔2021〕101号 (成本指标 as a control ceiling), as commonly quoted; 湘潭市环境卫生管理处 2023
        (``控制在预算成本内 250万``) and 岳阳县 2022 (``财政资金补助 1600元/亩``) 绩效目标申报表.

    Bad:
        rows:
          - [产出指标, 成本指标, 控制在预算成本内, null, 250万元]

    Good:
        rows:
          - [产出指标, 成本指标, 控制在预算成本内, null, ≤250万元]
    """

    code = "IND627"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not ctx.is_cost_row(row):
                continue
            if not numeric(target) or not is_money(target.unit):
                continue
            comparator = written_comparator(ctx, row)
            if target.kind == "range":
                reading, amount = "区间的下限要求成本不低于该数", target.upper
            elif comparator is None:
                reading, amount = "按“≤”理解", target.bound
            elif comparator == "eq" and _STANDARD not in row.name:
                reading, amount = "“=”要求成本恰好等于该数", target.bound
            else:
                continue
            if amount is None or amount == 0:
                continue
            ceiling = f"≤{format_decimal(amount)}{target.unit or ''}"
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               reading=reading, hint=f"写明成本上限，如“{ceiling}”", fix=ceiling)


@register
class RatioAsFraction(Rule):
    """A percentage formula (``…×100%``) with a target written as a fraction: ``1`` where ``100%`` is meant.

    The formula computes per cent, so its values are 0-100 (%); a target of ``1`` or ``0.95`` with no unit
    is one per cent or less, which every actual value passes. Write the target in per cent.

    Never fires on:
        - a target with a per-cent sign, or with ``%`` in the 计量单位 column
        - a ratio formula without ``×100%`` (``a/b``: its values are fractions)
        - a target above 1 (``95``: read as 95%)

    Source:
        财预〔2021〕101号 (value and unit agree), as commonly quoted; published forms writing 完成率 targets
        as
        ``1``.

    Bad:
        rows:
          - [产出指标, 质量指标, 资金足额拨付率, 指标值=已拨付资金/应拨付资金*100%, "1"]

    Good:
        rows:
          - [产出指标, 质量指标, 资金足额拨付率, 指标值=已拨付资金/应拨付资金*100%, 100%]
    """

    code = "IND629"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            formula = ctx.formula(row).value
            if target is None or row.target is None or formula is None:
                continue
            if formula.kind is not FormulaKind.PERCENTAGE or not numeric(target) or target.unit:
                continue
            values = [v for v in (target.bound, target.lower, target.upper) if v is not None]
            if not values or not all(0 < v <= 1 for v in values):
                continue
            fixed = self._fixed(target)
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               fixed=fixed, fix=fixed,
                               hint=f"计算公式“{abbreviate(formula.body)}”以百分数计算，指标值也写成百分数")

    @staticmethod
    def _fixed(target: Target) -> str:
        def pct(value: Decimal | None) -> str:
            return f"{format_decimal(((value or Decimal(0)) * HUNDRED).normalize())}%"

        if target.kind == "range":
            return f"{pct(target.lower)}-{pct(target.upper)}"
        sign = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}.get(target.comparator or "", "")
        return (sign if not target.default_comparator else "") + pct(target.bound)


@register
class TargetKindDiffersFromName(Rule):
    """The name says a rate but the target is a count, or the name says a count but the target is a per cent.

    Without a formula, the name is what says what the indicator measures: a 完成率, 覆盖率 or 签约率 is a
    share (``≥95%``), a 受益人数, 培训场次 or 设施数量 a count (``≥500人``). A 家庭医生签约率 of ``24694人``
    or a 受益户数 of ``95%`` measures something else than its name. With a formula, IND604 compares the
    target with the formula instead.

    Never fires on:
        - a row with a readable formula (IND604 compares the target with it)
        - names ending in 频率, 效率, 功率 or 汇率; a rate target in 倍, ‰ or without a unit
        - a count name with a count target, a rate name with a per-cent target

    Source:
        财预〔2021〕101号 (value and unit agree with the indicator), as commonly quoted; 稷山县 2021 自评表
        (``家庭医生签约率 24694人``).

    Bad:
        rows:
          - [效益指标, 社会效益指标, 家庭医生签约率, null, 24694人]

    Good:
        rows:
          - [效益指标, 社会效益指标, 家庭医生签约人数, null, 24694人]
    """

    code = "IND630"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        words = review_words()
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not numeric(target):
                continue
            if ctx.formula(row).value is not None:
                continue
            found = self._mismatch(row, target, words.names_rate(row.name), words.names_count(row.name))
            if found is None:
                continue
            named, written = found
            yield self.finding(cell=row.target, row=row, name=row.name, named=named, written=written,
                               quote=abbreviate(row.target.stripped),
                               hint="使指标名称与指标值一致：比率写百分数，数量写计量单位",
                               data={"unit": target.unit})

    @staticmethod
    def _mismatch(row: IndicatorRow, target: Target, rate: bool, count: bool) -> tuple[str, str] | None:
        unit = target.unit
        dim = dimension(unit)
        if rate and unit and dim and unit not in PERCENT_UNITS:
            return "比率（百分数）", f"带单位“{unit}”的数量"
        if count and unit in PERCENT_UNITS:
            return "数量", "百分数"
        return None


#: target kinds that are words, not numbers: what a 定量 indicator cannot have as its value
_WORD_KINDS = frozenset({"grade", "boolean", "state", "vague"})


@register
class KindColumnContradicts(Rule):
    """The 指标值类型 column (定量 / 定性) contradicts the target or its unit.

    Forms of the 预算管理一体化 layout say in a column of their own whether an indicator is
    quantitative (定量) or qualitative (定性). A 定量 indicator is measured: its 指标值 is a number,
    which the systems check on import; a 定性 indicator is judged in words and has no unit of
    measure. Real forms mark ``按月安排`` as 定量 and give ``应保尽保`` (定性) the unit ``%``: the
    reviewer cannot tell which was meant, and the year-end score depends on it. A 定性 indicator with
    a numeric target is IND617.

    Never fires on:
        - a 定量 indicator with a number, range, deadline, period or relative target
        - a 定性 indicator whose unit cell is blank or a placeholder (``/``, ``无``, ``等级``, ``定性``)
        - 定量（其他） (a value explained in words), or a sign (``≥`` …) in the column

    Source:
        The 预算管理一体化 pmkpi module (a 定量 指标值 must be numeric; 计量单位 is required except for
        定性, 定量（其他） and 不适用); 财预〔2021〕101号 (quantify wherever possible; a 定性 target
        must still be gradable).

    Bad:
        rows:
          - level1: 产出指标
            level2: 时效指标
            level3: 工资发放及时性
            target: 按月安排
            operator: 定量

    Good:
        rows:
          - level1: 产出指标
            level2: 时效指标
            level3: 工资按月发放率
            target: "100"
            unit: "%"
            operator: ≥
    """

    code = "IND643"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.target.operators import operator_kind

        for row in ctx.indicator_rows:
            if row.operator is None or row.operator.empty:
                continue
            kind = operator_kind(row.operator.stripped)
            if kind == "quantitative":
                yield from self._quantitative(ctx, row)
            elif kind == "qualitative":
                yield from self._qualitative(ctx, row)

    def _quantitative(self, ctx: LintContext, row: IndicatorRow) -> Iterator[Diagnostic]:
        target = ctx.target(row).value
        if target is None or row.target is None or target.kind not in _WORD_KINDS:
            return
        yield self.finding(
            cell=row.target,
            row=row,
            kind="定量",
            what="指标值",
            reason="定量指标的指标值应是数值",
            hint="写出数值和单位，如“≥95%”“12个”；确实无法量化的，把指标值类型改为“定性”并写明评判标准",
            data={"kind": "quantitative", "target_kind": str(target.kind)},
        )

    def _qualitative(self, ctx: LintContext, row: IndicatorRow) -> Iterator[Diagnostic]:
        from indicators.target.reading import NO_UNIT_WORDS
        from indicators.units import is_unit

        unit = ctx.unit(row)
        target = ctx.target(row).value
        if unit is None or row.unit is None or unit in NO_UNIT_WORDS or not is_unit(unit):
            return
        if target is not None and numeric(target):
            return  # a number beside 定性 is IND617, which says more
        yield self.finding(
            cell=row.unit,
            row=row,
            kind="定性",
            what="计量单位",
            reason="定性指标不计量，不应有计量单位",
            hint="定性指标的计量单位留空或填“/”；按比率考核的，把指标值类型改为定量并写出数值，如“≥95%”",
            data={"kind": "qualitative", "unit": unit},
        )
