"""Parsing of targets (指标值) and actual values (实际完成值).

The structured part of the language (numbers, units, comparators, ranges, relative targets, dates)
is ``grammar/target.lark``, an LALR grammar built once per process. Word-only targets (是, 及时报送,
优, 有效提升) and word-only actual values (达成, 按时, 优秀) are recognised by the vocabulary below
and by the grade scales of ``catalog/grades.yaml``. See ``docs/target-language.md``.
"""

from __future__ import annotations

import calendar
import difflib
import re
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from indicators import resources, units
from indicators.codes import diagnostic
from indicators.diagnostics import Severity, Span
from indicators.errors import TargetSyntaxError, UnitError, ValueSyntaxError
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.target.grades import grade_words, resolve_grade
from indicators.target.model import (
    Actual,
    ActualKind,
    Comparator,
    DatePoint,
    Deadline,
    Direction,
    GradeExpectation,
    Period,
    RelativeExpectation,
    Target,
    TargetKind,
    Tier,
)
from indicators.target.normalize import Normalized, normalize
from indicators.text import normalize_name

# --- vocabulary ------------------------------------------------------------------------------------

#: boolean targets
BOOLEAN_TARGETS: dict[str, bool] = {"是": True, "否": False, "是否": True}
#: targets that expect nothing to happen (无 事故, 零 投诉)
NOTHING_WORDS = frozenset({"无", "零", "为零", "0发生", "无发生", "杜绝", "零发生", "没有"})
#: ... and the same said of an incident: 零事故, 无重大安全事故, 不发生重大事故, 杜绝安全事故
_NOTHING_PREFIXES = ("零", "无", "杜绝", "不发生", "未发生", "没有")
_INCIDENTS = (
    "事故", "投诉", "事件", "伤亡", "案件", "违规", "违纪", "差错", "失误", "隐患", "火灾", "死亡", "上访",
    "纠纷", "发生",
)

#: a vague trend, flagged not measurable (有效提升, 逐步改善)
_VAGUE_MODIFIERS = (
    "有效", "逐步", "进一步", "明显", "显著", "持续", "不断", "稳步", "大幅", "切实", "全面", "较大", "大力",
    "积极", "努力", "普遍", "较好",
)
_VAGUE_TRENDS = (
    "提升", "改善", "提高", "增强", "加强", "优化", "好转", "改进", "增加", "推进", "促进", "完善",
)
_VAGUE_WORDS = frozenset({"效果明显", "成效明显", "效果显著", "成效显著", "有所提高", "有所提升", "有所改善",
                          "良性运行", "美化环境", "逐年改善"})

#: actual-value words meaning yes (the state was reached, on time)
TRUE_ACTUALS = frozenset({
    "是", "有", "按时", "及时", "按时完成", "及时完成",
    "已完成", "完成", "全部完成", "已按时完成", "符合", "已公开",
    "已实现", "实现", "通过", "已通过", "按规定公开", "已按规定公开",
    "正常", "达到", "已达到", "满足", "已落实", "落实",
})
#: actual-value words meaning no
FALSE_ACTUALS = frozenset({
    "否", "未完成", "未按时", "未按时完成", "不及时", "逾期",
    "延期", "不符合", "未公开", "未实现", "未通过", "未落实",
    "不满足", "未达到",
})
_TIER_PREFIXES: tuple[tuple[str, Tier], ...] = (
    ("部分达成", Tier.PARTIAL),
    ("基本达成", Tier.PARTIAL),
    ("未达成", Tier.NOT_ACHIEVED),
    ("未能达成", Tier.NOT_ACHIEVED),
    ("没有达成", Tier.NOT_ACHIEVED),
    ("全部达成", Tier.ACHIEVED),
    ("已达成", Tier.ACHIEVED),
    ("达成", Tier.ACHIEVED),
)

#: one example per idiom; the hint of a syntax error quotes the closest one
EXAMPLES = (
    "≥95%", "95%以上", "不低于95%", "≤5%", "5%以内", "控制在100万元以内", "=100%", "90%-100%", "100人次以上",
    "4个以上", "1,152.50万元", "≥530元/人·月", "1600元/亩", "每亩300", "1次/月", "每月1次", "30个工作日内",
    "≤48小时", "9月前", "12月底前完成", "2025年10月底前", "2021年1月-12月", "2023.07-2024.01", "1-12月",
    "良以上", "优秀", "合格及以上", "是",
    "及时", "较上年提高5个百分点", "同比增长5%", "不低于上年", "保持/提升",
)

