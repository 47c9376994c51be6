"""Parsing of targets (指标值): :func:`parse_target`.

The structured part of the language (numbers, units, comparators, ranges, relative targets, dates)
is ``grammar/target.lark``, an LALR grammar built once per process (``grammar.py``). Word-only targets
(是, 及时报送, 有效提升) are recognised by the vocabulary of ``words.py``, grade words and lists of grade
levels by the scales of ``catalog/grades.yaml``. How the row reads the target (a 成本 row, a 时效 row, a
rate) is ``build.Row``. Actual values are read by ``actual.py``. See ``docs/target-language.md``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from lark.exceptions import UnexpectedInput

from indicators import units
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.errors import TargetSyntaxError
from indicators.limits import DEFAULT_LIMITS, Limits, in_engine_context
from indicators.target.build import (
    EXAMPLES,
    Parts,
    Row,
    build_target,
    closest_example,
    invalid_error,
)
from indicators.target.grades import listed_levels
from indicators.target.grammar import Invalid, parser
from indicators.target.model import (
    Comparator,
    DatePoint,
    Deadline,
    Direction,
    GradeExpectation,
    Target,
    TargetKind,
)
from indicators.target.normalize import Normalized, normalize
from indicators.target.reading import (
    caller_unit,
    error_pos,
    repair_ocr,
    repair_residue,
    restore_unit,
    run_lenient,
)
from indicators.target.residue import excel_serial_date
from indicators.target.rows import TimeRule, is_rate, time_rule
from indicators.target.words import DIGIT, OP_WORDS, SUFFIX_WORDS, fallback_words, is_words_only, word_target
from indicators.text import normalize_name

__all__ = ["EXAMPLES", "parse_target", "parser"]


@in_engine_context
def parse_target(
    text: str,
    *,
    unit: str | None = None,
    level1: str | None = None,
    level2: str | None = None,
    indicator: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Target:
    """Parse a target (指标值); raises TargetSyntaxError with a position and a hint.

    ``unit`` is the unit from a separate 计量单位 column (or implied by the indicator); it applies to a
    number written without one. ``level1`` (产出/效益/满意度/成本指标) and ``level2`` (数量/质量/成本指标 …)
    choose the comparator of a bare number: ≤ for 成本 rows (either level names 成本, as forms that keep
    成本指标 under 产出 do), ≥ for every other row. ``indicator`` (the level-3 name) and ``level2`` say
    how a month is read: by then on a 时效/完工/进度 row (``项目完工时限``, level-2 ``时效指标``), the
    period of that month on a 服务周期 row or when neither says (see ``rows.py``); a rate indicator
    (``完成率``) notes that ``≥100%`` means exactly 100%.

    The last :data:`CACHE_SIZE` results are kept (a :class:`Target` is immutable): a form repeats
    its targets, and checking reads each row's target more than once.
    """
    # the row's names matter only through what they say of the row: the cache is keyed by that, so
    # rows of different names with one target text share one parse
    return _cached(text, unit, _is_cost_row(level1, level2), time_rule(indicator, level2), is_rate(indicator),
                   limits)


#: how many parsed targets ``parse_target`` keeps, by text and row context
CACHE_SIZE = 4096


@lru_cache(maxsize=CACHE_SIZE)
def _cached(
    text: str, unit: str | None, cost: bool, rule: TimeRule | None, rate: bool, limits: Limits
) -> Target:
    return _parse_target(text, unit=unit, cost=cost, rule=rule, rate=rate, limits=limits)


def _parse_target(
    text: str,
    *,
    unit: str | None,
    cost: bool,
    rule: TimeRule | None,
    rate: bool,
    limits: Limits,
) -> Target:
    if len(text) > limits.max_text_length:
        raise TargetSyntaxError(diagnostic("IND001", length=len(text), limit=limits.max_text_length))
    norm = normalize(text)
    if not norm.text:
        raise TargetSyntaxError(diagnostic("IND203", text=text, span=Span.of(text, 0, len(text))))
    row = Row(unit=caller_unit(unit, norm), cost=cost, time_rule=rule, rate=rate)
    repair_ocr(norm)
    repair_residue(norm)
    for reader in (_word_target, _listed_grades, _equals_word, _serial_date):
        found = reader(text, norm, row)
        if found is not None:
            return found
    try:
        data, unknown = run_lenient(norm.text, "start_target")
        parts = Parts(text, norm, norm, data, unknown_unit=unknown)
    except Invalid as exc:
        raise invalid_error(norm, exc) from None
    except UnexpectedInput as exc:
        found_parts = _try_subject(text, norm) or _try_note(text, norm)
        if found_parts is None:
            word_only = fallback_words(norm)
            if word_only is not None:
                return word_only
            raise _syntax_error(norm, exc) from None
        parts = found_parts
    parts.data = restore_unit(parts.data, parts.unknown_unit)
    return build_target(parts, row)


def _is_cost_row(*levels: str | None) -> bool:
    """A 成本 row: its level-1 or level-2 name says 成本 (costs are ceilings)."""
    return any(level and "成本" in normalize_name(level) for level in levels)


# --- targets read before the grammar ---------------------------------------------------------------


def _word_target(text: str, norm: Normalized, row: Row) -> Target | None:
    """是/否 and 无/零事故 (``words.py``), also before a note (``是（按时完成）``, IND229)."""
    found = word_target(norm)
    cut = note_start(norm.text) if found is None else None
    if cut is None:
        return found
    found = word_target(norm.prefix(cut))
    if found is None:
        return None
    return found.model_copy(update={"warnings": (*found.warnings, _note(text, norm, cut))})


def _listed_grades(text: str, norm: Normalized, row: Row) -> Target | None:
    """Grade levels listed one by one: ``优/良/中`` is 中 or better; a list of the whole scale
    (``优良中差``, ``A/B/C/D``) names no level: it is judged at the scale's passing level, IND224."""
    found = listed_levels(norm.text)
    if found is None:
        return None
    scale, levels = found
    worst = max(levels, key=scale.rank)
    warnings = list(norm.warnings)
    span = norm.span(0, len(norm.text))
    if worst == scale.levels[-1]:
        worst = scale.passing or scale.levels[-1]
        warnings.append(diagnostic("IND224", span=span, text=text, scale=scale.label, level=worst))
    grade = GradeExpectation(scale=scale.name, level=worst, or_better=True)
    return Target(text=text, kind=TargetKind.GRADE, grade=grade, direction=Direction.HIGHER, span=span,
                  time_rule=row.time_rule, warnings=tuple(warnings))


