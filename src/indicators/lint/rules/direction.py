"""Which way a target points: a floor on something bad, a floor on a cost, a ceiling on an output, a
direction marker that the comparison contradicts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from indicators.diagnostics import Severity
from indicators.lint.base import Rule, abbreviate, register
from indicators.lint.rules.common import (
    CEILINGS,
    FLOORS,
    is_count,
    is_money,
    written_comparator,
)
from indicators.lint.vocabulary import review_words
from indicators.units import format_decimal

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext
    from indicators.target import Target

_WORDS = {"ge": "不低于", "gt": "高于", "le": "不高于", "lt": "低于"}
_SIGNS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def _amount(target: Target) -> str:
    return f"{format_decimal(target.bound)}{target.unit or ''}" if target.bound is not None else ""


def _defaulted(ctx: LintContext, row: IndicatorRow) -> bool:
    """The target's direction was not written: a bare number read by default."""
    return written_comparator(ctx, row) is None


@register
class BadRateRaised(Rule):
    """A rate or a count of something bad (逾期, 差错, 投诉, 事故, 结余 …) with a floor as its target.

    A 差错率, 投诉率, 事故发生率, 失业率, 发病率, 死亡率, 超支率 or 结余率 measures something that should be
    low: its target is a ceiling (``≤5%``, ``控制在5%以内``), scored by the reverse rule. A floor
    (``≥5%``, ``5%以上``) rewards more of the bad thing, and a bare number is read as a floor on every row
    but a 成本 row. The words are ``lower_is_better`` of ``catalog/review.yaml``; a name that goes on after
    the bad word measures a remedy (投诉办结率, 事故下降率, 差错整改率, 失业人员再就业率) and is not checked.
    A written floor is an error; a bare number, read as a floor by default, a warning.

    Never fires on:
        - a rate of a remedy, where more is better (投诉办结率, 安全生产事故下降率, 隐患整改率)
        - a ceiling (``≤5%``, ``5%以内``), a bare number whose 指标性质 column says ``≤``, or a range
        - a word target (``无``, ``零事故``)

    Source:
        财预〔2021〕101号 (direction of indicators: reverse indicators take ``≤``), as commonly quoted; the
        pmkpi module (``computesign`` 4/5 are scored by the reverse rule); 大英经开区 2020 (``≤5%`` 结余率).

    Bad:
        rows:
          - [产出指标, 质量指标, 财务核算差错率, 指标值=差错笔数/核算总笔数*100%, ≥2%]

    Good:
        rows:
          - [产出指标, 质量指标, 财务核算差错率, 指标值=差错笔数/核算总笔数*100%, ≤2%]
    """

    code = "IND620"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        words = review_words()
        for row in ctx.indicator_rows:
            bad = words.lower_is_better_word(row.name)
            target = ctx.target(row).value
            if bad is None or target is None or row.target is None or target.kind != "numeric":
                continue
            comparator = ctx.comparator(row)
            if comparator not in FLOORS or target.bound is None:
                continue
            defaulted = _defaulted(ctx, row)
            wanted = f"{_WORDS[comparator]}{_amount(target)}"
            if defaulted:
                wanted += "（未写比较方向，按“≥”理解）"
            yield self.finding(
                cell=row.target,
                row=row,
                name=row.name,
                quote=abbreviate(row.target.stripped),
                wanted=wanted,
                hint=f"“{bad}”越少越好，指标值应为上限，如“≤{_amount(target)}”",
                fix=f"≤{_amount(target)}",
                data={"word": bad, "comparator": comparator, "defaulted": defaulted},
            ).model_copy(update={"severity": Severity.WARNING} if defaulted else {})


@register
class CostLowerBound(Rule):
    """A cost (成本指标) with a floor as its target: ``≥800元``, ``不低于30万元``.

    财预〔2021〕101号 frames 成本指标 as a control ceiling: 成本控制数 ``≤30万元``, 单位成本 ``≤800元/人``.
    A floor asks the project to spend at least that much. A row is a cost row when its level-1 category
    is 成本指标, or its level-2 category is 成本指标 under 产出指标 (older templates); the target is in money
    (元, 万元, 元/人 …).

    Never fires on:
        - a ceiling (``≤30万元``, ``控制在30万元以内``) or a bare amount (read as a ceiling on a cost row:
          IND627)
        - a cost row whose target is a rate (``成本节约率≥5%``: more saving is better)
        - an amount under another category (``本年度创业担保贷款发放额 4000万元`` under 数量指标)

    Source:
        财预〔2021〕101号 (成本指标 as a control ceiling), as commonly quoted; domain brief §6.

    Bad:
        rows:
          - [成本指标, 经济成本指标, 人均培训成本, 指标值=培训经费/培训人数, ≥800元/人]

    Good:
        rows:
          - [成本指标, 经济成本指标, 人均培训成本, 指标值=培训经费/培训人数, ≤800元/人]
    """

    code = "IND621"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not ctx.is_cost_row(row):
                continue
            if target.kind != "numeric" or not is_money(target.unit):
                continue
            comparator = written_comparator(ctx, row)
            if comparator not in FLOORS:
                continue
            yield self.finding(
                cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                fix=f"≤{_amount(target)}", data={"comparator": comparator},
            )


