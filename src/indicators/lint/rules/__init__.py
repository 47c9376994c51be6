"""The lint rules, one class per rule, grouped by what they look at. Importing registers them."""

from __future__ import annotations

from indicators.lint.rules import budget, catalog, direction, formulas, kinds, structure, targets

__all__ = ["budget", "catalog", "direction", "formulas", "kinds", "structure", "targets"]
