"""Units of measure (计量单位), built by pint from ``catalog/units.txt`` with Decimal magnitudes.

There is one registry per process, created on first use. Nothing else in the package defines units:
to add one, add a line to ``catalog/units.txt`` (see ``docs/units.md``).

Unit texts as written on forms are accepted: ``万元``, ``%``, ``元/人``, ``元/人·月`` and ``元/人/月``
(after the first ``/`` both ``·`` and ``/`` join the units of the denominator), and any unit preceded
by a scale word defined as a pint prefix in the file (``万人次``, ``万亩``, ``千克``).

Count words convert 1:1 (a count is a count), but :func:`count_mismatch` tells when two count units
count different kinds of things (``只`` and ``头``): the kinds are the ``@group`` blocks of the file.

Exactness: pint computes with :class:`~decimal.Decimal` in the current context. :func:`convert`
and :func:`compare` work at :data:`WORKING_PRECISION` significant digits and round the result to
:data:`RESULT_DIGITS`; conversions whose factor is a power of ten (万元 → 元, % → 1) are exact, and a
conversion through a factor such as 亩 = 10000/15 平方米 is exact to 24 significant digits (pint may
have cached a factor at the default 28 digits for another caller; 24 digits absorb that), so
700 平方米 is exactly 1.05 亩 and a value converted there and back compares equal to itself.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from decimal import ROUND_DOWN, Context, Decimal, localcontext
from functools import cache
from typing import TYPE_CHECKING, Any

from indicators import resources, unitwords
from indicators.codes import diagnostic
from indicators.errors import UnitError
from indicators.limits import engine_context

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
#: the generic count word: it fits every kind of count
GENERIC_COUNT = "个"

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
    with localcontext(engine_context()) as ctx:
        ctx.prec = WORKING_PRECISION
        reg: Registry = pint.UnitRegistry(None, non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
        reg.load_definitions(lines)
        for name in _definitions().units:
            reg.get_root_units(UnitsContainer({name: 1}))
    return reg


@dataclass(frozen=True)
class _Definitions:
    """What ``catalog/units.txt`` defines, read from the file itself (not from pint's internals)."""

    #: unit names in file order
    units: tuple[str, ...]
    #: every name, symbol and alias
    words: frozenset[str]
    #: scale prefixes (万, 亿, 千) with their factors
    prefixes: dict[str, Decimal]
    #: unit name → the @group it belongs to
    groups: dict[str, str]


_GROUP = re.compile(r"^@group\s+(\S+)")


@cache
def _definitions() -> _Definitions:
    names: list[str] = []
    words: set[str] = set()
    prefixes: dict[str, Decimal] = {}
    groups: dict[str, str] = {}
    group: str | None = None
    for raw in resources.catalog_text("units.txt").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        found = _GROUP.match(line)
        if found:
            group = found.group(1)
            continue
        if line == "@end":
            group = None
            continue
        parts = [part.strip() for part in line.split(" = ")]
        if parts[0].endswith("-"):
            prefixes[parts[0][:-1]] = Decimal(parts[1])
            continue
        names.append(parts[0])
        words.update(p for p in (parts[0], *parts[2:]) if p and p != "_")
        if group is not None:
            groups[parts[0]] = group
    return _Definitions(tuple(names), frozenset(words), prefixes, groups)


@cache
def unit_names() -> tuple[str, ...]:
    """Every unit name, symbol and alias defined in ``catalog/units.txt`` (longest first)."""
    return tuple(sorted(_definitions().words, key=lambda n: (-len(n), n)))


@cache
def multipliers() -> tuple[str, ...]:
    """The scale words defined as prefixes in ``catalog/units.txt`` (万, 亿, 千), longest first."""
    return tuple(sorted(_definitions().prefixes, key=lambda n: (-len(n), n)))


def _expression(text: str) -> tuple[list[str], list[str]]:
    """``元/人·月`` → (``[元]``, ``[人, 月]``): the words of the numerator and of the denominator.

    After the first ``/``, both ``·`` (or ``*``, ``×``) and a further ``/`` join denominator units, as
    ``元/人/月`` is written for ``元/(人·月)``. Raises ValueError for an empty part."""
    text = text.strip().replace(" ", "").replace("×", "·").replace("*", "·")
    if not text:
        raise ValueError("empty unit")
    head, slash, rest = text.partition("/")
    top = _words(head) if head else []
    bottom = _words(rest.replace("/", "·")) if slash else []
    if not top and not bottom:
        raise ValueError("empty unit")
    if slash and not bottom:
        raise ValueError("empty denominator")
    return top, bottom


def _words(part: str) -> list[str]:
    words = part.split("·")
    if any(not w for w in words):
        raise ValueError("empty factor")
    return words


def _canonical(word: str) -> str:
    """The pint name of a unit word (``kg`` → ``公斤``, ``万人次`` → ``万人次``); ValueError if unknown."""
    words = unitwords.table()
    if words is not None:
        name = words.canonical(word)
        if name is None:
            raise ValueError(f"unknown unit {word!r}")
        return name
    import pint

    try:
        return str(registry().get_name(word))
    except (pint.errors.PintError, AttributeError, KeyError) as exc:
        raise ValueError(f"unknown unit {word!r}") from exc


def _pint_expression(text: str) -> str:
    top, bottom = _expression(text)
    head = "*".join(_canonical(w) for w in top) or "1"
    return head + (f"/({'*'.join(_canonical(w) for w in bottom)})" if bottom else "")


def parse_unit(text: str) -> pint.Unit:
    """A pint unit from its Chinese or symbolic name (``%``, ``万元``, ``元/人·月``); raises UnitError."""
    return _parse_unit(text)


@cache
def _parse_unit(text: str) -> pint.Unit:
    """:func:`parse_unit`, remembered per text (units are immutable; an unknown text raises each time)."""
    import pint

    try:
        expr = _pint_expression(text)
        unit = registry().parse_units(expr)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, KeyError) as exc:
        raise UnitError(diagnostic("IND301", text=text)) from exc
    return unit


