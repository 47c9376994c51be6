"""The grammar of targets and actual values: ``grammar/target.lark``, built once per process.

:func:`parser` builds the LALR parser (contextual lexer) from the grammar file, with the ``UNIT``
terminal generated from ``catalog/units.txt`` and the ``GRADE`` terminal from ``catalog/grades.yaml``.
:func:`run` parses a normalised text and turns the tree into the intermediate values the target and
actual-value builders read. A unit word the catalog lacks is parsed through :data:`UNKNOWN_UNIT`, a
private-use character that stands in for it (see ``parser.py``).
"""

from __future__ import annotations

import calendar
import re
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import lark
from lark.exceptions import VisitError

from indicators import resources, units
from indicators.limits import DEFAULT_LIMITS
from indicators.target.grades import grade_words
from indicators.target.model import Comparator, DatePoint

#: stands in the text for a unit word the unit table lacks, so that the grammar reads ``300万盏``
UNKNOWN_UNIT = "\ue000"

# --- the grammar ------------------------------------------------------------------------------------

_lock = threading.Lock()
_parser: lark.Lark | None = None

_EXCLUDED_UNITS = frozenset({"年", "月", "日", "percent", "permille"})


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered).replace("/", "\\/")


def grammar_source() -> str:
    """The grammar text with the UNIT and GRADE terminals filled in from the catalog."""
    names = [n for n in units.unit_names() if n not in _EXCLUDED_UNITS] + [UNKNOWN_UNIT]
    mults = _alternation(units.multipliers())
    unit_re = f"(?:(?:{mults})?(?:{_alternation(names)}))"
    grade_re = f"(?:{_alternation(grade_words())})"
    return (
        resources.grammar_text("target.lark")
        .replace("/__UNITS__/", f"/{unit_re}/")
        .replace("/__GRADES__/", f"/{grade_re}/")
    )


class _Lark(lark.Lark):
    """Lark without the build-time regex-collision report (through interegular).

    The report takes many seconds on the UNIT terminal built from the unit catalog and only logs; the
    grammar's overlaps are settled by terminal priority and covered by the tests. It is switched off on
    this instance's lexer configuration, never through a module-global flag of lark, so another thread
    building another parser at the same moment is not affected."""

    def _build_parser(self) -> Any:
        self.lexer_conf.skip_validation = True
        return super()._build_parser()


def parser() -> lark.Lark:
    """The target parser (LALR, contextual lexer), built once per process (thread-safe)."""
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                source = grammar_source()
                _parser = _Lark(
                    source,
                    cache=resources.grammar_cache("target", source),  # Lark's analysis kept between runs
                    parser="lalr",
                    lexer="contextual",
                    start=["start_target", "start_actual"],
                    propagate_positions=False,
                    maybe_placeholders=False,
                )
    return _parser


# --- intermediate values of the transformer ---------------------------------------------------------


@dataclass(frozen=True)
class _Op:
    cmp: Comparator


@dataclass(frozen=True)
class _Suffix:
    cmp: Comparator


@dataclass(frozen=True)
class _Unit:
    text: str


@dataclass(frozen=True)
class Amount:
    value: Decimal
    unit: str | None


@dataclass(frozen=True)
class _Minus:
    """A minus sign before the number of a bound (``-0.2``, ``≥-5%``)."""


@dataclass(frozen=True)
class _Change:
    sign: int


@dataclass(frozen=True)
class _Inclusive:
    """``(含)`` or ``(含95%)`` after a bound: the bound itself counts."""

    amount: Amount | None


