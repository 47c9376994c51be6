"""Rows checked against the catalog: its guidance rules and its definitions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from indicators.diagnostics import Diagnostic
from indicators.lint.base import Rule, register, row_location, whole_text_span
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.lint.context import LintContext


@register
class GuidanceBroken(Rule):
    """The target breaks a guidance rule of the catalog, given last year's value (``--prior FILE``).

    Some catalog entries carry guidance for setting the target. The seed form's 评估结果 rows state
    one: “若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,则需提高” (keep a grade of
    良好 or better, otherwise improve). The rule is checked with the catalog's own rule checker; the
    message gives last year's value and what the target must be, and ``fix`` the least target that
    obeys the rule. Without last year's value the row gets an IND410 note (info) instead. A prior
    value that is not on the rule's scale is reported as IND612.

    Never fires on:
        - a row whose name is not a catalog entry with a guidance rule
        - a target off the rule's scale (IND612 reports it)
        - a row without last year's value (an IND410 note instead)

    Source:
        The seed form (若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,则需提高);
        ``catalog/sets/``.

    Bad:
        rows:
          - level1: 效益指标
            level2: 社会效益指标
            level3: 颐康服务中心(站)服务评估结果
            formula: 指标值=颐康服务中心(站)评估等级
            target: 合格
        prior:
          颐康服务中心(站)服务评估结果: 良好

    Good:
        rows:
          - level1: 效益指标
            level2: 社会效益指标
            level3: 颐康服务中心(站)服务评估结果
            formula: 指标值=颐康服务中心(站)评估等级
            target: 良好以上
        prior:
          颐康服务中心(站)服务评估结果: 良好
    """

    code = "IND613"
    also_emits = ("IND410", "IND612")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.catalog.rules import check_rules, read_grade

        for row in ctx.indicator_rows:
            entry = ctx.entry(row)
            if entry is None or not entry.rules or row.target is None or row.target.empty:
                continue  # IND602 reports a missing target
            if any(read_grade(row.target.text, rule.scale) is None for rule in entry.rules):
                continue  # IND612 reports a target off the rule's scale
            prior = ctx.prior_value(row)
            location = row.target.location or row_location(row)
            on_target = {"text": row.target.text, "span": whole_text_span(row.target.text)}
            for d in check_rules(entry, row.target.text, prior, location=location):
                if d.code == "IND612" and prior is not None:  # the target is on the scale: the prior is not
                    yield d.model_copy(update={"indicator": row.name})
                elif d.code in ("IND613", "IND410"):
                    hint = d.hint or (f"指标值至少应为“{d.fix}”" if d.fix else None)
                    data = {"catalog_code": entry.code, **d.data}
                    update = {"indicator": row.name, "hint": hint, "data": data}
                    yield d.model_copy(update={**update, **on_target})


@register
class CatalogDefinitionDiffers(Rule):
    """A row names a catalog indicator but defines it differently.

    When a row's level-3 name is a catalog entry's name or alias, the row claims that indicator; a
    different formula, unit, kind or category then means the form measures something else under the
    same name. The message lists each difference found by the catalog's row matcher. Formulas are
    compared by meaning, not by spelling: an equivalent rewrite (``100%*办结工单/呈办工单``) with the same
    unit agrees (docs/formula-analysis.md).

    Never fires on:
        - an equivalent formula (``100%*办结工单/呈办工单`` for ``办结工单/呈办工单*100%``)
        - a row whose name only resembles a catalog entry (a fuzzy match claims nothing)
        - a formula too large to compare symbolically whose values agree with the catalog's at every
          sample point: an IND031 note on its formula cell says so instead

    Source:
        The catalog of standard indicators (``catalog/sets/``).

    Bad:
        rows:
          - [产出指标, 质量指标, “12345”热线工单办结率, 指标值=办结工单数, 95%以上]

    Good:
        rows:
          - [产出指标, 质量指标, “12345”热线工单办结率, 指标值=办结工单/呈办工单*100%, 95%以上]
    """

    code = "IND614"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            level1 = row.level1.stripped if row.level1 else ""
            level2 = row.level2.stripped if row.level2 else ""
            formula = row.formula.stripped if row.formula and not row.formula.empty else None
            match = ctx.catalog.match_row(level1, level2, row.name, formula)
            if match is None:
                continue
            entry = match.entry
            names = {normalize_name(n) for n in (entry.name, *entry.aliases)}
            if normalize_name(row.name) not in names:
                continue  # a fuzzy match claims nothing
            for note in match.notes:  # IND031: compared at sample points, not symbolically
                cell = row.formula or row.level3
                yield note.model_copy(
                    update={"indicator": row.name, "location": cell.location if cell else None}
                )
            if not match.differences:
                continue
            yield self.finding(
                cell=row.level3,
                row=row,
                catalog_code=entry.code,
                detail="；".join(match.differences),
                hint=f"按指标库“{entry.code}”的定义填写，或改用不同的指标名称",
                data={"catalog_code": entry.code, "differences": list(match.differences)},
            )
