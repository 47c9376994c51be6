"""The parsed formula: :class:`Formula`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indicators.diagnostics import Diagnostic, Span
from indicators.formula import nodes, printer
from indicators.formula.kinds import FormulaKind

#: kinds whose variables are measured values (a state, a yes/no or a survey has none)
_MEASURED = {
    FormulaKind.PERCENTAGE,
    FormulaKind.RATIO,
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
    percentage and None otherwise. ``body`` is the definition as written, without left side and note.
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
    body_span: Span | None = field(default=None, compare=False, repr=False)

    def variables(self) -> tuple[str, ...]:
        """Names of the measured values, in order of first appearance (none for state, boolean, survey)."""
        if self.kind not in _MEASURED:
            return ()
        return nodes.variables(self.expr)

    def canonical(self, *, lhs: bool = False) -> str:
        """The canonical text of the definition (``a/b*100%``); with ``lhs=True`` as ``指标值=…``."""
        text = printer.to_text(self.expr) if self.expr is not None else self.body
        if lhs and self.lhs:
            return f"{self.lhs}={text}"
        return text

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
            "unit": self.unit,
            "alternatives": list(self.alternatives),
            "is_arithmetic": self.is_arithmetic,
            "ast": nodes.to_dict(self.expr) if self.expr is not None else None,
            "warnings": [w.model_dump(mode="json", exclude_none=True) for w in self.warnings],
        }