class Invalid(Exception):
    """A well-formed text with an impossible value (month 13, a range whose lower end is higher)."""

    def __init__(self, detail: str, code: str = "IND216", hint: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.hint = hint


_UNIT_ALIASES = {"百分比": "%", "％": "%", "千分比": "‰", "个百分点": "百分点",
                 "人·次": "人次", "户·次": "户次", "家·次": "家次"}


def unit_text(text: str) -> str:
    return _UNIT_ALIASES.get(text, text)


def _number(token: Any) -> Decimal:
    text = str(token).replace(",", "")
    digits = sum(1 for ch in text if "0" <= ch <= "9")
    if digits > DEFAULT_LIMITS.max_number_digits:  # the engine's 48 digits could not compute with it
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        raise Invalid(f"数值“{shown}”有 {digits} 位数字，上限为 {DEFAULT_LIMITS.max_number_digits}"
                      "（Limits.max_number_digits）")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the NUMBER terminal admits only digits
        raise Invalid(f"数值“{token}”无法识别") from exc


def _calendar_number(value: Any, what: str, low: int, high: int, detail: str) -> int:
    """A year, month or day: a whole number from ``low`` to ``high`` (``detail`` says what is wrong)."""
    text = str(value)
    if not text.isdigit():
        raise Invalid(f"{what}“{text}”应为整数")
    number = int(text)
    if not low <= number <= high:
        raise Invalid(f"{what}“{number}”{detail}")
    return number


def _month(value: Any) -> int:
    return _calendar_number(value, "月份", 1, 12, "不在1-12之间")


def _day(value: Any) -> int:
    return _calendar_number(value, "日期", 1, 31, "不在1-31之间")


def _year(value: Any) -> int:
    return _calendar_number(value, "年份", 1900, 2199, "不合理")


def _date_point(year: int | None, month: int | None, day: int | None) -> DatePoint:
    """A calendar point whose day exists in its month (2月29日 without a year is allowed)."""
    if month is not None and day is not None:
        last = calendar.monthrange(2000 if year is None else year, month)[1]
        if day > last:
            when = f"{year}年{month}月" if year is not None else f"{month}月"
            raise Invalid(f"{when}没有{day}日", hint=f"{when}最后一天是{last}日，如“{when}{last}日前”")
    return DatePoint(year=year, month=month, day=day)


_BASIS = {
    "较上年度": "上年", "较上一年度": "上年", "较上一年": "上年",
    "较上年": "上年", "比上年": "上年", "较去年": "上年",
    "比去年": "上年", "同比": "上年同期", "较上年同期": "上年同期",
    "较基期": "基期", "较上期": "上期", "环比": "上期",
    "比上年同期": "上年同期", "较去年同期": "上年同期", "比去年同期": "上年同期",
}
_BASIS_NOUN = {
    "上年水平": "上年", "上年同期": "上年同期", "去年同期": "上年同期", "上一年度": "上年",
    "上年度": "上年", "上年": "上年", "去年": "上年",
    "基期水平": "基期", "基期": "基期", "往年水平": "往年", "往年": "往年",
}


class _Build(lark.Transformer[Any, Any]):
    """The tree → intermediate values (stateless: one instance serves every thread)."""

    # operators and suffixes
    def op_ge(self, _: list[Any]) -> _Op:
        return _Op("ge")

    def op_gt(self, _: list[Any]) -> _Op:
        return _Op("gt")

    def op_le(self, _: list[Any]) -> _Op:
        return _Op("le")

    def op_lt(self, _: list[Any]) -> _Op:
        return _Op("lt")

    def op_eq(self, _: list[Any]) -> _Op:
        return _Op("eq")

    def suffix_ge(self, _: list[Any]) -> _Suffix:
        return _Suffix("ge")

    def suffix_le(self, _: list[Any]) -> _Suffix:
        return _Suffix("le")

    def up(self, _: list[Any]) -> _Change:
        return _Change(1)

    def down(self, _: list[Any]) -> _Change:
        return _Change(-1)

    # units and amounts
    def per_atom(self, c: list[Any]) -> str:
        return str(c[0])

    def unit(self, c: list[Any]) -> _Unit:
        text, seen_slash = "", False
        for item in c:
            s = str(item)
            if isinstance(item, lark.Token) and item.type == "PER_JOIN":
                continue
            if isinstance(item, str) and not isinstance(item, lark.Token):  # a per_atom
                text += ("·" if seen_slash else "/") + s
                seen_slash = True
            else:
                text += ("·" if text else "") + unit_text(s)
        head, slash, per = text.partition("/")
        return _Unit(unit_text(head) + slash + per)  # 人·次 is 人次

    def amount(self, c: list[Any]) -> Amount:
        unit = c[1].text if len(c) > 1 else None
        return Amount(_number(c[0]), unit)

    def inclusive(self, c: list[Any]) -> _Inclusive:
        return _Inclusive(self.amount(c) if c else None)

    # numeric targets
    def minus(self, c: list[Any]) -> _Minus:
        if str(c[0]) != "-":
            raise Invalid(f"数值前的“{c[0]}”无法识别")
        return _Minus()

    def bounded(self, c: list[Any]) -> dict[str, Any]:
        op = next((x.cmp for x in c if isinstance(x, _Op)), None)
        suffix = next((x.cmp for x in c if isinstance(x, _Suffix)), None)
        amount = next(x for x in c if isinstance(x, Amount))
        if any(isinstance(x, _Minus) for x in c):
            amount = Amount(-amount.value, amount.unit)
        for inc in (x for x in c if isinstance(x, _Inclusive) and x.amount is not None):
            assert inc.amount is not None
            if inc.amount.value != amount.value or (inc.amount.unit or amount.unit) != amount.unit:
                shown = units.format_quantity(inc.amount.value, inc.amount.unit)
                bound = units.format_quantity(amount.value, amount.unit)
                raise Invalid(f"括号中的“含{shown}”与指标值{bound}不一致",
                               hint="括号中写指标值本身，如“95%以上(含95%)”")
        approximate = any(isinstance(x, lark.Token) and x.type.startswith("APPROX_") for x in c)
        return {"kind": "bounded", "op": op, "suffix": suffix, "value": amount.value, "unit": amount.unit,
                "approximate": approximate}

    def per_bounded(self, c: list[Any]) -> dict[str, Any]:
        per = str(c[0])
        op = next((x.cmp for x in c if isinstance(x, _Op)), None)
        suffix = next((x.cmp for x in c if isinstance(x, _Suffix)), None)
        number = next(x for x in c[1:] if isinstance(x, lark.Token) and x.type == "NUMBER")
        unit = next((x.text for x in c if isinstance(x, _Unit)), None)
        return {"kind": "bounded", "op": op, "suffix": suffix, "value": _number(number),
                "unit": unit, "per": per}

    def range(self, c: list[Any]) -> dict[str, Any]:
        numbers: list[Decimal] = []
        unit_by_number: list[str | None] = []
        for item in c:
            if isinstance(item, lark.Token) and item.type == "NUMBER":
                numbers.append(_number(item))
                unit_by_number.append(None)
            elif isinstance(item, _Unit):
                unit_by_number[-1] = item.text
        return {"kind": "range", "values": numbers, "units": unit_by_number}

    def range_ops(self, c: list[Any]) -> dict[str, Any]:
        (first, low), (second, high) = (c[0].cmp, c[1]), (c[2].cmp, c[3])
        if (first, second) == ("le", "ge"):  # 不高于100%且不低于90%
            (first, low), (second, high) = (second, high), (first, low)
        if (first, second) != ("ge", "le"):
            raise Invalid("两个比较词应一个是下限（≥、不低于）、一个是上限（≤、不高于）",
                           hint="区间写成“90%-100%”或“≥90%且≤100%”，两端都包含在内")
        return {"kind": "range", "values": [low.value, high.value], "units": [low.unit, high.unit]}

    # relative targets
    def rel_amount(self, c: list[Any]) -> dict[str, Any]:
        unit = next((x.text for x in c if isinstance(x, _Unit)), None)
        suffix = next((x.cmp for x in c if isinstance(x, _Suffix)), None)
        approximate = any(isinstance(x, lark.Token) and x.type == "APPROX_AFTER" for x in c)
        return {"value": _number(c[0]), "unit": unit, "suffix": suffix, "approximate": approximate}

    def relative(self, c: list[Any]) -> dict[str, Any]:
        basis = _BASIS[str(c[0])]
        sign = c[1].sign
        amount = c[2] if len(c) > 2 else None
        if amount is None:
            cmp: Comparator = "gt" if sign > 0 else "lt"
        else:
            cmp = "ge" if sign > 0 else "le"
        return {"kind": "relative", "basis": basis, "sign": sign, "cmp": cmp, "amount": amount}

    def relative_not_lower(self, c: list[Any]) -> dict[str, Any]:
        basis = _BASIS_NOUN[str(c[1])]
        return {"kind": "relative", "basis": basis, "sign": 1, "cmp": "ge", "amount": None}

    def relative_not_higher(self, c: list[Any]) -> dict[str, Any]:
        basis = _BASIS_NOUN[str(c[1])]
        return {"kind": "relative", "basis": basis, "sign": -1, "cmp": "le", "amount": None}

    def relative_yearly(self, c: list[Any]) -> dict[str, Any]:
        sign = c[0].sign
        return {"kind": "relative", "basis": "上年", "sign": sign, "cmp": "gt" if sign > 0 else "lt",
                "amount": None, "yearly": True}

    def relative_maintain(self, _: list[Any]) -> dict[str, Any]:
        return {"kind": "relative", "basis": "上年", "sign": 1, "cmp": "ge", "amount": None}

    # dates
    def date(self, c: list[Any]) -> DatePoint:
        tokens = [t for t in c if isinstance(t, lark.Token)]
        if tokens[0].type == "DATE_FULL":  # 2025-06-30, 2025/6/30, 2025.6.30
            year_text, month_text, day_text = re.findall(r"[0-9]+", str(tokens[0]))
            return _date_point(_year(year_text), _month(month_text), _day(day_text))
        year = month = day = None
        i = 0
        while i < len(tokens):
            number, word = tokens[i], tokens[i + 1].type
            if word == "YEAR_WORD":
                year = _year(number)
            elif word == "MONTH_WORD":
                month = _month(number)
            else:
                day = _day(number)
            i += 2
        return _date_point(year, month, day)

    def year_only(self, c: list[Any]) -> DatePoint:
        return DatePoint(year=_year(c[0]))

    def deadline(self, c: list[Any]) -> dict[str, Any]:
        mark = str(c[1])
        return {"kind": "deadline", "date": c[0], "end_of": mark.startswith(("底", "末"))}

    def deadline_year_end(self, _: list[Any]) -> dict[str, Any]:
        return {"kind": "deadline", "date": DatePoint(month=12), "end_of": True}

    def deadline_month_dot(self, c: list[Any]) -> dict[str, Any]:
        year_text, month_text = re.findall(r"[0-9]+", str(c[0]))
        date = DatePoint(year=_year(year_text), month=_month(month_text))
        return self.deadline([date, *c[1:]])

    def deadline_done(self, c: list[Any]) -> dict[str, Any]:
        # 2025年6月30日完成, 12月完成: done by the end of the day or month written
        return {"kind": "deadline", "date": c[0], "end_of": True}

    def period_single(self, c: list[Any]) -> dict[str, Any]:
        date: DatePoint = c[0]
        if date.day is not None:  # 2025年6月30日, 2025-06-30: done on or before that day
            return {"kind": "deadline", "date": date, "end_of": True}
        return {"kind": "period", "start": date, "end": date}

    def period_dates(self, c: list[Any]) -> dict[str, Any]:
        start, end = c[0], c[2]
        if start.year is not None and end.year is None and end.month is not None:
            # 2024年3月至10月: the end is in the start's year (2024年11月至2月: in the next one)
            later = end.month < (start.month or 1)
            end = _date_point(start.year + later, end.month, end.day)
        return {"kind": "period", "start": start, "end": end}

    def period_months(self, c: list[Any]) -> dict[str, Any]:
        start, end = DatePoint(month=_month(c[0])), DatePoint(month=_month(c[2]))
        return {"kind": "period", "start": start, "end": end}

    def period_dot(self, c: list[Any]) -> dict[str, Any]:
        parts = re.findall(r"[0-9]+", str(c[0]))
        start = DatePoint(year=_year(parts[0]), month=_month(parts[1]))
        end = DatePoint(year=_year(parts[2]), month=_month(parts[3]))
        return {"kind": "period", "start": start, "end": end}

    def period_year(self, c: list[Any]) -> dict[str, Any]:
        first = c[0]
        if isinstance(first, lark.Token) and first.type == "NUMBER":  # 2024年度
            year: int | None = _year(first)
        else:
            year = first.year if isinstance(first, DatePoint) else None
        start, end = DatePoint(year=year, month=1), DatePoint(year=year, month=12)
        return {"kind": "period", "start": start, "end": end}

    # grades
    def grade_target(self, c: list[Any]) -> dict[str, Any]:
        word = next(str(t) for t in c if isinstance(t, lark.Token) and t.type == "GRADE")
        or_better = any(isinstance(x, (_Op, _Suffix)) for x in c)
        return {"kind": "grade", "word": word, "or_better": or_better}

    # actual values
    def actual_date(self, c: list[Any]) -> dict[str, Any]:
        return {"kind": "date", "date": c[0]}

    def actual_date_dot(self, c: list[Any]) -> dict[str, Any]:
        parts = re.findall(r"[0-9]+", str(c[0]))
        day = _day(parts[2]) if len(parts) > 2 else None
        return {"kind": "date", "date": _date_point(_year(parts[0]), _month(parts[1]), day)}

    def negative_amount(self, c: list[Any]) -> Amount:
        if str(c[0]) != "-":
            raise Invalid(f"数值前的“{c[0]}”无法识别")
        return Amount(-c[1].value, c[1].unit)

    def actual_grade(self, c: list[Any]) -> dict[str, Any]:
        return {"kind": "grade", "word": str(c[0])}

    def start_target(self, c: list[Any]) -> Any:
        return c[0]

    def start_actual(self, c: list[Any]) -> Any:
        return c[0]



_TRANSFORMER = _Build()


def run(norm: str, start: str) -> Any:
    """Parse ``norm`` from ``start`` (``start_target``/``start_actual``) and transform the tree.

    Raises lark's ``UnexpectedInput`` for text the grammar does not read and :class:`Invalid` for a
    well-formed text with an impossible value."""
    tree = parser().parse(norm, start=start)
    try:
        return _TRANSFORMER.transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, Invalid):
            raise exc.orig_exc from None
        raise
