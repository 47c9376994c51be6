"""The engine's guarantees that do not depend on one input (docs/limits.md, "What the engine guarantees").

- Decimal arithmetic runs in the engine's own context: a caller's context with ``prec=5`` or a trap on
  ``Inexact`` changes no result, and the caller's context is left as it was (no flag set).
- Parsers, registries and caches are safe to share: parse, check and score from 16 threads at once,
  on different inputs, give the serial results, several times over.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from decimal import Context, Decimal, Inexact, Rounded, localcontext
from pathlib import Path
from typing import Any

import pytest

from indicators import evaluate, lint_form, parse_actual, parse_formula, parse_target, read_actuals, read_form
from indicators.scoring import score_form

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORMS = ["xiaoguwei-declared.txt", "declared-S11.tsv", "declared-S12.tsv", "declared-S22.tsv",
         "selfeval-S01.tsv", "selfeval-S14.tsv", "selfeval-S16.tsv", "selfeval-S45.tsv"]
TARGETS = [("≥95%", "96.5%", None), ("≤3天", "2.5天", None), ("较上年增长10%", "1,210", "1,100"),
           ("100%", "66.667%", None), ("≥1,152.5万元", "1200万元", None), ("基本达到", "达到", None),
           ("≥33.3%", "33.33%", None), ("≤ 0.5‰", "0.49‰", None)]
EXTRA_FORMULAS: list[tuple[str, dict[str, Any]]] = [
    ("a/b*100%", {"a": "1", "b": "3"}),
    ("ROUND(ROUND(ROUND(ROUND(a/b,2),2),2),2)", {"a": "2", "b": "3"}),
    ("(a-b)/b*100%", {"a": "123456.789", "b": "0.0007"}),
    ("a+b", {"a": "10000000000000000000000000000000000000000", "b": "1"}),
    ("a*b*c", {"a": "12345678901234567890.1234567891", "b": "98765432109876543210.9876543219", "c": "7"}),
    ("AVG(a, b, 1)", {"a": Decimal(1), "b": 2}),
]


def _formulas() -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = list(EXTRA_FORMULAS)
    for line in (EXAMPLES / "xiaoguwei-formulas.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        _, text, example = line.split("\t")
        values = dict(item.split("=", 1) for item in example.split(";") if "=" in item)
        rows.append((text, values))
    return rows


def _formula_work(text: str, values: dict[str, Any]) -> Any:
    formula = parse_formula(text)
    return [formula.canonical(), evaluate(formula, values).to_dict(6)]


def _target_work(target: str, actual: str, baseline: str | None) -> Any:
    outcome = parse_target(target).evaluate(parse_actual(actual), baseline)
    return repr(outcome)


def _form_work(name: str) -> Any:
    from indicators.scoring.audit.audit import audit_form

    form = read_form(EXAMPLES / name)
    findings = [d.model_dump(mode="json") for d in lint_form(form)]
    actuals = read_actuals(EXAMPLES / "xiaoguwei-actuals.csv") if name.startswith("xiaoguwei") else None
    audit = json.loads(audit_form(form).model_dump_json()) if name.startswith("selfeval") else None
    return [findings, json.loads(score_form(form, actuals).model_dump_json()), audit]


def _analysis_work() -> Any:
    from indicators.formula import compare, required, solve_for

    gongdan = parse_formula("指标值=办结工单/呈办工单*100%")
    need = required(gongdan, "呈办工单", bound=95, comparator="ge", values={"办结工单": 2821})
    return [
        str(solve_for(gongdan, "呈办工单", "95%", {"办结工单": "2,821"})),
        None if need is None else need.to_dict(),
        repr(compare(parse_formula("a/b*100%"), parse_formula("100%*a/b"))),
        repr(compare(parse_formula("ROUND(a/b,2)"), parse_formula("a/b"))),
        str(evaluate(parse_formula("发病人数/常住人口数×10万"), {"发病人数": "37", "常住人口数": "1,234,567"})
            .quantity()),
    ]


def _jobs() -> list[Callable[[], Any]]:
    jobs: list[Callable[[], Any]] = [lambda name=name: _form_work(name) for name in FORMS]  # type: ignore[misc]
    jobs += [lambda t=t, v=v: _formula_work(t, v) for t, v in _formulas()]  # type: ignore[misc]
    jobs += [lambda t=t, a=a, b=b: _target_work(t, a, b) for t, a, b in TARGETS]  # type: ignore[misc]
    jobs.append(_analysis_work)
    return jobs


def _all(jobs: list[Callable[[], Any]]) -> list[Any]:
    return [job() for job in jobs]


@pytest.fixture(scope="module")
def serial() -> list[Any]:
    return _all(_jobs())


@pytest.mark.parametrize(
    "context",
    [Context(prec=5), Context(prec=5, traps=[Inexact, Rounded]), Context(prec=100, rounding="ROUND_DOWN")],
    ids=["prec=5", "traps=Inexact,Rounded", "prec=100-down"],
)
def test_the_callers_decimal_context_changes_nothing(serial: list[Any], context: Context) -> None:
    with localcontext(context) as caller:
        before = (caller.prec, caller.rounding, dict(caller.traps), dict(caller.flags))
        assert _all(_jobs()) == serial
        after = (caller.prec, caller.rounding, dict(caller.traps), dict(caller.flags))
    assert after == before  # no flag of the caller's context was set


def test_batch_evaluation_ignores_the_callers_context() -> None:
    pytest.importorskip("duckdb")
    from indicators.formula.batch import evaluate_table

    rows = [{"a": Decimal(1), "b": Decimal(3)}, {"a": Decimal("1234567.1234567891"), "b": Decimal(7)}]
    expected = evaluate_table("a/b*100%", rows)
    with localcontext(Context(prec=5, traps=[Inexact, Rounded])):
        assert evaluate_table("a/b*100%", rows) == expected


def test_a_rounding_the_shown_decimals_can_see_is_warned_and_a_quotient_is_not() -> None:
    big = evaluate(parse_formula("a+b"), {"a": "1" + "0" * 48, "b": "1"})
    assert big.ok
    assert [d.code for d in big.diagnostics] == ["IND030"]
    assert "48 位有效数字" in big.diagnostics[0].message
    assert [d.code for d in evaluate(parse_formula("a/b*100%"), {"a": 1, "b": 3}).diagnostics] == []
    assert [d.code for d in evaluate(parse_formula("ROUND(a/b,2)*3"), {"a": 1, "b": 3}).diagnostics] == []
    exact = evaluate(parse_formula("a+b"), {"a": "1" + "0" * 40, "b": "1"})
    assert (exact.value, exact.diagnostics) == (Decimal("1" + "0" * 39 + "1"), ())
    # the same with plain numbers, which take the generated function first
    warned = evaluate(parse_formula("a*b-c"), {"a": Decimal("1E+30"), "b": Decimal("1E+30"), "c": 1})
    assert [d.code for d in warned.diagnostics] == ["IND030"]
    # a precision below the shown decimals: every rounding shows
    from indicators.limits import Limits

    coarse = evaluate(parse_formula("a/b*100%"), {"a": 1, "b": 3}, limits=Limits(decimal_precision=5))
    assert (coarse.value, [d.code for d in coarse.diagnostics]) == (Decimal("33.333"), ["IND030"])
    assert "5 位有效数字" in coarse.diagnostics[0].message


def _threads_at_once(jobs: list[Callable[[], Any]]) -> tuple[dict[int, list[Any]], list[BaseException]]:
    """Every job in each of 16 threads started together, each from another job; results in job order."""
    results: dict[int, list[Any]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def work(index: int) -> None:
        shift = index % len(jobs)
        try:
            start.wait()
            out = [job() for job in jobs[shift:] + jobs[:shift]]
            results[index] = out[len(jobs) - shift:] + out[: len(jobs) - shift]
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_sixteen_threads_give_the_serial_results(serial: list[Any]) -> None:
    jobs = _jobs()
    for _ in range(4):  # several rounds: a race shows up in one of them
        results, errors = _threads_at_once(jobs)
        assert errors == []
        assert len(results) == 16
        for index in range(16):
            assert results[index] == serial, f"thread {index}"


NUMBER_FORMS = ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999", "1E+999999", "1e-999999", "0e999999",
                "9" * 1999, "9" * 51, "-0", "-0.0", "10²", "①", "½", "⑴"]


@pytest.mark.parametrize("text", NUMBER_FORMS, ids=lambda t: t if len(t) < 12 else f"{len(t)} digits")
def test_number_forms_are_read_or_refused_with_a_diagnostic(text: str) -> None:
    from indicators.errors import IndicatorsError

    for parse in (parse_actual, lambda t: parse_target("≥" + t)):
        failure: IndicatorsError | None = None
        try:
            parse(text)
        except IndicatorsError as exc:  # a typed error with its diagnostic, never a traceback
            failure = exc
        assert failure is None or failure.diagnostics
    outcome = parse_target("≥95").evaluate(text)
    assert outcome.status is not None
    result = evaluate(parse_formula("a*2"), {"a": text})
    if text.lstrip("-").replace(".", "").strip("0") == "":  # a zero, however written
        assert result.ok
        assert result.display() == "0.00"
    else:
        assert not result.ok
        assert result.diagnostics[0].code in ("IND003", "IND112")
    if text in ("10²", "①", "½", "⑴"):  # never folded into 102, 1, 1/2
        assert result.diagnostics[0].code == "IND112"
