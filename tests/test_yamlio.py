"""The one YAML reader: libyaml when available, PyYAML's own errors, both loaders alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml

from indicators import resources, yamlio


def _decimal(loader: Any, node: Any) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)))


@pytest.mark.parametrize(
    "name", ["columns.yaml", "review.yaml", "vague.yaml", "completion.yaml", "grades.yaml"]
)
def test_fast_loader_reads_the_shipped_files_as_the_pure_one(name: str) -> None:
    text = resources.catalog_text(name)
    assert yamlio.safe_load(text) == yamlio.load(text, yamlio.PURE) == yaml.safe_load(text)


def test_the_fast_loader_is_libyaml_when_pyyaml_has_it() -> None:
    assert yamlio.SAFE.fast is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yamlio.SAFE.pure is yaml.SafeLoader


@pytest.mark.parametrize(
    "text",
    ["a: 1\n\tb: 2\n", "a: [1, 2\n", "a: b: c\n", "x: *nowhere\n", "a: 1\n---\nb: 2\n", "a: 'open\n"],
)
def test_errors_are_pyyaml_s_own(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as ours:
        yamlio.safe_load(text)
    assert str(ours.value) == str(pure.value)
    assert type(ours.value) is type(pure.value)


def test_constructors_apply_to_both_loaders() -> None:
    pair = yamlio.loaders({"tag:yaml.org,2002:float": _decimal})
    assert pair.fast is not pair.pure or pair.fast is yaml.SafeLoader
    for loader in (pair, yamlio.Loaders(pair.pure, pair.pure)):
        assert yamlio.load("v: 0.1\nn: 3\n", loader) == {"v": Decimal("0.1"), "n": 3}
    assert yamlio.safe_load("v: 0.1\n") == {"v": 0.1}  # the plain loaders are unchanged


def test_compose_keeps_lines_and_falls_back_on_errors() -> None:
    node = yamlio.compose("a: 1\nb:\n  - x\n")
    assert isinstance(node, yaml.MappingNode)
    assert [k.start_mark.line for k, _ in node.value] == [0, 1]
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yamlio.compose("a: [1\n")
    assert "expected ',' or ']'" in str(caught.value)


def test_compose_and_construct_stops_when_the_check_says_so() -> None:
    seen: list[yaml.Node | None] = []

    def refuse(node: yaml.Node | None) -> bool:
        seen.append(node)
        return False

    node, data = yamlio.compose_and_construct("a: 1\n", refuse)
    assert data is None
    assert isinstance(node, yaml.MappingNode)
    assert seen == [node]
    node, data = yamlio.compose_and_construct("a: 1\n", lambda _node: True)
    assert data == {"a": 1}
    assert yamlio.compose_and_construct("", lambda _node: True) == (None, None)
