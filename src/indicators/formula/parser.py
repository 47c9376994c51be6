"""Formula text → :class:`~indicators.formula.model.Formula` (typed AST with spans).

The steps: :mod:`indicators.formula.prepare` rewrites the cell character for character (bracket
families, look-alike operators, labels, quotes around names, spaces inside names, …); the grammar
``grammar/formula.lark`` (read through :mod:`indicators.resources`, compiled once per process into a
Lark LALR(1) parser with the contextual lexer in strict mode) reads the sides of the cell;
:mod:`indicators.formula.definitions` decides which side is the formula; :mod:`indicators.formula.classify`
decides its kind. Names and notes are taken from the original text by their offsets.

The AST is built by an embedded transformer (:mod:`indicators.formula.builder`) while the LALR parser
reduces, so no step recurses over the input: together with the length and depth checks made *before*
the text reaches Lark, a hostile input fails fast with IND001/IND002 instead of a ``RecursionError``.

Speed: Lark's analysis of the grammar is kept in the user's cache directory
(:func:`indicators.resources.grammar_cache`); the automaton runs in :mod:`indicators.formula.lalr`'s
tight loop, and only a text it rejects goes through ``Lark.parse`` for Lark's own error; node spans
are plain offsets (:class:`~indicators.formula.nodes.TextRange`); ``parse_formula`` keeps the last
:data:`CACHE_SIZE` results by text (a :class:`Formula` is immutable).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError  # the parser needs lark anyway

from indicators import resources
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.errors import FormulaSyntaxError, LimitExceededError
from indicators.formula import builder, nodes
from indicators.formula.classify import classify
from indicators.formula.definitions import note_definitions, read_sides
from indicators.formula.kinds import RATE_LABELS, FormulaKind
from indicators.formula.labels import closing, label_after_error, spaced_label
from indicators.formula.lalr import REJECTED, FastLalr
from indicators.formula.model import Formula
from indicators.formula.names import TIMES_LETTERS
from indicators.formula.prepare import ENDS_DEFINITION, Prepared, balance, prepare
from indicators.formula.syntax_errors import (
    expected_words,
    previous_token,
    syntax_diagnostic,
)
from indicators.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from lark import Lark

__all__ = ["CACHE_SIZE", "HARD_MAX_AST_DEPTH", "HARD_MAX_DEPTH", "FormulaLimitError", "expected_words",
           "get_parser", "parse_formula"]

#: the deepest nesting of the text accepted whatever ``Limits.max_depth`` says
HARD_MAX_DEPTH = 100
#: the highest AST accepted: it keeps every recursive walk of the tree (printer, evaluator,
#: equality, JSON) far below Python's recursion limit
HARD_MAX_AST_DEPTH = 150
#: how many parsed formulas ``parse_formula`` keeps, by text and limits
CACHE_SIZE = 4096

_OPEN, _CLOSE = "(（", ")）"
_SIGNS = "+-＋－−"
#: the characters that can deepen the nesting (IND002)
_DEEPENING = _OPEN + _SIGNS
#: a note whose first word holds an operator was probably meant as formula (IND117)
_OPERATOR_IN_WORD = re.compile(r"^[^\s，。；,;]*[+\-*/×÷＋－＊／=＝]")
#: a lone x between two CJK characters inside a name (IND133)
_X_IN_NAME = re.compile(rf"(?<=[\u3400-\u9fff])[{re.escape(TIMES_LETTERS)}](?=[\u3400-\u9fff])")
_ANY_X = re.compile(rf"[{re.escape(TIMES_LETTERS)}]")
#: diagnostics of the preparation that concern the note, kept wherever they are
_ABOUT_THE_NOTE = frozenset({"IND139", "IND142"})


class FormulaLimitError(FormulaSyntaxError, LimitExceededError):
    """A formula longer, deeper or larger than the limits allow (IND001, IND002, IND003)."""


# --- the parser, built once --------------------------------------------------------------------------

_lock = threading.Lock()
_parser: Lark | None = None
_fast: FastLalr | None = None


def get_parser() -> Lark:
    """The process-wide Lark parser for ``grammar/formula.lark``."""
    if _parser is None:
        _build_once()
    assert _parser is not None
    return _parser


def fast_parser() -> FastLalr | None:
    """The tight driver over the process-wide parser (None when this Lark cannot be driven so)."""
    if _parser is None:
        _build_once()
    return _fast


def _build_once() -> None:
    global _parser, _fast
    with _lock:
        if _parser is None:
            built = _build()
            _fast = FastLalr.build(built)
            _parser = built


def _build() -> Lark:
    from lark import Lark

    grammar = resources.grammar_text("formula.lark")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        strict=_can_be_strict(),
        maybe_placeholders=True,
        transformer=builder.Builder(),
        cache=resources.grammar_cache("formula", grammar),
    )


def _can_be_strict() -> bool:
    """Lark's strict mode (no LALR conflicts, no colliding terminals) needs ``interegular``.

    The test suite checks that the shipped grammar builds in strict mode; an installation without
    ``interegular`` still parses, it only skips that build-time check.
    """
    import importlib.util

    return importlib.util.find_spec("interegular") is not None


# --- the public verb ---------------------------------------------------------------------------------


def parse_formula(text: str, *, limits: Limits = DEFAULT_LIMITS) -> Formula:
    """Parse a formula cell (计算公式) into a :class:`Formula`; raises :class:`FormulaSyntaxError`.

    ``指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%`` has the variables
    ``已覆盖应急避难场所的村(社区)`` and ``辖区村(社区)总数`` and is a percentage.
    """
    if len(text) > limits.max_text_length:
        raise FormulaLimitError(
            diagnostic("IND001", span=Span.of(text, limits.max_text_length, len(text)),
                       length=len(text), limit=limits.max_text_length)
        )
    return _cached(text, limits)


@lru_cache(maxsize=CACHE_SIZE)
def _cached(text: str, limits: Limits) -> Formula:
    return parse_uncached(text, limits)


def clear_cache() -> None:
    """Forget the formulas ``parse_formula`` kept (for measurements and tests)."""
    _cached.cache_clear()


def parse_uncached(text: str, limits: Limits = DEFAULT_LIMITS) -> Formula:
    """:func:`parse_formula` without its cache (the text's length is checked by the caller)."""
    prepared = prepare(text)
    if not prepared.work.strip():
        raise FormulaSyntaxError(diagnostic("IND106", span=Span.of(text, 0, len(text)), text=text))
    _check_depth(text, prepared.work, min(limits.max_depth, HARD_MAX_DEPTH))
    made: list[nodes.Variable] = []
    token = builder.names_var.set(made)
    try:
        sides, note, repairs = _run_parser(prepared.work, prepared.source, text)
    finally:
        builder.names_var.reset(token)
    reading = read_sides(sides, text)
    expr = reading.expr
    assert expr.span is not None
    if len(prepared.work) > min(limits.max_nodes, HARD_MAX_AST_DEPTH):  # else no tree can be that large
        _check_size(expr, text, limits)

    found = classify(expr)
    if found.expr is not None:
        expr = found.expr  # ×100000/10万 is the base of a rate, not a division
    assert expr.span is not None
    start, end = expr.span.start, expr.span.end
    names = [v for v in made if v.span is not None and start <= v.span.start < end]  # the formula's
    note_text = _note_text(prepared.source, note, reading.other_formulas)
    warnings = [*prepared.warnings, *_note_warnings(text, note, note_text)]
    if found.kind is FormulaKind.RATIO:
        hundred = _bare_hundred(expr)
        if hundred is not None and hundred.span is not None:
            warnings.append(diagnostic("IND120", span=hundred.span.span(), text=text))
    if found.kind is FormulaKind.RATE and found.factor is not None and found.unit is not None:
        warnings.append(diagnostic("IND138", span=nodes.span_of(found.factor), text=text, unit=found.unit,
                                   label=RATE_LABELS[found.unit]))
    assert expr.span is not None
    first = reading.lhs.span.start if reading.lhs is not None and reading.lhs.span else expr.span.start
    warnings.extend(_findings(prepared, [*repairs, *reading.findings], reading.lhs, names, expr, first))
    variables = () if found.drops_expression else tuple(dict.fromkeys(n.name for n in names))
    return Formula(
        text=text,
        lhs=reading.lhs.name if reading.lhs is not None else None,
        expr=None if found.drops_expression else expr,
        kind=found.kind,
        note=note_text,
        warnings=tuple(warnings),
        alternatives=found.alternatives,
        unit=found.unit if found.kind in (FormulaKind.PERCENTAGE, FormulaKind.RATE) else None,
        body=text[expr.span.start : expr.span.end],
        body_range=nodes.TextRange(text, expr.span.start, expr.span.end),
        definitions=(*reading.definitions, *note_definitions(note_text, variables)),
    )


def _note_text(text: str, note: builder.Note | None, other_formulas: list[str]) -> str | None:
    """The trailing note as written, after any second formula of a chained definition."""
    parts = list(other_formulas)
    if note is not None:
        trailing = text[note[1] :].strip().lstrip("—―").strip()
        if trailing:
            parts.append(trailing)
    return "；".join(parts) or None


def _note_warnings(text: str, note: builder.Note | None, note_text: str | None) -> list[Diagnostic]:
    """IND117: a note after a space whose first word holds an operator."""
    if note is None or note_text is None or not text[note[0]].isspace():
        return []
    written = text[note[1] :].strip()
    if not _OPERATOR_IN_WORD.match(written):
        return []
    start = note[0] + len(text[note[0] :]) - len(text[note[0] :].lstrip())
    return [diagnostic("IND117", span=Span.of(text, start, start + len(written.split()[0])), text=text)]


def _check_size(expr: nodes.Node, text: str, limits: Limits) -> None:
    """IND003 for more nodes than ``limits.max_nodes``, IND002 for a tree higher than
    :data:`HARD_MAX_AST_DEPTH` (one walk without recursion). A tree has at most one node per token,
    so a text shorter than both limits needs no walk."""
    count = deepest = 0
    stack: list[tuple[nodes.Node, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        count += 1
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in nodes.children(node))
    if count > limits.max_nodes:
        raise FormulaLimitError(diagnostic("IND003", what="公式的节点数", size=count, limit=limits.max_nodes))
    if deepest > HARD_MAX_AST_DEPTH:
        assert expr.span is not None
        span = Span.of(text, expr.span.start, expr.span.end)
        raise FormulaLimitError(diagnostic("IND002", span=span, text=text, limit=HARD_MAX_AST_DEPTH))


def _findings(
    prepared: Prepared, found: list[Diagnostic], lhs: nodes.Variable | None, names: list[nodes.Variable],
    expr: nodes.Node, first: int,
) -> list[Diagnostic]:
    """Info diagnostics that concern what was read as the formula (the left side through the formula)."""
    noted = found or prepared.findings or prepared.qualifiers or prepared.joins
    if not noted and not _ANY_X.search(prepared.text):
        return []
    assert expr.span is not None
    last = expr.span.end
    kept = [d for d in prepared.findings if d.code in _ABOUT_THE_NOTE or _overlaps(d.span, first, last)]
    kept.extend(found)
    text = prepared.text
    for var in [lhs, *names] if lhs is not None else names:
        assert var.span is not None
        start, end = var.span.start, var.span.end
        for q_start, q_end in prepared.qualifiers:
            if start <= q_start < end:
                span = Span.of(text, q_start, q_end)
                kept.append(diagnostic("IND134", span=span, text=text, name=var.name))
        if any(start <= j < end for j in prepared.joins):
            at = text.find(var.name, start, end)  # a grouped name's span holds its parentheses
            kept.append(diagnostic("IND141", span=Span.of(text, at, at + len(var.name)), text=text))
        for x in _X_IN_NAME.finditer(text, start, end):
            span = Span.of(text, x.start(), x.end())
            kept.append(diagnostic("IND133", span=span, text=text, name=var.name))
    return sorted(kept, key=lambda d: d.span.start if d.span is not None else 0)


def _overlaps(span: Span | None, start: int, end: int) -> bool:
    return span is not None and span.end > start and span.start < end


def _run_parser(
    work: str, source: str, text: str
) -> tuple[builder.Sides, builder.Note | None, list[Diagnostic]]:
    """Parse ``work``: (sides, note, info diagnostics of the repairs); raises :class:`FormulaSyntaxError`.

    Two readings are tried when the plain one fails at a parenthesis: a parenthesised explanation glued
    to a final per-cent sign, as in ``a/b*100%（保留两位小数）``, is a note (the text before it is
    parsed on its own); a name followed by a parenthesised formula, as in ``资金到位率(C/D)``, is the
    left side of that formula (IND135, see :mod:`indicators.formula.labels`); with a space between them
    the plain reading would take the bracket as a note, so that case is repaired before parsing.
    """
    end = len(work)
    repairs: list[Diagnostic] = []
    spaced = spaced_label(work, text)
    if spaced is not None:
        work, finding = spaced
        repairs.append(finding)
    while True:
        try:
            sides, note = _parse(work[:end], source, text)
        except UnexpectedToken as exc:
            start = _note_after_percent(exc, work) if end == len(work) else None
            if start is not None:
                end = start
                continue
            label = label_after_error(exc, work, text) if not repairs else None
            if label is None:
                raise FormulaSyntaxError(syntax_diagnostic(exc, text, work)) from None
            work, finding = label
            repairs.append(finding)
            continue
        except UnexpectedInput as exc:
            raise FormulaSyntaxError(syntax_diagnostic(exc, text, work)) from None
        if end < len(work):
            note = (end, end)
        return sides, note, repairs


def _parse(work: str, source: str, text: str) -> tuple[builder.Sides, builder.Note | None]:
    """Run Lark on ``work``; names are read from ``source``, diagnostics point into ``text``."""
    made = builder.names_var.get()
    if made is not None:
        made.clear()  # a second reading of the cell starts afresh
    token, original = builder.text_var.set(work), builder.source_var.set(source)
    try:
        fast = fast_parser()
        result: Any = fast.parse(work) if fast is not None else REJECTED
        if result is REJECTED:  # Lark raises the error with its own context
            result = get_parser().parse(work)  # the builder's start(): (sides, note)
        sides: builder.Sides = result[0]
        note: builder.Note | None = result[1]
        return sides, note
    except builder.Semantic as exc:
        raise FormulaSyntaxError(_retarget(exc.diag, text)) from None
    except VisitError as exc:  # pragma: no cover - lark wraps callback errors in some versions
        if isinstance(exc.orig_exc, builder.Semantic):
            raise FormulaSyntaxError(_retarget(exc.orig_exc.diag, text)) from None
        raise
    finally:
        builder.text_var.reset(token)
        builder.source_var.reset(original)


def _note_after_percent(exc: Any, work: str) -> int | None:
    """Where a parenthesised note glued to a final ``%`` or ``‰`` starts, or None.

    The parentheses must close, and only the end or more note (after white space or punctuation) may
    follow them: ``a/b*100%（说明）+1`` stays an error.
    """
    tok = exc.token
    prev = previous_token(exc)
    if tok.type != "LPAR" or prev is None or prev.type != "PERCENT":
        return None
    start: int = tok.start_pos or 0
    if prev.end_pos != start or balance(work, start) != 0:
        return None
    close = closing(work, start)
    return start if close is not None and ENDS_DEFINITION.match(work, close + 1) else None


def _bare_hundred(expr: nodes.Node) -> nodes.Number | None:
    """The factor ``100`` without ``%`` of a ratio ``a/b*100``, if there is one (IND120)."""
    if not isinstance(expr, nodes.Product) or "/" not in expr.operators:
        return None
    for op, operand in zip(("*", *expr.operators), expr.operands, strict=True):
        if op == "*" and isinstance(operand, nodes.Number) and operand.unit is None and operand.value == 100:
            return operand
    return None


def _retarget(diag: Diagnostic, text: str) -> Diagnostic:
    """The same diagnostic pointing into the original text (quotes included)."""
    if diag.span is None:
        return diag
    return diag.model_copy(update={"text": text, "span": Span.of(text, diag.span.start, diag.span.end)})


def _check_depth(text: str, work: str, limit: int) -> None:
    """Nesting of parentheses plus runs of signs must stay within ``limit`` (IND002)."""
    if sum(work.count(ch) for ch in _DEEPENING) <= limit:
        return  # fewer brackets and signs than the limit: nothing to count
    level = 0
    run = 0
    for i, ch in enumerate(work):
        if ch in _OPEN:
            level += 1
        elif ch in _CLOSE:
            level = max(0, level - 1)
        if ch in _SIGNS:
            run += 1
        elif not ch.isspace():
            run = 0
        if level + run > limit:
            diag = diagnostic("IND002", span=Span.of(text, i, i + 1), text=text, limit=limit)
            raise FormulaLimitError(diag)
