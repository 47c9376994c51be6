"""``lint_form``: run the selected rules over a form and return every finding, in form order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from indicators.diagnostics import Diagnostic
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.lint.base import Selection
from indicators.lint.context import LintContext

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.forms.model import Form


def sort_key(d: Diagnostic) -> tuple[int, int, int, str]:
    """Form order: findings without a row (form-wide) first, then by row, column and code."""
    loc = d.location
    row = loc.row if loc is not None and loc.row is not None else 0
    column = loc.column if loc is not None and loc.column is not None else 0
    start = d.span.start if d.span is not None else 0
    return (row, column, start, d.code)


def lint_form(
    form: Form,
    *,
    catalog: Catalog | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    prior: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Diagnostic]:
    """Every finding on ``form``: the import's own diagnostics and those of the selected rules.

    ``catalog`` defaults to the bundled catalog. ``select``/``ignore`` take codes, code prefixes,
    slugs, slug groups or slug patterns (see :mod:`indicators.lint.base`); an unknown entry raises
    :class:`~indicators.lint.base.SelectorError`. ``prior`` maps a level-3 name or catalog code to
    last year's value. Bad data in the form never raises: it becomes a finding.
    """
    selection = Selection.of(select, ignore)
    ctx = LintContext(form, catalog=catalog, prior=prior, limits=limits)
    found = [d for d in form.diagnostics if selection.wants_diagnostic(d)]
    for rule in selection.rules():
        found += [d for d in rule().check(ctx) if selection.wants_diagnostic(d)]
    return sorted(found, key=sort_key)
