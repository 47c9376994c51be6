"""Spreadsheet residue in cell texts: binary float artefacts and Excel date serials.

A cell exported from a spreadsheet may hold the binary float of a number instead of the number:
``0.0500000007450581`` is 0.05 stored as a 32-bit float and printed with 15 digits,
``95.00000000000001`` and ``0.8999999999999999`` are 64-bit rounding noise. :func:`float_residue`
gives the number such a text stands for: the shortest decimal that round-trips through the same
binary32 or binary64 float. A date cell read as a number is a day count from 1899-12-30
(``45200`` is 2023-10-01): :func:`excel_serial_date` reads it, in the plausible range 2000–2050 only.
Both are reported with a warning wherever they are applied.
"""

from __future__ import annotations

import datetime
import re
import struct
from decimal import Decimal, InvalidOperation

#: a number with at least this many significant digits may be a float artefact
_MIN_DIGITS = 15
#: the number it stands for has at most this many significant digits
_MAX_SHORT_DIGITS = 9
#: Excel date serials accepted as dates: 2000-01-01 … 2050-12-31
SERIAL_RANGE = (36526, 55153)
_EPOCH = datetime.date(1899, 12, 30)
#: a decimal number with a fraction as written in a cell (sign, digits, one point)
NUMBER_TEXT = re.compile(r"-?[0-9]+\.[0-9]+")


def _significant(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").lstrip("0")
    return len(digits)


def _shortest_binary32(value: float) -> str | None:
    """The shortest decimal text that reads back as the same binary32 float as ``value``."""
    try:
        bits = struct.pack("<f", value)
    except OverflowError:
        return None
    single = struct.unpack("<f", bits)[0]
    for digits in range(1, _MAX_SHORT_DIGITS + 1):
        text = f"{single:.{digits}g}"
        if struct.pack("<f", float(text)) == bits:
            return text
    return None


def _plain(text: str) -> Decimal:
    value = Decimal(text)
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def float_residue(text: str) -> Decimal | None:
    """The number a float artefact stands for (``0.0500000007450581`` → 0.05), or None.

    A text with fewer than 15 significant digits is never an artefact; one with 15 or more is when a
    number of at most 9 significant digits reads back as the same binary64 float (64-bit noise), or
    as the same binary32 float with the text being that float printed at the text's own precision.
    """
    if _significant(text) < _MIN_DIGITS or not NUMBER_TEXT.fullmatch(text):
        return None
    try:
        exact = Decimal(text)
        double = float(text)
    except (InvalidOperation, ValueError):
        return None
    shortest64 = f"{double:.15g}"  # what Excel shows: 15 significant digits
    if "e" in shortest64:
        return None
    if _significant(shortest64) <= _MAX_SHORT_DIGITS and float(shortest64) != double:
        # 95.00000000000001 → 95: a short number one binary64 step away
        return _plain(shortest64)
    if _significant(shortest64) <= _MAX_SHORT_DIGITS:
        return _plain(shortest64) if Decimal(shortest64) != exact else None
    short32 = _shortest_binary32(double)
    if short32 is None or "e" in short32 or _significant(short32) > _MAX_SHORT_DIGITS:
        return None
    single = struct.unpack("<f", struct.pack("<f", double))[0]
    places = _significant(text)
    if Decimal(f"{single:.{places}g}") != exact and Decimal(f"{single:.{places - 1}g}") != exact:
        return None
    return _plain(short32)


def excel_serial_date(value: Decimal) -> datetime.date | None:
    """The date an Excel serial day number stands for (``45200`` → 2023-10-01), or None.

    Only whole numbers from 36526 (2000-01-01) to 55153 (2050-12-31) are read as dates."""
    if value != value.to_integral_value():
        return None
    number = int(value)
    low, high = SERIAL_RANGE
    if not low <= number <= high:
        return None
    return _EPOCH + datetime.timedelta(days=number)
