"""The parsed formula: :class:`Formula`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indicators.diagnostics import Diagnostic, Span
from indicators.formula import nodes, printer
from indicators.formula.kinds import FormulaKind
from indicators.formula.names import qualifier_unit

#: kinds whose variables are measured values (a state, a yes/no or a survey has none)
_MEASURED = {
    FormulaKind.PERCENTAGE,
    FormulaKind.RATIO,
    FormulaKind.RATE,
    FormulaKind.QUANTITY,
    FormulaKind.AMOUNT,
    FormulaKind.GRADE,
}


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell (计算公式) as understood by the engine.

    ``text`` is the original cell; ``lhs`` the optional left side (``指标值`` or the indicator's own
    name); ``expr`` the typed AST, or None for alternatives such as ``是/否符合`` (then see
    ``alternatives``); ``note`` the trailing explanation; ``unit`` is ``"%"`` (or ``"‰"``) for a
    percentage, the base of a rate (``"‰"``, ``"‱"``, ``"/10万"``, ``"/100万"``) and None otherwise.
    ``body`` is the definition as written, without left side and note. ``definitions`` are the meanings
    the cell gives in words: ``(name, meaning)`` from a chained text definition (``资金到位率=实际到位资金
    占计划资金的比例=…``) or from the note (``其中：A为实际到位资金``). ``warnings`` holds warnings and the
    info diagnostics that say how an ambiguous text was read.
    """

    text: str
    lhs: str | None
    expr: nodes.Node | None
    kind: FormulaKind
    note: str | None = None
    warnings: tuple[Diagnostic, ...] = ()
    alternatives: tuple[str, ...] = ()
    unit: str | None = None
    body: str = ""
    body_range: nodes.TextRange | None = field(default=None, compare=False, repr=False)
    definitions: tuple[tuple[str, str], ...] = ()

    @property
    def body_span(self) -> Span | None:
        """Where ``body`` is in ``text`` (made when a diagnostic needs it)."""
        return self.body_range.span() if self.body_range is not None else None

    def variables(self) -> tuple[str, ...]:
        """Names of the measured values, in order of first appearance (none for state, boolean, survey,
        except the names a comparison compares)."""
        if self.kind not in _MEASURED and not isinstance(self.expr, nodes.Comparison):
            return ()  # a comparison (实际完成值≥目标值) names what it compares
        return nodes.variables(self.expr)

    def canonical(self, *, lhs: bool = False) -> str:
        """The canonical text of the definition (``a/b*100%``); with ``lhs=True`` as ``指标值=…``."""
        text = printer.to_text(self.expr) if self.expr is not None else self.body
        if lhs and self.lhs:
            return f"{self.lhs}={text}"
        return text

    def variable_units(self) -> dict[str, str]:
        """The unit each variable's bracketed note names, where the unit registry knows it.

        ``地区生产总值(万元,可比价)/常住人口(万人)`` →
        ``{"地区生产总值(万元,可比价)": "万元", "常住人口(万人)": "万人"}``.
        The units describe the variables; evaluation takes values as given.
        """
        found: dict[str, str] = {}
        for name in self.variables():
            unit = qualifier_unit(name)
            if unit is not None:
                found[name] = unit
        return found

    @property
    def is_arithmetic(self) -> bool:
        """True when the formula computes a number from its variables (``evaluate`` can work)."""
        return self.expr is not None and self.kind.quantitative

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (``indicators formula parse --json``)."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "lhs": self.lhs,
            "variables": list(self.variables()),
            "canonical": self.canonical(),
            "note": self.note,
            "definitions": [{"name": name, "meaning": meaning} for name, meaning in self.definitions],
            "unit": self.unit,
            "variable_units": self.variable_units(),
            "alternatives": list(self.alternatives),
            "is_arithmetic": self.is_arithmetic,
            "ast": nodes.to_dict(self.expr) if self.expr is not None else None,
            "warnings": [w.model_dump(mode="json", exclude_none=True) for w in self.warnings],
        }