_OP_WORDS = (
    "≥", "≤", ">", "<", "=", "不低于", "不少于", "不小于",
    "至少", "最少", "达到", "达", "大于", "高于", "超过", "多于",
    "不超过", "不高于", "不多于", "不大于", "不超出", "控制在",
    "小于", "低于", "少于", "等于", "最多", "至多",
)
_SUFFIX_WORDS = ("以上", "及以上", "以内", "以下", "及以下", "之内", "内")
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff“”‘’\"'()、/·]+$")
_DIGIT = re.compile(r"[0-9]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: a bare number that reads as a year and a month (2025.6, 2025.06): kept a number, flagged IND217
_YEAR_MONTH_TEXT = re.compile(r"((?:19|20)[0-9]{2})\.(0?[1-9]|1[0-2])")


# --- the grammar ------------------------------------------------------------------------------------

_lock = threading.Lock()
_parser: lark.Lark | None = None

_EXCLUDED_UNITS = frozenset({"年", "月", "日", "percent", "permille"})


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered).replace("/", "\\/")


def grammar_source() -> str:
    """The grammar text with the UNIT and GRADE terminals filled in from the catalog."""
    names = [n for n in units.unit_names() if n not in _EXCLUDED_UNITS]
    mults = _alternation(units.MULTIPLIERS)
    unit_re = f"(?:(?:{mults})?(?:{_alternation(names)}))"
    grade_re = f"(?:{_alternation(grade_words())})"
    return (
        resources.grammar_text("target.lark")
        .replace("/__UNITS__/", f"/{unit_re}/")
        .replace("/__GRADES__/", f"/{grade_re}/")
    )


def parser() -> lark.Lark:
    """The target parser (LALR, contextual lexer), built once per process."""
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                import lark.lexer

                # The optional regex-collision report of lark (through interegular) takes many seconds
                # on the UNIT terminal built from the unit catalog and only logs; the grammar's overlaps
                # are settled by terminal priority and covered by the tests. It is skipped here.
                saved = lark.lexer.has_interegular
                lark.lexer.has_interegular = False
                try:
                    _parser = lark.Lark(
                        grammar_source(),
                        parser="lalr",
                        lexer="contextual",
                        start=["start_target", "start_actual"],
                        propagate_positions=False,
                        maybe_placeholders=False,
                    )
                finally:
                    lark.lexer.has_interegular = saved
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
class _Amount:
    value: Decimal
    unit: str | None


@dataclass(frozen=True)
class _Change:
    sign: int


@dataclass(frozen=True)
class _Inclusive:
    """``(含)`` or ``(含95%)`` after a bound: the bound itself counts."""

    amount: _Amount | None


