"""Size and depth limits, in one place.

Limits are a frozen value passed in by keyword (``limits=``) to parsers and readers; the defaults suit
real forms with a wide margin. Every limit is checked *before* the work it bounds (a file's size before
it is read, a workbook's unpacked size before it is unpacked, a sheet's rows before they are built), so
an input over a limit costs no more than its own bytes. Exceeding a limit gives a
:class:`~indicators.errors.LimitExceededError` (or the reader's own error) whose diagnostic names the
limit (``Limits.max_rows``), never a ``RecursionError``, a ``MemoryError`` or a traceback.

Change a limit with :func:`dataclasses.replace`::

    from dataclasses import replace
    from indicators.limits import DEFAULT_LIMITS
    read_form("big.xlsx", limits=replace(DEFAULT_LIMITS, max_rows=100_000))

``docs/limits.md`` lists every limit with its default and the diagnostic it gives.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    setcontext,
)
from typing import ParamSpec, TypeVar

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location


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
    #: most columns read from one sheet or text file
    max_columns: int = 200
    #: most cells in the used area of one sheet (rows × columns)
    max_cells: int = 400_000
    #: longest cell, in characters (Excel's own limit)
    max_cell_chars: int = 32_767
    #: longest line of a text or CSV file, in characters
    max_line_chars: int = 1_000_000
    #: largest unpacked size of all the members of an XLSX workbook together, in bytes
    max_unpacked_bytes: int = 200_000_000
    #: largest ratio of a workbook member's unpacked size to its packed size (a zip bomb's is ~1000)
    max_compression_ratio: int = 200
    #: most members (files) in an XLSX workbook
    max_zip_members: int = 2_000
    #: most digits in a number written in a cell or file
    max_number_digits: int = 50
    #: largest power of ten of a number (``1e50``, ``1e-50``)
    max_number_exponent: int = 50
    #: significant digits kept by the engine's Decimal arithmetic: a DECIMAL(38, 10) value and the sum
    #: of two of them with ten digits to spare; a result rounded to it is reported (IND030)
    decimal_precision: int = 48

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{item.name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = Limits()
_P = ParamSpec("_P")
_R = TypeVar("_R")


def engine_context(limits: Limits = DEFAULT_LIMITS) -> Context:
    """A new Decimal context for the engine's arithmetic, whatever the caller's context is.

    ``decimal.localcontext()`` without an argument copies the *current* context, with the caller's
    precision and traps (``prec=5``, ``traps[Inexact]``); the engine uses
    ``localcontext(engine_context())`` instead: ``Limits.decimal_precision`` digits, rounding half
    even, traps on invalid operations, division by zero and overflow only, no flags set. The caller's
    context is never read nor changed.
    """
    return Context(
        prec=limits.decimal_precision,
        rounding=ROUND_HALF_EVEN,
        traps=[InvalidOperation, DivisionByZero, Overflow],
        flags=[],
    )


def in_engine_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run in the engine's context (:func:`engine_context`, one per thread): the decorator
    of the public entry points (``read_form``, ``lint_form``, ``score_form``, ``parse_target`` …), so
    that no Decimal operation of the engine runs in the caller's context. The caller's context is made
    current again on return, unchanged."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        saved = getcontext()
        engine = _thread_context()
        if saved is engine:  # called from inside the engine
            return function(*args, **kwargs)
        setcontext(engine)
        try:
            return function(*args, **kwargs)
        finally:
            setcontext(saved)

    return run


_THREAD = threading.local()


def _thread_context() -> Context:
    """This thread's engine context (one per thread: making one per call would cost more than a cached
    parse). Nothing in the engine changes the current context's settings; its flags mean nothing."""
    try:
        context: Context = _THREAD.context
    except AttributeError:
        context = _THREAD.context = engine_context()
    return context


def exceeded(name: str, what: str, size: int, limit: int, *, location: Location | None = None) -> Diagnostic:
    """The IND003 diagnostic of a value over the limit ``name``; its message names the limit:
    ``输入过大：工作表“Sheet1”的行数 为 1000000，上限为 20000（Limits.max_rows）``.

    ``limit`` is the value the input was held to (``limits.max_rows``)."""
    if name not in Limits.__dataclass_fields__:  # a typo is a programming error
        raise AssertionError(f"no such limit: {name}")
    return diagnostic(
        "IND003",
        what=what,
        size=size,
        limit=f"{limit}（Limits.{name}）",
        location=location,
        data={"limit": name, "size": size, "max": limit},
    )
