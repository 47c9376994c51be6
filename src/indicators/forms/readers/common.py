"""Errors shared by the readers, and the signature of a legacy workbook."""

from __future__ import annotations

from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.errors import FormReadError, LimitExceededError
from indicators.limits import exceeded

#: the signature of an OLE compound file: an old .xls, or an .xlsx encrypted with a password
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FormTooLargeError(FormReadError, LimitExceededError):
    """A form file larger than :class:`~indicators.limits.Limits` allows (IND003)."""


def unreadable(source: str | None, reason: str, *, hint: str | None = None) -> FormReadError:
    """An IND501 error: the file cannot be read as a form."""
    return FormReadError(diagnostic("IND501", reason=reason, hint=hint, location=Location(source=source)))


def too_large(
    source: str | None, what: str, size: int, limit: int, name: str, *, sheet: str | None = None
) -> FormTooLargeError:
    """An IND003 error naming the limit ``name`` (``max_rows``), raised as a :class:`FormReadError` that
    is also a ``LimitExceededError``."""
    return FormTooLargeError(exceeded(name, what, size, limit, location=Location(source=source, sheet=sheet)))
