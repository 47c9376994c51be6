"""The lint rules, one class per rule, grouped by what they look at. Importing registers them."""

from __future__ import annotations

from indicators.lint.rules import (
    budget,
    catalog,
    coverage,
    direction,
    formulas,
    kinds,
    standards,
    structure,
    targets,
    writing,
)

__all__ = [
    "budget", "catalog", "coverage", "direction", "formulas", "kinds", "standards", "structure", "targets",
    "writing",
]
