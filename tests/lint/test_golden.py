"""Golden test of the bundled seed form: the exact list of findings.

Regenerate after a reviewed change of output with ``make golden`` (``UPDATE_GOLDEN=1 pytest -k golden``)
and review the diff of tests/lint/golden/.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from indicators.cli.check_cmd import report_json, write_text
from indicators.diagnostics import Diagnostic, Severity
from indicators.forms import read_form
from indicators.lint import lint_form

ROOT = Path(__file__).resolve().parents[2]
SEED = "examples/xiaoguwei-declared.txt"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def seed_findings() -> list[Diagnostic]:
    return lint_form(read_form(ROOT / SEED))


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}: run make golden"
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed: review, then run make golden"


def test_golden_seed_json(seed_findings: list[Diagnostic]) -> None:
    report = report_json([(SEED, seed_findings)])
    _compare("xiaoguwei-declared.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def test_golden_seed_text(seed_findings: list[Diagnostic]) -> None:
    out = io.StringIO()
    write_text([(SEED, seed_findings)], out)
    _compare("xiaoguwei-declared.txt", out.getvalue())


def _find(found: list[Diagnostic], code: str, **where: Any) -> list[Diagnostic]:
    return [d for d in found if d.code == code and all(getattr(d, k) == v for k, v in where.items())]


def test_golden_seed_coverage_unit_mismatch(seed_findings: list[Diagnostic]) -> None:
    (d,) = _find(seed_findings, "IND604", indicator="室内外应急避难场所的服务覆盖率")
    assert d.severity is Severity.ERROR
    assert "4个以上" in d.message
    assert d.location is not None
    assert d.location.row is not None
    assert d.location.column is not None
    assert d.data["formula_kind"] == "percentage"


def test_golden_seed_missing_target(seed_findings: list[Diagnostic]) -> None:
    (d,) = _find(seed_findings, "IND602", indicator="生活垃圾资源化利用率")
    assert d.location is not None
    assert d.location.row is not None


def test_golden_seed_stray_quotes(seed_findings: list[Diagnostic]) -> None:
    (d,) = _find(seed_findings, "IND615", indicator="社工站服务评估结果")
    assert d.span is not None
    assert d.text is not None
    assert d.text.startswith("“")


def test_golden_seed_realignments_are_reported(seed_findings: list[Diagnostic]) -> None:
    realigned = {d.location.row for d in seed_findings if d.code == "IND503" and d.location is not None}
    form = read_form(ROOT / SEED)
    assert realigned == {d.location.row for d in form.diagnostics if d.code == "IND503" and d.location}
    by_name = {r.name: r.row for r in form.indicators}
    for name in ("生活垃圾资源化利用率", "区域绿化覆盖率", "窗口服务满意度", "工程支出符合定额标准情况"):
        assert by_name[name] in realigned, name


def test_golden_seed_empty_cost_categories(seed_findings: list[Diagnostic]) -> None:
    empty = [d.message for d in seed_findings if d.code == "IND610"]
    assert empty == [
        "二级指标“社会成本指标”下没有填写任何三级指标",
        "二级指标“生态环境成本指标”下没有填写任何三级指标",
    ]


def test_golden_seed_budget_checks_print_their_figures(seed_findings: list[Diagnostic]) -> None:
    budget = [d for d in seed_findings if d.code.startswith("IND7")]
    assert [d.code for d in budget] == ["IND701", "IND705", "IND705"]
    assert "支出合计 17,045.53 万元" in budget[0].message
    assert "收入合计 17,075.54 万元" in budget[0].message
    assert "相差 30.01 万元" in budget[0].message
    assert "按预算级次划分合计 17,045.54 万元" in budget[1].message
    assert "= 财政拨款 17,045.54 万元" in budget[1].message
    assert "重点工作任务资金合计 1,564.90 万元" in budget[2].message
    assert "未超过项目支出 9,222.67 万元" in budget[2].message


def test_golden_seed_no_error_on_well_formed_rows(seed_findings: list[Diagnostic]) -> None:
    errors = sorted((d.code, d.indicator or "") for d in seed_findings if d.severity is Severity.ERROR)
    assert errors == [
        ("IND602", "生活垃圾资源化利用率"),
        ("IND604", "室内外应急避难场所的服务覆盖率"),
        ("IND701", ""),
    ]
