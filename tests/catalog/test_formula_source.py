"""Conventional formulas carry their own source and confidence."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from indicators.catalog import load_catalog
from indicators.catalog.models import Confidence, Entry

BASE: dict[str, Any] = {
    "code": "GX-T-001",
    "level1": "产出指标",
    "level2": "质量指标",
    "name": "验收通过率",
    "kind": "percentage",
    "source": "某共性指标库",
}


def test_common_entries_without_a_sourced_formula_mark_the_conventional_one() -> None:
    catalog = load_catalog(use_env=False)
    conventional = [e for e in catalog.entries if e.formula_source is not None]
    assert len(conventional) >= 10
    for entry in conventional:
        assert entry.formula
        assert entry.formula_confidence is Confidence.ASSUMED
    budget = catalog.get("GX-YS-ZX-001")
    assert budget is not None
    assert budget.formula_source is None  # 预算执行率: the formula comes from its own source


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"formula_source": "通行算法"}, "formula_source 只能与 formula 一起填写"),
        (
            {"formula": "指标值=a/b*100%", "formula_confidence": "?"},
            "formula_confidence 只能与 formula_source",
        ),
    ],
    ids=["source-without-formula", "confidence-without-source"],
)
def test_formula_source_fields_go_together(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Entry.model_validate(BASE | extra)
