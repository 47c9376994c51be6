"""The target parser is built once per process, thread-safely, without touching lark's module globals."""

from __future__ import annotations

import threading

import lark.lexer
import pytest

from indicators.target import grammar, parse_target


def test_built_once() -> None:
    assert grammar.parser() is grammar.parser()


def test_building_never_flips_a_global_flag_of_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "_parser", None)
    before = lark.lexer.has_interegular
    seen: set[bool] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.add(bool(lark.lexer.has_interegular))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        built = grammar.parser()
    finally:
        done.set()
        watcher.join()
    assert seen <= {bool(before)}
    assert lark.lexer.has_interegular == before
    assert built.lexer_conf.skip_validation  # the collision report is off on this parser only


def test_threads_share_one_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "_parser", None)
    found: list[object] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            found.append(grammar.parser())
            parse_target("≥95%").evaluate("96%")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({id(p) for p in found}) == 1


def test_the_transformer_is_one_module_level_instance() -> None:
    assert isinstance(grammar._TRANSFORMER, grammar._Build)
