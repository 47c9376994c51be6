"""The annual target cell (年度指标值) of each indicator row, alone and against the formula."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators.diagnostics import Span
from indicators.formula.kinds import FormulaKind
from indicators.lint.base import Rule, abbreviate, register, row_location
from indicators.text import nfkc

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext

HUNDRED = Decimal(100)
#: name endings of ratios bounded by 100% (a part of a whole)
BOUNDED_ENDINGS = ("率", "比例", "占比", "满意度")
#: words that make a 率 unbounded (growth, change, return)
UNBOUNDED_WORDS = (
    "增长", "增幅", "增速", "提升", "提高", "上升", "变动", "变化", "回报", "收益", "利润", "倍",
)
_GRADE_LIST = re.compile(r"(?:分为|分成|包括|划分为)([^。；;：:（(]+)")
_GRADE_SPLIT = re.compile(r"[、,，/及和与]+")


def is_bounded_ratio(name: str) -> bool:
    """Whether an indicator name says it is a part of a whole (at most 100%)."""
    key = nfkc(name).strip()
    if key.endswith(("频率", "效率")):
        return False
    return key.endswith(BOUNDED_ENDINGS) and not any(w in key for w in UNBOUNDED_WORDS)


_TARGET_AT_END = re.compile(
    r"(?:[≥≤><＞＜]|不低于|不少于|达到|达)?\d+(?:\.\d+)?(?:%|％)(?:及以上|以上|及以下|以下)?$"
    r"|(?:[≥≤><＞＜]|不低于|不少于|达到|达)\d+(?:\.\d+)?[^\d\s]{0,3}$"
)


def target_in_name(name: str) -> str | None:
    """A target written at the end of a level-3 name (``年度资金支付完成率100%`` → ``100%``), if any."""
    found = _TARGET_AT_END.search(name.strip())
    if found is None or found.start() == 0:
        return None
    return found.group(0)


def scale_in_text(text: str) -> tuple[str, ...] | None:
    """A grade scale listed in an explanation: ``评估等级分为优秀、良好、合格、不合格`` → the four words."""
    match = _GRADE_LIST.search(nfkc(text))
    if match is None:
        return None
    words = tuple(w.strip() for w in _GRADE_SPLIT.split(match.group(1)) if w.strip())
    if len(words) < 2 or any(len(w) > 6 for w in words):
        return None
    return words


@register
class TargetUnparseable(Rule):
    """The annual target cannot be read.

    The target language (docs/target-language.md) reads numbers with units and comparison words
    (``95%以上``, ``≥90%``, ``不超过10万元``), ranges, grades (``良好及以上``), yes/no, states
    (``按规定公开``), deadlines and relative targets (``较上年提高``). The span points where reading
    stopped.

    Never fires on:
        - a blank target (IND602 reports it)
        - a target with words before it (``辖区企业满意率达95%以上``), a final full stop, a unit word (
          ``≥100百分比``) or
          an operator misread by OCR (``W92%``)
        - a number with a unit the unit table lacks (``300万盏``: IND303 notes the unit)
        - a template placeholder (``XX%``, ``≥**棵``: IND632 reports it)

    Source:
        The target language (docs/target-language.md); the wording of published forms (domain brief §4).

    Bad:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上以下]

    Good:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
    """

    code = "IND601"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.lint.vocabulary import placeholder_in

        for row in ctx.indicator_rows:
            error = ctx.target(row).error
            if error is None or row.target is None or placeholder_in(row.target.text) is not None:
                continue
            inner = error.diagnostic
            yield self.finding(
                cell=row.target,
                row=row,
                quote=abbreviate(row.target.stripped),
                span=inner.span,
                hint=inner.hint or inner.message,
                data={"cause": inner.code, "detail": inner.message},
            )


@register
class TargetMissing(Rule):
    """A level-3 indicator without an annual target (年度指标值).

    Every indicator needs a measurable annual target. A row whose target cell is blank, or a form
    without a target column, leaves the indicator undeclared. In the seed form the shifted
    生活垃圾资源化利用率 row has no target. A target written at the end of the name
    (``年度资金支付完成率100%``, a habit of some forms) is named in the hint and in ``fix``.

    Never fires on:
        - a category row without a level-3 name
        - a target split over the 指标性质 | 指标值 | 计量单位 columns

    Source:
        财预〔2021〕101号 (every level-3 indicator has a 指标值), as commonly quoted; the seed form.

    Bad:
        rows:
          - level1: 效益指标
            level2: 生态效益指标
            level3: 生活垃圾资源化利用率
            formula: 指标值=资源化利用量/垃圾处理总量×100%
            target: null

    Good:
        rows:
          - level1: 效益指标
            level2: 生态效益指标
            level3: 生活垃圾资源化利用率
            formula: 指标值=资源化利用量/垃圾处理总量×100%
            target: 35%以上
    """

    code = "IND602"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            if row.target is not None and not row.target.empty:
                continue
            location = row.target.location if row.target is not None else None
            in_name = target_in_name(row.name)
            hint = None
            if in_name is not None:
                hint = f"指标名称末尾的“{in_name}”像是指标值：请把它移到年度指标值栏"
            yield self.finding(
                cell=row.target,
                row=row,
                location=location or row_location(row),
                name=row.name,
                hint=hint,
                fix=in_name,
            )


@register
class TargetVague(Rule):
    """The annual target is vague: it cannot be measured at year end.

    Words such as ``有效``, ``明显提升``, ``进一步改善``, ``持续加强``, ``长期``, ``按质按量`` or ``参照…``
    set no
    level that an actual value could be judged against. One vocabulary (``catalog/vague.yaml``) is read
    wherever the word stands in a target without a number, so ``服务水平提高`` is flagged as ``提高`` is.
    Write a number, a grade or a state that is either reached or not.

    Never fires on:
        - a target with a number (``较上年提高5%``, ``≥95%``)
        - a state that is reached or not (``按规定公开``, ``及时报送``, ``实现动态清零``) or a grade (
          ``良好以上``)
        - a relative target against last year (``较上年提高``, ``不低于上年``)

    Source:
        财预〔2021〕101号 (targets are quantified where possible; vague words are avoided), as commonly
        quoted; ``catalog/vague.yaml``.

    Bad:
        rows:
          - [效益指标, 社会效益指标, 居民生活环境改善情况, 指标值=居民生活环境改善情况, 明显改善]

    Good:
        rows:
          - [效益指标, 社会效益指标, 居民生活环境满意度, 通过问卷调查了解满意度。, 90%以上]
    """

    code = "IND603"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            word = ctx.vague_word(row)
            if word is None or row.target is None:
                continue
            text = row.target.text
            at = text.find(word) if word else -1
            span = Span.of(text, at, at + len(word)) if word and at >= 0 else None
            said = f"“{word}”没有给出年终可以衡量的水平：" if word else ""
            yield self.finding(
                cell=row.target,
                row=row,
                span=span,
                quote=abbreviate(row.target.stripped),
                hint=f"{said}改为可量化或可分级的表述，如“90%以上”“良好及以上”“12月底前完成”",
                data={"word": word},
            )


def _formula_kind(ctx: LintContext, row: IndicatorRow) -> tuple[FormulaKind, str | None] | None:
    formula = ctx.formula(row).value
    if formula is None:
        return None
    return formula.kind, ctx.unit(row) or formula.unit


@register
class TargetIncompatible(Rule):
    """The target's unit or kind does not fit what the formula measures.

    A percentage formula (``…/…*100%``) needs a percentage target, a count needs a count with a
    fitting unit, a grade needs a grade, a yes/no definition needs ``是`` or ``否``. In the seed form
    室内外应急避难场所的服务覆盖率 is defined as a percentage but its target is ``4个以上``.

    Never fires on:
        - a row whose formula is blank or cannot be read
        - a vague target (IND603 reports it)
        - a percentage formula with a per-cent target, a count formula with a count in a fitting unit

    Source:
        财预〔2021〕101号 (value and unit agree with the indicator), as commonly quoted; the seed form.

    Bad:
        rows:
          - level1: 产出指标
            level2: 数量指标
            level3: 室内外应急避难场所的服务覆盖率
            formula: 指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%
            target: 4个以上

    Good:
        rows:
          - level1: 产出指标
            level2: 数量指标
            level3: 室内外应急避难场所的服务覆盖率
            formula: 指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%
            target: 90%以上
    """

    code = "IND604"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.target import compatible

        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            measured = _formula_kind(ctx, row)
            if target is None or row.target is None or measured is None or target.kind == "vague":
                continue
            kind, unit = measured
            result = compatible(kind, unit, target)
            if result.ok:
                continue
            reason = result.reason or f"公式为{kind.label}类"
            yield self.finding(
                cell=row.target,
                row=row,
                target=abbreviate(row.target.stripped),
                reason=reason,
                hint=f"计算公式为{kind.label}类{f'（单位{unit}）' if unit else ''}，指标值应与之相符",
                data={"formula_kind": str(kind), "formula_unit": unit, "target_kind": str(target.kind)},
            )


@register
class PercentOver100(Rule):
    """A percentage target above 100% on a ratio bounded by 100%.

    A 完成率, 覆盖率, 合格率, 占比 or 满意度 is a part of a whole and cannot exceed 100%, so a target
    such as ``120%`` can never be met (growth rates such as 增长率 are not bounded and are not checked).
    A target bounded from above (``≤120%``, or a bare ``120`` whose 指标性质 column says ``≤``) is not
    checked.

    Never fires on:
        - growth and change rates (增长率, 增幅, 提升率)
        - a ceiling (``≤120%``), or a bare number whose 指标性质 column says ``≤``
        - a target of exactly 100% (``100%``, ``≥100%``: IND223 notes that it means reaching 100%)

    Source:
        Arithmetic: a part of a whole is at most the whole.

    Bad:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 长者长寿保健金补贴发放准确率
            formula: 指标值=准确发放补贴次数/补贴发放总次数*100%
            target: 105%

    Good:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 长者长寿保健金补贴发放准确率
            formula: 指标值=准确发放补贴次数/补贴发放总次数*100%
            target: 100%
    """

    code = "IND605"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or not is_bounded_ratio(row.name):
                continue
            if target.unit != "%" or ctx.comparator(row) in ("le", "lt"):
                continue
            values = [v for v in (target.bound, target.lower, target.upper) if v is not None]
            over = [v for v in values if v > HUNDRED]
            if not over:
                continue
            yield self.finding(
                cell=row.target,
                row=row,
                hint="比率不会超过 100%，请核对指标值",
                data={"value": str(max(over))},
            )


@register
class GradeOffScale(Rule):
    """A grade target that is not a level of the indicator's grade scale.

    The scale comes from the catalog entry of the indicator (its guidance rule or ``grade_scale``) or
    from the row's own explanation (``评估等级分为优秀、良好、合格、不合格``). A level may be shortened
    to the unique level it begins (``优`` for 优秀) and followed by ``以上``/``及以上``.

    Never fires on:
        - a level shortened to the unique level it begins (``优`` for 优秀), with ``以上``/``及以上``
        - a row with no grade scale in its catalog entry or its explanation
        - a target that cannot be read at all (IND601 reports it)

    Source:
        The seed form (评估等级分为优秀、良好、合格、不合格); ``catalog/grades.yaml``.

    Bad:
        rows:
          - level1: 效益指标
            level2: 社会效益指标
            level3: 颐康服务中心(站)服务评估结果
            formula: 指标值=颐康服务中心(站)评估等级 评估等级分为优秀、良好、合格、不合格
            target: 甲等

    Good:
        rows:
          - level1: 效益指标
            level2: 社会效益指标
            level3: 颐康服务中心(站)服务评估结果
            formula: 指标值=颐康服务中心(站)评估等级 评估等级分为优秀、良好、合格、不合格
            target: 良好以上
    """

    code = "IND612"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.catalog.rules import read_grade

        for row in ctx.indicator_rows:
            if row.target is None or row.target.empty:
                continue
            target = ctx.target(row)
            if target.value is not None and target.value.kind not in ("grade", "relative", "state"):
                continue
            scale = self._scale(ctx, row)
            if scale is None:
                continue
            if read_grade(row.target.stripped, scale) is not None:
                continue
            if target.value is None and target.error is not None:
                continue  # IND601 reports it
            yield self.finding(
                cell=row.target,
                row=row,
                scale="、".join(scale),
                hint=f"指标值应为“{'、'.join(scale)}”之一，可加“以上”",
                data={"scale": list(scale)},
            )

    @staticmethod
    def _scale(ctx: LintContext, row: IndicatorRow) -> tuple[str, ...] | None:
        entry = ctx.entry(row)
        if entry is not None:
            for rule in entry.rules:
                return tuple(rule.scale)
            if entry.grade_scale:
                from indicators.target.grades import grade_scales

                scale = grade_scales().get(entry.grade_scale)
                if scale is not None:
                    return scale.levels
        if row.formula is not None:
            return scale_in_text(row.formula.text)
        return None


#: which way each comparator points: up (at least), down (at most) or neither
_DIRECTION = {"ge": 1, "gt": 1, "le": -1, "lt": -1}


@register
class OperatorMismatch(Rule):
    """The 指标性质 (operator) column contradicts the annual target.

    Forms of the 预算管理一体化 layout write the comparison in a column of its own (``≥``, ``≤``, ``＝``,
    ``定性``) and the number in 指标值. A bare number takes its direction from that column; a target
    that writes its own direction must agree with it: ``≤`` beside ``95%以上`` leaves the reviewer and
    the scorer guessing whether more or less is better. A 定性 indicator cannot have a number or a
    range as its target. Words such as 大于等于, 不超过, 正向 and 反向 are read as the signs.

    Never fires on:
        - a bare number beside the sign (the sign gives its direction)
        - a target whose own direction agrees with the column (``≥`` beside ``95%以上``)
        - a 定性 indicator with a word target (``按规定公开``, ``良好``)

    Source:
        财预〔2021〕101号 and the 预算管理一体化 layout (指标性质 column: ＞ ≥ ＝ ≤ ＜ 定性); the pmkpi module
        (``computesign``).

    Bad:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 服务合格率
            formula: 指标值=合格次数/服务次数*100%
            target: 95%以上
            operator: ≤

    Good:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 服务合格率
            formula: 指标值=合格次数/服务次数*100%
            target: "95"
            unit: "%"
            operator: ≥
    """

    code = "IND617"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for row in ctx.indicator_rows:
            written = ctx.operator(row)
            target = ctx.target(row).value
            if written is None or target is None or row.target is None or row.operator is None:
                continue
            reason = None
            if written == "qualitative" and target.kind in ("numeric", "range"):
                reason = "定性指标的指标值不应是数值"
                hint = "定量指标把指标性质改为“≥”“≤”等；定性指标写明要达到的状态或等级"
            elif (
                target.kind == "numeric"
                and not target.default_comparator
                and _DIRECTION.get(written, 0) * _DIRECTION.get(target.comparator or "", 0) < 0
            ):
                reason = "比较方向相反"
                hint = "指标性质与指标值只写一处比较方向，或使两者一致"
            if reason is None:
                continue
            yield self.finding(
                cell=row.target,
                row=row,
                operator=row.operator.stripped,
                reason=reason,
                hint=hint,
                data={"operator": written, "target_comparator": target.comparator},
            )
