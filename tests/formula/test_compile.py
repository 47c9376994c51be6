"""Compilers for batch work: SQL (sqlglot, DuckDB), the Decimal closure, and ``evaluate_table``."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts, evaluation_steps

from indicators.cli.formula_cmd import parse_samples
from indicators.errors import IndicatorsError
from indicators.formula import (
    BatchError,
    BatchRow,
    CompileError,
    codegen,
    compile_py,
    compile_sql,
    evaluate,
    evaluate_table,
    parse_formula,
    result_unit,
    to_callable,
    to_sql,
)
from indicators.formula.functions import FUNCTIONS
from indicators.formula.model import Formula
from indicators.formula.nodes import NODE_TYPES, Call, Comparison, Node, Number, Product, Variable, walk
from indicators.formula.printer import to_text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "xiaoguwei-formulas.tsv"
GARBAGE = "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"
GARBAGE_VALUES = {"可回收物回收量": 1250, "其他垃圾处理量": 3100, "厨余垃圾资源化利用量": 2400,
                  "四类垃圾处理总量": 7000}
_UNIT_DIGITS = {None: 0, "%": 2, "‰": 3}


def P(text: str) -> Formula:
    return parse_formula(text)


def _raises(code: str, call: Callable[..., object], *args: Any, **kwargs: Any) -> IndicatorsError:
    with pytest.raises(IndicatorsError) as info:
        call(*args, **kwargs)
    assert info.value.diagnostic.code == code, info.value.diagnostic
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.diagnostic.message)  # a Chinese message
    return info.value


@pytest.fixture(scope="module")
def duck() -> Iterator[Any]:
    import duckdb

    connection = duckdb.connect(":memory:")
    yield connection
    connection.close()


def _run_sql(connection: Any, formula: Formula | Node, values: dict[str, Decimal | int]) -> Decimal | None:
    """The formula's SQL over one row whose columns ``v0``, ``v1``, … hold the values (as DECIMAL)."""
    names = [n for n in values]
    sql = to_sql(formula, columns={n: f"v{i}" for i, n in enumerate(names)})
    cells = ", ".join(f"CAST(${i + 1} AS DECIMAL(38, 10)) AS v{i}" for i in range(len(names))) or "1 AS one"
    parameters = [str(values[n]) for n in names]
    row = connection.execute(f"SELECT {sql} FROM (SELECT {cells})", parameters).fetchone()
    value = row[0]
    assert value is None or isinstance(value, Decimal)  # never a float
    return value


# --- dispatch tables cover the language --------------------------------------------------------------


@pytest.mark.parametrize("table", [compile_sql._HANDLERS, codegen._HANDLERS], ids=["sql", "python"])
def test_every_node_class_has_a_handler(table: dict[type, object]) -> None:
    assert set(NODE_TYPES) <= set(table)


FUNCTION_TABLES = [compile_sql._FUNCTIONS, codegen._FUNCTIONS]


@pytest.mark.parametrize("table", FUNCTION_TABLES, ids=["sql", "python"])
def test_every_function_has_a_handler(table: dict[str, object]) -> None:
    assert set(table) == set(FUNCTIONS)


# --- golden SQL ----------------------------------------------------------------------------------------

D = "DECIMAL(38, 10)"
#: the DuckDB quotient of a and b with one guard digit: unscaled 128-bit integers, truncating
Q = (f'(CAST(CAST("a" AS {D}) * 10000000000 AS INT128) * CAST(100000000000 AS INT128)) // '
     f'CAST(CAST(NULLIF(CAST("b" AS {D}), 0) AS {D}) * 10000000000 AS INT128)')
#: the exact DuckDB quotient: Q's guard digit rounded half away from zero in integers
EXACT = (f'(CAST((({Q}) + CAST(SIGN(({Q})) AS INT128) * CAST(5 AS INT128)) // CAST(10 AS INT128) '
         f'AS DECIMAL(38, 0)) * CAST(0.0000000001 AS DECIMAL(10, 10)))')
