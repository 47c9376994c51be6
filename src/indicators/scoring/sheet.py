"""The score sheet (绩效自评表) produced by :func:`indicators.scoring.score_form`.

One :class:`ScoreLine` per scored indicator row plus the 预算执行率 line, subtotals per level-1 and
level-2, the total and the grade. Every score is already rounded by the policy; subtotals and the total
are exact sums of the rounded line scores, so any printed total equals the sum of its printed lines.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from indicators.diagnostics import Diagnostic, Location


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LineStatus(StrEnum):
    #: the target is met: full weight
    MET = "met"
    #: partly met (a quantitative shortfall or the 部分达成 tier)
    PARTIAL = "partial"
    #: not met (未达成 tier, yes/no or grade target missed, or nothing achieved)
    NOT_MET = "not_met"
    #: no actual value reported: 0 points
    MISSING = "missing"
    #: the actual cannot be read or compared with the target: 0 points
    INVALID = "invalid"
    #: a relative target without last year's value: 0 points
    NEEDS_BASELINE = "needs_baseline"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    LineStatus.MET: "达成",
    LineStatus.PARTIAL: "部分达成",
    LineStatus.NOT_MET: "未达成",
    LineStatus.MISSING: "未填报",
    LineStatus.INVALID: "无法评分",
    LineStatus.NEEDS_BASELINE: "缺基期值",
}


class BudgetExecution(_Frozen):
    """Budget execution figures: 全年预算数 (A), 全年执行数 (B) and, where given, 年初预算数."""

    total: Decimal | None = Field(default=None, description="全年预算数 A")
    executed: Decimal | None = Field(default=None, description="全年执行数 B")
    initial: Decimal | None = Field(default=None, description="年初预算数")
    unit: str = "万元"
    rate: Decimal | None = Field(default=None, description="the 执行率 written on the form, in %")
    weight: Decimal | None = Field(default=None, description="the 分值 written beside the figures")
    score: Decimal | None = Field(default=None, description="the 得分 written beside the figures")


class ScoreLine(_Frozen):
    """One scored row. ``score`` is rounded by the policy; ``arithmetic`` shows how it was reached."""

    index: int | None = Field(description="position among the form's indicator rows; None for 预算执行率")
    row: int | None = Field(default=None, description="the 1-based row of the line in its file, if any")
    level1: str
    level2: str
    level3: str
    code: str | None = None
    target: str | None = None
    actual: str | None = None
    achievement: Decimal | None = Field(default=None, description="exact ratio, 1 = exactly on target")
    unrounded: Decimal | None = Field(
        default=None, description="the exact score before the one rounding step (and the cap at the weight)"
    )
    weight: Decimal
    weight_source: str = Field(
        default="policy",
        description="form (分值 as written), share (分值 as a % of the level-1 share), split (an even split "
        "of the share), policy (the policy's weight: 预算执行率)",
    )
    score: Decimal
    status: LineStatus
    kind: str | None = Field(
        default=None,
        description="how the line was judged: the target kind (numeric, range, grade, state …), tier "
        "(a completion word or a chosen score), budget, or None when it could not be judged",
    )
    direction: str | None = Field(default=None, description="higher, lower, exact or range (定量 lines)")
    tier: str | None = Field(default=None, description="qualitative tier key when scored by tier")
    band: tuple[Decimal, Decimal] | None = Field(
        default=None, description="定性 lines: the score band (in points) the evidence supports"
    )
    reported_score: Decimal | None = Field(
        default=None, description="the 得分 written by the unit (self-evaluation table or actuals file)"
    )
    figures: BudgetExecution | None = Field(default=None, description="预算执行率 lines: the figures used")
    deviation: str | None = Field(default=None, description="偏差原因分析及改进措施")
    overshoot: bool = False
    explanation: str = ""
    rule: str = Field(description="the policy rule applied, e.g. quantitative.higher")
    arithmetic: str = ""
    location: Location | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


class Subtotal(_Frozen):
    """The sum of the lines of one level-1 (``level2`` None) or one level-2 group."""

    level1: str
    level2: str | None = None
    weight: Decimal
    score: Decimal


class ScoreSheet(_Frozen):
    """A whole self-evaluation. Export with ``model_dump_json()``."""

    schema_version: Literal[1] = Field(default=1, description="the version of this JSON shape (docs/api.md)")
    policy: str
    source: str | None = None
    title: str | None = None
    lines: tuple[ScoreLine, ...]
    budget: BudgetExecution | None = None
    form_type: str = Field(default="project", description="project (项目支出) or department (部门整体支出)")
    sheet_title: str = Field(default="项目支出绩效自评表", description="the title the writers print")
    subtotals: tuple[Subtotal, ...]
    weight_total: Decimal
    total: Decimal
    scaled_total: Decimal | None = Field(
        default=None,
        description="the total rescaled to the policy's total (100) when the lines' weights add up to less "
        "or more; the grade is taken on it",
    )
    grade: str
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def indicator_lines(self) -> tuple[ScoreLine, ...]:
        return tuple(line for line in self.lines if line.index is not None)

    @property
    def budget_line(self) -> ScoreLine | None:
        return next((line for line in self.lines if line.index is None), None)

    @property
    def budget_lines(self) -> tuple[ScoreLine, ...]:
        return tuple(line for line in self.lines if line.index is None)

    def all_diagnostics(self) -> list[Diagnostic]:
        """Sheet-level findings followed by each line's, in line order."""
        out = list(self.diagnostics)
        for line in self.lines:
            out.extend(line.diagnostics)
        return out
