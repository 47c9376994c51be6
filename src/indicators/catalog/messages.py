"""Building catalog diagnostics whose message templates name the entry's ``{code}``.

:func:`indicators.codes.diagnostic` takes the diagnostic code as its first argument, so a template
field also called ``code`` cannot be passed to it by keyword; :func:`entry_diagnostic` fills such
templates from the same code table, with the same defaults.
"""

from __future__ import annotations

from typing import Any

from indicators.codes import lookup
from indicators.diagnostics import Diagnostic, Location, Span


def entry_diagnostic(
    diagnostic_code: str,
    *,
    code: str,
    span: Span | None = None,
    text: str | None = None,
    location: Location | None = None,
    hint: str | None = None,
    indicator: str | None = None,
    fix: str | None = None,
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Diagnostic:
    """The diagnostic ``diagnostic_code`` about the catalog entry ``code``."""
    row = lookup(diagnostic_code)
    if "text" not in fields and text is not None:
        fields["text"] = text[span.start : span.end] if span is not None else text
    try:
        message = row.message.format(code=code, **fields)
    except (KeyError, IndexError) as exc:  # a programming error: the template and the call disagree
        raise AssertionError(f"{row.code}: message template needs field {exc}") from exc
    return Diagnostic(
        code=row.code,
        slug=row.slug,
        severity=row.severity,
        message=message,
        hint=hint if hint is not None else row.hint,
        span=span,
        location=location,
        text=text,
        indicator=indicator,
        fix=fix,
        data=data or {},
    )
