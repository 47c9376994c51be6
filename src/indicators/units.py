"""Units of measure (计量单位), built by pint from ``catalog/units.txt`` with Decimal magnitudes.

There is one registry per process, created on first use. Nothing else in the package defines units:
to add one, add a line to ``catalog/units.txt`` (see ``docs/units.md``).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from indicators import resources
from indicators.codes import diagnostic
from indicators.errors import UnitError

if TYPE_CHECKING:
    import pint

    #: the registry type, with Decimal magnitudes
    Registry = pint.UnitRegistry[Decimal]
    #: an exact quantity
    Quantity = pint.Quantity[Decimal]

_lock = threading.Lock()
_registry: Registry | None = None


def registry() -> Registry:
    """The process-wide unit registry (created lazily, thread-safe)."""
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = _build()
    return _registry


def _build() -> Registry:
    import pint

    reg: Registry = pint.UnitRegistry(None, non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
    lines = resources.catalog_text("units.txt").splitlines()
    reg.load_definitions(lines)
    return reg


def parse_unit(text: str) -> pint.Unit:
    """A pint unit from its Chinese or symbolic name (``%``, ``万元``, ``元/人``); raises UnitError."""
    import pint

    try:
        return registry().parse_units(text.strip())
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, ValueError, SyntaxError) as exc:
        raise UnitError(diagnostic("IND301", text=text)) from exc


def quantity(value: Decimal | int | str, unit: str | pint.Unit = "") -> Quantity:
    """An exact quantity; ``unit`` may be empty for a pure number."""
    magnitude = value if isinstance(value, Decimal) else Decimal(str(value))
    reg = registry()
    if isinstance(unit, str):
        return reg.Quantity(magnitude, parse_unit(unit) if unit else reg.dimensionless)
    return reg.Quantity(magnitude, unit)


def is_quantity(value: Any) -> bool:
    import pint

    return isinstance(value, pint.Quantity)
