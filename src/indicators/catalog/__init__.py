"""The indicator catalog: standard three-level indicators, their taxonomy and guidance rules, as data.

``load_catalog()`` reads the bundled ``catalog/`` (taxonomy.yaml, sets/*.yaml) and layers user
directories over it; the :class:`Catalog` looks entries up by code or name, searches, lists, matches
form rows and validates itself. The format is documented in ``docs/catalog.md``.
"""

from __future__ import annotations

from indicators.catalog.loader import ENV_VAR, Origin
from indicators.catalog.models import (
    Confidence,
    Entry,
    KeepOrImproveRule,
    Level1,
    Level2,
    Rule,
    SetFile,
    TaxonomyFile,
    json_schema,
)
from indicators.catalog.registry import (
    FUZZY_THRESHOLD,
    Catalog,
    Match,
    RowMatch,
    SetInfo,
    formulas_agree,
    load_catalog,
    similarity,
)
from indicators.catalog.rules import check_rules
from indicators.catalog.taxonomy import Taxonomy, category_key
from indicators.target.model import Direction

__all__ = [
    "ENV_VAR",
    "FUZZY_THRESHOLD",
    "Catalog",
    "Confidence",
    "Direction",
    "Entry",
    "KeepOrImproveRule",
    "Level1",
    "Level2",
    "Match",
    "Origin",
    "RowMatch",
    "Rule",
    "SetFile",
    "SetInfo",
    "Taxonomy",
    "TaxonomyFile",
    "category_key",
    "check_rules",
    "formulas_agree",
    "json_schema",
    "load_catalog",
    "similarity",
]