_EQUALS = ("=", "等于")


def _equals_word(text: str, norm: Normalized, row: Row) -> Target | None:
    """``=改善``, ``=提高``, ``等于及时``: an ``=`` before words is the words' target, with a note."""
    sign = next((s for s in _EQUALS if norm.text.startswith(s)), None)
    if sign is None or not is_words_only(norm.text[len(sign):]):
        return None
    rest = norm.sliced(len(sign))
    target = word_target(rest) or fallback_words(rest, text=text)
    if target is None:
        return None
    note = diagnostic("IND222", span=norm.span(0, len(norm.text)), text=text, word=rest.text)
    return target.model_copy(update={"text": text, "warnings": (*target.warnings, note)})


def _serial_date(text: str, norm: Normalized, row: Row) -> Target | None:
    """An Excel date serial (``45200``) on a row whose target is a date: the deadline it stands for."""
    if row.time_rule != "deadline" or not norm.text.isdigit() or len(norm.text) != 5:
        return None
    day = excel_serial_date(Decimal(norm.text))
    if day is None:
        return None
    point = DatePoint(year=day.year, month=day.month, day=day.day)
    span = norm.span(0, len(norm.text))
    note = diagnostic("IND226", span=span, text=text, date=point.text())
    return Target(text=text, kind=TargetKind.DEADLINE, deadline=Deadline(date=point, end_of=True),
                  direction=Direction.LOWER, span=span, time_rule=row.time_rule,
                  warnings=(*norm.warnings, note))


# --- words before the target proper ------------------------------------------------------------------

# "A": a letter grade after its subject (国家AAAA级旅游景区)
_SUBJECT_STARTS = tuple(sorted(set(OP_WORDS) | {"每", "较", "比", "同比", "环比", "逐年", "保持", "A"},
                               key=len, reverse=True))

#: comparator words that may stand in the subject, apart from the number by a verb (全年至少开展3次)
_SUBJECT_OPS: dict[str, Comparator] = {
    **dict.fromkeys(("≥", "至少", "最少", "不少于", "不低于", "不小于", "达到", "大于等于"), "ge"),
    **dict.fromkeys(("超过", "高于", "大于", "多于"), "gt"),
    **dict.fromkeys(("≤", "不超过", "不高于", "不多于", "不大于", "控制在", "最多", "至多"), "le"),
    "小于等于": "le",
    **dict.fromkeys(("低于", "少于", "小于"), "lt"),
}


