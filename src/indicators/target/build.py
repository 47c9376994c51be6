"""From the grammar's data to a :class:`~indicators.target.model.Target`, in the light of its row.

:class:`Row` is what the form says around the target: the 计量单位 column, whether the row is a 成本
row (a bare number is a ceiling), how the row reads a month (``rows.time_rule``) and whether the
indicator is a rate. :func:`build_target` dispatches on the kind of data the grammar produced.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from indicators import units
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import TargetSyntaxError, UnitError
from indicators.target.grades import resolve_grade
from indicators.target.grammar import Invalid
from indicators.target.model import (
    COMPARATOR_SIGNS,
    Comparator,
    DatePoint,
    Deadline,
    Direction,
    GradeExpectation,
    Period,
    RelativeExpectation,
    Target,
    TargetKind,
)
from indicators.target.normalize import Normalized
from indicators.target.rows import TimeRule
from indicators.target.vocabulary import vocabulary

#: a bare number that reads as a year and a month (2025.6, 2025.06): kept a number, flagged IND217
YEAR_MONTH_TEXT = re.compile(r"((?:19|20)[0-9]{2})\.(0?[1-9]|1[0-2])")

DIRECTION: dict[str, Direction] = {
    "ge": Direction.HIGHER, "gt": Direction.HIGHER, "le": Direction.LOWER, "lt": Direction.LOWER,
    "eq": Direction.EXACT, "between": Direction.RANGE,
}
_HUNDRED = Decimal(100)

#: one example per idiom; the hint of a syntax error quotes the closest one
EXAMPLES = (
    "≥95%", "95%以上", "不低于95%", "≤5%", "5%以内", "控制在100万元以内", "=100%", "90%-100%", "100人次以上",
    "4个以上", "1,152.50万元", "≥530元/人·月", "1600元/亩", "每亩300", "1次/月", "每月1次", "30个工作日内",
    "≤48小时", "9月前", "12月底前完成", "2025年10月底前", "2021年1月-12月", "2023.07-2024.01", "1-12月",
    "良以上", "优秀", "合格及以上", "是",
    "及时", "较上年提高5个百分点", "同比增长5%", "不低于上年", "保持/提升",
)


def closest_example(text: str) -> str:
    """The idiom of :data:`EXAMPLES` closest to ``text``."""
    closest = difflib.get_close_matches(text, EXAMPLES, n=1, cutoff=0.0)
    return closest[0] if closest else EXAMPLES[0]


@dataclass(frozen=True)
class Row:
    """What the form says around a target."""

    #: the unit of the 计量单位 column (None: none, or not a unit)
    unit: str | None = None
    #: a 成本 row: a bare number is a ceiling
    cost: bool = False
    #: how a month or a date is read on this row (None: the row does not say)
    time_rule: TimeRule | None = None
    #: the indicator measures a rate (完成率, 覆盖率)
    rate: bool = False


@dataclass
class Parts:
    """One reading of a target text: the words before it, the target proper and the grammar's data."""

    text: str
    norm: Normalized
    body: Normalized
    data: dict[str, Any]
    subject: str | None = None
    #: a unit word the unit table lacks (IND303)
    unknown_unit: str | None = None


def build_target(parts: Parts, row: Row) -> Target:
    """The Target of one reading; raises TargetSyntaxError for an impossible value."""
    norm, body, data = parts.norm, parts.body, parts.data
    warnings = list(norm.warnings)
    span = body.span(0, len(body.text))
    common: dict[str, Any] = {"text": parts.text, "span": span, "subject": parts.subject,
                              "time_rule": row.time_rule}
    if parts.unknown_unit is not None:
        at = body.text.find(parts.unknown_unit)
        where = body.span(at, at + len(parts.unknown_unit)) if at >= 0 else span
        word = units.split_multiplier(parts.unknown_unit)[1]
        warnings.append(diagnostic("IND303", span=where, text=norm.original, unit=word))
    try:
        kind = data["kind"]
        if kind == "bounded":
            return _bounded(common, body, data, row, warnings, listed=parts.unknown_unit is not None)
        if kind == "range":
            return _range(common, data, row, warnings, listed=parts.unknown_unit is not None)
        if kind == "relative":
            return _relative(common, data, warnings)
        if kind == "deadline":
            deadline = Deadline(date=data["date"], end_of=data["end_of"])
            return Target(kind=TargetKind.DEADLINE, deadline=deadline, direction=Direction.LOWER,
                          warnings=tuple(warnings), **common)
        if kind == "period":
            return _period(common, data["start"], data["end"], row, warnings)
        return _grade(common, data, warnings)
    except Invalid as exc:
        raise invalid_error(body, exc) from None


