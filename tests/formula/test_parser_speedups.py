"""The parser's speed-ups change nothing it says: the tight LALR loop, the grammar cache, the result cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts

from indicators import resources
from indicators.errors import FormulaSyntaxError
from indicators.formula import builder as formula_builder
from indicators.formula import parse_formula
from indicators.formula import parser as formula_parser
from indicators.formula.lalr import REJECTED, FastLalr
from indicators.formula.nodes import Node
from indicators.formula.prepare import prepare
from indicators.formula.printer import to_text

_pieces = st.sampled_from([
    "a", "完成数", "(", ")", "（", "）", "+", "-", "*", "/", "×", "100%", "0.8", "10万", "=", "：", ",", " ",
    "说明", "IF(", "ROUND(", ">=", "，", "；", "‰", "SUM(", "x",
])
_texts = st.lists(_pieces, min_size=1, max_size=14).map("".join)


def _lark(work: str, source: str) -> Any:
    token, original = formula_builder.text_var.set(work), formula_builder.source_var.set(source)
    try:
        return formula_parser.get_parser().parse(work)
    finally:
        formula_builder.text_var.reset(token)
        formula_builder.source_var.reset(original)


def _fast(work: str, source: str) -> Any:
    fast = formula_parser.fast_parser()
    assert fast is not None
    token, original = formula_builder.text_var.set(work), formula_builder.source_var.set(source)
    try:
        return fast.parse(work)
    finally:
        formula_builder.text_var.reset(token)
        formula_builder.source_var.reset(original)


def _outcome(run: Any, work: str, source: str) -> object:
    try:
        return run(work, source)
    except formula_builder.Semantic as exc:
        return ("semantic", exc.diag.code)
    except Exception as exc:
        return ("error", type(exc).__name__)


def test_the_fast_loop_drives_the_installed_lark() -> None:
    assert formula_parser.fast_parser() is not None


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_the_fast_loop_accepts_exactly_what_lark_accepts(text: str) -> None:
    prepared = prepare(text)
    fast = _outcome(_fast, prepared.work, prepared.source)
    slow = _outcome(_lark, prepared.work, prepared.source)
    if fast is REJECTED:
        assert isinstance(slow, tuple)
        assert slow[0] == "error"
    else:
        assert fast == slow


@settings(max_examples=150, deadline=None)
@given(asts)
def test_the_fast_loop_builds_the_same_tree_as_lark(tree: Node) -> None:
    prepared = prepare(to_text(tree))
    assert _fast(prepared.work, prepared.source) == _lark(prepared.work, prepared.source)


def test_a_lark_without_the_expected_shape_is_not_driven() -> None:
    class Other:
        parser = None

    assert FastLalr.build(Other()) is None


# --- the result cache --------------------------------------------------------------------------------


def test_parse_formula_returns_the_kept_result_for_the_same_text() -> None:
    formula_parser.clear_cache()
    first = parse_formula("指标值=办结工单/呈办工单*100%")
    assert parse_formula("指标值=办结工单/呈办工单*100%") is first
    assert parse_formula("指标值=办结工单/呈办工单*100% ") is not first
    formula_parser.clear_cache()
    again = parse_formula("指标值=办结工单/呈办工单*100%")
    assert again is not first
    assert again == first


def test_errors_are_raised_every_time() -> None:
    for _ in range(2):
        with pytest.raises(FormulaSyntaxError):
            parse_formula("a/(b")


# --- the grammar cache ---------------------------------------------------------------------------------


def test_the_cache_directory_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_CACHE_DIR", str(tmp_path / "c"))
    path = resources.grammar_cache("formula", "start: X")
    assert isinstance(path, str)
    assert Path(path).parent == tmp_path / "c"
    assert path != resources.grammar_cache("formula", "start: Y")
    monkeypatch.setenv("INDICATORS_CACHE_DIR", "")
    assert resources.grammar_cache("formula", "start: X") is False


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_directory_others_may_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(folder.stat().st_mode | stat.S_IWOTH)
    monkeypatch.setenv("INDICATORS_CACHE_DIR", str(folder))
    assert resources.cache_dir() is None
    assert resources.grammar_cache("formula", "start: X") is False


def test_a_cached_grammar_parses_as_a_fresh_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_CACHE_DIR", str(tmp_path))
    written = formula_parser._build()
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    loaded = formula_parser._build()
    text = prepare("指标值=(a+b×0.8)/c×100% 说明").work
    for parser in (written, loaded):
        fast = FastLalr.build(parser)
        assert fast is not None
        token, original = formula_builder.text_var.set(text), formula_builder.source_var.set(text)
        try:
            assert fast.parse(text) == parser.parse(text)
        finally:
            formula_builder.text_var.reset(token)
            formula_builder.source_var.reset(original)


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_CACHE_DIR", str(tmp_path))
    path = resources.grammar_cache("formula", resources.grammar_text("formula.lark"))
    assert isinstance(path, str)
    Path(path).write_bytes(b"not a cache")
    parser = formula_parser._build()
    assert FastLalr.build(parser) is not None
    assert Path(path).read_bytes() != b"not a cache"
