"""Unit words and their dimensions, read from ``catalog/units.txt`` without pint.

Most questions asked of a unit while reading and checking a form — is this a unit, what is its
canonical name, what is its dimension, what kind of thing does a count word count — need no
arithmetic. This module answers them from a small table built from the file, so that pint (about
0.1 s to import and to build its registry) is loaded only when a value is really converted
(:mod:`indicators.units`). The answers are pint's own: the same name resolution (a unit, a symbol or
an alias, after a scale prefix, before pint's plural suffix ``s``) and the same dimensionality,
written in pint's notation (``[money] / [count] / [month]``); ``tests/target/test_unitwords.py``
compares both on every word of the file. A definition this table cannot read makes :func:`table`
return None, and the callers ask pint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from indicators import resources

__all__ = ["UnitTable", "Unreadable", "dimension_text", "read", "table"]

#: pint's suffixes (its default plural ``s``; a one-letter unit takes none), in pint's order
_SUFFIXES = ("", "s")
_GROUP = re.compile(r"^@group\s+(\S+)")
_TOKEN = re.compile(r"\s*(\*\*|\*|/|\(|\)|[0-9]+(?:\.[0-9]+)?|[^\s*/()]+)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: a dimensionality: base dimension → exponent, in the order pint meets them
Dims = dict[str, int]


class Unreadable(ValueError):
    """A definition beyond this table (pint reads it)."""


@dataclass(frozen=True)
class UnitTable:
    """Every unit of the file: word → canonical name, name → reference, prefixes."""

    #: every name, symbol and alias → the unit's name
    names: dict[str, str]
    #: unit name → its definition as (unit name or ``[dimension]``, exponent) pairs; () for a number
    references: dict[str, tuple[tuple[str, int], ...]]
    #: the scale prefixes (万, 亿, 千), in file order after pint's empty prefix
    prefixes: tuple[str, ...]

    def canonical(self, word: str) -> str | None:
        """pint's ``get_name``: the unit's name (a prefix kept: ``万人次``); None for an unknown word."""
        if word == "dimensionless":
            return ""
        name = self.names.get(word)
        if name is not None:
            return name
        for suffix in _SUFFIXES:
            for prefix in self.prefixes:
                if not (word.startswith(prefix) and word.endswith(suffix)):
                    continue
                rest = word[len(prefix):len(word) - len(suffix)]
                if suffix and len(rest) == 1:
                    continue
                found = self.names.get(rest)
                if found is not None:
                    return prefix + found
        return None

    def dimensions(self, top: list[str], bottom: list[str]) -> Dims | None:
        """The dimensionality of ``top[0]·top[1]…/(bottom[0]·…)``; None when a word is unknown."""
        numerator: dict[str, int] = {}
        denominator: dict[str, int] = {}
        for words, into in ((top, numerator), (bottom, denominator)):
            for word in words:
                name = self.canonical(word)
                if name is None:
                    return None
                if name:
                    _add(into, name, 1)
        for name, exponent in denominator.items():
            _add(numerator, name, -exponent)
        dims: Dims = {}
        for name, exponent in numerator.items():
            self._reduce(name, exponent, dims)
        return {k: v for k, v in dims.items() if v}

    def _reduce(self, name: str, exponent: int, into: Dims) -> None:
        if name.startswith("["):
            into[name] = into.get(name, 0) + exponent
            return
        base = name
        if base not in self.references:
            base = next(name[len(p):] for p in self.prefixes if p and name.startswith(p)
                        and name[len(p):] in self.references)
        for part, power in self.references[base]:
            self._reduce(part, exponent * power, into)


def _add(into: dict[str, int], name: str, exponent: int) -> None:
    """pint's product of unit containers: a unit whose exponent reaches 0 leaves the container."""
    total = into.get(name, 0) + exponent
    if total:
        into[name] = total
    else:
        into.pop(name, None)


def dimension_text(dims: Dims) -> str:
    """The text of a dimensionality in pint's notation: ``[money] / [count]``, ``[length] ** 2``,
    ``1 / [time]``; the dimensions above and below the line each in name order, so that ``元/人·月``
    and ``元/月·人`` have one text (pint's own text follows the order it met them, or a cached one)."""
    def power(name: str, exponent: int) -> str:
        return name if exponent == 1 else f"{name} ** {exponent}"

    ordered = sorted(dims.items())
    up = " * ".join(power(k, v) for k, v in ordered if v > 0)
    down = [power(k, -v) for k, v in ordered if v < 0]
    if not down:
        return up
    return " / ".join([up or "1", *down])


@cache
def table() -> UnitTable | None:
    """The table of ``catalog/units.txt``; None when a definition is beyond it (then pint answers)."""
    try:
        return read(resources.catalog_text("units.txt"))
    except Unreadable:
        return None


def read(text: str) -> UnitTable:
    names: dict[str, str] = {}
    references: dict[str, tuple[tuple[str, int], ...]] = {}
    prefixes = [""]
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or _GROUP.match(line) or line == "@end":
            continue
        if line.startswith("@"):
            raise Unreadable(line)
        parts = [part.strip() for part in line.split(" = ")]
        if parts[0].endswith("-"):
            prefixes.append(parts[0][:-1])
            continue
        if len(parts) < 2:
            raise Unreadable(line)
        name = parts[0]
        references[name] = _reference(parts[1], names)
        for word in (name, *parts[2:]):
            if word and word != "_":
                names.setdefault(word, name)
    return UnitTable(names, references, tuple(prefixes))


def _reference(definition: str, names: dict[str, str]) -> tuple[tuple[str, int], ...]:
    """``天 / 24`` → ((天, 1),); ``米 ** 2`` → ((米, 2),); ``[money]`` → (([money], 1),); a number → ()."""
    tokens = _TOKEN.findall(definition)
    if "".join(tokens) != definition.replace(" ", "") or "(" in tokens or ")" in tokens:
        raise Unreadable(definition)
    out: dict[str, int] = {}
    sign, i = 1, 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("*", "/"):
            sign = 1 if token == "*" else -1
            i += 1
            continue
        power = 1
        if tokens[i + 1:i + 2] == ["**"]:
            if i + 2 >= len(tokens) or not tokens[i + 2].isdigit():
                raise Unreadable(definition)
            power = int(tokens[i + 2])
            i += 2
        if not _NUMBER.fullmatch(token):
            unit = token if token.startswith("[") else names.get(token)
            if unit is None:
                raise Unreadable(definition)
            _add(out, unit, sign * power)
        i += 1
    return tuple(out.items())
