"""The generated SQL runs unchanged in Spark SQL (pyspark's local mode) and gives the evaluator's values.

Spark keeps DECIMAL(38, 10) quotients exact with ``spark.sql.decimalOperations.allowPrecisionLoss``
off (docs/scale.md); the session here sets it as a warehouse job would. Skipped, saying why, where
pyspark or a Java runtime is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts
from tests.formula.test_postgres import SEED
from tests.formula.warehouse import Case, case

from indicators.formula import parse_formula
from indicators.formula.nodes import Node
from indicators.formula.printer import to_text

pytestmark = pytest.mark.slow

_values = st.one_of(st.just(Decimal(0)),
                    st.decimals(min_value=Decimal(-1000), max_value=Decimal(1000), places=2, allow_nan=False))


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (java) for Spark")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.skip("pyspark is not installed (pip install 'indicators[spark]')")
    session = (
        SparkSession.builder.master("local[1]").appName("indicators-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _run(session: Any, cases: list[Case]) -> list[Decimal | None]:
    """Every case in one query: a UNION ALL of one-row selects over the columns ``c0``, ``c1``, …"""
    selects = []
    for i, one in enumerate(cases):
        values = enumerate(one.values.values())
        cells = ", ".join(f"CAST('{v:f}' AS DECIMAL(38, 10)) AS c{j}" for j, v in values)
        source = f" FROM (SELECT {cells}) AS t" if cells else ""
        selects.append(f"SELECT {i} AS i, CAST(({one.sql('spark')}) AS STRING) AS v{source}")
    rows = session.sql(" UNION ALL ".join(selects)).collect()
    found = {int(row["i"]): (Decimal(row["v"]) if row["v"] is not None else None) for row in rows}
    assert set(found) == set(range(len(cases)))
    return [found[i] for i in range(len(cases))]


def test_seed_formulas_in_spark(spark: Any) -> None:
    cases = [case(parse_formula(text), {k: Decimal(v) for k, v in values.items()}) for text, values in SEED]
    assert all(one is not None for one in cases)
    kept = [one for one in cases if one is not None]
    for one, computed in zip(kept, _run(spark, kept), strict=True):
        one.check(computed)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                               HealthCheck.too_slow])
@given(st.lists(st.tuples(asts, st.data()), min_size=30, max_size=40))
def test_random_formulas_in_spark_agree_with_the_evaluator(
    spark: Any, drawn: list[tuple[Node, st.DataObject]]
) -> None:
    cases = []
    for tree, data in drawn:
        formula = parse_formula(to_text(tree))
        values = {name: data.draw(_values, label=name) for name in formula.variables()}
        one = case(formula, values)
        if one is not None:
            cases.append(one)
    if cases:
        for one, computed in zip(cases, _run(spark, cases), strict=True):
            one.check(computed)
