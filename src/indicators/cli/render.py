"""Shared output helpers for the command line: JSON, diagnostics as text or JSON, and safe terminal text.

Everything a command prints goes through :func:`terminal_safe` (:func:`safe_output` wraps standard output
and standard error for the duration of a command), because cells, file names and command-line text are
printed back to the user and may hold control characters: an escape sequence can clear the screen, set
the window title or move the cursor, a bidi override reverses the text after it. Each control character
(C0 except tab and line feed, DEL, C1), each bidi control and each lone surrogate (the bytes of a file name
in another encoding) is written as ``\\uXXXX``, which also keeps JSON output valid JSON with the same
value. On a terminal the colour codes the commands' own styling writes (SGR: bold, dim, the standard
foreground colours, reset) pass; a sequence that could hide or rewrite text (black text, concealed text,
cursor movement) never does. Text the stream's encoding cannot hold is written with backslash escapes
instead of raising, whatever the locale (``PYTHONIOENCODING=ascii``, ``LC_ALL=C``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TextIO

from indicators.diagnostics import Diagnostic

#: characters never written as they are: C0 controls but tab and line feed, DEL, C1 controls, bidi
#: controls (LRM, RLM, ALM, embeddings, overrides, isolates) and lone surrogates
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[{UNSAFE}]")
#: a Select Graphic Rendition sequence (``ESC [ 1 ; 31 m``)
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
#: SGR parameters the commands' styling uses: reset, bold, dim, normal, the visible standard colours
#: (red … cyan), default colour; black (30), white, concealed (8) and reverse (7) could hide text
STYLE_CODES = frozenset({"", "0", "1", "2", "22", "31", "32", "33", "34", "35", "36", "39"})


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def terminal_safe(text: str, *, styles: bool = False) -> str:
    """``text`` with every unsafe character written as ``\\uXXXX`` (see the module text); with
    ``styles``, SGR sequences made only of :data:`STYLE_CODES` are kept."""
    if not styles or "\x1b" not in text:
        return _UNSAFE.sub(_escaped, text)
    out: list[str] = []
    at = 0
    for match in _SGR.finditer(text):
        if all(code in STYLE_CODES for code in match[1].split(";")):
            out.append(_UNSAFE.sub(_escaped, text[at : match.start()]))
            out.append(match[0])
            at = match.end()
    out.append(_UNSAFE.sub(_escaped, text[at:]))
    return "".join(out)


class SafeStream:
    """A text stream that writes through :func:`terminal_safe` and never fails on encoding."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        safe = terminal_safe(text, styles=self.isatty())
        try:
            safe.encode(self.encoding)
        except (UnicodeEncodeError, LookupError):
            safe = safe.encode(self.encoding, "backslashreplace").decode(self.encoding, "replace")
        self._stream.write(safe)
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def isatty(self) -> bool:
        isatty = getattr(self._stream, "isatty", None)
        return bool(isatty()) if callable(isatty) else False

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # fileno, errors, buffer …: the wrapped stream's
        return getattr(self._stream, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Standard output and standard error through :class:`SafeStream` until the block ends."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(saved[0]), SafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any) -> str:
    """Stable JSON: UTF-8 text (Chinese unescaped), two-space indent, Decimals as strings."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=_default)


def emit_json(obj: Any, out: TextIO | None = None) -> None:
    print(dumps(obj), file=out or sys.stdout)


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """The documented JSON shape of one diagnostic (flat row/column for convenience)."""
    data = d.model_dump(mode="json", exclude_none=True)
    loc = d.location
    data["row"] = loc.row if loc else None
    data["column"] = loc.column if loc else (d.span.column if d.span else None)
    data.setdefault("hint", None)
    return data


def print_diagnostics(diagnostics: Iterable[Diagnostic], out: TextIO | None = None) -> None:
    stream = out or sys.stderr
    for d in diagnostics:
        print(d.render(), file=stream)