B = f'CAST(NULLIF(CAST("b" AS {D}), 0) AS {D})'
GUESS = f'CAST(CAST("a" AS {D}) AS DOUBLE) / CAST({B} AS DOUBLE)'
#: the DOUBLE estimate of the quotient, NULL from 10^15 on
ESTIMATE = f"TRY_CAST({GUESS} AS DECIMAL(25, 10))"
GOLDEN = [
    ("a/b*100%", "postgres",
     f'CAST(CAST(CAST(100 AS DECIMAL(3, 0)) * CAST("a" AS {D}) AS {D}) / '
     f'NULLIF(CAST("b" AS {D}), 0) AS {D})'),
    ("a+b*0.8", "postgres",
     f'CAST(CAST("a" AS {D}) + CAST(CAST("b" AS {D}) * CAST(0.8 AS DECIMAL(2, 1)) AS {D}) AS {D})'),
    ("-a", "duckdb", f'CAST(-CAST("a" AS {D}) AS {D})'),
    ("a/b", "duckdb",  # the DOUBLE estimate where exact products prove it, else the exact quotient
     f'CAST(CASE WHEN ABS((CAST("a" AS {D}) - {ESTIMATE} * {B})) * 2 < '
     f'ABS({B}) * CAST(0.0000000001 AS DECIMAL(10, 10)) THEN {ESTIMATE} ELSE {EXACT} END AS {D})'),
    ("MAX(a, b*0.5)", "postgres",
     f'CAST(CASE WHEN NOT CAST("a" AS {D}) IS NULL AND NOT CAST(CAST("b" AS {D}) * '
     f'CAST(0.5 AS DECIMAL(2, 1)) AS {D}) IS NULL THEN GREATEST(CAST("a" AS {D}), '
     f'CAST(CAST("b" AS {D}) * CAST(0.5 AS DECIMAL(2, 1)) AS {D})) END AS {D})'),
    ("IF(a>=b, 1, 0)", "postgres",
     f'CAST(CASE WHEN CAST("a" AS {D}) >= CAST("b" AS {D}) THEN CAST(1 AS {D}) '
     f'WHEN NOT (CAST("a" AS {D}) >= CAST("b" AS {D})) THEN CAST(0 AS {D}) END AS {D})'),
    ("ROUND(a, 2)", "postgres", f'CAST(ROUND(CAST("a" AS {D}), 2) AS {D})'),
    ("MIN(-0.01, ROUND(a))", "duckdb",
     f'CAST(CASE WHEN NOT (-CAST(0.01 AS {D})) IS NULL '
     f'AND NOT CAST(ROUND(CAST("a" AS {D}), 0) AS {D}) IS NULL THEN '
     f'LEAST(-CAST(0.01 AS {D}), CAST(ROUND(CAST("a" AS {D}), 0) AS {D})) END AS {D})'),
    ("SUM(a, b)", "tsql",
     "CAST(CAST([a] AS NUMERIC(38, 10)) + CAST([b] AS NUMERIC(38, 10)) AS NUMERIC(38, 10))"),
    ("ABS(a)", "mysql", "CAST(ABS(CAST(`a` AS DECIMAL(38, 10))) AS DECIMAL(38, 10))"),
]


@pytest.mark.parametrize(("text", "dialect", "expected"), GOLDEN, ids=[f"{t}-{d}" for t, d, _ in GOLDEN])
def test_golden_sql(text: str, dialect: str, expected: str) -> None:
    assert to_sql(P(text), dialect=dialect) == expected


#: products and quotients whose DOUBLE estimate is right, half-way (a tie: exact only), or too far off
#: (large values): DuckDB gives the value rounded half away from zero at the 10th decimal in every case
EDGES = [
    ("a/b", "2", "3"), ("a/b", "1", "20000000000"), ("a/b", "-1", "20000000000"),
    ("a/b", "1", "-20000000000"),
    ("a/b", "123456789012.3456789", "0.0000001"), ("a/b", "99999.9999999999", "3"), ("a/b", "0", "5"),
    ("a/b", "-7", "0.0000000003"), ("a*0.5", "0.0000000001", None), ("a*0.5", "-0.0000000001", None),
    ("a*0.8", "123456.7890123457", None), ("a*b", "0.000015", "0.00001"), ("a*b", "-0.000025", "0.00001"),
    ("a*b", "12345678.9", "87654321.1"), ("a*b", "31622.7766016838", "31622.7766016838"),
]


