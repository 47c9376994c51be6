"""Recognising what a cell of the indicator table is, by its content alone.

A cell is one or more of :class:`Kind` — a level-1 or level-2 category name, a formula, a target, or
the label of the whole table (``绩效指标``) — or, when none applies, a plain name (an empty set):
the level-3 name or an explanation. Only *strong* evidence gives a kind, so a level-3 name never
looks like a target:

* categories: the text ends in 指标 and the taxonomy knows it (the catalog's when it loads, else
  :data:`indicators.forms.names.FALLBACK_TAXONOMY`);
* formulas: ``指标值=…`` (quotes allowed), ``名称=…``, a ratio ``a/b*100%``, or — when the formula
  package is importable — text it parses as arithmetic over two or more names;
* targets: a number with an optional comparator, unit and 以上/以下 (``95%以上``, ``≥80M``, ``1600元/亩``),
  a range, a date or date range (``2023.07-2024.01``, ``2024年3月--2024年10月``, ``12月底前完成``),
  a grade (``优``, ``良以上``) or 是/否 — or, when the target package is importable, text
  with a digit that it parses as a numeric, range, grade or boolean target.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import Any

from indicators.errors import IndicatorsError
from indicators.forms.names import (
    FALLBACK_TAXONOMY,
    CatalogLike,
    TaxonomyLike,
    is_table_label,
    looks_like_category,
)
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.text import nfkc, squash_spaces, strip_quotes


class Kind(StrEnum):
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    FORMULA = "formula"
    TARGET = "target"
    LABEL = "label"


_CMP = (
    r"(?:≥|≤|>=|<=|=>|=<|>|<|=|≧|≦|＞|＜"
    r"|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|高于|低于|超过|达到|约|控制在)"
)
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT = r"[^\d\s=<>≥≤]{0,3}?"
_SUFFIX = r"(?:及以上|及以下|以上|以下|以内|之内|内)?"
_NUMERIC = re.compile(rf"^{_CMP}?{_NUM}{_UNIT}{_SUFFIX}[。.]?$")
_RANGE = re.compile(rf"^{_NUM}{_UNIT}(?:-|~|～|至|—|－){_NUM}{_UNIT}[。.]?$")
#: a date, a month or a year, as forms write them: 2024年3月, 2024.03, 2024-3-31, 3月底, 2024年度
_DATE = (
    r"(?:(?:19|20)\d{2}(?:年度?|[./-])(?:\d{1,2}(?:月份?|[./-])?(?:\d{1,2}日?)?)?"
    r"|\d{1,2}月(?:份|底|末|初|中旬|上旬|下旬)?(?:\d{1,2}日)?)"
)
#: a date or a date range, with the words that make it a deadline: 2024年3月--2024年10月, 12月底前完成
_DATES = re.compile(
    rf"^(?:截至|截止|于|在)?{_DATE}(?:(?:-{{1,2}}|—{{1,2}}|~|～|至|到){_DATE})?"
    r"(?:之?前|以前|底前|内|以内|期间)?(?:完成|全部完成|完工|建成|结束)?[。.]?$"
)
#: text that opens with a date range (2024年3月--2024年10月…): a period, never arithmetic on names
_DATE_RANGE_START = re.compile(rf"^{_DATE}(?:-{{1,2}}|—{{1,2}}|~|～|至|到){_DATE}")
_GRADE = re.compile(r"^(?:优秀|优良|优|良好|良|合格|达标|中等|中|及格)(?:等级)?(?:及以上|以上)?[。.]?$")
_BOOLEAN = frozenset({"是", "否", "有", "无"})

_FORMULA_HEAD = re.compile(r"^指标值\s*[=＝]")
_NAMED_FORMULA = re.compile(r"^[^=＝<>≥≤!≠]*[\u4e00-\u9fff][^=＝<>≥≤!≠]*[=＝](?![=＝])\S")
_RATIO = re.compile(r"[/÷].*[*×xX]\s*100")
_OPERATORS = frozenset("+-*/×÷")


def _clean(text: str) -> str:
    return strip_quotes(squash_spaces(nfkc(text)))


def looks_like_formula(text: str) -> bool:
    """Structural signs of a formula, without the formula parser."""
    clean = _clean(text)
    return bool(_FORMULA_HEAD.match(clean) or _NAMED_FORMULA.match(clean) or _RATIO.search(clean))


def looks_like_target(text: str) -> bool:
    """Structural signs of a target, without the target parser."""
    clean = _clean(text)
    if not clean:
        return False
    return bool(
        _NUMERIC.match(clean)
        or _RANGE.match(clean)
        or _DATES.match(clean)
        or _GRADE.match(clean)
        or clean in _BOOLEAN
    )


@cache
def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """A function of a sibling package, or None while that package does not provide it."""
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return found if callable(found) else None


@cache
def _bundled_taxonomy(env: str | None) -> TaxonomyLike:
    """The catalog's taxonomy (bundled plus INDICATORS_CATALOG dirs), or the built-in fallback."""
    load_catalog = _optional("indicators.catalog", "load_catalog")
    if load_catalog is None:
        return FALLBACK_TAXONOMY
    try:
        catalog: CatalogLike = load_catalog()
    except (IndicatorsError, OSError):
        return FALLBACK_TAXONOMY
    return catalog.taxonomy


