"""The collector runs less often during bulk work and is given back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from indicators import collect
from indicators.forms import read_form
from indicators.lint import lint_form

SEED = Path(__file__).resolve().parents[1] / "examples" / "xiaoguwei-declared.txt"


def test_bulk_work_raises_the_threshold_and_gives_it_back() -> None:
    before = gc.get_threshold()
    with collect.bulk_work():
        assert gc.get_threshold() == collect.THRESHOLDS
        with collect.bulk_work():  # nested: unchanged
            assert gc.get_threshold() == collect.THRESHOLDS
        assert gc.get_threshold() == collect.THRESHOLDS
    assert gc.get_threshold() == before


def test_bulk_work_gives_the_thresholds_back_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(ValueError, match="boom"), collect.bulk_work():
        raise ValueError("boom")
    assert gc.get_threshold() == before


def test_a_caller_s_higher_thresholds_are_kept() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(100_000, 30, 30)
        with collect.bulk_work():
            assert gc.get_threshold() == (100_000, 30, 30)
        assert gc.get_threshold() == (100_000, 30, 30)
    finally:
        gc.set_threshold(*before)


def test_reading_and_checking_leave_the_thresholds_as_they_were() -> None:
    before = gc.get_threshold()
    lint_form(read_form(SEED))
    assert gc.get_threshold() == before
