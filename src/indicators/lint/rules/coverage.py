"""The form as a whole: key tasks and goals that no indicator measures, and targets set below what is
already known (last year's value, the formula's own figures)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators.diagnostics import Span
from indicators.errors import IndicatorsError
from indicators.lint.base import Rule, abbreviate, register
from indicators.lint.rules.common import CEILINGS, FLOORS
from indicators.lint.vocabulary import review_words, text_key
from indicators.units import format_decimal

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext
    from indicators.target import Target

#: the clauses of a goal: split at sentence ends, semicolons, line breaks and list numbers (1. （2） 三是)
_CLAUSES = re.compile(
    r"[。；;\n]|(?:^|(?<=[，,：:]))\s*"
    r"(?:[0-9]+[.、．)]|[（(][0-9一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+是)"
)
_DIGIT = re.compile(r"[0-9]")
#: the first sentence of a task's content, read when the task's name says too little
_FIRST_SENTENCE = re.compile(r"^[^。；;\n]{0,60}")


def _bigrams(terms: list[str]) -> set[str]:
    return {term[i : i + 2] for term in terms for i in range(len(term) - 1)}


def _corpus(ctx: LintContext) -> str:
    """Everything the indicators say: names, explanations and targets, as the word lists compare them."""
    parts: list[str] = []
    for row in ctx.indicator_rows:
        parts += [row.name, *(c.text for c in ctx.explanations(row))]
        if row.target is not None:
            parts.append(row.target.text)
    return text_key(" ".join(parts))


def _measured(terms: list[str], corpus: str) -> bool:
    return any(pair in corpus for pair in _bigrams(terms))


def goal_clauses(text: str) -> list[tuple[int, str]]:
    """The quantified clauses of a goal (with a number in them), with their offsets in ``text``."""
    out: list[tuple[int, str]] = []
    start = 0
    for found in [*_CLAUSES.finditer(text), None]:
        end = found.start() if found is not None else len(text)
        clause = text[start:end]
        stripped = clause.strip(" \t，,：:")
        if stripped and _DIGIT.search(stripped):
            out.append((start + clause.find(stripped), stripped))
        if found is not None:
            start = found.end()
    return out


@register
class TaskNotMeasured(Rule):
    """A key task (年度重点工作任务) or a quantified clause of the annual goal (年度目标) that no indicator
    measures.

    The indicators measure the year's work: every key task with its funds, and every clause of the annual
    goal that promises a figure (``完成10个老旧小区改造``), should have at least one level-3 indicator
    about it. The task's words that say what is done (its name, else the first sentence of its content;
    ``task_generic_words`` of ``catalog/review.yaml`` such as 经费, 项目, 购买服务 taken out) are looked for,
    two characters at a time, among the indicators' names, explanations and targets. Each task or
    clause without any is named. The match is lenient on purpose: a task is named only when no
    indicator mentions any part of it.

    Never fires on:
        - a task whose words appear in any indicator (``长者长寿保健金财政补贴项目`` and
          ``长者长寿保健金补贴发放准确率``)
        - a goal clause without a number (``兜底民生保障，优化公共服务``)
        - a form without key tasks and without an annual goal

    Source:
        财预〔2021〕101号 (indicators match the targets and the tasks they measure), as commonly quoted; the
        seed form (年度重点工作任务 with 拟投入的资金).

    Bad:
        tasks:
          - [老旧小区改造经费, 300.00, 完成辖区老旧小区改造]
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]

    Good:
        tasks:
          - [老旧小区改造经费, 300.00, 完成辖区老旧小区改造]
        rows:
          - [产出指标, 数量指标, 老旧小区改造数量, 指标值=完成改造的小区个数, ≥10个]
    """

    code = "IND635"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if not ctx.indicator_rows:
            return
        words = review_words()
        corpus = _corpus(ctx)
        for task in ctx.form.tasks:
            terms = words.task_terms(task.name.text)
            if not _measured(terms, corpus) and task.content is not None:
                first = _FIRST_SENTENCE.match(task.content.stripped)
                terms += words.task_terms(first.group(0) if first else "")
            if not terms or _measured(terms, corpus):
                continue
            yield self.finding(cell=task.name, what="年度重点工作任务", name=abbreviate(task.name.stripped),
                               data={"terms": terms})
        goal = ctx.form.annual_goal
        if goal is None:
            return
        for offset, clause in goal_clauses(goal.text):
            terms = words.task_terms(clause)
            if not terms or _measured(terms, corpus):
                continue
            yield self.finding(cell=goal, what="年度目标", name=abbreviate(clause, 30),
                               span=Span.of(goal.text, offset, offset + len(clause)), data={"terms": terms})


def _number(text: str, unit: str | None) -> tuple[Decimal, str | None] | None:
    """A value written as a number (``96%``, ``1,203人次``, ``95`` in the target's unit), or None."""
    from indicators.target import parse_actual

    try:
        actual = parse_actual(text, unit=unit)
    except IndicatorsError:
        return None
    if actual.value is None or actual.kind != "numeric":
        return None
    return actual.value, actual.unit


def _compare(target: Target, value: Decimal, unit: str | None) -> int | None:
    """-1, 0 or 1 as the target's bound is below, at or above ``value unit``; None when apart."""
    from indicators import units

    if target.bound is None:
        return None
    try:
        return units.compare(target.bound, target.unit, value, unit)
    except (IndicatorsError, ValueError):
        return None


@register
class BelowPrior(Rule):
    """A quantitative target less ambitious than last year's actual value (``--prior FILE``).

    Targets set from historical standards "应当设置较高": a floor below what was achieved last year
    (``≥90%`` after 96%), or a ceiling above it (``≤8%`` after a 5% 结余率), asks for less than the unit
    already delivers. Last year's values come from ``--prior`` (by level-3 name or catalog code). Rows
    with a catalog guidance rule are checked by IND613.

    Never fires on:
        - a row without last year's value, or with a value that is not a number (``良好``)
        - a target at or above last year's value (a ceiling at or below it)
        - a row whose catalog entry has a guidance rule (IND613), a word target, a range or ``=``
        - a value in a unit that cannot be compared with the target's

    Source:
        财预〔2020〕10号 and 财预〔2021〕101号 (历史标准: targets set from history should be set high), as
        commonly quoted; domain brief §6 ("ambition").

    Bad:
        rows:
          - [产出指标, 质量指标, 垃圾分类准确率, 指标值=分类准确的桶数/抽查桶数*100%, ≥90%]
        prior:
          垃圾分类准确率: 96%

    Good:
        rows:
          - [产出指标, 质量指标, 垃圾分类准确率, 指标值=分类准确的桶数/抽查桶数*100%, ≥96%]
        prior:
          垃圾分类准确率: 96%
    """

    code = "IND636"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            prior = ctx.prior_value(row)
            target = ctx.target(row).value
            if prior is None or target is None or row.target is None or target.kind != "numeric":
                continue
            entry = ctx.entry(row)
            if entry is not None and entry.rules:
                continue
            found = _number(prior, target.unit)
            comparator = ctx.comparator(row)
            if found is None or comparator is None:
                continue
            order = _compare(target, *found)
            if order is None:
                continue
            if comparator in FLOORS and order < 0:
                relation = "低于"
            elif comparator in CEILINGS and order > 0:
                relation = "高于"
            else:
                continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               relation=relation, prior=prior,
                               data={"prior": prior, "comparator": comparator})


