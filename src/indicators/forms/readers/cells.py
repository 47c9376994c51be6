"""The text Excel shows for a cell's value: numbers in their number format, dates the Chinese way.

Numbers become the text Excel shows, without ever losing a digit the cell holds: a float is taken at
Excel's precision of 15 significant digits (``15009.119999999999`` is ``15009.12``); a percentage format
gives ``95%``; a fixed-decimals format pads to its decimals (``30.00``) but never rounds digits away;
text in the format is kept (``0"人次"`` gives ``500人次``, ``0"%"`` gives ``95%`` for 95). Dates are
written the Chinese way, which the target language reads: ``2024年1月31日`` (``2024年1月`` or ``1月31日``
when the format shows no day or no year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

#: significant digits of an Excel number
EXCEL_DIGITS = 15

#: the general number format, in English and in a Chinese Excel
_GENERAL = re.compile(r"General|G/通用格式", re.IGNORECASE)
_ANY_NUMBER = "\x00"


@dataclass(frozen=True)
class NumberFormat:
    """What an Excel number format does to a number: affixes, decimals, percent."""

    prefix: str = ""
    suffix: str = ""
    places: int | None = None
    percent: bool = False
    general: bool = True


def _section(fmt: str) -> str:
    """The first section of a format (the one for positive numbers)."""
    quoted = False
    for i, ch in enumerate(fmt):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted and (i == 0 or fmt[i - 1] != "\\"):
            return fmt[:i]
    return fmt


def number_format(fmt: str) -> NumberFormat:
    """Parse the parts of ``fmt`` that matter for a number's text.

    ``General`` (``G/通用格式`` in a Chinese Excel) shows the number as it is, between any text around it.
    """
    text = _GENERAL.sub(_ANY_NUMBER, _section(fmt or "General"))
    if text.strip() in {_ANY_NUMBER, "@", ""}:
        return NumberFormat()
    prefix: list[str] = []
    suffix: list[str] = []
    places: int | None = None
    percent = seen_digit = general = False
    i = 0
    while i < len(text):
        ch = text[i]
        literal: str | None = None
        if ch == _ANY_NUMBER:
            seen_digit = general = True
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            literal, i = text[i + 1 : end], end + 1
        elif ch == "\\" and i + 1 < len(text):
            literal, i = text[i + 1], i + 2
        elif ch == "[":
            end = text.find("]", i)
            i = len(text) if end < 0 else end + 1  # a colour, locale or condition
        elif ch in "_*":
            i += 2  # padding to the width of the next character, or a fill character
        elif ch in "0#?":
            seen_digit = True
            if places is not None:
                places += 1
            i += 1
        elif ch == "." and seen_digit:
            places = 0
            i += 1
        elif ch == ",":
            i += 1
        elif ch == "%":
            percent, literal, i = True, "%", i + 1
        elif ch in "Ee" and i + 1 < len(text) and text[i + 1] in "+-":
            return NumberFormat()  # scientific: shown as a plain number
        elif ch == "@":
            i += 1
        else:
            literal, i = ch, i + 1
        if literal:
            (suffix if seen_digit else prefix).append(literal)
    if not seen_digit or general:
        return NumberFormat(prefix="".join(prefix), suffix="".join(suffix), percent=percent)
    return NumberFormat(
        prefix="".join(prefix), suffix="".join(suffix), places=places or 0, percent=percent, general=False
    )


def excel_decimal(value: int | float | Decimal) -> Decimal:
    """The exact value of a cell's number; a float is cut to Excel's 15 significant digits."""
    if not isinstance(value, float):
        return Decimal(value)
    number = Decimal(repr(value))
    if not number.is_finite() or number.is_zero():
        return number
    return number.quantize(Decimal(1).scaleb(number.adjusted() - EXCEL_DIGITS + 1), rounding=ROUND_HALF_EVEN)


def _plain(value: Decimal, places: int | None = None) -> str:
    """``value`` without a trailing ``.0``, padded to ``places`` decimals but never rounded."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if places and isinstance(exponent, int) and -exponent < places:
        normal = normal.quantize(Decimal(1).scaleb(-places))
    text = format(normal, "f")
    return "0" if text in {"-0", ""} else text


def _date_parts(fmt: str) -> tuple[bool, bool]:
    """Whether a date format shows the year and the day (neither named: both shown)."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt or "").lower()
    year, day = "y" in bare, "d" in bare
    return (year, day) if year or day else (True, True)


def date_text(value: dt.date, fmt: str = "General") -> str:
    """``2024年1月31日`` (with the time when it is not midnight); the format may leave out year or day."""
    year, day = _date_parts(fmt)
    text = f"{value.month}月"
    if year:
        text = f"{value.year}年{text}"
    if day:
        text += f"{value.day}日"
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        seconds = f":{value.second:02d}" if value.second else ""
        text += f" {value.hour}:{value.minute:02d}{seconds}"
    return text


def cell_text(value: Any, number_format_text: str = "General") -> str:
    """The text Excel shows for a cell value (no float arithmetic: floats go through their repr)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):  # a datetime too
        return date_text(value, number_format_text)
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = excel_decimal(value)
        if not number.is_finite():
            return str(value)
        fmt = number_format(number_format_text)
        if fmt.percent:
            number *= 100
        return fmt.prefix + _plain(number, fmt.places) + fmt.suffix
    return str(value)