@pytest.mark.parametrize(("text", "a", "b"), EDGES, ids=[f"{t} {a} {b}" for t, a, b in EDGES])
def test_duckdb_estimate_gives_the_exact_rounding(
    duck: Any, monkeypatch: pytest.MonkeyPatch, text: str, a: str, b: str | None
) -> None:
    from decimal import ROUND_HALF_UP, localcontext

    from indicators.formula import duckdb_sql

    values = {"a": Decimal(a)} | ({"b": Decimal(b)} if b is not None else {})
    with localcontext() as context:
        context.prec = 80
        left, right = values["a"], values.get("b", Decimal("0.5") if "0.5" in text else Decimal("0.8"))
        exact = left / right if "/" in text else left * right
        expected = exact.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)  # half away from zero
    assert _run_sql(duck, P(text), dict(values)) == expected
    monkeypatch.setattr(duckdb_sql, "MAX_CHECKED_NODES", 0)  # the exact computation alone
    assert "DOUBLE" not in to_sql(P(text))
    assert _run_sql(duck, P(text), dict(values)) == expected


def test_columns_map_names_to_quoted_identifiers() -> None:
    sql = to_sql(P("指标值=办结工单/呈办工单*100%"), dialect="postgres",
                 columns={"办结工单": "done", "呈办工单": 'in"box'})
    assert '"done"' in sql
    assert '"in""box"' in sql  # a quote inside a name is escaped, never pasted
    assert "办结工单" not in sql


def test_column_mapping_matches_normalised_names() -> None:
    sql = to_sql(P("村(社区)/总数"), columns={"村（社区）": "village"})
    assert '"village"' in sql


def test_names_with_sql_metacharacters_stay_identifiers(duck: Any) -> None:
    formula = P("a\"b'c/b")
    assert formula.variables() == ("a\"b'c", "b")
    sql = to_sql(formula, dialect="postgres")
    assert '"a""b\'c"' in sql
    assert "`a\"b'c`" in to_sql(formula, dialect="mysql")
    assert _run_sql(duck, formula, {"a\"b'c": Decimal(1), "b": Decimal(4)}) == Decimal("0.25")


# --- the seed's formulas -----------------------------------------------------------------------------


def _seed_rows() -> list[tuple[str, str, dict[str, str]]]:
    with SEED.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        return [(row[0], row[1], parse_samples(row[2]) if len(row) > 2 else {}) for row in reader]


SEED_ROWS = _seed_rows()


@pytest.mark.parametrize(("name", "text", "samples"), SEED_ROWS, ids=[r[0] for r in SEED_ROWS])
@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
def test_seed_formulas_compile_and_agree_with_evaluate(
    name: str, text: str, samples: dict[str, str], dialect: str, duck: Any
) -> None:
    formula = P(text)
    if not formula.is_arithmetic:
        _raises("IND127", to_sql, formula, dialect=dialect)
        _raises("IND127", to_callable, formula)
        return
    sql = to_sql(formula, dialect=dialect)
    for variable in formula.variables():
        assert f'"{variable}"' in sql
    values = {n: Decimal(samples[n].replace(",", "")) for n in formula.variables()}
    expected = evaluate(formula, values)
    assert expected.ok
    assert expected.unit == result_unit(formula)
    assert to_callable(formula)(values) == expected.value
    if dialect == "duckdb":
        computed = _run_sql(duck, formula, dict(values))
        assert computed is not None
        assert expected.value is not None
        assert abs(computed - expected.value) <= Decimal("1e-8")
        assert computed.quantize(Decimal("0.01")) == Decimal(expected.display().rstrip("%"))


def test_the_worked_example_in_duckdb(duck: Any) -> None:
    formula = P(GARBAGE)
    values = {k: Decimal(v) for k, v in GARBAGE_VALUES.items()}
    assert _run_sql(duck, formula, dict(values)) == Decimal("84.1428571429")
    assert to_callable(formula)(values) == Decimal("84.1428571428571428571428571428571428571428571429")
    assert result_unit(formula) == "%"


