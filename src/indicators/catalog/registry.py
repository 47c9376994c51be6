"""The loaded catalog: entries by code, lookup by name, search, listing and matching of form rows.

Lookup order: exact code, exact name, exact alias, normalised name or alias
(:func:`indicators.text.normalize_name`), then fuzzy similarity of the normalised names. Similarity is
difflib's ratio ``2*M/T`` computed exactly as a Decimal from the matching blocks.

Speed: names, aliases and normalised words are indexed once when the catalog is built; the fuzzy
match first discards every word whose length or characters cannot reach the threshold (two exact
upper bounds of difflib's ratio), and the answer of ``lookup`` is kept per name, so a form of many
rows repeating the same names costs one search per distinct name.
"""

from __future__ import annotations

import builtins
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Literal

from indicators.catalog.loader import Layer, Origin, read_layers
from indicators.catalog.models import Entry
from indicators.catalog.taxonomy import Taxonomy
from indicators.diagnostics import Diagnostic, Severity
from indicators.errors import CatalogError, IndicatorsError
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.text import nfkc, normalize_name, squash_spaces, strip_quotes

#: least similarity a fuzzy lookup accepts by default
FUZZY_THRESHOLD = Decimal("0.75")
#: how many answers of ``Catalog.lookup`` a catalog keeps (by name and threshold)
_LOOKUPS_KEPT = 65_536
_ONE = Decimal(1)
_SCORE_PLACES = Decimal("0.0001")
_HALF_PLACE = Decimal("0.00005")

Method = Literal["exact", "normalized", "fuzzy", "search"]


@dataclass(frozen=True, slots=True)
class Match:
    """A lookup or search result. ``via`` is the name, alias or code that matched."""

    entry: Entry
    score: Decimal
    method: Method
    via: str


@dataclass(frozen=True, slots=True)
class RowMatch:
    """A form row matched to a catalog entry.

    ``differences`` describes in Chinese each way the row differs; ``fields`` names the differing
    fields (``name``, ``level1``, ``level2``, ``formula``) in the same order; ``notes`` says how the
    formulas were compared when they were too large to compare symbolically (IND031).
    """

    entry: Entry
    confidence: Decimal
    differences: tuple[str, ...]
    fields: tuple[str, ...]
    method: Method
    #: how the formulas were compared when the symbolic budget was exceeded (IND031)
    notes: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class SetInfo:
    """An indicator set as loaded: its header and the codes of its entries, in file order."""

    name: str
    title: str
    description: str | None
    sources: tuple[str, ...]
    codes: tuple[str, ...]


def similarity(a: str, b: str) -> Decimal:
    """difflib's ratio ``2*M/T`` as an exact Decimal rounded to four places (1 = identical)."""
    total = len(a) + len(b)
    if total == 0:
        return _ONE
    matched = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return (Decimal(2 * matched) / Decimal(total)).quantize(_SCORE_PLACES)


_FORMULA_SYMBOLS = str.maketrans({"×": "*", "÷": "/", "＊": "*", "／": "/", "－": "-", "＋": "+"})
_LHS = re.compile(r"^[^=＝]{1,40}[=＝]")


def _code_key(code: str) -> str:
    """``ｊｄ－ｃｃ－ｚｌ－００２ `` → ``JD-CC-ZL-002``."""
    return squash_spaces(nfkc(code)).upper()


def formula_key(text: str) -> str:
    """A comparison key for formula texts: NFKC, no spaces or quotes, ×/÷ as */, no left-hand side."""
    key = strip_quotes(squash_spaces(nfkc(text))).translate(_FORMULA_SYMBOLS)
    return _LHS.sub("", key)


