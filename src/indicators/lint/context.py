"""What the rules share while linting one form: the form, the catalog, last year's values, and each
row's formula and target parsed once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from indicators.errors import FormulaSyntaxError, LimitExceededError, TargetSyntaxError
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.text import normalize_name

if TYPE_CHECKING:
    from collections.abc import Mapping

    from indicators.catalog import Catalog, Entry
    from indicators.forms.model import Cell, Form, IndicatorRow
    from indicators.formula import Formula
    from indicators.lint.templates import Template
    from indicators.target import Target


T = TypeVar("T")

#: a value at least this many times the target is an overshoot (the pmkpi module's 130%; configurable)
DEFAULT_OVERSHOOT = Decimal("1.3")


@cache
def bundled_catalog() -> Catalog:
    """The bundled catalog, read once per process (no user directories, no environment)."""
    from indicators.catalog import load_catalog

    return load_catalog(use_env=False)


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """The outcome of parsing one cell: the value, or the error, or neither for an empty cell."""

    value: T | None = None
    error: FormulaSyntaxError | TargetSyntaxError | LimitExceededError | None = None


class LintContext:
    """One lint run over one form. Parsing results are cached per row."""

    def __init__(
        self,
        form: Form,
        *,
        catalog: Catalog | None = None,
        prior: Mapping[str, str] | None = None,
        limits: Limits = DEFAULT_LIMITS,
        template: Template | None = None,
        overshoot: Decimal = DEFAULT_OVERSHOOT,
    ) -> None:
        self.form = form
        self._catalog = catalog
        self._template = template
        self.overshoot = overshoot
        self.limits = limits
        self.prior: dict[str, str] = {normalize_name(k): v for k, v in (prior or {}).items()}
        self._formulas: dict[int, Parsed[Formula]] = {}
        self._targets: dict[int, Parsed[Target]] = {}
        # category names by cell text: a form repeats a few of them on every row
        self._level1: dict[str, str | None] = {}
        self._level2: dict[tuple[str, str], str | None] = {}

    # -- rows ------------------------------------------------------------------------------------

    @property
    def rows(self) -> tuple[IndicatorRow, ...]:
        """Every indicator row, including category rows without a level-3 name."""
        return self.form.indicators

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        """The rows that name a level-3 indicator (a new list each time, from one pass over the form)."""
        return list(self._named_rows)

    @cached_property
    def _named_rows(self) -> tuple[IndicatorRow, ...]:
        return tuple(r for r in self.form.indicators if r.name)

    # -- catalog ---------------------------------------------------------------------------------

    @cached_property
    def catalog(self) -> Catalog:
        """The catalog given, or else the bundled one (environment variables not consulted)."""
        if self._catalog is not None:
            return self._catalog
        return bundled_catalog()

    def entry(self, row: IndicatorRow) -> Entry | None:
        """The catalog entry this row names (same name or alias after normalisation), if any."""
        if not row.name:
            return None
        match = self.catalog.lookup(row.name)
        if match is None or match.method == "fuzzy":
            return None
        return match.entry

    # -- last year's values ----------------------------------------------------------------------

    def prior_value(self, row: IndicatorRow) -> str | None:
        """Last year's value of the row's indicator, by level-3 name or by catalog code."""
        if not self.prior or not row.name:
            return None
        value = self.prior.get(normalize_name(row.name))
        if value is None:
            entry = self.entry(row)
            if entry is not None:
                value = self.prior.get(normalize_name(entry.code))
        return value

    # -- parsing ---------------------------------------------------------------------------------

    def formula(self, row: IndicatorRow) -> Parsed[Formula]:
        """The row's formula, parsed once; empty when the row has no formula cell or it is blank."""
        cached = self._formulas.get(row.index)
        if cached is None:
            cached = self._formulas[row.index] = self._parse_formula(row)
        return cached

    def _parse_formula(self, row: IndicatorRow) -> Parsed[Formula]:
        if row.formula is None or row.formula.empty:
            return Parsed()
        from indicators.formula import parse_formula

        try:
            return Parsed(value=parse_formula(row.formula.text, limits=self.limits))
        except (FormulaSyntaxError, LimitExceededError) as exc:
            return Parsed(error=exc)

    def operator(self, row: IndicatorRow) -> str | None:
        """The comparator the 指标性质 column names (``ge`` … ``qualitative``), or None (blank, 定量)."""
        from indicators.target.operators import operator_comparator

        if row.operator is None or row.operator.empty:
            return None
        return operator_comparator(row.operator.stripped)

    def comparator(self, row: IndicatorRow) -> str | None:
        """The target's comparator; for a bare number, the one its 指标性质 column gives."""
        target = self.target(row).value
        if target is None:
            return None
        written = self.operator(row)
        if target.default_comparator and written is not None and written != "qualitative":
            return written
        return target.comparator

    def unit(self, row: IndicatorRow) -> str | None:
        """The unit in the row's own 计量单位 column, if it has one."""
        if row.unit is None or row.unit.empty:
            return None
        return row.unit.stripped

    def target(self, row: IndicatorRow) -> Parsed[Target]:
        """The row's annual target, parsed once; empty when the cell is missing or blank."""
        cached = self._targets.get(row.index)
        if cached is None:
            cached = self._targets[row.index] = self._parse_target(row)
        return cached

    def _parse_target(self, row: IndicatorRow) -> Parsed[Target]:
        """The target as :meth:`IndicatorRow.target_text` puts it together (the 指标性质 sign before a bare
        number, the 计量单位 column as its unit); an error is reported against the cell's own text, so
        that its span points into the cell."""
        written = row.target_text()
        if written is None or row.target is None:
            return Parsed()
        try:
            return Parsed(value=self._read_target(written.text, row, written.unit))
        except (TargetSyntaxError, LimitExceededError) as exc:
            error = exc
        try:
            self._read_target(row.target.text, row, written.unit)
        except (TargetSyntaxError, LimitExceededError) as exc:
            error = exc
        return Parsed(error=error)

    def _read_target(self, text: str, row: IndicatorRow, unit: str | None) -> Target:
        """The one call of the target parser: the row's level-1 and level-2 names and its level-3 name
        decide how a bare number and a month are read (a 成本 row: at most; a 时效 row: by then)."""
        from indicators.target import parse_target

        return parse_target(
            text,
            unit=unit,
            level1=row.level1.stripped if row.level1 is not None else None,
            level2=row.level2.stripped if row.level2 is not None else None,
            indicator=row.name or None,
            limits=self.limits,
        )

    def vague_word(self, row: IndicatorRow) -> str | None:
        """The vague word of a word target (``catalog/vague.yaml``), or None; see IND603."""
        from indicators.target.words import unmeasurable_word

        target = self.target(row).value
        if target is None or row.target is None or target.kind not in ("vague", "state"):
            return None
        return unmeasurable_word(row.target.text) or (target.state if target.kind == "vague" else None)

    def is_vague(self, row: IndicatorRow) -> bool:
        """A target IND603 reports as vague."""
        return self.vague_word(row) is not None

    # -- categories and templates ----------------------------------------------------------------

    def level1_of(self, row: IndicatorRow) -> str | None:
        """The taxonomy's name of the row's level-1 category (any variant or annotated name), or None."""
        if row.level1 is None:
            return None
        text = row.level1.text
        if text not in self._level1:
            stripped = text.strip()
            self._level1[text] = self.catalog.taxonomy.canonical_level1(stripped) if stripped else None
        return self._level1[text]

    def level2_of(self, row: IndicatorRow) -> str | None:
        """The taxonomy's name of the row's level-2 category under its level-1, or None."""
        level1 = self.level1_of(row)
        if level1 is None or row.level2 is None:
            return None
        key = (level1, row.level2.text)
        if key not in self._level2:
            text = row.level2.text.strip()
            self._level2[key] = self.catalog.taxonomy.canonical_level2(level1, text) if text else None
        return self._level2[key]

    def is_cost_row(self, row: IndicatorRow) -> bool:
        """A 成本 row: level-1 成本指标, or level-2 成本指标 under 产出指标 (older templates)."""
        return self.level1_of(row) == "成本指标" or self.level2_of(row) == "成本指标"

    def is_economic_cost_row(self, row: IndicatorRow) -> bool:
        """A cost row measured in money: 经济成本指标, or 成本指标 without a social or ecological level-2."""
        if not self.is_cost_row(row):
            return False
        return self.level2_of(row) in (None, "经济成本指标", "成本指标")

    @cached_property
    def template(self) -> Template:
        """The template the form is checked against: the one given, else the form type's."""
        from indicators.lint.templates import template_for

        return self._template if self._template is not None else template_for(self.form.form_type)

    # -- the texts of a row ----------------------------------------------------------------------

    def explanations(self, row: IndicatorRow) -> list[Cell]:
        """The cells that explain a row: 指标解释/计算公式, 评（扣）分标准, 备注 and unnamed columns."""
        cells = [row.formula, row.standard, row.remark, *row.others]
        return [c for c in cells if c is not None and not c.empty]