def _try_subject(text: str, norm: Normalized) -> Parts | None:
    """``辖区企业满意率达95%以上``: words before the target proper are kept as its subject; a target in
    parentheses (``(≥95%)``, ``安全生产事故下降率(≥10%)``) is read inside them. A comparator word in the
    subject, apart from the number by a verb (``全年至少开展3次``), is the target's comparator."""
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
            data, unknown = run_lenient(rest, "start_target")
        except (Invalid, UnexpectedInput):
            continue
        body = norm.sliced(start)
        body.text, body.origin = rest, body.origin[: len(rest)]
        subject = t[:i] or None
        bare = data.get("kind") == "bounded" and data["op"] is None and data["suffix"] is None
        if subject and bare:
            data = {**data, "op": _comparator_in(subject)}
        return Parts(text, norm, body, data, subject=subject, unknown_unit=unknown)
    return None


#: marks that start a note after a target: ≥95%，以统计数据为准
_NOTE_MARKS = ",;。:"
_OPENERS, _CLOSERS = "([【〔［｛{", ")]】〕］｝}"
_NOT_A_NOTE = frozenset("≥≤<>=0123456789-+")


def _try_note(text: str, norm: Normalized) -> Parts | None:
    """``≥95%（以统计局数据为准）``, ``≥4.5分（满分5分）``, ``≥95%，以统计数据为准``: a target followed by a
    bracketed note to the end, or by a note mark and words, is the target; the note is reported (IND229)."""
    t = norm.text
    cut = note_start(t)
    if cut is None:
        return None
    head = norm.prefix(cut)
    try:
        data, unknown = run_lenient(head.text, "start_target")
        parts = Parts(text, norm, head, data, unknown_unit=unknown)
    except (Invalid, UnexpectedInput):
        found = _try_subject(text, head)
        if found is None:
            return None
        parts = Parts(text, norm, found.body, found.data, subject=found.subject,
                      unknown_unit=found.unknown_unit)
    norm.warnings.append(_note(text, norm, cut))
    return parts


def _note(text: str, norm: Normalized, cut: int) -> Diagnostic:
    """IND229 on the note from ``cut`` to the end."""
    span = norm.span(cut, len(norm.text))
    note = text[span.start : span.end].strip().lstrip(",，;；。:：").strip()
    return diagnostic("IND229", span=span, text=text, note=note)


def note_start(t: str) -> int | None:
    """Where a note starts: the opening bracket of a bracketed part that ends the text, else the first
    note mark outside brackets; None when neither, or when nothing comes before it."""
    if t.endswith(tuple(_CLOSERS)):
        depth = 0
        for i in range(len(t) - 1, -1, -1):
            depth += 1 if t[i] in _CLOSERS else -1 if t[i] in _OPENERS else 0
            if depth == 0:
                return i or None
        return None
    depth = 0
    for i, ch in enumerate(t):
        depth += 1 if ch in _OPENERS else -1 if ch in _CLOSERS else 0
        if depth == 0 and ch in _NOTE_MARKS and i > 0 and t[i + 1 :].strip():
            # words, not a second bound or a number (≥90%;≤100% is a range, not a note)
            return None if t[i + 1 :].lstrip()[:1] in _NOT_A_NOTE else i
    return None


def _comparator_in(subject: str) -> Comparator | None:
    """The comparator of the last comparator word in ``subject`` (the longest at the same end)."""
    best: tuple[int, int, Comparator] | None = None
    for word, cmp in _SUBJECT_OPS.items():
        at = subject.rfind(word)
        if at >= 0:
            key = (at + len(word), len(word), cmp)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


# --- errors --------------------------------------------------------------------------------------------


def _syntax_error(norm: Normalized, exc: Exception) -> TargetSyntaxError:
    t = norm.text
    pos = error_pos(t, exc, end=len(t))
    example = closest_example(t)
    if not DIGIT.search(t) and (units.is_unit(t) or t in OP_WORDS or t in SUFFIX_WORDS):
        what = "只有计量单位" if units.is_unit(t) else "只有比较词"
        with_number = next((e for e in EXAMPLES if t in e and DIGIT.search(e)), "≥95%")
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


def describe_reading(target: Target) -> str | None:
    """How a row-dependent target was read, for a person: ``None`` when nothing depends on the row."""
    if target.kind == TargetKind.DEADLINE and any(w.code == "IND227" for w in target.warnings):
        return "时效类指标：单独的月份按该月底前完成理解"
    per = target.period
    single = per is not None and per.start == per.end and per.start.day is None
    if target.kind == TargetKind.PERIOD and single and target.time_rule is None:
        return "单独的月份按该月期间理解；时效类指标上按该月底前完成理解"
    return None

