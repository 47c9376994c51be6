"""The data of the target language: :class:`Target`, :class:`Actual` and :class:`Outcome`.

All three are frozen pydantic models, JSON-serialisable with ``model_dump(mode="json")``. A Target
is built by :func:`indicators.target.parse_target`, an Actual by :func:`indicators.target.parse_actual`;
``Target.evaluate`` judges one against the other (see ``docs/target-language.md``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from indicators.diagnostics import Diagnostic, Span
from indicators.units import format_decimal

if TYPE_CHECKING:
    from indicators.units import Quantity

Comparator = Literal["ge", "gt", "eq", "le", "lt", "between"]

#: how each comparator is printed by :meth:`Target.canonical`
COMPARATOR_SIGNS: dict[str, str] = {"ge": "≥", "gt": ">", "eq": "=", "le": "≤", "lt": "<"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TargetKind(StrEnum):
    #: one bound with a comparator: ``≥95%``, ``100人次以上``, ``控制在100万元以内``
    NUMERIC = "numeric"
    #: both ends inclusive: ``90%-100%``
    RANGE = "range"
    #: a level on a grade scale: ``良以上``
    GRADE = "grade"
    #: yes or no: ``是``, ``否``
    BOOLEAN = "boolean"
    #: a state to reach: ``及时报送``, ``实现动态清零``, ``无``
    STATE = "state"
    #: against a baseline: ``较上年提高5个百分点``
    RELATIVE = "relative"
    #: done no later than: ``12月底前完成``
    DEADLINE = "deadline"
    #: within a time span: ``2021年1月-12月``
    PERIOD = "period"
    #: not measurable: ``有效提升``
    VAGUE = "vague"


class Direction(StrEnum):
    """Which way is better for an indicator's value; shared by targets and catalog entries."""

    #: more is better (正向): completion rates, counts, satisfaction
    HIGHER = "higher"
    #: less is better (反向): costs, 结余率
    LOWER = "lower"
    #: inside a band
    RANGE = "range"
    #: exactly a value or a state (是/否, 按规定公开)
    EXACT = "exact"
    #: no ordering (descriptive indicators)
    NONE = "none"


class GradeExpectation(_Frozen):
    """A grade target: ``scale`` (a name from catalog/grades.yaml), ``level``, and ``or_better``."""

    scale: str
    level: str
    or_better: bool = False


class RelativeExpectation(_Frozen):
    """A change against a baseline (基期, usually the prior year).

    ``comparator`` compares the actual with the required value: ``gt`` for 提高 without an amount,
    ``ge`` when an amount is given or for 不低于上年. ``amount``/``unit``: the change (5, ``%`` for
    同比增长5% is multiplied: baseline × 1.05; 5, ``百分点`` is added: baseline + 5%; any other unit is
    added as a quantity). ``sign`` is +1 for an increase and -1 for a decrease.
    """

    basis: str
    comparator: Comparator
    sign: Literal[1, -1] = 1
    amount: Decimal | None = None
    unit: str | None = None
    yearly: bool = False


class DatePoint(_Frozen):
    """A calendar point as written: any of year, month and day may be missing."""

    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    def text(self) -> str:
        out = f"{self.year}年" if self.year is not None else ""
        if self.month is not None:
            out += f"{self.month}月"
        if self.day is not None:
            out += f"{self.day}日"
        return out


class Deadline(_Frozen):
    """Done no later than a date. ``end_of``: through the end of the day, month or year written (底/末,
    or a date written alone: ``2025年6月30日`` is done on or before that day); otherwise ``前`` means
    before that day, month or year begins."""

    date: DatePoint
    end_of: bool = False


class Period(_Frozen):
    """A time span, both ends inclusive (months or days)."""

    start: DatePoint
    end: DatePoint