def _in_unit(value: Decimal, unit: str | None, to_unit: str | None) -> Decimal | None:
    """``value unit`` in ``to_unit``; a product of counts (4期 × 50人次) is a count of the target's kind."""
    from indicators import units
    from indicators.lint.rules.common import dimension, is_count

    try:
        return units.convert(value, unit, to_unit)
    except (IndicatorsError, ValueError):
        pass
    if is_count(to_unit) and re.fullmatch(r"\[count\](?: \*\* \d+)?", dimension(unit) or ""):
        return value
    return None


@register
class BelowFormulaFigures(Rule):
    """A target far below what the formula's own figures compute: the overshoot 财预〔2020〕10号 deducts for.

    An explanation often gives the planned figures (``培训人次=培训期数×每期人数，全年4期、每期50人``,
    ``应发放人数为1200人``). When the formula can be computed from the figures it states, a floor far below
    the result (the computed value at least 130% of the target, the overshoot at which the pmkpi module
    asks for a reason; ``overshoot`` in the configuration) declares less than the plan: at year end the
    target is "set obviously too low" and the score is reduced.

    Never fires on:
        - a formula that cannot be computed from its own figures (a variable without a stated value)
        - a target within the overshoot factor of the computed value, or above it
        - a ceiling, a word target, or a result in a unit that cannot be compared with the target's

    Source:
        财预〔2020〕10号 (完成值高于指标值较多…年初指标值设定明显偏低…按照偏离度适度调减分值), as commonly
        quoted; the pmkpi module (``actualValueCheck``: a reason is required at ≥130% of the target).

    Bad:
        rows:
          - level1: 产出指标
            level2: 数量指标
            level3: 培训人次
            formula: 指标值=培训期数×每期人数，其中培训期数为4期，每期人数为50人次
            target: ≥100人次

    Good:
        rows:
          - level1: 产出指标
            level2: 数量指标
            level3: 培训人次
            formula: 指标值=培训期数×每期人数，其中培训期数为4期，每期人数为50人次
            target: ≥200人次
    """

    code = "IND637"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or target.kind != "numeric" or not target.bound:
                continue
            if ctx.comparator(row) not in FLOORS or target.bound < 0:
                continue
            computed = self._computed(ctx, row)
            if computed is None:
                continue
            in_target_unit = _in_unit(*computed, target.unit)
            if in_target_unit is None or in_target_unit < target.bound * ctx.overshoot:
                continue
            shown = f"{format_decimal(in_target_unit.normalize())}{target.unit or ''}"
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped), value=shown,
                               data={"computed": str(in_target_unit), "overshoot": str(ctx.overshoot)})

    @staticmethod
    def _computed(ctx: LintContext, row: IndicatorRow) -> tuple[Decimal, str | None] | None:
        formula = ctx.formula(row).value
        if formula is None or not formula.is_arithmetic or not formula.definitions:
            return None
        values = dict(formula.definitions)
        if any(name not in values for name in formula.variables()):
            return None
        from indicators.formula.evaluator import evaluate

        result = evaluate(formula, values, limits=ctx.limits)
        if not result.ok or result.value is None:
            return None
        return result.value, result.unit