DIALECTS = ["duckdb", "postgres", "mysql", "tsql", "oracle", "hive", "spark", "bigquery"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_dialects(dialect: str) -> None:
    sql = to_sql(P(GARBAGE), dialect=dialect)
    assert "NULLIF" in sql
    assert "四类垃圾处理总量" in sql


# --- semantics in DuckDB -----------------------------------------------------------------------------

SEMANTICS = [
    ("a/b", {"a": 1, "b": 0}, None),
    ("MIN(a/b, 1)", {"a": 1, "b": 0}, None),  # LEAST alone would ignore the NULL
    ("MAX(1, a/b)", {"a": 1, "b": 0}, None),
    ("IF(a/b>1, 1, 2)", {"a": 1, "b": 0}, None),  # CASE alone would take the ELSE branch
    ("IF(b>0, a/b, 0)", {"a": 1, "b": 0}, Decimal(0)),  # the branch not taken is not computed
    ("IF(a-b, 1, 2)", {"a": 3, "b": 3}, Decimal(2)),
    ("ROUND(a/b*100%, 1)", {"a": 2, "b": 3}, Decimal("66.7")),
    ("ROUND(a/b, 1)", {"a": 2, "b": 3}, Decimal("0.7")),
    ("ROUND(-2.5)", {}, Decimal(-3)),  # half away from zero, as ROUND_HALF_UP
    ("ROUND(a, 1)", {"a": Decimal("2.45")}, Decimal("2.5")),
    ("MIN(-0.01, ROUND(a))", {"a": 0}, Decimal("-0.01")),  # ROUND's DECIMAL(38, 0) must not truncate -0.01
    ("IF(ROUND(a)>0.4, 1, 2)", {"a": Decimal("0.2")}, Decimal(2)),
    ("ROUND(a, 1)", {"a": Decimal("-2.45")}, Decimal("-2.5")),
    ("a/b", {"a": -7, "b": 2}, Decimal("-3.5")),
    ("a/b", {"a": 2, "b": 3}, Decimal("0.6666666667")),  # rounded half away from zero at 10 places
    ("a/b", {"a": -2, "b": 3}, Decimal("-0.6666666667")),
    ("AVG(a, b, 1)", {"a": 2, "b": 3}, Decimal(2)),
    ("SUM(a, b, 0.5)", {"a": 2, "b": 3}, Decimal("5.5")),
    ("50%+a", {"a": 1}, Decimal(150)),  # per cent first: the value is in per cent
    ("a*3‰", {"a": 1000}, Decimal(3000)),  # a number in per mille
    ("ABS(a-b)", {"a": 2, "b": 3}, Decimal(1)),
]


@pytest.mark.parametrize(("text", "values", "expected"), SEMANTICS, ids=[s[0] for s in SEMANTICS])
def test_sql_and_closure_semantics(
    text: str, values: dict[str, Any], expected: Decimal | None, duck: Any
) -> None:
    formula = P(text)
    typed = {k: Decimal(v) for k, v in values.items()}
    assert _run_sql(duck, formula, dict(typed)) == expected
    closure = to_callable(formula)(typed)
    if expected is None:
        assert closure is None
        assert not evaluate(formula, typed).ok
    else:
        assert closure is not None
        assert abs(closure - expected) < Decimal("1e-9")


def test_rounding_to_places_beyond_the_scale_keeps_the_value(duck: Any) -> None:
    assert _run_sql(duck, P("ROUND(a, 12)"), {"a": Decimal("1.5")}) == Decimal("1.5")


# --- the closure ---------------------------------------------------------------------------------------


def test_closure_matches_names_like_evaluate() -> None:
    run = to_callable(P("村(社区)/总数*100%"))
    assert run({"村（社区）": Decimal(1), "总数": 4}) == Decimal(25)


def test_closure_missing_or_none_value_is_not_computable() -> None:
    run = to_callable(P("a+b"))
    assert run({"a": Decimal(1)}) is None
    assert run({"a": Decimal(1), "b": None}) is None


@pytest.mark.parametrize("bad", [0.5, "1", True, Decimal("NaN")], ids=repr)
def test_closure_rejects_values_that_are_not_decimal_or_int(bad: object) -> None:
    error = _raises("IND112", to_callable(P("a+1")), {"a": bad})
    assert isinstance(error, CompileError)


def test_closure_overflow_is_not_computable() -> None:
    assert to_callable(P("ROUND(a, 20)"))({"a": Decimal("1e30")}) is None  # too long to round in 34 digits


def test_closure_on_a_node_and_a_lone_comparison() -> None:
    assert to_callable(Product((Variable("a"), Number(Decimal(50), "%")), ("*",)))({"a": 3}) == Decimal(150)
    assert result_unit(Number(Decimal(3), "‰")) == "‰"
    assert to_callable(Comparison(">", Variable("a"), Number(Decimal(1))))({"a": 2}) == 1


def test_lone_comparison_in_sql(duck: Any) -> None:
    node = Comparison(">", Variable("a"), Number(Decimal(1)))
    assert _run_sql(duck, node, {"a": Decimal(2)}) == 1
    assert _run_sql(duck, node, {"a": Decimal(0)}) == 0


# --- error paths -----------------------------------------------------------------------------------------


def test_not_arithmetic_is_a_typed_error() -> None:
    error = _raises("IND127", to_sql, P("指标值=是/否符合"))
    assert isinstance(error, CompileError)
    assert isinstance(error, ValueError)
    assert "是否" in error.diagnostic.message


def test_unknown_dialect() -> None:
    error = _raises("IND130", to_sql, P("a/b"), dialect="nosuchsql")
    assert "nosuchsql" in error.diagnostic.message


def test_columns_naming_no_variable() -> None:
    error = _raises("IND130", to_sql, P("a/b"), columns={"c": "x"})
    assert "a、b" in (error.diagnostic.hint or "")


def test_number_too_large_for_decimal_38_10() -> None:
    error = _raises("IND127", to_sql, P("a*1" + "0" * 30))
    assert "DECIMAL(38, 10)" in error.diagnostic.message
    assert error.diagnostic.span is not None


def test_number_with_more_than_ten_places_is_rounded() -> None:
    assert "CAST(0.0000000001 AS DECIMAL(11, 10))" in to_sql(P("a*0.00000000005"))


def test_round_whose_unit_depends_on_a_condition() -> None:
    _raises("IND127", to_sql, P("ROUND(IF(a>b, 50%, 0.3), 1)"))
    tree = Call("ROUND", (Call("IF", (Comparison(">", Variable("a"), Variable("b")),
                                      Number(Decimal(50), "%"), Number(Decimal("0.3")))),))
    error = _raises("IND127", to_sql, tree)
    assert error.diagnostic.span is None


def test_nesting_that_expands_too_far() -> None:
    text = "MIN(" * 16 + "a" + ", b)" * 16  # each MIN writes its arguments twice: 2^16 copies of a
    _raises("IND127", to_sql, P(text))


def test_missing_sqlglot_and_duckdb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlglot", None)
    error = _raises("IND128", to_sql, P("a/b"))
    assert "pip install 'indicators[batch]'" in (error.diagnostic.hint or "")
    monkeypatch.delitem(sys.modules, "sqlglot")
    monkeypatch.setitem(sys.modules, "duckdb", None)
    error = _raises("IND128", evaluate_table, "a/b", [{"a": 1, "b": 2}])
    assert isinstance(error, BatchError)


# --- evaluate_table ----------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_evaluate_table_over_a_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "单位,可回收物回收量,其他垃圾处理量,厨余垃圾资源化利用量,四类垃圾处理总量\n"
        '甲街道,"1,250",3100,2400,7000\n'
        "乙街道,abc,3100,2400,7000\n"
        "丙街道,1250,3100,2400,0\n"
        "丁街道,,3100,2400,7000\n"
        '戊街道,50%, 3100 ,2400,"7,000.5"\n'
        "己街道,1250,3100,1‰,7000\n"
    ))
    rows = evaluate_table(GARBAGE, path, key="单位")
    assert [r.row for r in rows] == [2, 3, 4, 5, 6, 7]
    assert [r.key for r in rows] == ["甲街道", "乙街道", "丙街道", "丁街道", "戊街道", "己街道"]
    assert rows[0].value == Decimal("84.1428571429")
    assert rows[0].unit == "%"
    assert rows[0].display() == "84.14%"
    assert rows[0].ok
    assert [d.code for d in rows[1].diagnostics] == ["IND129"]
    assert "abc" in rows[1].diagnostics[0].message
    assert "第 3 行" in rows[1].diagnostics[0].message
    assert [d.code for d in rows[2].diagnostics] == ["IND131"]
    assert rows[2].display() == "无法计算"
    assert rows[3].diagnostics[0].hint == "单元格为空，请填写数值"
    assert rows[4].value == Decimal("66.2881222770")  # 50% is 0.5; 7,000.5 has a separator
    assert rows[5].value is not None
    assert rows[5].to_dict()["value"] == f"{rows[5].value:f}"