def default_taxonomy() -> TaxonomyLike:
    return _bundled_taxonomy(os.environ.get("INDICATORS_CATALOG"))


class Recogniser:
    """Classifies cell texts; one instance per form read (results are memoised per text)."""

    def __init__(
        self,
        taxonomy: TaxonomyLike | None = None,
        *,
        use_parsers: bool = True,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
        self.limits = limits
        self._parse_formula = _optional("indicators.formula", "parse_formula") if use_parsers else None
        self._parse_target = _optional("indicators.target", "parse_target") if use_parsers else None
        self._memo: dict[str, frozenset[Kind]] = {}

    def kinds(self, text: str) -> frozenset[Kind]:
        """What ``text`` is; the empty set means a plain name or explanation."""
        found = self._memo.get(text)
        if found is None:
            found = self._classify(text)
            self._memo[text] = found
        return found

    def level1(self, text: str) -> str | None:
        """The canonical level-1 name of a category cell, or None."""
        if not looks_like_category(text):
            return None
        return self.taxonomy.canonical_level1(text)

    def is_level2(self, text: str) -> bool:
        if not looks_like_category(text):
            return False
        return any(self.taxonomy.canonical_level2(l1, text) for l1 in self.taxonomy.level1_names)

    def _classify(self, text: str) -> frozenset[Kind]:
        stripped = text.strip()
        if not stripped:
            return frozenset()
        if is_table_label(stripped):
            return frozenset({Kind.LABEL})
        kinds: set[Kind] = set()
        if self.level1(stripped):
            kinds.add(Kind.LEVEL1)
        if self.is_level2(stripped):
            kinds.add(Kind.LEVEL2)
        if kinds:
            return frozenset(kinds)
        if _DATE_RANGE_START.match(_clean(stripped)):  # a period with words after it: never a formula
            return frozenset({Kind.TARGET}) if looks_like_target(stripped) else frozenset()
        if looks_like_formula(stripped):
            return frozenset({Kind.FORMULA})
        if looks_like_target(stripped) or self._parser_target(stripped):
            return frozenset({Kind.TARGET})
        if self._parser_formula(stripped):
            return frozenset({Kind.FORMULA})
        return frozenset()

    def _parser_target(self, text: str) -> bool:
        if self._parse_target is None or len(text) > self.limits.max_text_length:
            return False
        if not any(ch.isdigit() for ch in text):
            return False
        try:
            target = self._parse_target(text, limits=self.limits)
        except (IndicatorsError, ValueError):
            return False
        return str(getattr(target, "kind", "")) in {"numeric", "range", "grade", "boolean"}

    def _parser_formula(self, text: str) -> bool:
        if self._parse_formula is None or len(text) > self.limits.max_text_length:
            return False
        if not any(ch in _OPERATORS for ch in text):
            return False
        try:
            formula = self._parse_formula(text, limits=self.limits)
        except (IndicatorsError, ValueError):
            return False
        if not getattr(formula, "is_arithmetic", False):
            return False
        variables = formula.variables()
        return isinstance(variables, tuple) and len(variables) >= 2
