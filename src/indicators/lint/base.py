"""The rule framework: the :class:`Rule` base class, the registry and rule selection.

Every rule is one class with a stable ``code`` from :mod:`indicators.codes` (its slug, severity and
message template come from that table) and a docstring made of a summary, an explanation, what the
rule never fires on, its source and two YAML examples (:class:`RuleDoc`). ``docs/lint-rules.md`` is
generated from these docstrings, and the tests run every example: the bad one must trigger the rule,
the good one must not. The YAML format of an example is described in :mod:`indicators.lint.examples`.

Selection (``--select`` / ``--ignore``) accepts a code (``IND603``), a code prefix (``IND6``), a slug
(``lint.target-vague``), a slug group (``budget``, ``lint.target``) or a slug pattern
(``lint.target-*``); ``ALL`` selects everything.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, ClassVar

from indicators import codes
from indicators.diagnostics import Diagnostic, Location, Severity, Span
from indicators.errors import IndicatorsError

if TYPE_CHECKING:
    from indicators.forms.model import Cell, IndicatorRow
    from indicators.lint.context import LintContext


class SelectorError(IndicatorsError, ValueError):
    """A ``--select`` / ``--ignore`` entry that names no code, prefix or slug."""


class Rule:
    """One lint rule. Subclasses set ``code`` and implement :meth:`check`."""

    #: the rule's code in :mod:`indicators.codes` (IND6xx or IND7xx)
    code: ClassVar[str]
    #: further codes the rule may emit (e.g. IND704 for a difference within rounding)
    also_emits: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def row(cls) -> codes.Code:
        """The rule's row in the code table."""
        return codes.lookup(cls.code)

    @classmethod
    def slug(cls) -> str:
        return cls.row().slug

    @classmethod
    def severity(cls) -> Severity:
        return cls.row().severity

    @classmethod
    def emitted_codes(cls) -> tuple[str, ...]:
        return (cls.code, *cls.also_emits)

    @classmethod
    def doc(cls) -> RuleDoc:
        """The parsed docstring: summary, explanation, bad and good example."""
        return RuleDoc.parse(cls)

    def check(self, ctx: LintContext) -> Iterable[Diagnostic]:
        """Every finding of this rule on the form in ``ctx``. Never raises on bad data."""
        raise NotImplementedError

    # -- for subclasses: building findings ------------------------------------------------------------

    def finding(
        self,
        *,
        code: str | None = None,
        cell: Cell | None = None,
        row: IndicatorRow | None = None,
        span: Span | None = None,
        location: Location | None = None,
        hint: str | None = None,
        data: dict[str, Any] | None = None,
        quote: str | None = None,
        **fields: Any,
    ) -> Diagnostic:
        """A diagnostic placed on ``cell`` (its location and text) about indicator ``row``.

        The message's ``{text}`` field is the spanned part of the cell unless ``quote`` gives it.
        """
        text = cell.text if cell is not None else None
        if location is None and cell is not None:
            location = cell.location
        if location is None and row is not None:
            location = row_location(row)
        if span is None and text:
            span = whole_text_span(text)
        indicator = (row.name or None) if row is not None else None
        found = codes.diagnostic(
            code or self.code,
            span=span if quote is None else None,
            text=text if quote is None else quote,
            location=location,
            hint=hint,
            indicator=indicator,
            data=data,
            **fields,
        )
        return found if quote is None else found.model_copy(update={"text": text, "span": span})


#: longest cell text quoted in a message before it is cut short with "…"
QUOTE_CHARS = 24