_SPREAD = st.builds(
    lambda digits, exponent, sign: sign * Decimal(digits).scaleb(exponent),
    st.integers(min_value=0, max_value=10**16), st.integers(min_value=-10, max_value=2),
    st.sampled_from([1, -1]),
)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["a/b", "a*b", "a*0.7", "-a*0.003", "(a+b*0.8)/b*100%", "a/b/b", "a*b/7"]),
       st.lists(st.tuples(_SPREAD, _SPREAD), min_size=1, max_size=40))
def test_duckdb_estimate_equals_the_exact_computation(
    duck: Any, text: str, rows: list[tuple[Decimal, Decimal]]
) -> None:
    """Row for row, the SQL with estimates gives what the exact computation alone gives (values of every
    magnitude and up to 10 decimals; lists the exact computation cannot compute are left out)."""
    from indicators.formula import duckdb_sql

    checked = to_sql(P(text), columns={"a": "a", "b": "b"} if "b" in text else {"a": "a"})
    saved, duckdb_sql.MAX_CHECKED_NODES = duckdb_sql.MAX_CHECKED_NODES, 0
    try:
        exact = to_sql(P(text), columns={"a": "a", "b": "b"} if "b" in text else {"a": "a"})
    finally:
        duckdb_sql.MAX_CHECKED_NODES = saved
    values = ", ".join(f"(CAST('{a:f}' AS {D}), CAST('{b:f}' AS {D}))" for a, b in rows)
    source = f"(VALUES {values}) AS t(a, b)"
    import duckdb

    try:
        expected = duck.execute(f"SELECT {exact} FROM {source}").fetchall()
    except duckdb.Error:
        event("beyond DECIMAL(38, 10)")
        return
    assert duck.execute(f"SELECT {checked} FROM {source}").fetchall() == expected


