"""The SQL of ``score-batch --emit-sql`` runs unchanged in PostgreSQL and in Spark SQL and scores each row
it takes exactly as the Python scorer does.

PostgreSQL is the throw-away server of ``tests/formula/warehouse.py``; Spark is pyspark's local mode, run
with Spark's default decimal settings (``allowPrecisionLoss`` on: the query keeps its products within
38 digits, so it needs no setting). Each is skipped, saying why, where it cannot run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests.formula.warehouse import Postgres, postgres_server
from tests.scoring.long_tables import HEADER, long_rows, write_csv

from indicators.scoring import load_policy
from indicators.scoring.batch import emit_sql, read_long_table, score_rows, score_table
from indicators.scoring.batch.columns import ROLES

pytestmark = pytest.mark.slow

POLICY = load_policy("default")
EXAMPLE = Path(__file__).parents[2] / "examples" / "long-table.csv"
_OUT = ("route", "score_weight", "verdict", "achievement", "score")


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    try:
        with postgres_server() as server:
            yield server
    except LookupError as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (java) for Spark")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.skip("pyspark is not installed (pip install 'indicators[spark]')")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("indicators-score-batch")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    before = str(session.conf.get("spark.sql.decimalOperations.allowPrecisionLoss", "true"))
    session.conf.set("spark.sql.decimalOperations.allowPrecisionLoss", "true")
    yield session
    session.conf.set("spark.sql.decimalOperations.allowPrecisionLoss", before)


_Expected = tuple[Decimal | None, str | None, Decimal | None, Decimal | None]


def _expected(path: Path) -> tuple[dict[tuple[str, ...], _Expected], int]:
    """The Python scorer's result by a row's cells (equal cells in one unit × period score alike), and
    how many rows DuckDB scores in SQL."""
    rows = read_long_table(path)
    lines, _ = score_rows(rows, POLICY)
    by_cells: dict[tuple[str, ...], _Expected] = {}
    for row, line in zip(rows, lines, strict=False):
        key = tuple("" if getattr(row, r) is None else str(getattr(row, r)) for r in ROLES)
        by_cells[key] = (line.weight, line.verdict, line.achievement, line.score)
    return by_cells, score_table(path, policy=POLICY).sql_rows


def _check(path: Path, results: list[dict[str, str | None]]) -> None:
    expected, sql_rows = _expected(path)
    scored = [r for r in results if r["route"] == "sql"]
    assert len(scored) == sql_rows
    for r in scored:
        key = tuple(r[role] or "" for role in ROLES)
        weight, verdict, achievement, score = expected[key]
        assert Decimal(str(r["score_weight"])) == weight, key
        assert r["verdict"] == verdict, key
        got = None if r["achievement"] is None else Decimal(str(r["achievement"]))
        assert got == achievement, key
        assert Decimal(str(r["score"])) == score, key


def _postgres_rows(server: Postgres, path: Path) -> list[dict[str, str | None]]:
    import csv

    with path.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    columns = ", ".join(f'"{h}" TEXT' for h in table[0])

    def text(cell: str) -> str:
        return "NULL" if cell == "" else "'" + cell.replace("'", "''") + "'"

    values = ", ".join("(" + ", ".join(text(c) for c in row) + ")" for row in table[1:])
    query = emit_sql(path, "postgres", policy=POLICY).rstrip(";")
    names = [*ROLES, "route", "group_ok", *_OUT[1:]]
    rows = server.query(
        f'CREATE TABLE "indicators_input" ({columns});'
        f'INSERT INTO "indicators_input" VALUES {values};'
        f"{query};"
        'DROP TABLE "indicators_input";'
    )
    return [{n: (v if v != "" else None) for n, v in zip(names, row, strict=True)} for row in rows]


def test_example_in_postgres(postgres: Postgres) -> None:
    _check(EXAMPLE, _postgres_rows(postgres, EXAMPLE))


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=long_rows(numeric=True))
def test_random_tables_in_postgres(
    postgres: Postgres, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    path = write_csv(tmp_path_factory.mktemp("pg") / "long.csv", rows)
    _check(path, _postgres_rows(postgres, path))


def _spark_rows(session: Any, path: Path) -> list[dict[str, str | None]]:
    import csv

    with path.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    frame = session.createDataFrame(
        [[c or None for c in row] for row in table[1:]], schema=", ".join(f"`{h}` STRING" for h in table[0])
    )
    frame.createOrReplaceTempView("indicators_input")
    found = session.sql(emit_sql(path, "spark", policy=POLICY).rstrip(";")).collect()
    return [{k: (None if v is None else str(v)) for k, v in row.asDict().items()} for row in found]


def test_example_in_spark(spark: Any) -> None:
    _check(EXAMPLE, _spark_rows(spark, EXAMPLE))


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=long_rows(numeric=True))
def test_random_tables_in_spark(
    spark: Any, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    path = write_csv(tmp_path_factory.mktemp("spark") / "long.csv", rows)
    _check(path, _spark_rows(spark, path))


def test_header_of_the_generated_tables() -> None:
    assert len(HEADER) == len(ROLES)