def abbreviate(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut to ``limit`` characters with a trailing ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_text_span(text: str) -> Span:
    """The span of ``text`` without its surrounding white space."""
    stripped = text.strip()
    start = text.find(stripped) if stripped else 0
    return Span.of(text, start, start + len(stripped))


def row_location(row: IndicatorRow) -> Location | None:
    """The location of a row's first located cell (level-3 name first)."""
    for cell in (row.level3, row.formula, row.target, row.level2, row.level1):
        if cell is not None and cell.location is not None:
            return cell.location
    return None


# -- docstrings --------------------------------------------------------------------------------

_SECTION_RE = re.compile(r"^(Never fires on|Source|Bad|Good):\s*$", re.MULTILINE)
_SECTIONS = ("Never fires on", "Source", "Bad", "Good")


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's docstring: summary, explanation, what it never fires on, its source, two examples.

    The docstring is the summary line, the explanation, then four sections in this order, each a line
    ``Never fires on:``, ``Source:``, ``Bad:``, ``Good:`` followed by an indented block: a list of
    ``- …`` lines (the negatives the tests hold it to), the rule's source (a regulation, a published form),
    and the two YAML examples.
    """

    summary: str
    body: str
    never: tuple[str, ...]
    source: str
    bad: str
    good: str

    @classmethod
    def parse(cls, rule: type[Rule]) -> RuleDoc:
        doc = inspect.cleandoc(rule.__doc__ or "")
        parts = _SECTION_RE.split(doc)
        # parts = [text, "Never fires on", block, "Source", block, "Bad", block, "Good", block]
        if tuple(parts[1::2]) != _SECTIONS:
            wanted = ", ".join(s + ":" for s in _SECTIONS)
            raise AssertionError(f"{rule.__name__}: docstring needs the sections {wanted} in order")
        text = parts[0].strip()
        summary, _, body = text.partition("\n\n")
        never = _bullets(inspect.cleandoc(parts[2]))
        if not never:
            raise AssertionError(f"{rule.__name__}: 'Never fires on:' needs at least one '- …' line")
        return cls(
            summary=join_lines(summary.splitlines()),
            body=body.strip(),
            never=never,
            source=join_lines(inspect.cleandoc(parts[4]).splitlines()),
            bad=inspect.cleandoc(parts[6]),
            good=inspect.cleandoc(parts[8]),
        )


def _bullets(block: str) -> tuple[str, ...]:
    """``- …`` items of a block, each joined onto one line."""
    items: list[list[str]] = []
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append([stripped[2:].strip()])
        elif stripped and items:
            items[-1].append(stripped)
    return tuple(join_lines(item) for item in items)


def _wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def join_lines(lines: list[str]) -> str:
    """Wrapped lines as one line: a space between words, none between two Chinese characters."""
    out = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if out and not (_wide(out[-1]) and _wide(line[0])):
            out += " "
        out += line
    return out


# -- registry ----------------------------------------------------------------------------------

_REGISTRY: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to the registry (checks its code and docstring)."""
    row = codes.lookup(rule.code)
    if not (row.code.startswith("IND6") or row.code.startswith("IND7")):
        raise AssertionError(f"{rule.__name__}: lint codes are IND6xx or IND7xx, not {row.code}")
    if rule.code in _REGISTRY:
        raise AssertionError(f"{rule.__name__}: code {rule.code} already taken by {_REGISTRY[rule.code]}")
    for extra in rule.also_emits:
        codes.lookup(extra)
    RuleDoc.parse(rule)
    _REGISTRY[rule.code] = rule
    return rule


def all_rules() -> list[type[Rule]]:
    """Every registered rule, ordered by code."""
    from indicators.lint import rules  # noqa: F401  (importing the package registers the rules)

    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


def get_rule(code_or_slug: str) -> type[Rule]:
    """The rule with this code or slug; raises KeyError."""
    for rule in all_rules():
        if code_or_slug in (rule.code, rule.slug()):
            return rule
    raise KeyError(code_or_slug)


# -- selection ---------------------------------------------------------------------------------


def _matches(token: str, code: str, slug: str) -> bool:
    if token.upper() == "ALL":
        return True
    if token[:3].upper() == "IND":
        return code.startswith(token.upper())
    if any(ch in token for ch in "*?["):
        return fnmatchcase(slug, token)
    return slug == token or (slug.startswith(token) and slug[len(token)] in ".-")


def _tokens(entries: Sequence[str]) -> list[str]:
    out: list[str] = []
    for entry in entries:
        out += [t.strip() for t in entry.split(",") if t.strip()]
    return out


@dataclass(frozen=True, slots=True)
class Selection:
    """Which codes are wanted, from ``select`` (empty: all) and ``ignore`` lists."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Selection:
        """Validate and build; entries may hold several tokens separated by commas.

        Raises :class:`SelectorError` (IND690) for a token that matches no known code or slug.
        """
        sel, ign = _tokens(select), _tokens(ignore)
        for token in (*sel, *ign):
            if not any(_matches(token, row.code, row.slug) for row in codes.CODES.values()):
                raise SelectorError(codes.diagnostic("IND690", text=token))
        return cls(tuple(sel), tuple(ign))

    def wants(self, code: str, slug: str) -> bool:
        if self.select and not any(_matches(t, code, slug) for t in self.select):
            return False
        return not any(_matches(t, code, slug) for t in self.ignore)

    def wants_diagnostic(self, d: Diagnostic) -> bool:
        return self.wants(d.code, d.slug)

    def rules(self) -> Iterator[type[Rule]]:
        """The registered rules that may emit at least one wanted code."""
        for rule in all_rules():
            if any(self.wants(c, codes.lookup(c).slug) for c in rule.emitted_codes()):
                yield rule


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[type[Rule]]:
    """The rules a ``--select`` / ``--ignore`` pair leaves active."""
    return list(Selection.of(select, ignore).rules())