class Target(_Frozen):
    """A parsed target (指标值)."""

    text: str = Field(description="the original text")
    kind: TargetKind
    comparator: Comparator | None = None
    direction: Direction = Direction.NONE
    measurable: bool = True
    bound: Decimal | None = None
    unit: str | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    grade: GradeExpectation | None = None
    expected: bool | None = Field(default=None, description="for boolean targets: 是 → True, 否 → False")
    state: str | None = Field(default=None, description="for state and vague targets: the words to reach")
    relative: RelativeExpectation | None = None
    deadline: Deadline | None = None
    period: Period | None = None
    default_comparator: bool = Field(default=False, description="comparator not written, taken by default")
    tolerance: Decimal | None = Field(
        default=None,
        description="an approximate figure (70%左右, 约70%): the share of the bound by which the actual may "
        "fall short and still meet it",
    )
    unit_source: Literal["text", "caller"] | None = None
    subject: str | None = Field(default=None, description="words before the target, e.g. 辖区企业满意率达")
    time_rule: Literal["deadline", "period"] | None = Field(
        default=None,
        description="how the row reads a month or a date: deadline (时效/完工 rows), period (服务周期 rows), "
        "or None when the row does not say",
    )
    span: Span | None = Field(default=None, description="the part of the text that is the target proper")
    warnings: tuple[Diagnostic, ...] = ()

    def reach(self) -> Decimal | None:
        """The bound an actual must reach: the bound itself, or for an approximate figure the bound less
        (for ≥) or plus (for ≤) its tolerance (70%左右 with 5%: 66.5%)."""
        if self.bound is None or self.tolerance is None or self.comparator == "eq":
            return self.bound
        slack = abs(self.bound) * self.tolerance
        return self.bound - slack if self.comparator in ("ge", "gt") else self.bound + slack

    def quantity(self) -> Quantity | None:
        """The single bound as an exact pint quantity (None for ranges and non-numeric targets)."""
        if self.bound is None:
            return None
        from indicators.units import quantity

        return quantity(self.bound, self.unit or "")

    def canonical(self) -> str:
        """The target in canonical form (``≥95%``, ``90%-100%``, ``良以上``).

        It parses back to an equal target."""
        u = self.unit or ""
        if self.kind == TargetKind.NUMERIC and self.bound is not None and self.comparator is not None:
            approx = "左右" if self.tolerance is not None else ""
            return f"{COMPARATOR_SIGNS[self.comparator]}{format_decimal(self.bound)}{u}{approx}"
        if self.kind == TargetKind.RANGE and self.lower is not None and self.upper is not None:
            return f"{format_decimal(self.lower)}{u}-{format_decimal(self.upper)}{u}"
        if self.kind == TargetKind.GRADE and self.grade is not None:
            return self.grade.level + ("以上" if self.grade.or_better else "")
        if self.kind == TargetKind.BOOLEAN:
            return "是" if self.expected else "否"
        if self.kind == TargetKind.DEADLINE and self.deadline is not None:
            date = self.deadline.date
            if self.deadline.end_of and date.day is not None:
                return date.text()  # 2025年6月30日: on or before that day
            return date.text() + ("底前" if self.deadline.end_of else "前")
        if self.kind == TargetKind.PERIOD and self.period is not None:
            start, end = self.period.start.text(), self.period.end.text()
            return start if start == end else f"{start}-{end}"
        if self.kind == TargetKind.RELATIVE and self.relative is not None:
            return _relative_text(self.relative) + ("左右" if self.tolerance is not None else "")
        return self.state or self.text.strip()

    def evaluate(self, actual: Actual | str, baseline: Actual | str | None = None) -> Outcome:
        """Judge an actual value (实际完成值) against this target; see docs/target-language.md."""
        from indicators.target.evaluate import evaluate_target

        return evaluate_target(self, actual, baseline)


def _relative_text(rel: RelativeExpectation) -> str:
    if rel.yearly:
        return "逐年提高" if rel.sign > 0 else "逐年下降"
    if rel.amount is None and rel.comparator in ("ge", "le"):
        return ("不低于" if rel.comparator == "ge" else "不高于") + rel.basis
    word = "提高" if rel.sign > 0 else "下降"
    prefix = "同比" if rel.basis == "上年同期" else f"较{rel.basis}"
    unit = "个百分点" if rel.unit == "百分点" else rel.unit or ""
    amount = "" if rel.amount is None else f"{format_decimal(rel.amount)}{unit}"
    return f"{prefix}{word}{amount}"


class ActualKind(StrEnum):
    NUMERIC = "numeric"
    GRADE = "grade"
    BOOLEAN = "boolean"
    STATE = "state"
    TIER = "tier"
    DATE = "date"
    PERIOD = "period"
    #: an actual written as a target (``≥85%``, ``2024年6月底前完成``): see ``Actual.requirement``
    REQUIREMENT = "requirement"


class Tier(StrEnum):
    """The three self-evaluation tiers of a qualitative result (达成/部分达成/未达成)."""

    ACHIEVED = "achieved"
    PARTIAL = "partial"
    NOT_ACHIEVED = "not_achieved"

    @property
    def label(self) -> str:
        return {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}[self.value]


class Actual(_Frozen):
    """A parsed actual value (实际完成值)."""

    text: str
    kind: ActualKind
    value: Decimal | None = None
    unit: str | None = None
    grade: str | None = Field(default=None, description="the grade word as written (resolved by scale)")
    boolean: bool | None = None
    tier: Tier | None = None
    date: DatePoint | None = None
    period: Period | None = None
    state: str | None = None
    requirement: Target | None = Field(
        default=None, description="an actual written as a target (≥85%): the target it reads as"
    )
    warnings: tuple[Diagnostic, ...] = ()

    def quantity(self) -> Quantity | None:
        if self.value is None:
            return None
        from indicators.units import quantity

        return quantity(self.value, self.unit or "")


class OutcomeStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_COMPARABLE = "not_comparable"
    NEEDS_BASELINE = "needs_baseline"

    @property
    def label(self) -> str:
        return {
            "met": "达成",
            "not_met": "未达成",
            "not_comparable": "无法比较",
            "needs_baseline": "缺少基期值",
        }[self.value]


class Outcome(_Frozen):
    """The judgement of one actual value against one target."""

    status: OutcomeStatus
    achievement: Decimal | None = Field(
        default=None, description="exact ratio, 1 = exactly on target; None when not numeric or not judged"
    )
    value: Decimal | None = Field(
        default=None,
        description="numeric targets: the actual in the target's unit, as judged (an actual written as a "
        "requirement, ≥80%, counts as the bound it guarantees)",
    )
    explanation: str = Field(description="one Chinese line")
    tier: Tier | None = Field(
        default=None, description="the completion tier the judgement rests on (基本全覆盖: partial), if any"
    )
    target: str
    actual: str
    baseline: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def met(self) -> bool:
        return self.status == OutcomeStatus.MET