@pytest.mark.parametrize(("cell", "value"), [
    ("1,250", "1250"), ("1,152.50", "1152.5"), ("12,345,678.0000000001", "12345678.0000000001"),
    (" 1,250 ", "1250"), ("-1,250", "-1250"), ("+1,250.5", "1250.5"), ("1,250%", "12.5"), ("1,250\t", "1250"),
    ("999,999,999,999,999", "999999999999999"), ("0,001", "1"), ("1,250.00000000005", "1250.0000000001"),
])
def test_readable_cells(tmp_path: Path, cell: str, value: str) -> None:
    path = _write(tmp_path, f'a,b\n"{cell}",1\n')
    (row,) = evaluate_table("a/b", path)
    assert row.ok, row.diagnostics
    assert row.value == Decimal(value)


@pytest.mark.parametrize("cell", ["1,25", "3万元", "N/A", "1.2.3", "１２", "--1", "%"])
def test_unreadable_cells(tmp_path: Path, cell: str) -> None:
    path = _write(tmp_path, f'a,b\n"{cell}",2\n')
    (row,) = evaluate_table("a/b", path)
    assert [d.code for d in row.diagnostics] == ["IND129"]
    assert row.value is None


def test_evaluate_table_over_rows_with_a_column_mapping() -> None:
    rows = evaluate_table(P("办结工单/呈办工单*100%"), [
        {"dept": "一科", "done": Decimal("2936"), "in": "3,012"},
        {"dept": "二科", "done": 1, "in": 0},
        {"dept": "三科", "done": 0.5, "in": 2},
        {"dept": "四科", "done": True, "in": 2},
    ], columns={"办结工单": "done", "呈办工单": "in"}, key="dept")
    assert rows[0].value == Decimal("97.4767596282")
    assert rows[0].row == 1
    assert [d.code for d in rows[1].diagnostics] == ["IND131"]
    assert [d.code for d in rows[2].diagnostics] == ["IND129"]
    assert "float" in (rows[2].diagnostics[0].hint or "")
    assert [d.code for d in rows[3].diagnostics] == ["IND129"]


def test_evaluate_table_matches_normalised_headers(tmp_path: Path) -> None:
    path = _write(tmp_path, "村（社区）,总数\n1,4\n")
    (row,) = evaluate_table("村(社区)/总数", path)
    assert row.value == Decimal("0.25")
    assert row.key is None


def test_evaluate_table_empty_inputs(tmp_path: Path) -> None:
    assert evaluate_table("a/b", _write(tmp_path, "a,b\n")) == []
    with pytest.raises(BatchError):
        evaluate_table("a/b", [])


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"key": "单位"}, "单位"),
        ({"columns": {"a": "x"}}, "x"),
        ({"columns": {"c": "a"}}, "c"),
    ],
)
def test_evaluate_table_input_errors(tmp_path: Path, kwargs: dict[str, Any], needle: str) -> None:
    path = _write(tmp_path, "a,b\n1,2\n")
    error = _raises("IND130", evaluate_table, "a/b", path, **kwargs)
    assert needle in error.diagnostic.message


