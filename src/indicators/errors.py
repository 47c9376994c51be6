"""Errors raised by the engine.

Every error derives from :class:`IndicatorsError` and carries the :class:`Diagnostic` objects that
explain it. Errors about bad input also subclass :class:`ValueError`, as callers expect. Parsers raise;
linters and scorers return diagnostics and never raise on bad data.
"""

from __future__ import annotations

from collections.abc import Iterable

from indicators.diagnostics import Diagnostic


class IndicatorsError(Exception):
    """Root of every error this package raises on purpose."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic, message: str | None = None) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = (diagnostics,)
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        if message is None:
            message = "; ".join(d.message for d in self.diagnostics) or self.__class__.__name__
        super().__init__(message)

    @property
    def diagnostic(self) -> Diagnostic:
        """The first (main) diagnostic."""
        return self.diagnostics[0]

    def render(self) -> str:
        return "\n".join(d.render() for d in self.diagnostics)


class LimitExceededError(IndicatorsError, ValueError):
    """An input is larger or deeper than :class:`indicators.limits.Limits` allows."""


class FormulaSyntaxError(IndicatorsError, ValueError):
    """A formula text that is not in the formula language."""


class FormulaEvaluationError(IndicatorsError, ValueError):
    """Raised only by the strict evaluation helpers; ``evaluate`` itself returns a result object."""


class TargetSyntaxError(IndicatorsError, ValueError):
    """A target (指标值) text that is not in the target language."""


class ValueSyntaxError(IndicatorsError, ValueError):
    """An actual value (实际完成值) that cannot be read."""


class UnitError(IndicatorsError, ValueError):
    """An unknown unit, or a conversion between incompatible units."""


class CatalogError(IndicatorsError, ValueError):
    """A catalog file or directory that is invalid."""


class FormReadError(IndicatorsError, ValueError):
    """A form file that cannot be read as a form."""


class PolicyError(IndicatorsError, ValueError):
    """A scoring policy file that is invalid."""
