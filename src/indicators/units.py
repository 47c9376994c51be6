"""Units of measure (计量单位), built by pint from ``catalog/units.txt`` with Decimal magnitudes.

There is one registry per process, created on first use. Nothing else in the package defines units:
to add one, add a line to ``catalog/units.txt`` (see ``docs/units.md``).

Unit texts as written on forms are accepted: ``万元``, ``%``, ``元/人``, ``元/人·月`` (``·`` joins the
units of a denominator), and any unit preceded by the multipliers ``万``/``亿`` (``万人次``, ``万亩``).

Exactness: pint computes with :class:`~decimal.Decimal` in the current context. :func:`convert`
and :func:`compare` work at :data:`WORKING_PRECISION` significant digits and round the result to
:data:`RESULT_DIGITS`; conversions whose factor is a power of ten (万元 → 元, % → 1) are exact, and a
conversion through a factor such as 亩 = 10000/15 平方米 is exact to 24 significant digits (pint may
have cached a factor at the default 28 digits for another caller; 24 digits absorb that), so
700 平方米 is exactly 1.05 亩 and a value converted there and back compares equal to itself.
"""

from __future__ import annotations

import threading
from decimal import Decimal, localcontext
from functools import cache
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

#: significant digits used while converting
WORKING_PRECISION = 50
#: significant digits kept in a converted magnitude (the documented tolerance: 1 part in 10^24)
RESULT_DIGITS = 24

#: written before a unit, these multiply it (``万人次`` = 10000 人次)
MULTIPLIERS = ("万", "亿", "千")

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
    from pint.util import UnitsContainer

    lines = resources.catalog_text("units.txt").splitlines()
    # factors such as 10000/15 are computed once, at the working precision, and cached by pint
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        reg: Registry = pint.UnitRegistry(None, non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
        reg.load_definitions(lines)
        for name in list(reg._units):
            reg.get_root_units(UnitsContainer({name: 1}))
    return reg


@cache
def unit_names() -> tuple[str, ...]:
    """Every unit name, symbol and alias defined in ``catalog/units.txt`` (longest first)."""
    reg = registry()
    names = {str(name) for name in reg._units}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _expression(text: str) -> str:
    """``元/人·月`` → ``元/(人*月)``; ``万人次`` → ``万*人次``; names are checked by pint."""
    text = text.strip().replace(" ", "")
    if not text:
        raise ValueError("empty unit")
    if text.startswith("/"):
        text = "1" + text
    parts = text.split("/")
    if any(not p for p in parts):
        raise ValueError("empty part")
    factors = [_product(p) for p in parts]
    head, rest = factors[0], factors[1:]
    return head + "".join(f"/({f})" for f in rest)


def _product(part: str) -> str:
    words = [w for w in part.replace("×", "·").replace("*", "·").split("·")]
    if any(not w for w in words):
        raise ValueError("empty factor")
    return "*".join(_word(w) for w in words)


def _word(word: str) -> str:
    if word == "1":
        return word
    reg = registry()
    if word in reg._units:
        return reg.get_name(word)  # pint's expression reader mistakes symbols such as ㎡ for other names
    for mult in MULTIPLIERS:
        if word.startswith(mult) and len(word) > len(mult):
            return f"{mult}*{_word(word[len(mult):])}"
    raise ValueError(f"unknown unit {word!r}")


def parse_unit(text: str) -> pint.Unit:
    """A pint unit from its Chinese or symbolic name (``%``, ``万元``, ``元/人·月``); raises UnitError."""
    import pint

    try:
        expr = _expression(text)
        unit = registry().parse_units(expr)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, KeyError) as exc:
        raise UnitError(diagnostic("IND301", text=text)) from exc
    return unit


def is_unit(text: str) -> bool:
    """True when ``text`` names a unit of the registry (possibly compound or multiplied)."""
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


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


def base_unit(unit: str) -> str:
    """The unit without a leading multiplier (``万元`` → ``元``, ``万人次`` → ``人次``), else the unit."""
    for mult in MULTIPLIERS:
        if unit.startswith(mult) and is_unit(unit[len(mult):]):
            return unit[len(mult):]
    return unit


def dimension_of(unit: str | None) -> str:
    """A stable text of the unit's dimensionality (``[money] / [count]``; ``""`` for a pure number)."""
    if not unit:
        return ""
    dims = parse_unit(unit).dimensionality
    return "" if not dims else str(dims)


def same_dimension(a: str | None, b: str | None) -> bool:
    """True when quantities in ``a`` and ``b`` convert into each other (both may be numbers)."""
    return dimension_of(a) == dimension_of(b)


def _round(value: Decimal) -> Decimal:
    if value.is_zero():
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = RESULT_DIGITS
        rounded = +value
        if rounded == rounded.to_integral_value():
            return rounded.quantize(Decimal(1))
        return rounded.normalize()


def convert(value: Decimal, from_unit: str | None, to_unit: str | None) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit``; raises UnitError for different dimensions.

    ``None`` or ``""`` stands for a pure number. See the module text for the precision rule.
    """
    if (from_unit or "") == (to_unit or ""):
        return value
    import pint

    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        try:
            q = quantity(value, from_unit or "")
            out = q.to(parse_unit(to_unit) if to_unit else registry().dimensionless).magnitude
        except pint.errors.DimensionalityError as exc:
            raise UnitError(
                diagnostic("IND302", left=from_unit or "无单位", right=to_unit or "无单位")
            ) from exc
    return _round(Decimal(out))


def compare(a: Decimal, a_unit: str | None, b: Decimal, b_unit: str | None) -> int:
    """-1, 0 or 1 as ``a a_unit`` is less than, equal to or more than ``b b_unit`` (UnitError if apart)."""
    a_in_b = convert(a, a_unit, b_unit)
    return (a_in_b > b) - (a_in_b < b)


def format_quantity(value: Decimal, unit: str | None) -> str:
    """``Decimal('95'), '%'`` → ``95%``: the number in plain notation, then the unit as written."""
    return f"{format_decimal(value)}{unit or ''}"


def format_decimal(value: Decimal) -> str:
    """Plain notation, never an exponent (``1E+2`` → ``100``)."""
    text = format(value, "f")
    return "0" if text in {"-0", "-0.0"} else text