@register
class CostZero(Rule):
    """An economic cost (经济成本指标) whose target is zero: ``0元``, ``≤0万元``.

    A project that is carried out costs money; a cost target of zero cannot be met by any project that
    spends its budget, and scoring a ceiling of zero gives nothing to compare with. Write the cost
    control figure (the budget of the work), or leave out a cost category that does not apply.

    Never fires on:
        - a social or ecological cost (社会成本指标, 生态环境成本指标) of zero: ``征地拆迁影响人数 0人``
        - a zero that is not money (``0件``, ``0%``)
        - a non-zero ceiling (``≤30万元``)

    Source:
        财预〔2021〕101号 (成本指标 as a control ceiling), as commonly quoted; domain brief §6 ("a lower
        bound or a zero-cost target is a defect").

    Bad:
        rows:
          - [成本指标, 经济成本指标, 项目实施成本, 指标值=项目支出, 0万元]

    Good:
        rows:
          - [成本指标, 经济成本指标, 项目实施成本, 指标值=项目支出, ≤30万元]
    """

    code = "IND622"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not ctx.is_economic_cost_row(row):
                continue
            if not is_money(target.unit):
                continue
            ends = [v for v in (target.bound, target.upper) if v is not None]
            if not ends or any(v != 0 for v in ends):
                continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped))


@register
class QuantityCapped(Rule):
    """An output quantity (数量指标) with a ceiling as its target: ``≤6个``, ``不超过10次``.

    A 数量指标 counts what the project delivers (培训班次, 受益人数, 建成设施数量): more is better, and the
    target is a floor (``≥6个``, ``6个以上``). A ceiling caps the output. Counts of something bad
    (投诉件数, 事故起数) are not outputs and are not checked.

    Never fires on:
        - a floor or a bare number (``≥6个``, ``6个``)
        - a ceiling on money, a share or a time (``≤100万元``, ``≤5%``, ``≤3天``)
        - a count of something bad (``投诉件数 ≤3件``)

    Source:
        财预〔2021〕101号 (数量指标: the quantity of output delivered), as commonly quoted.

    Bad:
        rows:
          - [产出指标, 数量指标, 举办培训班次, 指标值=举办培训班次, ≤6个]

    Good:
        rows:
          - [产出指标, 数量指标, 举办培训班次, 指标值=举办培训班次, ≥6个]
    """

    code = "IND623"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        words = review_words()
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or ctx.level2_of(row) != "数量指标":
                continue
            if target.kind != "numeric" or written_comparator(ctx, row) not in CEILINGS:
                continue
            unit = target.unit
            if unit is not None and not is_count(unit):
                continue  # money, a share, a time or a unit the table lacks
            if words.lower_is_better_word(row.name) is not None:
                continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               fix=f"≥{_amount(target)}")


@register
class DirectionMarkerContradicts(Rule):
    """A direction marker (反向, 正向, 越低越好 …) in the name, the explanation or a remark that the target's
    comparison contradicts.

    A row that calls itself 反向指标 (less is better) is scored by the reverse rule and needs a ceiling
    (``≤``); a 正向指标 needs a floor. ``结余率（反向指标）`` with ``≥5%``, or ``正向`` written beside
    ``≤10天``, leaves the scorer guessing. The markers are ``reverse_markers`` and ``forward_markers`` of
    ``catalog/review.yaml``; a marker in the 指标性质 column is that column's sign (IND617). A written
    contradiction is an error; a bare number, read by default, a warning.

    Never fires on:
        - a marker that agrees with the comparison (``反向`` with ``≤5%``)
        - a row without a marker, or with the marker only in the 指标性质 column (IND617 compares those)
        - a word target or a range

    Source:
        财预〔2021〕101号 (正向/反向 indicators), as commonly quoted; the pmkpi module (direction comes from
        the operator: ≥/＞ positive, ≤/＜ reverse).

    Bad:
        rows:
          - [产出指标, 质量指标, 资金结余率（反向指标）, 指标值=结余资金/预算资金*100%, ≥5%]

    Good:
        rows:
          - [产出指标, 质量指标, 资金结余率（反向指标）, 指标值=结余资金/预算资金*100%, ≤5%]
    """

    code = "IND624"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        words = review_words()
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or target.kind != "numeric":
                continue
            found = None
            for text in (row.name, *(c.text for c in ctx.explanations(row))):
                found = words.marker(text)
                if found is not None:
                    break
            comparator = ctx.comparator(row)
            if found is None or comparator is None:
                continue
            wants, marker = found
            if not ((wants == "le" and comparator in FLOORS) or (wants == "ge" and comparator in CEILINGS)):
                continue
            defaulted = _defaulted(ctx, row)
            sign = _SIGNS[wants]
            yield self.finding(
                cell=row.target, row=row, marker=marker, quote=abbreviate(row.target.stripped),
                fix=f"{sign}{_amount(target)}" if target.bound is not None else None,
                data={"marker": marker, "comparator": comparator, "defaulted": defaulted},
            ).model_copy(update={"severity": Severity.WARNING} if defaulted else {})