def invalid_error(norm: Normalized, exc: Invalid) -> TargetSyntaxError:
    """The error of a well-formed text with an impossible value (IND216 and others)."""
    hint = exc.hint or f"常见写法如“{closest_example(norm.text)}”"
    return TargetSyntaxError(
        diagnostic(exc.code, span=norm.span(0, len(norm.text)), text=norm.original, detail=exc.detail,
                   hint=hint)
    )


def _check_unit(unit: str | None, *, reported: bool) -> bool:
    """True when ``unit`` is in the unit table. A unit outside it is allowed only when it was reported
    as such (IND303); any other (``30号内``: 号 is a day, not a unit) is IND301."""
    if unit is None or units.is_unit(unit):
        return True
    if not reported:
        raise Invalid(f"未知计量单位“{unit}”", code="IND301")
    return False


def _grade(common: dict[str, Any], data: dict[str, Any], warnings: list[Diagnostic]) -> Target:
    resolved = resolve_grade(data["word"])
    assert resolved is not None  # the GRADE terminal holds only words of the scales
    scale, level = resolved
    word = data["word"]
    # 优良: 优 or 良 (a word made of levels that is not itself a level, unlike AAAA)
    several = len(word) > 1 and word not in scale.levels and all(ch in scale.levels for ch in word)
    grade = GradeExpectation(scale=scale.name, level=level, or_better=data["or_better"] or several)
    return Target(kind=TargetKind.GRADE, grade=grade, direction=Direction.HIGHER,
                  warnings=tuple(warnings), **common)


def _period(
    common: dict[str, Any], start: DatePoint, end: DatePoint, row: Row, warnings: list[Diagnostic]
) -> Target:
    """A period; a single month on a row that reads months as deadlines is "done by the end of it"."""
    if start == end and start.month is not None and start.day is None and row.time_rule == "deadline":
        deadline = Deadline(date=start, end_of=True)
        warnings.append(diagnostic("IND227", span=common["span"], text=common["text"],
                                   deadline=f"{start.text()}底前"))
        return Target(kind=TargetKind.DEADLINE, deadline=deadline, direction=Direction.LOWER,
                      warnings=tuple(warnings), **common)
    return Target(kind=TargetKind.PERIOD, period=Period(start=start, end=end), direction=Direction.RANGE,
                  warnings=tuple(warnings), **common)


def with_caller_unit(text_unit: str | None, caller: str | None) -> tuple[str | None, str | None]:
    """The unit of a bound and where it came from.

    A bare multiplier takes the caller's unit (``250万`` in a 元 column is 250万元; in a 万元 column the 万
    repeats the column's, so it is 250万元 too); a bare denominator (``≥300/亩``) divides it.
    """
    if text_unit is None:
        return (caller, "caller") if caller else (None, None)
    if not caller:
        return text_unit, "text"
    head, slash, per = text_unit.partition("/")
    if slash and not head:
        return f"{caller}/{per}", "caller"
    if head in units.multipliers():
        whole = caller if caller.startswith(head) else head + caller
        return whole + slash + per, "text"
    return text_unit, "text"


