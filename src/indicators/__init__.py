"""indicators: exact, automatic checking and scoring of budget performance indicators (预算绩效指标).

The public API is what ``__all__`` lists; everything else is internal.
"""

from __future__ import annotations

from indicators.diagnostics import Diagnostic, Location, Severity, Span
from indicators.errors import (
    CatalogError,
    FormReadError,
    FormulaSyntaxError,
    IndicatorsError,
    LimitExceededError,
    PolicyError,
    TargetSyntaxError,
    UnitError,
    ValueSyntaxError,
)
from indicators.limits import DEFAULT_LIMITS, Limits

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_LIMITS",
    "CatalogError",
    "Diagnostic",
    "FormReadError",
    "FormulaSyntaxError",
    "IndicatorsError",
    "LimitExceededError",
    "Limits",
    "Location",
    "PolicyError",
    "Severity",
    "Span",
    "TargetSyntaxError",
    "UnitError",
    "ValueSyntaxError",
    "__version__",
]
