"""The generated SQL runs unchanged in a real PostgreSQL server and gives the reference evaluator's values.

The server is Debian's ``postgresql`` package, started here in a temporary folder on a free loopback
port and stopped at the end (``.ci/run`` installs the package). The test is skipped, saying why, only
where the server's programs cannot be found.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts
from tests.formula.warehouse import Case, Postgres, case, postgres_server

from indicators.formula import parse_formula
from indicators.formula.nodes import Node
from indicators.formula.printer import to_text

pytestmark = pytest.mark.slow

_values = st.one_of(st.just(Decimal(0)),
                    st.decimals(min_value=Decimal(-1000), max_value=Decimal(1000), places=2, allow_nan=False))


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    try:
        with postgres_server() as server:
            yield server
    except LookupError as missing:
        pytest.skip(str(missing))


def _literal(value: Decimal) -> str:
    return f"CAST('{value:f}' AS NUMERIC)"


def _run(server: Postgres, cases: list[Case]) -> list[Decimal | None]:
    """Every case in one psql call: ``SELECT i, value FROM (VALUES (…)) AS t(c0, c1, …)``."""
    selects = []
    for i, one in enumerate(cases):
        value = f"CAST(({one.sql('postgres')}) AS TEXT)"
        if one.values:
            row = ", ".join(_literal(v) for v in one.values.values())
            names = ", ".join(f"c{j}" for j in range(len(one.values)))
            selects.append(f"SELECT {i}, {value} FROM (VALUES ({row})) AS t({names});")
        else:
            selects.append(f"SELECT {i}, {value};")
    rows = server.query("\n".join(selects))
    found = {int(index): (Decimal(text) if text else None) for index, text in rows}
    assert set(found) == set(range(len(cases)))
    return [found[i] for i in range(len(cases))]


SEED = [
    ("指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%",
     {"可回收物回收量": "1250", "其他垃圾处理量": "3100", "厨余垃圾资源化利用量": "2400",
      "四类垃圾处理总量": "7000"}),
    ("指标值=办结工单/呈办工单*100%", {"办结工单": "2936", "呈办工单": "3012"}),
    ("指标值=办结工单/呈办工单*100%", {"办结工单": "2936", "呈办工单": "0"}),
    ("IF(完成数>=计划数, 100%, ROUND(完成数/计划数*100%, 2))", {"完成数": "19", "计划数": "20"}),
    ("发生数/常住人口×10万", {"发生数": "37", "常住人口": "80000"}),
    ("MAX(a, b) - MIN(a, b) + ABS(-a) + AVG(a, b, 3‰)", {"a": "-2.5", "b": "7.25"}),
]


@pytest.mark.parametrize(("text", "values"), SEED, ids=[s[0] for s in SEED])
def test_seed_formulas_in_postgres(postgres: Postgres, text: str, values: dict[str, str]) -> None:
    one = case(parse_formula(text), {k: Decimal(v) for k, v in values.items()})
    assert one is not None
    one.check(_run(postgres, [one])[0])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.too_slow])
@given(st.lists(st.tuples(asts, st.data()), min_size=30, max_size=40))
def test_random_formulas_in_postgres_agree_with_the_evaluator(
    postgres: Postgres, drawn: list[tuple[Node, st.DataObject]]
) -> None:
    cases = []
    for tree, data in drawn:
        formula = parse_formula(to_text(tree))
        values = {name: data.draw(_values, label=name) for name in formula.variables()}
        one = case(formula, values)
        if one is not None:
            cases.append(one)
    for one, computed in zip(cases, _run(postgres, cases), strict=True):
        one.check(computed)


def test_emitted_batch_query_runs_over_a_table(postgres: Postgres) -> None:
    """The query of ``batch eval --emit-sql postgres`` over a real table."""
    from sqlglot import exp

    from indicators.formula.compile_sql import to_expression

    formula = parse_formula("指标值=办结工单/呈办工单*100%")
    value = to_expression(formula, dialect="postgres")
    query = exp.select(exp.column("单位", quoted=True), exp.alias_(value, "指标值", quoted=True)).from_(
        exp.Table(this=exp.to_identifier("工单", quoted=True))).order_by(exp.column("单位", quoted=True))
    rows = postgres.query(
        'CREATE TABLE "工单" ("单位" TEXT, "办结工单" NUMERIC, "呈办工单" INTEGER);'
        "INSERT INTO \"工单\" VALUES ('甲', 2936, 3012), ('乙', 1, 0);"
        f"{query.sql(dialect='postgres')};"
        'DROP TABLE "工单";'
    )
    assert rows == [["乙", ""], ["甲", "97.4767596282"]]
