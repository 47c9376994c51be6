"""Does a target fit what the formula measures? :func:`compatible`.

A percentage formula (``办结工单/呈办工单*100%``) needs a target in per cent (``95%以上``), not a
count (``4个以上``); a count formula takes a count (``100人次以上``); a grade formula takes a grade
target. ``unit`` is the indicator's unit (计量单位) when known; its dimension must match the target's.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from indicators import units
from indicators.errors import UnitError
from indicators.formula.kinds import FormulaKind
from indicators.target.model import Target, TargetKind


class Compatibility(BaseModel):
    """``ok`` and, when not ok, a Chinese ``reason``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool
    reason: str | None = None


_OK = Compatibility(ok=True)
_NUMERIC_KINDS = frozenset({TargetKind.NUMERIC, TargetKind.RANGE, TargetKind.RELATIVE})
_WORD_KINDS = frozenset({TargetKind.STATE, TargetKind.VAGUE, TargetKind.BOOLEAN})


def _no(reason: str) -> Compatibility:
    return Compatibility(ok=False, reason=reason)


def _target_unit(target: Target) -> str | None:
    if target.kind == TargetKind.RELATIVE and target.relative is not None:
        unit = target.relative.unit
        return None if unit in ("%", "百分点") else unit  # a change in per cent fits any quantity
    if target.unit in units.multipliers():
        return None  # 250万: the unit comes from the 计量单位 column or the actual value
    return target.unit


def _dimension(unit: str | None) -> str | None:
    try:
        return units.dimension_of(unit)
    except UnitError:
        return None


def compatible(kind: FormulaKind, unit: str | None, target: Target) -> Compatibility:
    """Whether ``target`` can be judged against values of a formula of ``kind`` in ``unit``."""
    label = kind.label
    shown = f"“{target.text.strip()}”"
    if kind.quantitative or kind == FormulaKind.SURVEY:
        if target.kind in _NUMERIC_KINDS:
            t_unit = _target_unit(target)
            t_dim = _dimension(t_unit)
            if unit:
                u_dim = _dimension(unit)
                if t_unit and u_dim is not None and t_dim is not None and t_dim != u_dim:
                    return _no(f"指标的计量单位是“{unit}”，而指标值{shown}的单位是“{t_unit}”，量纲不同")
            if kind == FormulaKind.RATIO and t_unit and ("/" in t_unit or _measured(t_dim)):
                # a quotient of two kinds of quantity (万元/处, 公里/处), or a measure per count: the
                # average in the measure's unit (∑审批时长/审批件数 in 个工作日, 面积/户数 in 亩)
                return _OK
            if kind in (FormulaKind.PERCENTAGE, FormulaKind.RATIO, FormulaKind.RATE, FormulaKind.SURVEY):
                if t_unit and t_dim:
                    return _no(f"{label}公式的指标值应为百分数或比值，而指标值{shown}的单位是“{t_unit}”")
            elif kind == FormulaKind.AMOUNT:
                if t_unit and t_dim is not None and "[money]" not in t_dim:
                    return _no(f"金额公式的指标值应为金额（元、万元），而指标值{shown}的单位是“{t_unit}”")
            elif kind == FormulaKind.QUANTITY and t_unit in ("%", "‰") and not unit:
                return _no(f"数量公式的指标值应为数量，而指标值{shown}是百分数")
            return _OK
        if target.kind == TargetKind.GRADE and kind == FormulaKind.SURVEY:
            return _OK
        if target.kind in (TargetKind.DEADLINE, TargetKind.PERIOD):
            return _no(f"{label}公式计算的是数值，而指标值{shown}是时间要求")
        if target.kind == TargetKind.GRADE:
            return _no(f"{label}公式计算的是数值，而指标值{shown}是等级")
        if target.kind == TargetKind.BOOLEAN:
            return _no(f"{label}公式计算的是数值，而指标值{shown}是“是/否”")
        return _OK  # a state or vague target: a judgement, not a number (reported elsewhere as vague)
    if kind == FormulaKind.GRADE:
        if target.kind in (TargetKind.GRADE, *_WORD_KINDS):
            return _OK
        return _no(f"等级指标的指标值应为等级（如“良好及以上”），而指标值{shown}不是等级")
    # BOOLEAN and STATE formulas: a yes/no or a state, a deadline or a period; a time (≤30天, ≤12月)
    # says when the state is reached (按时完成, 12月底前拨付到位)
    if target.kind in _NUMERIC_KINDS and target.unit not in (None, "%") and not _is_time(target.unit):
        return _no(f"{label}指标的指标值应为是否或状态，而指标值{shown}是数量")
    return _OK


def _measured(dimension: str | None) -> bool:
    """A dimension of a measure (time, length, area, mass), not a count, money or a pure number; money
    over something is an amount formula, money over money a share."""
    return bool(dimension) and dimension != "[count]" and "[money]" not in (dimension or "")


def _is_time(unit: str | None) -> bool:
    """A span of time (天, 个工作日, 月, 小时, 年): the dimension of time and nothing else."""
    return _dimension(unit) in units.TIME_DIMENSIONS
