"""Which side of a chained definition is the formula, and what a note says the variables mean.

A cell may chain several sides with ``=`` (or ``:``): ``资金到位率=实际到位资金占计划资金的比例=
到位资金/计划资金×100%``. The first side is the left side (a name); of the others, the first that
computes something (not a single name) is the formula. A single name among the others is a text
definition of the indicator (kept in ``Formula.definitions``, IND136); a second formula is kept as a
note (IND137). A side that is only a number (``指标值=a/b*100%=95%``) is a target written into the
formula: an error, as is a chain whose first side is not a name.

A note may define the variables: ``总数=A+B，其中：A为新建数，B为改建数`` gives ``A`` and ``B`` their
meanings (``Formula.definitions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.errors import FormulaSyntaxError
from indicators.formula import nodes, printer
from indicators.formula.names import LABEL_WORDS

_TARGET_HINT = "“{text}”这类目标值应写在“年度指标值”栏，计算公式只写计算方法"
_LEFT_HINT = "等号左边应是指标名称，如“资金到位率=到位资金/计划资金×100%”"


@dataclass(slots=True)
class Reading:
    """The sides of a cell, decided: left side, formula, definitions, other formulas, info diagnostics."""

    lhs: nodes.Variable | None
    expr: nodes.Node
    definitions: list[tuple[str, str]] = field(default_factory=list)
    other_formulas: list[str] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)


def read_sides(sides: list[tuple[int | None, nodes.Node]], text: str) -> Reading:
    """Decide the sides of a cell, ``(offset of the = before it, node)``; raises FormulaSyntaxError."""
    first = sides[0][1]
    if len(sides) == 1:
        return Reading(None, first)
    if not isinstance(first, nodes.Variable):
        raise _error(text, sides[1])
    rest = sides[1:]
    if len(rest) > 1:
        for side in rest:
            if not nodes.variables(side[1]):
                raise _error(text, side)
    computed = [node for _, node in rest if not isinstance(node, nodes.Variable)]
    expr = computed[0] if computed else rest[0][1]
    lhs = None if first.name in LABEL_WORDS else first
    reading = Reading(lhs, expr)
    key = expr.name if isinstance(expr, nodes.Variable) else first.name  # whom a text side defines
    others = [node for _, node in rest if node is not expr]
    shown = printer.to_text(expr) if others else ""
    for node in others:
        assert node.span is not None
        written = text[node.span.start : node.span.end]
        if isinstance(node, nodes.Variable):
            reading.definitions.append((key, written))
            code = "IND136"
        else:
            reading.other_formulas.append(written)
            code = "IND137"
        reading.findings.append(diagnostic(code, span=nodes.span_of(node), text=text, expr=shown))
    return reading


def _error(text: str, side: tuple[int | None, nodes.Node]) -> FormulaSyntaxError:
    at, node = side
    assert at is not None
    assert node.span is not None
    written = text[node.span.start : node.span.end]
    hint = _TARGET_HINT.format(text=written) if not nodes.variables(node) else _LEFT_HINT
    diag = diagnostic("IND102", span=Span.of(text, at, at + 1), text=text,
                      expected="运算符（+ - × ÷）或公式结束", hint=hint)
    return FormulaSyntaxError(diag)


# --- definitions in a note: 其中：A为…，B为… ---------------------------------------------------------

_SEGMENTS = re.compile(r"[，,；;。\n]+")
_LEAD = re.compile(r"^[\s(（\[［【〔]*(?:(?:其中|式中|注|说明)\s*[:：]?)?\s*")
_TRAIL = re.compile(r"[\s)）\]］】〕]+$")
_LINK = re.compile(r"\s*(?:为|是|指|表示|代表|即|[=＝﹦:：])\s*")


def note_definitions(note: str | None, variables: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(variable, meaning)`` for each part of ``note`` that starts with a variable and a link word.

    ``其中：A为实际到位资金，B为计划资金`` → ``[("A", "实际到位资金"), ("B", "计划资金")]``.
    """
    if not note or not variables:
        return []
    names = sorted(variables, key=len, reverse=True)
    found: list[tuple[str, str]] = []
    for segment in _SEGMENTS.split(note):
        part = _TRAIL.sub("", _LEAD.sub("", segment))
        for name in names:
            if not part.startswith(name):
                continue
            link = _LINK.match(part, len(name))
            if link is not None and link.end() < len(part):
                found.append((name, part[link.end() :]))
            break
    return found
