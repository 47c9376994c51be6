"""Whether a row says how its value is judged: the meaning of the grades of a grade target, the survey
behind a satisfaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from indicators.lint.base import Rule, abbreviate, register
from indicators.lint.rules.targets import scale_in_text
from indicators.lint.vocabulary import review_words, text_key

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext
    from indicators.target.grades import GradeScale


def _states_standard(ctx: LintContext, row: IndicatorRow, scale: GradeScale) -> bool:
    """The row lists the grade levels, names a standard, or is a catalog entry with a grade scale."""
    words = review_words()
    entry = ctx.entry(row)
    if entry is not None and (entry.grade_scale or entry.rules):
        return True
    for cell in ctx.explanations(row):
        key = text_key(cell.text)
        if scale_in_text(cell.text) is not None or any(w in key for w in words.grade_standard_words):
            return True
        if "《" in key or sum(level in key for level in scale.levels) >= 2:
            return True
        if any(f"{level}{colon}" in key for level in scale.words for colon in ":："):
            return True
    return False


@register
class GradeStandardMissing(Rule):
    """A grade target (``优``, ``良好以上``, ``优良``) on a row that does not say what the grades mean.

    A 定性 indicator is judged by grades only when the grades are defined: 101号 asks that a qualitative
    target still be gradable. The row should list the levels and their meaning (``优：…；良：…；中：…；
    差：…``) or name the standard that awards them (``按《…考核办法》评定``) in its explanation, its
    评（扣）分标准 or a remark. A target at the passing level of its scale (``合格``, ``达标``) is a pass, and
    grades awarded by an authority (A级景区) carry their own standard.

    Never fires on:
        - a row that lists the levels (``评估等级分为优秀、良好、合格、不合格``) or names a standard, 办法 or
          细则
        - a catalog indicator with a grade scale or a guidance rule (the catalog defines its grades)
        - a target at the passing level (``合格``, ``达标``) or a letter grade (``AAAA级``)
        - a target that is not a grade

    Source:
        财预〔2021〕101号 (定性 targets must still be gradable), as commonly quoted; 财预〔2020〕10号 (定性
        indicators judged in three tiers).

    Bad:
        rows:
          - [产出指标, 质量指标, 服务周期内空气质量, null, 优良]

    Good:
        rows:
          - level1: 产出指标
            level2: 质量指标
            level3: 服务周期内空气质量
            formula: 按《环境空气质量指数（AQI）技术规定》评定，空气质量分为优、良、中、差
            target: 优良
    """

    code = "IND631"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.target.grades import grade_scales

        words = review_words()
        for row in ctx.indicator_rows:
            target = ctx.target(row).value
            if target is None or row.target is None or target.kind != "grade" or target.grade is None:
                continue
            scale = grade_scales().get(target.grade.scale)
            if scale is None or scale.name in words.certified_scales or len(scale.levels) < 3:
                continue
            passing = scale.passing or scale.levels[-1]
            if scale.rank(target.grade.level) >= scale.rank(passing):
                continue  # a pass: 合格, 中 or worse
            if _states_standard(ctx, row, scale):
                continue
            yield self.finding(cell=row.target, row=row, quote=abbreviate(row.target.stripped),
                               data={"scale": list(scale.levels), "level": target.grade.level})


@register
class SurveyMethodMissing(Rule):
    """A satisfaction indicator (满意度, 满意率) that does not say how the satisfaction is surveyed.

    A satisfaction is measured by asking the people served: a questionnaire (问卷调查), a telephone
    follow-up (电话回访), an evaluation system (评价系统), a third-party survey. The row's explanation,
    评（扣）分标准 or remark should name the method (``survey_methods`` of ``catalog/review.yaml``), so that
    the
    actual value can be checked at year end.

    Never fires on:
        - a row whose explanation, standard or remark names a method (问卷, 调查, 回访, 测评, 评价系统 …)
        - a name that mentions a satisfaction without measuring one (``满意度调查覆盖率``)

    Source:
        财预〔2021〕101号 (满意度指标 from surveys of the people served), as commonly quoted; the seed form
        (``通过问卷调查、访谈等方式了解满意度``).

    Bad:
        rows:
          - [满意度指标, 服务对象满意度指标, 市民满意度, null, ≥90%]

    Good:
        rows:
          - [满意度指标, 服务对象满意度指标, 市民满意度, 通过问卷调查了解满意度。, ≥90%]
    """

    code = "IND638"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        words = review_words()
        for row in ctx.indicator_rows:
            if not words.is_satisfaction(row.name):
                continue
            if any(words.survey_method(cell.text) for cell in ctx.explanations(row)):
                continue
            yield self.finding(cell=row.level3, row=row, name=row.name)