def _bounded(
    common: dict[str, Any],
    body: Normalized,
    data: dict[str, Any],
    row: Row,
    warnings: list[Diagnostic],
    *,
    listed: bool,
) -> Target:
    op, suffix = data["op"], data["suffix"]
    if op and suffix and DIRECTION[op] != DIRECTION[suffix]:
        raise TargetSyntaxError(diagnostic("IND209", span=common["span"], text=common["text"]))
    cmp: Comparator | None = op or suffix
    default = cmp is None
    text_unit = data["unit"]
    per = data.get("per")
    if per is not None:
        text_unit = f"{text_unit or row.unit or ''}/{per}"
    unit, source = with_caller_unit(text_unit, None if per is not None else row.unit)
    if per is not None and text_unit and not data["unit"] and row.unit:
        source = "caller"
    known = _check_unit(unit, reported=listed)
    if known and source != "caller" and row.unit and unit and not units.same_dimension(unit, row.unit):
        warnings.append(diagnostic("IND208", span=common["span"], text=common["text"], unit=unit,
                                   column=row.unit))
    value: Decimal = data["value"]
    if cmp is None:
        # recorded in ``default_comparator``; callers may report it with IND214
        cmp = "le" if value == 0 or row.cost else "ge"
    looks_like = YEAR_MONTH_TEXT.fullmatch(body.text)
    if looks_like and unit is None and not op and not suffix:  # 2025.6: a number, though it reads as a month
        year, month = int(looks_like.group(1)), int(looks_like.group(2))
        if row.time_rule == "deadline":
            return _period(common, DatePoint(year=year, month=month), DatePoint(year=year, month=month),
                           row, warnings)
        warnings.append(diagnostic(
            "IND217", span=common["span"], text=common["text"], date=f"{year}年{month}月",
            hint=f"若是时间要求，写成“{year}年{month}月底前”或“{year}年{month}月”；若是数值，在计量单位栏写明单位",
        ))
    if unit == "%" and cmp is not None and value > _HUNDRED and not op and str(body.text).startswith("2"):
        fixed = "≥" + body.text[1:]
        warnings.append(diagnostic("IND207", span=common["span"], text=common["text"], fixed=fixed))
    if row.rate and unit == "%" and cmp == "ge" and value == _HUNDRED:
        warnings.append(diagnostic("IND223", span=common["span"], text=common["text"]))
    tolerance = None
    if data.get("approximate"):
        tolerance = vocabulary().approximate_tolerance
        warnings.append(diagnostic("IND228", span=common["span"], text=common["text"],
                                   sign=COMPARATOR_SIGNS[cmp], bound=units.format_quantity(value, unit),
                                   tolerance=f"{units.format_decimal((tolerance * 100).normalize())}%"))
    return Target(kind=TargetKind.NUMERIC, comparator=cmp, direction=DIRECTION[cmp], bound=value, unit=unit,
                  unit_source=source, default_comparator=default, tolerance=tolerance,
                  warnings=tuple(warnings), **common)


def _range(
    common: dict[str, Any], data: dict[str, Any], row: Row, warnings: list[Diagnostic], *, listed: bool
) -> Target:
    (low, high), (low_unit, high_unit) = data["values"], data["units"]
    unit = high_unit or low_unit
    unit, source = with_caller_unit(unit, row.unit)
    _check_unit(unit, reported=listed)
    mults = units.multipliers()
    if low_unit in mults and unit and unit not in mults:
        low_unit += units.split_multiplier(unit)[1]  # 1万-2亿元: the lower end is 1万元
    if low_unit and unit and low_unit != unit:
        low = _convert_end(low, low_unit, unit)
    if low > high:
        raise Invalid(f"下限{units.format_decimal(low)}大于上限{units.format_decimal(high)}",
                      hint="下限写在前、上限写在后，如“90%-100%”")
    return Target(kind=TargetKind.RANGE, comparator="between", direction=Direction.RANGE, lower=low,
                  upper=high, unit=unit, unit_source=source, warnings=tuple(warnings), **common)


def _convert_end(value: Decimal, unit: str, to: str) -> Decimal:
    """The lower end of a range in the upper end's unit (units the table lacks: by scale word only)."""
    try:
        return units.convert(value, unit, to)
    except UnitError as exc:
        (f_from, w_from), (f_to, w_to) = units.split_multiplier(unit), units.split_multiplier(to)
        if w_from == w_to and not units.is_unit(w_from):
            return value * f_from / f_to
        raise Invalid(f"上下限的单位“{unit}”与“{to}”不能换算") from exc


def _relative(common: dict[str, Any], data: dict[str, Any], warnings: list[Diagnostic]) -> Target:
    amount = data["amount"]
    cmp: Comparator = data["cmp"]
    value = unit = None
    if amount is not None:
        value, unit = amount["value"], amount["unit"]
        if amount["suffix"] == "le" and data["sign"] > 0:
            cmp = "le"  # 较上年提高5%以内
    rel = RelativeExpectation(basis=data["basis"], comparator=cmp, sign=data["sign"], amount=value, unit=unit,
                              yearly=data.get("yearly", False))
    direction = Direction.HIGHER if data["sign"] > 0 else Direction.LOWER
    tolerance = None
    if amount is not None and amount.get("approximate"):  # 较上年提高2个百分点左右: the change, about
        tolerance = vocabulary().approximate_tolerance
        shown = Target(kind=TargetKind.RELATIVE, relative=rel, text=common["text"]).canonical()
        warnings.append(diagnostic("IND228", span=common["span"], text=common["text"], sign="", bound=shown,
                                   tolerance=f"{units.format_decimal((tolerance * 100).normalize())}%"))
    return Target(kind=TargetKind.RELATIVE, relative=rel, comparator=cmp, direction=direction,
                  tolerance=tolerance, warnings=tuple(warnings), **common)
