"""The package root exposes the documented verbs, lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import indicators


def test_every_public_name_resolves() -> None:
    for name in indicators.__all__:
        assert getattr(indicators, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = indicators.no_such_thing


def test_import_is_light() -> None:
    heavy = "('lark', 'pint', 'sympy', 'openpyxl')"
    code = f"import sys, indicators; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_whole_pipeline_through_the_root() -> None:
    formula = indicators.parse_formula("指标值=办结工单/呈办工单*100%")
    assert indicators.evaluate(formula, {"办结工单": 2871, "呈办工单": 2970}).display() == "96.67%"
    assert indicators.parse_target("95%以上").evaluate("96.5%").status == "met"