def test_evaluate_table_missing_column_and_file(tmp_path: Path) -> None:
    error = _raises("IND130", evaluate_table, "a/c", _write(tmp_path, "a,b\n1,2\n"))
    assert "a、b" in (error.diagnostic.hint or "")
    _raises("IND130", evaluate_table, "a/b", tmp_path / "nope.csv")
    binary = tmp_path / "bad.csv"
    binary.write_bytes(b"a,b\n\xff\xfe\x00\x01,2\n")
    _raises("IND130", evaluate_table, "a/b", binary)


def test_evaluate_table_overflow_is_an_input_error() -> None:
    _raises("IND130", evaluate_table, "a*b", [{"a": "1" + "0" * 20, "b": "1" + "0" * 20}])


def test_evaluate_table_not_arithmetic() -> None:
    _raises("IND127", evaluate_table, "满意度", [{"满意度": 1}])


def test_batch_row_json_shape() -> None:
    row = BatchRow(2, "甲", Decimal("84.1428571429"), "%")
    assert row.to_dict() == {"row": 2, "key": "甲", "ok": True, "value": "84.1428571429", "unit": "%",
                             "diagnostics": []}


# --- evaluate, the closure and DuckDB agree ------------------------------------------------------------


_asts: st.SearchStrategy[Node] = asts
_values = st.one_of(
    st.just(Decimal(0)),
    st.decimals(min_value=Decimal(-1000), max_value=Decimal(1000), places=2, allow_nan=False),
)




def _plain(value: Decimal | None, unit: str | None) -> Decimal | None:
    return None if value is None else value.scaleb(-_UNIT_DIGITS.get(unit, 0))  # a rate's base: no shift


def _fits(value: Decimal) -> bool:
    """Exact in DECIMAL(38, 10) with room for the engine's intermediate products."""
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -compile_sql.SCALE and abs(value) < Decimal("1e14")


@settings(max_examples=150, deadline=None)
@given(_asts, st.data())
def test_evaluate_closure_and_duckdb_agree(duck: Any, tree: Node, data: st.DataObject) -> None:
    formula = parse_formula(to_text(tree))
    if not formula.is_arithmetic or formula.expr is None:
        event("not arithmetic")
        return
    values = {name: data.draw(_values, label=name) for name in formula.variables()}
    expected = evaluate(formula, values)
    closure = to_callable(formula)(values)
    plain = _plain(closure, result_unit(formula))
    if not expected.ok:
        assert {d.code for d in expected.diagnostics} <= {"IND110", "IND115"}
        assert closure is None
    else:
        assert plain == _plain(expected.value, expected.unit), (to_text(formula.expr), values)
    steps = [to_callable(step)(values) for step in evaluation_steps(formula.expr)]
    plains = [_plain(v, result_unit(s)) for v, s in zip(steps, evaluation_steps(formula.expr), strict=True)]
    if not all(p is None or abs(p) < Decimal("1e14") for p in plains):
        event("beyond the range of DECIMAL(38, 10) products")
        return
    if any(isinstance(n, Call) and n.function == "ROUND" and compile_py.unit_of(n.args[0]) is None
           for n in walk(formula.expr)):
        event("no SQL form: a ROUND whose unit depends on a condition")
        _raises("IND127", to_sql, formula)
        return
    computed = _run_sql(duck, formula, dict(values))
    sql_plain = _plain(computed, result_unit(formula))
    if all(p is None or _fits(p) for p in plains):
        event("every step exact")
        assert sql_plain == plain, (to_text(formula.expr), values, computed, closure)
        return
    if any(isinstance(n, Call) and n.function in ("ROUND", "IF") for n in walk(formula.expr)):
        event("rounded step before a jump")
        return
    if any(p is not None and p != 0 and abs(p) < Decimal("1e-3") for p in plains) or plain is None:
        event("below the DECIMAL(38, 10) precision")
        return
    event("rounded steps")
    assert sql_plain is not None
    largest = max([abs(p) for p in plains if p is not None] + [Decimal(1)])
    assert abs(sql_plain - plain) <= largest * Decimal("1e-6"), (to_text(formula.expr), values, computed)