class _Invalid(Exception):
    """A well-formed text with an impossible value (month 13, a range whose lower end is higher)."""

    def __init__(self, detail: str, code: str = "IND216", hint: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.hint = hint


_UNIT_ALIASES = {"百分比": "%", "％": "%", "千分比": "‰", "个百分点": "百分点",
                 "人·次": "人次", "户·次": "户次", "家·次": "家次"}


def _unit_text(text: str) -> str:
    return _UNIT_ALIASES.get(text, text)


def _number(token: Any) -> Decimal:
    try:
        return Decimal(str(token).replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the NUMBER terminal admits only digits
        raise _Invalid(f"数值“{token}”无法识别") from exc


def _calendar_number(value: Any, what: str, low: int, high: int, detail: str) -> int:
    """A year, month or day: a whole number from ``low`` to ``high`` (``detail`` says what is wrong)."""
    text = str(value)
    if not text.isdigit():
        raise _Invalid(f"{what}“{text}”应为整数")
    number = int(text)
    if not low <= number <= high:
        raise _Invalid(f"{what}“{number}”{detail}")
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
            raise _Invalid(f"{when}没有{day}日", hint=f"{when}最后一天是{last}日，如“{when}{last}日前”")
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


def _build_transformer() -> Any:
    class Build(lark.Transformer[Any, Any]):
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
                if isinstance(item, str) and not isinstance(item, lark.Token):  # a per_atom
                    text += ("·" if seen_slash else "/") + s
                    seen_slash = True
                else:
                    text += ("·" if text else "") + _unit_text(s)
            head, slash, per = text.partition("/")
            return _Unit(_unit_text(head) + slash + per)  # 人·次 is 人次

        def amount(self, c: list[Any]) -> _Amount:
            unit = c[1].text if len(c) > 1 else None
            return _Amount(_number(c[0]), unit)

        def inclusive(self, c: list[Any]) -> _Inclusive:
            return _Inclusive(self.amount(c) if c else None)

        # numeric targets
        def bounded(self, c: list[Any]) -> dict[str, Any]:
            op = next((x.cmp for x in c if isinstance(x, _Op)), None)
            suffix = next((x.cmp for x in c if isinstance(x, _Suffix)), None)
            amount = next(x for x in c if isinstance(x, _Amount))
            for inc in (x for x in c if isinstance(x, _Inclusive) and x.amount is not None):
                assert inc.amount is not None
                if inc.amount.value != amount.value or (inc.amount.unit or amount.unit) != amount.unit:
                    shown = units.format_quantity(inc.amount.value, inc.amount.unit)
                    bound = units.format_quantity(amount.value, amount.unit)
                    raise _Invalid(f"括号中的“含{shown}”与指标值{bound}不一致",
                                   hint="括号中写指标值本身，如“95%以上(含95%)”")
            return {"kind": "bounded", "op": op, "suffix": suffix, "value": amount.value, "unit": amount.unit}

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
                raise _Invalid("两个比较词应一个是下限（≥、不低于）、一个是上限（≤、不高于）",
                               hint="区间写成“90%-100%”或“≥90%且≤100%”，两端都包含在内")
            return {"kind": "range", "values": [low.value, high.value], "units": [low.unit, high.unit]}

        # relative targets
        def rel_amount(self, c: list[Any]) -> dict[str, Any]:
            unit = next((x.text for x in c if isinstance(x, _Unit)), None)
            suffix = next((x.cmp for x in c if isinstance(x, _Suffix)), None)
            return {"value": _number(c[0]), "unit": unit, "suffix": suffix}

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
            return {"kind": "period", "start": c[0], "end": c[2]}

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

        def negative_amount(self, c: list[Any]) -> _Amount:
            if str(c[0]) != "-":
                raise _Invalid(f"数值前的“{c[0]}”无法识别")
            return _Amount(-c[1].value, c[1].unit)

        def actual_grade(self, c: list[Any]) -> dict[str, Any]:
            return {"kind": "grade", "word": str(c[0])}

        def start_target(self, c: list[Any]) -> Any:
            return c[0]

        def start_actual(self, c: list[Any]) -> Any:
            return c[0]

    return Build()


_transformer: Any = None


def _run(norm: str, start: str) -> Any:
    global _transformer
    if _transformer is None:
        _transformer = _build_transformer()
    tree = parser().parse(norm, start=start)
    try:
        return _transformer.transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, _Invalid):
            raise exc.orig_exc from None
        raise


# --- targets ----------------------------------------------------------------------------------------


def parse_target(
    text: str,
    *,
    unit: str | None = None,
    level1: str | None = None,
    level2: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Target:
    """Parse a target (指标值); raises TargetSyntaxError with a position and a hint.

    ``unit`` is the unit from a separate 计量单位 column (or implied by the indicator); it applies to a
    number written without one. ``level1`` (产出/效益/满意度/成本指标) and ``level2`` (数量/质量/成本指标 …)
    choose the comparator of a bare number: ≤ for 成本 rows (either level names 成本, as forms that keep
    成本指标 under 产出 do), ≥ for every other row.
    """
    if len(text) > limits.max_text_length:
        raise TargetSyntaxError(diagnostic("IND001", length=len(text), limit=limits.max_text_length))
    norm = normalize(text)
    if not norm.text:
        raise TargetSyntaxError(diagnostic("IND203", text=text, span=Span.of(text, 0, len(text))))
    caller_unit = _caller_unit(unit, norm)
    _repair_ocr(norm)
    words = _word_target(norm)
    if words is not None:
        return words
    try:
        data = _run(norm.text, "start_target")
        subject = None
        body = norm
    except _Invalid as exc:
        raise _invalid_error(norm, exc, 0) from None
    except UnexpectedInput as exc:
        found = _try_subject(norm)
        if found is None:
            word_only = _fallback_words(norm)
            if word_only is not None:
                return word_only
            raise _syntax_error(norm, exc) from None
        subject, body, data = found
    return _build_target(text, norm, body, data, subject, caller_unit, _is_cost_row(level1, level2))


#: what forms write in the 计量单位 column of a row that has no unit
NO_UNIT_WORDS = frozenset({"/", "-", "无", "—", "定性", "是/否", "是否", "等级", "不适用"})


def _caller_unit(unit: str | None, norm: Normalized) -> str | None:
    """The unit of the 计量单位 column; an unknown one is ignored with an IND301 warning."""
    if unit is None:
        return None
    text = _unit_text(normalize(unit).text)
    if not text or text in NO_UNIT_WORDS:
        return None
    if not units.is_unit(text):
        norm.warnings.append(
            diagnostic("IND301", text=unit, severity=Severity.WARNING,
                       hint="计量单位栏的单位无法识别，已忽略；单位表见 docs/units.md")
        )
        return None
    return text


def _repair_ocr(norm: Normalized) -> None:
    """``W92%`` (≤ read as W) → ``≤92%``; a warning records the repair."""
    if len(norm.text) > 1 and norm.text[0] in "Ww" and norm.text[1].isdigit():
        fixed = "≤" + norm.text[1:]
        norm.warnings.append(diagnostic("IND206", span=norm.span(0, 1), text=norm.original, fixed=fixed))
        norm.text = fixed


def _says_nothing(text: str) -> bool:
    """True for the words of a target or actual that mean nothing happened (无, 零事故, 未发生)."""
    return text in NOTHING_WORDS or (text.startswith(_NOTHING_PREFIXES) and text.endswith(_INCIDENTS))


def _word_target(norm: Normalized) -> Target | None:
    """Targets that are one word of the vocabulary: 是/否 and 无/零."""
    t = norm.text
    span = norm.span(0, len(t))
    base = {"text": norm.original, "span": span, "warnings": tuple(norm.warnings)}
    if t in BOOLEAN_TARGETS:
        return Target(kind=TargetKind.BOOLEAN, expected=BOOLEAN_TARGETS[t], direction=Direction.EXACT, **base)
    if _says_nothing(t):
        state = "无" if t in NOTHING_WORDS else t
        return Target(kind=TargetKind.STATE, state=state, direction=Direction.LOWER, **base)
    return None


def _is_vague(t: str) -> bool:
    if t in _VAGUE_WORDS:
        return True
    if any(t.startswith(m) or m in t for m in _VAGUE_MODIFIERS) and any(w in t for w in _VAGUE_TRENDS):
        return True
    return t.endswith(("明显", "显著"))


def _fallback_words(norm: Normalized) -> Target | None:
    """A state (及时报送, 按规定公开) or a vague trend (有效提升): words only, no number."""
    t = norm.text
    if _DIGIT.search(t) or not _CJK.match(t):
        return None
    if t in _OP_WORDS or t in _SUFFIX_WORDS or units.is_unit(t) or all(ch in "“”‘’\"'()、/·" for ch in t):
        return None
    span = norm.span(0, len(t))
    warnings = list(norm.warnings)
    if _is_vague(t):
        warnings.append(diagnostic("IND204", span=span, text=norm.original))
        return Target(text=norm.original, kind=TargetKind.VAGUE, measurable=False, state=t, span=span,
                      warnings=tuple(warnings))
    return Target(text=norm.original, kind=TargetKind.STATE, state=t, direction=Direction.NONE, span=span,
                  warnings=tuple(warnings))


# "A": a letter grade after its subject (国家AAAA级旅游景区)
_SUBJECT_STARTS = tuple(sorted(set(_OP_WORDS) | {"每", "较", "比", "同比", "环比", "逐年", "保持", "A"},
                               key=len, reverse=True))


def _try_subject(norm: Normalized) -> tuple[str | None, Normalized, Any] | None:
    """``辖区企业满意率达95%以上``: words before the target proper are kept as its subject; a target in
    parentheses (``(≥95%)``, ``安全生产事故下降率(≥10%)``) is read inside them."""
    t = norm.text
    for i in range(min(len(t), 60)):
        if i > 0 and not ("\u3400" <= t[i - 1] <= "\u9fff" or t[i - 1] in "“”\"()"):
            return None
        rest, start = t[i:], i
        if rest.startswith("(") and rest.endswith(")"):  # (≥95%), 安全生产事故下降率(≥10%)
            rest, start = rest[1:-1], i + 1
        elif i == 0:
            continue
        if not rest or not (rest[0].isdigit() or rest.startswith(_SUBJECT_STARTS)):
            continue
        try:
            data = _run(rest, "start_target")
        except (_Invalid, UnexpectedInput):
            continue
        body = norm.sliced(start)
        body.text, body.origin = rest, body.origin[: len(rest)]
        return t[:i] or None, body, data
    return None


def _syntax_error(norm: Normalized, exc: Exception) -> TargetSyntaxError:
    t = norm.text
    pos = _error_pos(t, exc, end=len(t))
    example = _closest_example(t)
    if not _DIGIT.search(t) and (units.is_unit(t) or t in _OP_WORDS or t in _SUFFIX_WORDS):
        what = "只有计量单位" if units.is_unit(t) else "只有比较词"
        with_number = next((e for e in EXAMPLES if t in e and _DIGIT.search(e)), "≥95%")
        hint = f"在单位前写上数值，如“100{t}”" if units.is_unit(t) else f"写上数值与单位，如“{with_number}”"
        return TargetSyntaxError(
            diagnostic("IND202", span=norm.span(0, len(t)), text=norm.original, detail=f"{what}，缺少数值",
                       hint=hint)
        )
    if pos >= len(t):
        return TargetSyntaxError(
            diagnostic("IND202", span=norm.span(len(t)), text=norm.original, detail="结尾处缺少数值或单位",
                       hint=f"常见写法如“{example}”")
        )
    expected = _expected(exc)
    return TargetSyntaxError(
        diagnostic("IND201", span=norm.span(pos, len(t)), text=norm.original,
                   hint=f"第{norm.span(pos).column}个字符处{expected}；最接近的写法如“{example}”")
    )


def _expected(exc: Exception) -> str:
    names: set[str] = set(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    if names and names <= {"NUMBER"}:
        return "应为数值"
    if "NUMBER" in names:
        return "应为数值或比较词"
    if names & {"UNIT", "GRADE"}:
        return "应为计量单位或“以上”“以内”等"
    return "无法识别"


def _closest_example(text: str) -> str:
    """The idiom of :data:`EXAMPLES` closest to ``text``."""
    closest = difflib.get_close_matches(text, EXAMPLES, n=1, cutoff=0.0)
    return closest[0] if closest else EXAMPLES[0]


def _invalid_error(norm: Normalized, exc: _Invalid, offset: int) -> TargetSyntaxError:
    hint = exc.hint or f"常见写法如“{_closest_example(norm.text)}”"
    return TargetSyntaxError(
        diagnostic(exc.code, span=norm.span(offset, len(norm.text)), text=norm.original, detail=exc.detail,
                   hint=hint)
    )


def _is_cost_row(*levels: str | None) -> bool:
    """A 成本 row: its level-1 or level-2 name says 成本 (costs are ceilings)."""
    return any(level and "成本" in normalize_name(level) for level in levels)


_DIRECTION: dict[str, Direction] = {
    "ge": Direction.HIGHER, "gt": Direction.HIGHER, "le": Direction.LOWER, "lt": Direction.LOWER,
    "eq": Direction.EXACT, "between": Direction.RANGE,
}


def _with_caller_unit(text_unit: str | None, caller: str | None) -> tuple[str | None, str | None]:
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
    if head in units.MULTIPLIERS:
        whole = caller if caller.startswith(head) else head + caller
        return whole + slash + per, "text"
    return text_unit, "text"


def _build_target(
    text: str,
    norm: Normalized,
    body: Normalized,
    data: dict[str, Any],
    subject: str | None,
    caller_unit: str | None,
    cost_row: bool,
) -> Target:
    warnings = list(norm.warnings)
    span = body.span(0, len(body.text))
    common: dict[str, Any] = {"text": text, "span": span, "subject": subject}
    try:
        kind = data["kind"]
        if kind == "bounded":
            return _bounded(common, body, data, caller_unit, cost_row, warnings)
        if kind == "range":
            return _range(common, body, data, caller_unit, warnings)
        if kind == "relative":
            return _relative(common, data, warnings)
        if kind == "deadline":
            deadline = Deadline(date=data["date"], end_of=data["end_of"])
            return Target(kind=TargetKind.DEADLINE, deadline=deadline, direction=Direction.LOWER,
                          warnings=tuple(warnings), **common)
        if kind == "period":
            period = Period(start=data["start"], end=data["end"])
            return Target(kind=TargetKind.PERIOD, period=period, direction=Direction.RANGE,
                          warnings=tuple(warnings), **common)
        # grade
        resolved = resolve_grade(data["word"])
        assert resolved is not None  # the GRADE terminal holds only words of the scales
        scale, level = resolved
        word = data["word"]
        # 优良: 优 or 良 (a word made of levels that is not itself a level, unlike AAAA)
        several = len(word) > 1 and word not in scale.levels and all(ch in scale.levels for ch in word)
        grade = GradeExpectation(scale=scale.name, level=level, or_better=data["or_better"] or several)
        return Target(kind=TargetKind.GRADE, grade=grade, direction=Direction.HIGHER,
                      warnings=tuple(warnings), **common)
    except _Invalid as exc:
        raise _invalid_error(body, exc, 0) from None


def _bounded(
    common: dict[str, Any],
    body: Normalized,
    data: dict[str, Any],
    caller_unit: str | None,
    cost_row: bool,
    warnings: list[Any],
) -> Target:
    op, suffix = data["op"], data["suffix"]
    if op and suffix and _DIRECTION[op] != _DIRECTION[suffix]:
        raise TargetSyntaxError(diagnostic("IND209", span=common["span"], text=common["text"]))
    cmp: Comparator | None = op or suffix
    default = cmp is None
    text_unit = data["unit"]
    per = data.get("per")
    if per is not None:
        text_unit = f"{text_unit or caller_unit or ''}/{per}"
    unit, source = _with_caller_unit(text_unit, None if per is not None else caller_unit)
    if per is not None and text_unit and not data["unit"] and caller_unit:
        source = "caller"
    _check_unit(unit, body)
    if source != "caller" and caller_unit and unit and not units.same_dimension(unit, caller_unit):
        warnings.append(diagnostic("IND208", span=common["span"], text=common["text"], unit=unit,
                                   column=caller_unit))
    value: Decimal = data["value"]
    if cmp is None:
        # recorded in ``default_comparator``; callers may report it with IND214
        cmp = "le" if value == 0 or cost_row else "ge"
    looks_like = _YEAR_MONTH_TEXT.fullmatch(body.text)
    if looks_like and unit is None and not op and not suffix:  # 2025.6: a number, though it reads as a month
        year, month = looks_like.group(1), int(looks_like.group(2))
        warnings.append(diagnostic(
            "IND217", span=common["span"], text=common["text"], date=f"{year}年{month}月",
            hint=f"若是时间要求，写成“{year}年{month}月底前”或“{year}年{month}月”；若是数值，在计量单位栏写明单位",
        ))
    if unit == "%" and cmp is not None and value > 100 and not op and str(body.text).startswith("2"):
        fixed = "≥" + body.text[1:]
        warnings.append(diagnostic("IND207", span=common["span"], text=common["text"], fixed=fixed))
    return Target(kind=TargetKind.NUMERIC, comparator=cmp, direction=_DIRECTION[cmp], bound=value, unit=unit,
                  unit_source=source, default_comparator=default, warnings=tuple(warnings), **common)


def _check_unit(unit: str | None, body: Normalized) -> None:
    if unit is None:
        return
    try:
        units.parse_unit(unit)
    except UnitError as exc:  # pragma: no cover - the UNIT terminal admits only known units
        raise _Invalid(f"未知计量单位“{unit}”", code="IND301") from exc


def _range(
    common: dict[str, Any],
    body: Normalized,
    data: dict[str, Any],
    caller_unit: str | None,
    warnings: list[Any],
) -> Target:
    (low, high), (low_unit, high_unit) = data["values"], data["units"]
    unit = high_unit or low_unit
    unit, source = _with_caller_unit(unit, caller_unit)
    _check_unit(unit, body)
    if low_unit in units.MULTIPLIERS and unit and unit not in units.MULTIPLIERS:
        low_unit += units.base_unit(unit)  # 1万-2亿元: the lower end is 1万元
    if low_unit and unit and low_unit != unit:
        try:
            low = units.convert(low, low_unit, unit)
        except UnitError as exc:
            raise _Invalid(f"上下限的单位“{low_unit}”与“{unit}”不能换算") from exc
    if low > high:
        raise _Invalid(f"下限{units.format_decimal(low)}大于上限{units.format_decimal(high)}",
                       hint="下限写在前、上限写在后，如“90%-100%”")
    return Target(kind=TargetKind.RANGE, comparator="between", direction=Direction.RANGE, lower=low,
                  upper=high, unit=unit, unit_source=source, warnings=tuple(warnings), **common)


def _relative(common: dict[str, Any], data: dict[str, Any], warnings: list[Any]) -> Target:
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
    return Target(kind=TargetKind.RELATIVE, relative=rel, comparator=cmp, direction=direction,
                  warnings=tuple(warnings), **common)


# --- actual values ----------------------------------------------------------------------------------


def parse_actual(text: str, *, unit: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Actual:
    """Parse an actual value (实际完成值): ``96.5%``, ``0.965``, ``优秀``, ``是``, ``按时``, ``1,203人次``,
    ``达成``/``部分达成``/``未达成``, ``2025年10月15日``. Raises ValueSyntaxError.

    ``unit`` is the unit of a number written without one.
    """
    if len(text) > limits.max_text_length:
        raise ValueSyntaxError(diagnostic("IND001", length=len(text), limit=limits.max_text_length))
    norm = normalize(text)
    t = norm.text
    if not t:
        raise ValueSyntaxError(diagnostic("IND210", text=text, hint="填写实际完成值，如“96.5%”“达成”"))
    for prefix, tier in _TIER_PREFIXES:
        if t.startswith(prefix):
            return Actual(text=text, kind=ActualKind.TIER, tier=tier)
    if t in TRUE_ACTUALS:
        return Actual(text=text, kind=ActualKind.BOOLEAN, boolean=True, state=t)
    if t in FALSE_ACTUALS:
        return Actual(text=text, kind=ActualKind.BOOLEAN, boolean=False, state=t)
    if _says_nothing(t):
        return Actual(text=text, kind=ActualKind.BOOLEAN, boolean=False, state="无")
    try:
        data = _run(t, "start_actual")
    except _Invalid as exc:
        raise ValueSyntaxError(
            diagnostic("IND210", span=norm.span(0, len(t)), text=text, hint=exc.detail)
        ) from None
    except UnexpectedInput as exc:
        if not _DIGIT.search(t) and _CJK.match(t) and _HAN.search(t) and not units.is_unit(t):
            return Actual(text=text, kind=ActualKind.STATE, state=t)
        pos = _error_pos(t, exc)
        raise ValueSyntaxError(
            diagnostic("IND210", span=norm.span(pos, len(t)), text=text,
                       hint="实际值应为数值加单位（如“96.5%”“1,203人次”）、等级（如“优秀”）或“达成/部分达成/未达成”")
        ) from None
    if isinstance(data, _Amount):
        value_unit = data.unit
        if value_unit is None and unit:
            # the unit column applies when it names a unit; parse_target reports one that does not
            column = _unit_text(normalize(unit).text)
            value_unit = column if column not in NO_UNIT_WORDS and units.is_unit(column) else None
        return Actual(text=text, kind=ActualKind.NUMERIC, value=data.value, unit=value_unit)
    kind = data["kind"]
    if kind == "date":
        return Actual(text=text, kind=ActualKind.DATE, date=data["date"])
    if kind == "period":
        return Actual(text=text, kind=ActualKind.PERIOD, period=Period(start=data["start"], end=data["end"]))
    return Actual(text=text, kind=ActualKind.GRADE, grade=data["word"])


def _error_pos(t: str, exc: Exception, *, end: int | None = None) -> int:
    """Where the parser stopped; ``end`` (default: the last character) when it ran out of text."""
    if isinstance(exc, UnexpectedCharacters):
        pos: int | None = exc.pos_in_stream
        return pos or 0
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        start: int | None = exc.token.start_pos
        return start or 0
    return max(0, len(t) - 1) if end is None else end
