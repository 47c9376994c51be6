"""The target language: targets (指标值), actual values (实际完成值), units and grade scales.

``parse_target`` and ``parse_actual`` read the texts; ``Target.evaluate`` judges an actual value
against a target; ``compatible`` checks a target against what a formula measures. See
``docs/target-language.md`` and ``docs/units.md``.
"""

from __future__ import annotations

from indicators.target.actual import parse_actual
from indicators.target.compat import Compatibility, compatible
from indicators.target.grades import GradeScale, grade_scales, resolve_grade
from indicators.target.model import (
    Actual,
    ActualKind,
    DatePoint,
    Deadline,
    Direction,
    GradeExpectation,
    Outcome,
    OutcomeStatus,
    Period,
    RelativeExpectation,
    Target,
    TargetKind,
    Tier,
)
from indicators.target.parser import parse_target

__all__ = [
    "Actual",
    "ActualKind",
    "Compatibility",
    "DatePoint",
    "Deadline",
    "Direction",
    "GradeExpectation",
    "GradeScale",
    "Outcome",
    "OutcomeStatus",
    "Period",
    "RelativeExpectation",
    "Target",
    "TargetKind",
    "Tier",
    "compatible",
    "grade_scales",
    "parse_actual",
    "parse_target",
    "resolve_grade",
]
