"""Suppressions: findings a reviewer has accepted, each with its reason, as ruff's and sqlfluff's ``noqa``.

In the form, a cell of the row (备注, or any other cell of it) may say::

    noqa: IND605 理由：本指标按合同约定考核，可超过100%
    免检：IND611、IND638 原因：上级模板未设满意度指标

The codes (codes, code prefixes or slugs, separated by commas, 、 or spaces) are not reported for that row.
A marker without a reason does not suppress anything and is reported (IND639); a marker, or a
``[[suppress]]`` entry of the configuration (:mod:`indicators.lint.config`), that suppresses nothing is
noted (IND640), so stale ones can be removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from indicators import codes
from indicators.diagnostics import Diagnostic, Span
from indicators.lint.config import Suppression

if TYPE_CHECKING:
    from indicators.forms.model import Cell, Form

_CODE = r"(?!reason\b)[A-Za-z0-9.*\-_]+"
_MARKER = re.compile(
    rf"(?:noqa|NOQA|免检|免审)\s*[:：]\s*(?P<codes>{_CODE}(?:\s*[,，、;；\s]\s*{_CODE})*)"
    r"\s*(?:[,，;；]?\s*(?:理由|原因|说明|reason)\s*[:：]\s*(?P<reason>\S.*))?",
    re.DOTALL,
)
_SPLIT = re.compile(r"[\s,，、;；]+")


def markers_in(cells: Iterable[Cell]) -> list[tuple[Suppression | None, Diagnostic]]:
    """Suppressions written in cells, as (suppression or None, the finding that places it).

    The finding is IND639 for a marker without a reason (its suppression is None) and IND640 for one
    with a reason (reported only if it turns out unused).
    """
    out: list[tuple[Suppression | None, Diagnostic]] = []
    for cell in cells:
        text, location = cell.text, cell.location
        if location is None or location.row is None:
            continue
        for found in _MARKER.finditer(text):
            tokens = tuple(t for t in _SPLIT.split(found.group("codes")) if t)
            span = Span.of(text, found.start(), found.end())
            reason = (found.group("reason") or "").strip()
            if not reason:
                out.append((None, codes.diagnostic("IND639", span=span, text=text, location=location)))
                continue
            suppression = Suppression(codes=tokens, reason=reason, row=location.row,
                                      file=None, origin=f"{location}")
            note = codes.diagnostic("IND640", span=span, text=text, location=location)
            out.append((suppression, note))
    return out


def apply_suppressions(
    found: Sequence[Diagnostic],
    suppressions: Sequence[tuple[Suppression, Diagnostic | None]],
    *,
    path: str | None,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings no suppression covers, and a note (IND640) for each suppression that covered none.

    A suppression never covers the findings about suppressions themselves (IND639, IND640)."""
    used = [False] * len(suppressions)
    kept: list[Diagnostic] = []
    for d in found:
        covered = False
        if d.code not in ("IND639", "IND640"):
            for i, (suppression, _) in enumerate(suppressions):
                if suppression.covers(d, path):
                    used[i] = covered = True
        if not covered:
            kept.append(d)
    unused = [_unused_note(s, note) for (s, note), was_used in zip(suppressions, used, strict=True)
              if not was_used]
    return kept, unused


def _unused_note(suppression: Suppression, note: Diagnostic | None) -> Diagnostic:
    if note is not None:
        return note
    return codes.diagnostic("IND640", text=suppression.describe(),
                            hint=f"删除 {suppression.origin} 中不再需要的免检条目")


def row_cells(form: Form) -> Iterator[Cell]:
    """Every cell of the form's indicator rows that may hold a marker: 备注, 评（扣）分标准, other columns."""
    for row in form.indicators:
        for cell in (row.remark, row.standard, row.deviation, *row.others, *row.extra):
            if cell is not None and not cell.empty:
                yield cell
