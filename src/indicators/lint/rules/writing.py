"""How the cells are written: template placeholders left in, the name repeated in the target cell, the
unit written in both the target cell and the 计量单位 column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from indicators.diagnostics import Span
from indicators.lint.base import Rule, abbreviate, register
from indicators.lint.vocabulary import name_key, placeholder_in

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import Cell
    from indicators.lint.context import LintContext


def _span_of(cell: Cell, part: str) -> Span | None:
    at = cell.text.find(part)
    return Span.of(cell.text, at, at + len(part)) if at >= 0 else None


@register
class Placeholder(Rule):
    """A template placeholder left in a level-3 name or a target: ``(≥**棵)``, ``XX%``, ``**万元``,
    ``X月X日前``.

    Templates and guidance print placeholders where the unit fills in its own figure or name; a form
    sent with them has no target (the reviewer cannot tell what is declared) and cannot be scored. The
    placeholder marks and words are ``placeholder_marks``, ``placeholder_anywhere`` and ``placeholder_words``
    of ``catalog/review.yaml``: ``*`` anywhere, ``X``/``x`` where a number belongs (at the start, after a
    comparator or a bracket, before a unit, ``%`` or a date word), ``某某``, ``待定``.

    Never fires on:
        - letters that are part of a name (``X光机检查覆盖率``, ``B超``, ``AAAA级景区``)
        - a multiplication sign ``×`` in a formula (formulas are not checked)
        - a filled-in figure (``≥500棵``, ``95%``)

    Source:
        财预〔2021〕101号 附件 (template tables with ``**`` and ``X`` placeholders), as commonly quoted;
        通用共性指标库 (``**月**日前``).

    Bad:
        rows:
          - [产出指标, 数量指标, 新增植树数量(≥**棵), 指标值=新增植树棵数, XX棵]

    Good:
        rows:
          - [产出指标, 数量指标, 新增植树数量, 指标值=新增植树棵数, ≥500棵]
    """

    code = "IND632"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            for where, cell in (("三级指标", row.level3), ("指标值", row.target)):
                if cell is None or cell.empty:
                    continue
                mark = placeholder_in(cell.text)
                if mark is None:
                    continue
                yield self.finding(cell=cell, row=row, where=where, quote=abbreviate(cell.stripped),
                                   mark=mark, span=_span_of(cell, mark), data={"mark": mark})


@register
class NameInTarget(Rule):
    """The target cell repeats the indicator's name: ``市民满意度≥90%`` in the row of 市民满意度.

    The target cell holds the value to reach (``≥90%``); the name is in the level-3 cell. Words before
    the value are read as its subject, and when they are the name (or a part of it) the cell was
    written as a sentence, which systems that store the 指标值 as text (60 characters) or as a number
    cannot take. A target cell that holds only a unit (``%``) is reported as unreadable (IND601).

    Never fires on:
        - words before the value that are not the name (``全年至少开展3次``), or only a word of it
          (``完成100%`` in the row of 任务完成率)
        - a target without words before it

    Source:
        大英经开区 2020 绩效目标表 (``辖区企业满意率达95%以上``), domain brief §2.4; the 预算管理一体化 data
        standard (``KPI_VAL`` 指标值, VARCHAR 60).

    Bad:
        rows:
          - [满意度指标, 服务对象满意度指标, 市民满意度, 通过问卷调查了解满意度。, 市民满意度≥90%]

    Good:
        rows:
          - [满意度指标, 服务对象满意度指标, 市民满意度, 通过问卷调查了解满意度。, ≥90%]
    """

    code = "IND633"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not target.subject or not row.name:
                continue
            subject, name = name_key(target.subject), name_key(row.name)
            if not (name in subject or (subject in name and 2 * len(subject) >= len(name) >= 2)):
                continue  # 完成100% on 任务完成率: a word of the name, not the name
            yield self.finding(cell=row.target, row=row, name=row.name, quote=abbreviate(row.target.stripped),
                               span=_span_of(row.target, target.subject), fix=target.canonical(),
                               data={"subject": target.subject})


@register
class UnitInBoth(Rule):
    """The unit is written in the target cell and in the 计量单位 column: ``95%`` beside ``%``.

    Forms with a 计量单位 column keep the number alone in 指标值 (``95``) and the unit beside it; the
    预算管理一体化 systems store 指标值 as a number (``^-?\\d+\\.?\\d*$``), so ``95%`` there is rejected on
    import. A unit that differs from the column's is a contradiction (IND208).

    Never fires on:
        - a bare number beside its unit (``95`` | ``%``)
        - a target with a unit on a form without a 计量单位 column, or beside a blank one or ``/``
        - a unit that differs from the column's (IND208 reports it)

    Source:
        the pmkpi module (a 定量 指标值 must match ``^-?\\d+\\.?\\d*$``; ``≥95%`` is stored as sign, 95 and
        %),
        domain brief §2.3.

    Bad:
        rows:
          - {level1: 产出指标, level2: 质量指标, level3: 服务合格率, target: 95%, unit: "%", operator: ≥}

    Good:
        rows:
          - {level1: 产出指标, level2: 质量指标, level3: 服务合格率, target: "95", unit: "%", operator: ≥}
    """

    code = "IND634"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.target.reading import column_unit

        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            column = ctx.unit(row)
            if target is None or row.target is None or column is None or target.unit_source != "text":
                continue
            unit = column_unit(column)
            if unit is None or target.unit != unit:
                continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped), unit=unit)
