"""Size and depth limits, in one place.

Limits are a frozen value passed in by keyword (``limits=``) to parsers and readers; the defaults suit
real forms with a wide margin. Exceeding a limit gives a :class:`~indicators.errors.LimitExceededError`
(or the language's own syntax error) with code IND001-IND003, never a ``RecursionError``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    #: longest formula, target or actual-value text, in characters
    max_text_length: int = 2_000
    #: deepest nesting of parentheses and function calls in a formula
    max_depth: int = 50
    #: most AST nodes in one formula
    max_nodes: int = 2_000
    #: largest form or actuals file read, in bytes
    max_file_bytes: int = 20_000_000
    #: most rows read from one sheet or text file
    max_rows: int = 20_000
    #: most columns read from one sheet
    max_columns: int = 200
    #: significant digits kept by Decimal arithmetic
    decimal_precision: int = 34


DEFAULT_LIMITS = Limits()
