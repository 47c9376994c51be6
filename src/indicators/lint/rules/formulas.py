"""The formula cell (指标解释 / 计算公式) of each indicator row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from indicators.formula.kinds import FormulaKind
from indicators.lint.base import Rule, abbreviate, register

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.lint.context import LintContext
    from indicators.target import Target

#: quote characters that may wrap a whole cell
QUOTES = "\"'“”‘’「」『』"
#: words ending in 率 that do not name a ratio
NOT_RATIO_WORDS = ("频率", "效率")
#: formula kinds that measure a ratio (a survey measures a satisfaction rate)
RATIO_KINDS = frozenset({FormulaKind.PERCENTAGE, FormulaKind.RATIO, FormulaKind.RATE, FormulaKind.SURVEY})


@register
class FormulaUnparseable(Rule):
    """The formula cell cannot be read as a formula or as a definition.

    The formula language (docs/formula-language.md) reads arithmetic definitions such as
    ``指标值=办结工单/呈办工单*100%`` and plain definitions such as ``指标值=按规定公开``, each optionally
    followed by an explanation. The message gives the parser's reason and the span points at the place
    where reading stopped. A blank formula cell is not an unreadable formula: the form's blank formula
    cells are noted once (IND618).

    Never fires on:
        - a blank formula cell, or a form without a formula column (IND618 notes them once, as info)
        - an explanation in words that names what is counted (``通过问卷调查、访谈等方式了解满意度。``)
        - a formula with a trailing explanation, a label (``计算公式：``) or a chained definition

    Source:
        财预〔2021〕101号 (指标解释 with the 计算公式 of each indicator), as commonly quoted; the seed form.

    Bad:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 安全隐患整改完成率
            formula: 指标值=(安全隐患整改件数/安全隐患应整改总数*100%
            target: 90%以上

    Good:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 安全隐患整改完成率
            formula: 指标值=安全隐患整改件数/安全隐患应整改总数*100%
            target: 90%以上
    """

    code = "IND606"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            error = ctx.formula(row).error
            if error is None or row.formula is None:
                continue
            inner = error.diagnostic
            yield self.finding(
                cell=row.formula,
                row=row,
                span=inner.span,
                detail=inner.message,
                hint=inner.hint or "计算公式写作“指标值=分子/分母*100%”或“指标值=名称”，其后可加说明",
                data={"cause": inner.code},
            )


@register
class FormulasMissing(Rule):
    """Indicators without a formula or an explanation (指标解释 / 计算公式), noted once per form.

    The explanation says how the value is obtained: a reviewer reads the target against it, and the
    self-evaluation computes the actual value with it. Many published forms carry no explanation column,
    or fill it on some rows only; the form then gets one note that names the rows, never an error per row.

    Never fires on:
        - a form whose every indicator has a formula or an explanation in words
        - category rows without a level-3 name
        - a form without indicator rows

    Source:
        财预〔2021〕101号 (指标解释 of each level-3 indicator), as commonly quoted; the pmkpi module's
        ``COMPUTETYPE`` 计算公式 field.

    Bad:
        rows:
          - [产出指标, 质量指标, 整改完成率, "", 90%以上]
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]

    Good:
        rows:
          - [产出指标, 质量指标, 整改完成率, 指标值=整改件数/应整改总数*100%, 90%以上]
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
    """

    code = "IND618"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        rows = ctx.indicator_rows
        blank = [r for r in rows if r.formula is None or r.formula.empty]
        if not blank:
            return
        if all(r.formula is None for r in rows):
            detail = "表中没有指标解释（计算公式）栏"
        elif len(blank) == len(rows):
            detail = "指标解释（计算公式）栏全部空白"
        else:
            numbers = [r.row for r in blank if r.row is not None]
            listed = "、".join(map(str, numbers[:10])) + (" 等" if len(numbers) > 10 else "")
            where = f"：第 {listed} 行" if numbers else ""
            detail = f"{len(rows)} 个三级指标中有 {len(blank)} 个没有填写指标解释（计算公式）{where}"
        first = blank[0]
        yield self.finding(
            cell=first.formula if first.formula is not None else first.level3,
            row=first,
            detail=detail,
            data={"rows": [r.row for r in blank], "indicators": len(rows)},
        )


@register
class FormulaStrayQuotes(Rule):
    """Quotes wrap the whole formula cell.

    Text copied from a document often keeps the quotes around a cell, as in the seed form's
    社工站服务评估结果 row. The formula is read without them (the formula parser's IND105 warning);
    the finding points at the quotes.

    Never fires on:
        - quotes around a name inside the formula (``“12345”热线工单办结率=…``)
        - a formula without quotes at both ends

    Source:
        The seed form (社工站服务评估结果, a formula cell wrapped in quotes).

    Bad:
        rows:
          - level1: 效益指标
            level2: 社会效益指标
            level3: 社工站服务评估结果
            formula: "“指标值=保持/提升 社工站评估等级分为优秀、良好、合格、不合格”"
            target: 优秀

    Good:
        rows:
          - level1: 效益指标
            level2: 社会效益指标
            level3: 社工站服务评估结果
            formula: 指标值=保持/提升 社工站评估等级分为优秀、良好、合格、不合格
            target: 优秀
    """

    code = "IND615"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            formula = ctx.formula(row).value
            if formula is None or row.formula is None:
                continue
            for warning in formula.warnings:
                if warning.code == "IND105":
                    inner = row.formula.stripped.strip(QUOTES).strip()
                    yield self.finding(cell=row.formula, row=row, span=warning.span, quote=abbreviate(inner))


@register
class RateWithoutRatio(Rule):
    """The indicator's name says 率 (a rate) but its formula is no ratio.

    A 完成率, 覆盖率 or 合格率 is a part divided by a whole, usually shown in per cent:
    ``指标值=实际完成数/计划完成数*100%``. A formula that only names a count or a state does not measure a
    rate, so either the name or the formula is wrong. Names ending in 频率 or 效率 are not rates.

    Never fires on:
        - names ending in 频率 or 效率
        - a formula that divides (``a/b``, ``a/b*100%``), a rate per a base (``×10万``) or a survey
        - a row whose formula is blank or cannot be read (IND618, IND606)

    Source:
        财预〔2021〕101号 (指标解释 states how a rate is computed), as commonly quoted.

    Bad:
        rows:
          - [产出指标, 数量指标, 党员教育培训完成率, 指标值=完成年度教育培训任务的党员数, 95%以上]

    Good:
        rows:
          - level1: 产出指标
            level2: 数量指标
            level3: 党员教育培训完成率
            formula: 指标值=完成年度教育培训任务的党员数/应培训党员数*100%
            target: 95%以上
    """

    code = "IND607"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            name = row.name
            if "率" not in name or any(name.endswith(w) for w in NOT_RATIO_WORDS):
                continue
            formula = ctx.formula(row).value
            if formula is None or row.formula is None or formula.kind in RATIO_KINDS:
                continue
            yield self.finding(
                cell=row.formula,
                row=row,
                quote=abbreviate(row.formula.stripped),
                hint="按“指标值=分子/分母*100%”写出比率，或修改指标名称",
                data={"kind": str(formula.kind)},
            )


@register
class FormulaTargetDiffers(Rule):
    """The formula cell ends with a target (``…×100%≥95%``) other than the one in the target column.

    A printed formula sometimes repeats the target after a comparison sign; the formula is read without
    it (IND142). When that target says something else than the 指标值 column (``≥95%`` in the formula,
    ``≥90%`` as the target), one of them is a mistake: the reviewer asks which is meant.

    Never fires on:
        - a formula that repeats the target column's own target (``≥95%`` and ``95%以上``)
        - a formula without a target after it, or a target column that cannot be read

    Source:
        Published declaration forms that write the target inside the 指标解释 cell.

    Bad:
        rows:
          - [产出指标, 质量指标, 验收合格率, 指标值=合格数/验收数×100%≥95%, ≥90%]

    Good:
        rows:
          - [产出指标, 质量指标, 验收合格率, 指标值=合格数/验收数×100%≥95%, 95%以上]
    """

    code = "IND644"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            formula = ctx.formula(row).value
            target = ctx.target(row).value
            if formula is None or target is None or row.formula is None or row.target is None:
                continue
            for warning in formula.warnings:
                if warning.code != "IND142" or warning.span is None:
                    continue
                written = row.formula.text[warning.span.start : warning.span.end].strip()
                if _same_target(written, target):
                    continue
                yield self.finding(
                    cell=row.formula,
                    row=row,
                    span=warning.span,
                    quote=written,
                    target=row.target.stripped,
                    hint="删去计算公式末尾的指标值，或使之与指标值栏一致",
                )


def _same_target(written: str, target: Target) -> bool:
    """Whether a target written in the formula cell says what the target column says."""
    from indicators.errors import TargetSyntaxError
    from indicators.target import parse_target

    try:
        again = parse_target(written, unit=target.unit)
    except TargetSyntaxError:
        return False
    return again.canonical() == target.canonical()
