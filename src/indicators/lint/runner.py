"""``lint_form``: run the selected rules over a form and return every finding, in form order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from indicators.codes import CODES
from indicators.collect import bulk_work
from indicators.diagnostics import Diagnostic
from indicators.limits import DEFAULT_LIMITS, Limits, in_engine_context
from indicators.lint.base import Selection
from indicators.lint.config import LintConfig, Suppression
from indicators.lint.context import DEFAULT_OVERSHOOT, LintContext
from indicators.lint.suppress import apply_suppressions, markers_in, row_cells
from indicators.lint.templates import Template, load_template

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.forms.model import Form


#: parser warnings that a lint rule reports in its own words (IND615, IND603)
REPORTED_BY_RULES = frozenset({"IND105", "IND204"})
#: parser notes that say nothing new about a target written as a bare value (``100%``: reaching 100%)
_BARE_VALUE_NOTES = frozenset({"IND223"})


def sort_key(d: Diagnostic) -> tuple[int, int, int, str]:
    """Form order: findings without a row (form-wide) first, then by row, column and code."""
    loc = d.location
    row = loc.row if loc is not None and loc.row is not None else 0
    column = loc.column if loc is not None and loc.column is not None else 0
    start = d.span.start if d.span is not None else 0
    return (row, column, start, d.code)


def parser_warnings(ctx: LintContext, selection: Selection) -> Iterator[Diagnostic]:
    """The notes the formula and target parsers attach to a cell they could read (IND1xx-IND3xx).

    IND105 (quotes around a formula) and IND204 (a vague target) are left out: rules IND615 and
    IND603 report them.
    """
    if not any(selection.wants(c.code, c.slug) for c in CODES.values() if c.code[3] in "123"):
        return
    for row in ctx.indicator_rows:
        formula = ctx.formula(row).value
        if formula is not None and row.formula is not None:
            for w in formula.warnings:
                if w.code not in REPORTED_BY_RULES:
                    yield w.with_location(row.formula.location, indicator=row.name)
        target = ctx.target(row).value
        if target is not None and row.target is not None:
            for w in target.warnings:
                if w.code in _BARE_VALUE_NOTES and target.default_comparator:
                    continue
                if w.code not in REPORTED_BY_RULES:
                    yield w.with_location(row.target.location, indicator=row.name)


@in_engine_context
def lint_form(
    form: Form,
    *,
    catalog: Catalog | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    prior: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    config: LintConfig | None = None,
    template: Template | None = None,
    path: str | None = None,
) -> list[Diagnostic]:
    """Every finding on ``form``: the import's own diagnostics, the parsers' warnings about cells they
    could read (:func:`parser_warnings`) and the findings of the selected rules.

    ``catalog`` defaults to the bundled catalog. ``select``/``ignore`` take codes, code prefixes,
    slugs, slug groups or slug patterns (see :mod:`indicators.lint.base`); an unknown entry raises
    :class:`~indicators.lint.base.SelectorError`. ``prior`` maps a level-3 name or catalog code to
    last year's value. ``config`` (:mod:`indicators.lint.config`) adds its selection, severity
    overrides, suppressions, template and overshoot factor; ``select`` replaces the configuration's
    selection and ``ignore`` adds to it. ``template`` overrides the form type's template
    (:mod:`indicators.lint.templates`); ``path`` is the form's path for the configuration's ``file``
    globs (default: ``form.source``). Suppressions written in the form (``noqa: IND605 理由：…``,
    :mod:`indicators.lint.suppress`) apply too. Bad data in the form never raises: it becomes a finding.
    """
    with bulk_work():
        return _lint(form, catalog, select, ignore, prior, limits, config, template, path)


def _lint(
    form: Form,
    catalog: Catalog | None,
    select: Sequence[str],
    ignore: Sequence[str],
    prior: Mapping[str, str] | None,
    limits: Limits,
    config: LintConfig | None,
    template: Template | None,
    path: str | None,
) -> list[Diagnostic]:
    config = config if config is not None else LintConfig()
    selection = Selection.of(select or config.select, (*config.ignore, *ignore))
    if template is None and config.template is not None:
        template = load_template(config.template)
    ctx = LintContext(form, catalog=catalog, prior=prior, limits=limits, template=template,
                      overshoot=config.overshoot or DEFAULT_OVERSHOOT)
    found = [d for d in form.diagnostics if selection.wants_diagnostic(d)]
    found += [d for d in parser_warnings(ctx, selection) if selection.wants_diagnostic(d)]
    for rule in selection.rules():
        found += [d for d in rule().check(ctx) if selection.wants_diagnostic(d)]
    inline = markers_in(row_cells(form))
    suppressions: list[tuple[Suppression, Diagnostic | None]] = [(s, n) for s, n in inline if s is not None]
    suppressions += [(s, None) for s in config.suppress]
    found, unused = apply_suppressions(found, suppressions, path=path or form.source)
    found += [note for s, note in inline if s is None] + unused
    found = config.apply_severity([d for d in found if selection.wants_diagnostic(d)])
    return sorted(found, key=sort_key)