def is_unit(text: str) -> bool:
    """True when ``text`` names a unit of the registry (possibly compound or multiplied)."""
    return _light_dimensions(text) is not None if unitwords.table() is not None else _pint_is_unit(text)


@cache
def _light_dimensions(text: str) -> str | None:
    """The text of the dimensionality of the unit ``text`` from the table (no pint); None if no unit."""
    words = unitwords.table()
    assert words is not None
    try:
        top, bottom = _expression(text)
    except ValueError:
        return None
    dims = words.dimensions(top, bottom)
    return None if dims is None else unitwords.dimension_text(dims)


def _pint_is_unit(text: str) -> bool:
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
    factor, rest = split_multiplier(unit)
    return rest if factor != 1 and rest and is_unit(rest) else unit


def split_multiplier(unit: str) -> tuple[Decimal, str]:
    """``万粒`` → (10000, ``粒``); ``亿元`` → (10⁸, ``元``); a unit without a scale word → (1, unit).

    Works on unit words the registry does not know (``万盏``), so that two texts in one unknown unit
    can still be compared; a scale word alone (``万``) is returned whole, as the number it is."""
    prefixes = _definitions().prefixes
    for mult in multipliers():
        if unit.startswith(mult) and len(unit) > len(mult):
            return prefixes[mult], unit[len(mult):]
    return Decimal(1), unit


def count_kind(word: str) -> str | None:
    """The kind of thing a count word counts (its @group in units.txt, else the word itself).

    None for the generic count word 个, for a word that is not a count unit, and for unknown words."""
    try:
        name = _canonical(split_multiplier(word)[1])
        if dimension_of(name) != "[count]":
            return None
    except (ValueError, UnitError):
        return None
    if name == GENERIC_COUNT:
        return None
    return _definitions().groups.get(name, name)


def count_mismatch(a: str | None, b: str | None) -> tuple[str, str] | None:
    """The two count words when units ``a`` and ``b`` count different kinds of things, else None.

    ``只`` and ``头``, ``人`` and ``人次`` differ; ``株`` and ``棵`` (one @group), ``个`` and any count
    word, and ``万人`` and ``人`` do not. The numerator and the denominator are compared apart
    (``元/人`` against ``元/户`` differ)."""
    if not a or not b:
        return None
    try:
        a_parts, b_parts = _expression(a), _expression(b)
    except ValueError:
        return None
    for a_words, b_words in zip(a_parts, b_parts, strict=True):
        a_kinds = [(k, w) for w in a_words if (k := count_kind(w)) is not None]
        b_kinds = [(k, w) for w in b_words if (k := count_kind(w)) is not None]
        if a_kinds and b_kinds and sorted(k for k, _ in a_kinds) != sorted(k for k, _ in b_kinds):
            return a_kinds[0][1], b_kinds[0][1]
    return None


#: the dimensions of a span of time: 天/小时/周 ([time]), 月/季度/年 ([month]), 工作日 ([workday])
TIME_DIMENSIONS = frozenset({"[time]", "[month]", "[workday]"})


def dimension_of(unit: str | None) -> str:
    """A stable text of the unit's dimensionality (``[money] / [count]``; ``""`` for a pure number).

    Read from the table of unit words without pint (:mod:`indicators.unitwords`); the dimensions
    above and below the line are each in name order, so the text does not depend on word order."""
    if not unit:
        return ""
    if unitwords.table() is not None:
        found = _light_dimensions(unit)
        if found is None:
            raise UnitError(diagnostic("IND301", text=unit))
        return found
    dims = parse_unit(unit).dimensionality
    return "" if not dims else str(dims)


def same_dimension(a: str | None, b: str | None) -> bool:
    """True when quantities in ``a`` and ``b`` convert into each other (both may be numbers)."""
    return dimension_of(a) == dimension_of(b)


def _round(value: Decimal) -> Decimal:
    if value.is_zero():
        return Decimal(0)
    with localcontext(engine_context()) as ctx:
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

    with localcontext(engine_context()) as ctx:
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


def format_short(value: Decimal, places: int = 4) -> str:
    """A number for people: no exponent, no trailing zeros, at most ``places`` decimals (then ``…``).

    Whatever the current context's precision; a number beyond 10**±100 keeps its exponent."""
    if not value.is_finite() or abs(value.adjusted()) > 100:
        return str(value)
    context = Context(prec=max(28, value.adjusted() + places + 2))
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1), context=context), "f")
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN, context=context)
    text = format(rounded.normalize(), "f")
    return text if rounded == value else f"{text}…"


def format_decimal(value: Decimal) -> str:
    """Plain notation, never an exponent (``1E+2`` → ``100``)."""
    text = format(value, "f")
    return "0" if text in {"-0", "-0.0"} else text
