"""Errors shared by the readers."""

from __future__ import annotations

from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.errors import FormReadError, LimitExceededError


class FormTooLargeError(FormReadError, LimitExceededError):
    """A form file larger than :class:`~indicators.limits.Limits` allows (IND003)."""


def unreadable(source: str | None, reason: str, *, hint: str | None = None) -> FormReadError:
    """An IND501 error: the file cannot be read as a form."""
    return FormReadError(diagnostic("IND501", reason=reason, hint=hint, location=Location(source=source)))


def too_large(source: str | None, what: str, size: int, limit: int) -> FormTooLargeError:
    """An IND003 error raised as a :class:`FormReadError` that is also a ``LimitExceededError``."""
    return FormTooLargeError(
        diagnostic(
            "IND003",
            what=what,
            size=size,
            limit=limit,
            location=Location(source=source),
            hint="可以用 Limits 提高上限，或拆分表格",
        )
    )
