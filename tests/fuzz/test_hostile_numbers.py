"""A million-digit number in an actuals file (JSON, as a number and as a text): read in process under
``tracemalloc`` within the memory bound, scored with a diagnostic naming the limit, exit 1 on the
command line, never a traceback."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from indicators import read_form, score_form
from indicators.cli.app import main
from indicators.scoring import read_actuals

MEMORY_BOUND = 500 * 1024 * 1024
FORM = Path(__file__).resolve().parents[2] / "examples" / "xiaoguwei-declared.txt"
NAME = "党员参与志愿服务人次"


@pytest.fixture(params=["number", "text"])
def actuals(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    digits = "9" * 1_000_000
    value = digits if request.param == "number" else json.dumps(digits)
    path = tmp_path / "actuals.json"
    path.write_text(f'[{{"name": "{NAME}", "actual": {value}}}]', encoding="utf-8")
    return path


def test_a_million_digit_actual_is_refused_within_the_memory_bound(actuals: Path) -> None:
    form = read_form(FORM)
    tracemalloc.start()
    try:
        sheet = score_form(form, read_actuals(actuals))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [line] = [line for line in sheet.lines if line.level3 == NAME]
    [found] = [d for d in line.diagnostics if d.code == "IND802"]
    assert "Limits.max_text_length" in (found.hint or "")
    assert len(found.message) < 200  # the value is quoted by its start
    assert line.actual is not None
    assert len(line.actual) < 100
    assert peak < MEMORY_BOUND


def test_a_million_digit_actual_exits_1_on_the_command_line(
    actuals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(FORM), "--actuals", str(actuals)]) == 1
    printed = "".join(capsys.readouterr())
    assert "Limits.max_text_length" in printed
    assert "Traceback" not in printed
    assert len(printed) < 100_000
