"""The indexed lookup answers exactly as a scan of every name would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.catalog import load_catalog
from indicators.catalog.registry import Catalog, Match, similarity
from indicators.text import normalize_name

CATALOG = load_catalog(use_env=False)
_WORDS = [e.name for e in CATALOG] + [a for e in CATALOG for a in e.aliases]
_CHARS = "".join(sorted(set("".join(_WORDS)))) + "甲乙丙 ()（）"


def _scan(catalog: Catalog, name: str, threshold: Decimal) -> list[tuple[str, Decimal, str]]:
    """Every indexed word scored with difflib, no bound: what the fuzzy match must find."""
    key = normalize_name(name)
    best: dict[str, tuple[Decimal, str]] = {}
    for word_key, hits in catalog._index.items():
        score = similarity(key, word_key)
        if score < threshold:
            continue
        for code, word in hits:
            if code not in best or best[code][0] < score:
                best[code] = (score, word)
    order = {code: i for i, code in enumerate(e.code for e in catalog)}
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -order[kv[0]]))
    return [(code, score, word) for code, (score, word) in ranked]


def _found(matches: list[Match]) -> list[tuple[str, Decimal, str]]:
    return [(m.entry.code, m.score, m.via) for m in matches]


_edited = st.builds(
    lambda word, cut, extra: word[:cut] + extra + word[cut + 1 :],
    st.sampled_from(_WORDS), st.integers(0, 8), st.text(alphabet=_CHARS, max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_edited, st.text(alphabet=_CHARS, min_size=1, max_size=12)),
       st.sampled_from([Decimal("0.5"), Decimal("0.75"), Decimal("0.9")]))
def test_the_bounded_fuzzy_match_finds_what_a_full_scan_finds(name: str, threshold: Decimal) -> None:
    assert _found(CATALOG.fuzzy(name, limit=100, threshold=threshold)) == _scan(CATALOG, name, threshold)


_NAMES = [_WORDS[0], f" {_WORDS[0]} ", _WORDS[0][:-1] + "乙", "完全无关的名称"]


@pytest.mark.parametrize("name", _NAMES, ids=str)
def test_a_kept_lookup_is_the_lookup(name: str) -> None:
    fresh = load_catalog(use_env=False)
    first = fresh.lookup(name)
    assert fresh.lookup(name) == first
    assert (name.strip(), Decimal("0.75")) in fresh._lookups
    assert fresh.lookup(name, threshold=Decimal("0.99")) in (first, None)


def test_lookup_finds_names_aliases_and_codes_exactly() -> None:
    entry = next(e for e in CATALOG if e.aliases)
    by_name, by_alias, by_code = (CATALOG.lookup(entry.name), CATALOG.lookup(entry.aliases[0]),
                                  CATALOG.lookup(entry.code.lower()))
    assert by_name is not None
    assert by_name.entry.code == entry.code
    assert by_name.method == "exact"
    assert by_alias is not None
    assert by_alias.entry.code == entry.code
    assert by_code is not None
    assert by_code.entry.code == entry.code


def test_a_row_found_by_its_formula_alone() -> None:
    entry = next(e for e in CATALOG if e.formula and "/" in e.formula)
    assert entry.formula is not None
    found = CATALOG.match_row(None, None, None, entry.formula)
    assert found is not None
    assert found.entry.code == entry.code