class Catalog:
    """Indicator sets layered over each other, with their taxonomy. Build one with :func:`load_catalog`."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers: tuple[Layer, ...] = tuple(layers)
        taxonomy = Taxonomy(())
        sources: builtins.list[str] = []
        for layer in layers:
            if layer.taxonomy is not None:
                taxonomy = taxonomy.layered(layer.taxonomy)
                sources.append(layer.taxonomy_source or layer.name)
        self.taxonomy: Taxonomy = taxonomy
        self.taxonomy_sources: tuple[str, ...] = tuple(sources)
        self.load_diagnostics: tuple[Diagnostic, ...] = tuple(
            d for layer in layers for d in layer.diagnostics
        )
        #: every entry read, in reading order, overridden ones included (for validation)
        self.records: tuple[tuple[Entry, Origin], ...] = tuple(
            record for layer in layers for loaded in layer.sets for record in loaded.entries
        )
        by_code: dict[str, Entry] = {}
        origins: dict[str, Origin] = {}
        for entry, origin in self.records:
            by_code.pop(entry.code, None)  # an override moves to the end, with its new set
            by_code[entry.code] = entry
            origins[entry.code] = origin
        self._by_code = by_code
        self._origins = origins
        self.sets: Mapping[str, SetInfo] = self._build_sets(layers)
        self._index = self._build_index()
        self._by_name: dict[str, Entry] = {}
        self._by_alias: dict[str, Entry] = {}
        for entry in self._latest_first():  # a later layer's entry of the same name or alias wins
            self._by_name.setdefault(entry.name, entry)
        for entry in self._latest_first():
            for alias in entry.aliases:
                self._by_alias.setdefault(alias, entry)
        #: each indexed word with its length and characters, for the bounds of the fuzzy match
        self._words = [(word, len(word), dict(Counter(word))) for word in self._index]
        self._order = {code: i for i, code in enumerate(self._by_code)}
        self._lookups: dict[tuple[str, Decimal], Match | None] = {}
        self._by_formula: dict[str, Entry] = {}
        for entry in self._by_code.values():
            if entry.formula:
                self._by_formula.setdefault(formula_key(entry.formula), entry)

    @classmethod
    def load(
        cls, *dirs: Path | str, use_env: bool = True, strict: bool = True, limits: Limits = DEFAULT_LIMITS
    ) -> Catalog:
        """The same as :func:`load_catalog`."""
        return load_catalog(*dirs, use_env=use_env, strict=strict, limits=limits)

    # --- construction ---------------------------------------------------------------------------------

    def _build_sets(self, layers: Sequence[Layer]) -> dict[str, SetInfo]:
        headers: dict[str, builtins.list[str]] = {}
        titles: dict[str, tuple[str, str | None]] = {}
        for layer in layers:
            for loaded in layer.sets:
                name = loaded.header.set
                titles[name] = (loaded.header.title, loaded.header.description)
                headers.setdefault(name, []).append(loaded.source)
        out: dict[str, SetInfo] = {}
        for name, files in headers.items():
            title, description = titles[name]
            codes = tuple(e.code for e in self._by_code.values() if e.set == name)
            out[name] = SetInfo(name, title, description, tuple(files), codes)
        return out

    def _build_index(self) -> dict[str, builtins.list[tuple[str, str]]]:
        """normalised name or alias → [(code, the original word)]: names before aliases, and among
        entries of the same name the one read last (a later layer) first."""
        index: dict[str, builtins.list[tuple[str, str]]] = {}
        for entry in self._latest_first():
            index.setdefault(normalize_name(entry.name), []).append((entry.code, entry.name))
        for entry in self._latest_first():
            for alias in entry.aliases:
                index.setdefault(normalize_name(alias), []).append((entry.code, alias))
        return index

    def _latest_first(self) -> Iterator[Entry]:
        return reversed(self._by_code.values())

    # --- access ---------------------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry in effect (after layering), in reading order."""
        return tuple(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Entry | None:
        """The entry with this code (case-insensitive, full or half width, spaces ignored), or None."""
        return self._by_code.get(_code_key(code))

    def origin(self, code: str) -> Origin | None:
        """Where the entry in effect for ``code`` was read (file, line, layer)."""
        return self._origins.get(_code_key(code))

    def list(self, set: str | None = None, level1: str | None = None) -> builtins.list[Entry]:
        """Entries of one set and/or one level-1 (any of its names), in reading order."""
        wanted_l1 = None
        if level1 is not None:
            wanted_l1 = self.taxonomy.canonical_level1(level1) or level1
        out = []
        for entry in self._by_code.values():
            if set is not None and entry.set != set:
                continue
            if (
                wanted_l1 is not None
                and (self.taxonomy.canonical_level1(entry.level1) or entry.level1) != wanted_l1
            ):
                continue
            out.append(entry)
        return out

    # --- lookup ---------------------------------------------------------------------------------------

    def lookup(self, name: str, *, threshold: Decimal = FUZZY_THRESHOLD) -> Match | None:
        """Find one entry by code or name: exact, then normalised, then fuzzy (score ≥ ``threshold``).

        When entries of different codes share a name, the one read last wins, as a later layer's
        entry wins over an earlier one of the same code.
        """
        text = name.strip()
        if not text:
            return None
        known = (text, threshold)
        if known in self._lookups:
            return self._lookups[known]
        found = self._lookup(text, threshold)
        if len(self._lookups) >= _LOOKUPS_KEPT:
            self._lookups.clear()
        self._lookups[known] = found
        return found

    def _lookup(self, text: str, threshold: Decimal) -> Match | None:
        entry = self.get(text)
        if entry is not None:
            return Match(entry, _ONE, "exact", entry.code)
        entry = self._by_name.get(text)
        if entry is not None:
            return Match(entry, _ONE, "exact", entry.name)
        entry = self._by_alias.get(text)
        if entry is not None:
            return Match(entry, _ONE, "exact", text)
        key = normalize_name(text)
        hits = self._index.get(key)
        if hits:
            code, word = hits[0]
            return Match(self._by_code[code], _ONE, "normalized", word)
        best = self._fuzzy(key, limit=1, threshold=threshold)
        return best[0] if best else None

    def fuzzy(
        self, name: str, *, limit: int = 5, threshold: Decimal = FUZZY_THRESHOLD
    ) -> builtins.list[Match]:
        """Entries whose normalised name or alias is most similar to ``name``, best first."""
        return self._fuzzy(normalize_name(name), limit=limit, threshold=threshold)

    def _fuzzy(self, key: str, *, limit: int, threshold: Decimal) -> builtins.list[Match]:
        scored: dict[str, Match] = {}
        size, chars = len(key), dict(Counter(key))
        # a ratio this close still rounds up to the threshold; as a fraction, to compare integers
        top, bottom = (threshold - _HALF_PLACE).as_integer_ratio()
        for word_key, length, word_chars in self._words:
            bound = top * (size + length)
            # 2·M/T can reach the threshold only if 2·min(len)/T and 2·(common characters)/T do
            if 2 * min(size, length) * bottom < bound:
                continue
            common = 0
            for char, count in word_chars.items():
                have = chars.get(char)
                if have:
                    common += count if count < have else have
            if 2 * common * bottom < bound:
                continue
            score = similarity(key, word_key)
            if score < threshold:
                continue
            for code, word in self._index[word_key]:
                if code not in scored or scored[code].score < score:
                    scored[code] = Match(self._by_code[code], score, "fuzzy", word)
        order = self._order
        ranked = sorted(scored.values(), key=lambda m: (-m.score, -order[m.entry.code]))  # later first
        return ranked[:limit]

    def search(self, words: str | Sequence[str]) -> builtins.list[Match]:
        """Entries containing every word in their name, aliases, formula or code, best first.

        Words are normalised as names are (so a trailing ``指标`` is dropped: ``满意度指标`` finds the
        satisfaction indicators). A word found in the name scores 1, in an alias 0.9, in the formula
        or code 0.6; an entry's score is the mean over the words.
        """
        terms = [words] if isinstance(words, str) else list(words)
        keys = [k for k in (normalize_name(w) for t in terms for w in t.split()) if k]
        if not keys:
            return []
        out: builtins.list[Match] = []
        for entry in self._by_code.values():
            name = normalize_name(entry.name, drop_suffix=False)
            aliases = [normalize_name(a, drop_suffix=False) for a in entry.aliases]
            other = normalize_name(f"{entry.formula or ''} {entry.code}", drop_suffix=False)
            total = Decimal(0)
            for key in keys:
                if key in name:
                    total += _ONE
                elif any(key in a for a in aliases):
                    total += Decimal("0.9")
                elif key in other:
                    total += Decimal("0.6")
                else:
                    break
            else:
                score = (total / len(keys)).quantize(_SCORE_PLACES)
                out.append(Match(entry, score, "search", entry.name))
        order = {code: i for i, code in enumerate(self._by_code)}
        return sorted(out, key=lambda m: (-m.score, order[m.entry.code]))

    # --- form rows ------------------------------------------------------------------------------------

    def match_row(
        self,
        level1: str | None,
        level2: str | None,
        level3: str | None,
        formula: str | None,
        *,
        threshold: Decimal = FUZZY_THRESHOLD,
    ) -> RowMatch | None:
        """The catalog entry a form row stands for, with a confidence and the differences found.

        The row is found by its level-3 name (exact, normalised, fuzzy), or failing that by a formula
        identical to an entry's, when that formula computes its value from two or more measured
        quantities (a bare name such as ``满意度``, a state such as ``按规定公开`` or ``是/否符合``
        identifies no indicator). Each difference lowers the confidence: level-1 or level-2 by 0.1,
        the formula by 0.2.
        """
        match = self.lookup(level3, threshold=threshold) if level3 and level3.strip() else None
        if match is None and formula and formula.strip() and _defines(formula):
            same = self._by_formula.get(formula_key(formula))
            if same is not None and same.formula:
                match = Match(same, Decimal("0.8"), "fuzzy", same.formula)
        if match is None:
            return None
        entry = match.entry
        differences: builtins.list[str] = []
        fields: builtins.list[str] = []
        penalty = Decimal(0)
        if match.method == "fuzzy" and level3 and normalize_name(level3) != normalize_name(match.via):
            differences.append(f"三级指标名称为“{level3.strip()}”，指标库为“{entry.name}”")
            fields.append("name")
        if level1 and level1.strip():
            row_l1 = self.taxonomy.canonical_level1(level1)
            if row_l1 != (self.taxonomy.canonical_level1(entry.level1) or entry.level1):
                differences.append(f"一级指标为“{level1.strip()}”，指标库为“{entry.level1}”")
                fields.append("level1")
                penalty += Decimal("0.1")
        if level2 and level2.strip():
            row_l2 = self.taxonomy.canonical_level2(level1 or entry.level1, level2)
            if row_l2 is None:
                row_l2 = self.taxonomy.canonical_level2(entry.level1, level2)
            if row_l2 != (self.taxonomy.canonical_level2(entry.level1, entry.level2) or entry.level2):
                differences.append(f"二级指标为“{level2.strip()}”，指标库为“{entry.level2}”")
                fields.append("level2")
                penalty += Decimal("0.1")
        notes: tuple[Diagnostic, ...] = ()
        if formula and formula.strip() and entry.formula:
            agree, notes = formula_agreement(formula, entry.formula)
            if not agree:
                differences.append(f"计算公式为“{formula.strip()}”，指标库为“{entry.formula}”")
                fields.append("formula")
                penalty += Decimal("0.2")
        confidence = max(Decimal(0), match.score - penalty).quantize(_SCORE_PLACES)
        return RowMatch(entry, confidence, tuple(differences), tuple(fields), match.method, notes)

    # --- checks ---------------------------------------------------------------------------------------

    def validate(self, *, layer: int | None = None) -> builtins.list[Diagnostic]:
        """Every problem of the catalog: reading errors, then each entry's checks (see validation.py).

        With ``layer`` (an index into ``layers``: 0 is the bundled catalog) only the problems of that
        directory: its reading errors, its duplicate codes and the checks of the entries read from it.
        """
        from indicators.catalog.validation import validate_catalog

        return validate_catalog(self, layer=layer)


def formulas_agree(a: str, b: str) -> bool:
    """Whether two formula texts say the same: equal keys, equal canonical forms when both parse, or
    (both arithmetic) equivalent formulas with the same unit, as decided symbolically
    (:func:`indicators.formula.analysis.compare`): ``100%*办结工单/呈办工单`` agrees with
    ``办结工单/呈办工单*100%``, ``a/b`` does not agree with ``a/b*100%``. Formulas too large for the
    symbolic budget agree when their values agree at every sample point (see :func:`formula_agreement`)."""
    return formula_agreement(a, b)[0]


@lru_cache(maxsize=4096)
def formula_agreement(a: str, b: str) -> tuple[bool, tuple[Diagnostic, ...]]:
    """:func:`formulas_agree` with its notes: IND031 when the formulas were too large for the symbolic
    budget and agreed only at the sample points (then they are taken to agree: nothing shows otherwise)."""
    if formula_key(a) == formula_key(b):
        return True, ()
    from indicators.formula import parse_formula  # built on first use only

    try:
        fa, fb = parse_formula(a), parse_formula(b)
    except IndicatorsError:
        return False, ()
    if fa.expr is None or fb.expr is None:
        return False, ()
    if fa.canonical() == fb.canonical():
        return True, ()
    if not (fa.is_arithmetic and fb.is_arithmetic):
        return False, ()
    from indicators.formula.analysis import AnalysisError, compare  # sympy on first use only

    try:
        found = compare(fa, fb)
    except AnalysisError:
        return False, ()
    if found.same_value is None and found.notes:  # undecided within the budget, equal where tried
        return found.same_unit, found.notes
    return found.equivalent, ()


def _defines(formula: str) -> bool:
    """Whether a formula text is specific enough to identify an indicator on its own."""
    from indicators.formula import parse_formula  # built on first use only

    try:
        parsed = parse_formula(formula)
    except IndicatorsError:
        return False
    return bool(parsed.is_arithmetic) and len(set(parsed.variables())) >= 2


def load_catalog(
    *dirs: Path | str,
    use_env: bool = True,
    strict: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Catalog:
    """The bundled catalog with the ``INDICATORS_CATALOG`` directories and ``dirs`` layered over it.

    With ``strict`` (the default) a file or entry that cannot be read raises :class:`CatalogError`
    carrying located IND401 diagnostics; otherwise the bad parts are skipped and their diagnostics
    kept in ``Catalog.load_diagnostics`` (and reported again by ``validate()``).
    """
    layers = read_layers([Path(d) for d in dirs], use_env=use_env, limits=limits)
    catalog = Catalog(layers)
    errors = [d for d in catalog.load_diagnostics if d.severity is Severity.ERROR]
    if strict and errors:
        raise CatalogError(errors)
    return catalog
