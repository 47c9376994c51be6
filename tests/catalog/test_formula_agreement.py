"""A formula too large for the symbolic budget agrees with the catalog's when its values agree at the
sample points; `check` says so with IND031 instead of claiming a different definition (IND614)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indicators.catalog.registry import formula_agreement, formulas_agree
from indicators.forms import read_form_text
from indicators.formula import analysis
from indicators.lint import lint_form

CATALOG = "指标值=办结工单/呈办工单*100%"
UNDECIDED = "指标值=MIN(办结工单,呈办工单+办结工单*办结工单)/呈办工单*100%"


@pytest.fixture
def tiny_budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(analysis, "SYMBOLIC_MAX_PIECES", 0)
    formula_agreement.cache_clear()
    yield
    formula_agreement.cache_clear()


@pytest.mark.usefixtures("tiny_budget")
def test_equal_at_every_sample_point_is_agreement_with_a_note() -> None:
    agree, notes = formula_agreement(UNDECIDED, CATALOG)
    assert agree
    assert [n.code for n in notes] == ["IND031"]
    assert formulas_agree(UNDECIDED, CATALOG)


@pytest.mark.usefixtures("tiny_budget")
def test_a_counterexample_is_disagreement_without_a_note() -> None:
    agree, notes = formula_agreement("指标值=ABS(办结工单)/呈办工单*100%", CATALOG)
    assert not agree
    assert notes == ()


@pytest.mark.usefixtures("tiny_budget")
def test_check_reports_the_note_not_a_different_definition() -> None:
    form = read_form_text(
        "一级指标\t二级指标\t三级指标\t指标解释\t年度指标值\n"
        f"产出指标\t质量指标\t12345热线工单办结率\t{UNDECIDED}\t95%以上\n"
    )
    codes = [d.code for d in lint_form(form)]
    assert "IND031" in codes
    assert "IND614" not in codes
    (note,) = [d for d in lint_form(form) if d.code == "IND031"]
    assert note.indicator == "12345热线工单办结率"
    assert note.location is not None
    assert note.location.column == 4


def test_within_the_budget_nothing_is_noted() -> None:
    assert formula_agreement("指标值=100%*办结工单/呈办工单", CATALOG) == (True, ())
