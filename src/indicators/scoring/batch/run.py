"""A long table scored in DuckDB file to file (:func:`score_table`); SQL for a warehouse (:func:`emit_sql`).

The steps (docs/batch.md, "score-batch"):

1. the table is opened where it lies (CSV or Parquet, :func:`indicators.formula.batch_sql.open_source`)
   and its columns are given roles (``catalog/long-table.yaml``);
2. each distinct target (with the cells that decide how it reads) is parsed once in Python into a
   target plan (:mod:`.plan`), loaded into DuckDB as a small table;
3. one query (:mod:`.query`) scores every plainly numeric row in exact DECIMAL arithmetic;
4. only the rows it leaves (qualitative, unreadable, other units, split weights …) are fetched and
   scored by the Python scorer (:mod:`.reference`), a unit × period at a time;
5. the rows are written to CSV or Parquet by DuckDB's ``COPY`` (or fetched, for a table on the screen),
   with the totals of each unit × period beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from indicators.codes import diagnostic
from indicators.formula.batch_sql import connect, copy_to, open_source, run, sqlglot_exp
from indicators.scoring.batch.columns import ROLES, ScoreBatchError, resolve_columns
from indicators.scoring.batch.plan import KEY, TargetPlan, plans
from indicators.scoring.batch.query import PLAN_COLUMNS, ROW, long_table, plan_values, score_query
from indicators.scoring.batch.reference import (
    GroupTotal,
    LineResult,
    LongRow,
    group_total,
    line_results,
    score_group,
)
from indicators.scoring.policy import Policy

#: the most rows the Python scorer takes from one table (IND853 beyond)
MAX_PYTHON_ROWS = 5_000_000
#: rows read from DuckDB into Python at a time
CHUNK = 50_000
#: the most distinct rows whose lines are kept for reuse
MEMO_SIZE = 200_000
#: the most distinct targets (target plans) of one table (IND853 beyond)
MAX_PLANS = 2_000_000
#: the columns of a written result, in order
OUTPUT_COLUMNS = (
    "row",
    "unit",
    "period",
    "level1",
    "level2",
    "indicator",
    "target",
    "actual",
    "weight",
    "verdict",
    "achievement",
    "score",
    "code",
    "message",
)
TOTAL_COLUMNS = ("unit", "period", "rows", "weight_total", "total", "scaled_total", "grade")


@dataclass(frozen=True, slots=True)
class ScoreBatchResult:
    """What :func:`score_table` did: rows in all, rows scored in SQL and in Python, the totals of each
    unit × period, and (without an output file) every line."""

    rows: int
    sql_rows: int
    python_rows: int
    totals: tuple[GroupTotal, ...]
    lines: tuple[LineResult, ...] | None = None
    outputs: tuple[Path, ...] = field(default=())
    #: how many lines carry each diagnostic code (the lines that were not scored)
    codes: tuple[tuple[str, int], ...] = ()


def totals_path(out: Path) -> Path:
    """Where the totals of ``out`` go: ``scores.parquet`` → ``scores.totals.parquet``."""
    return out.with_name(f"{out.stem}.totals{out.suffix}")


def _open(connection: Any, path: Path) -> dict[str, str]:
    mapping = resolve_columns(open_source(connection, path))
    exp = sqlglot_exp()
    lt = long_table(exp.to_table("src"), mapping, numbered=True)
    connection.execute(f"CREATE TEMP VIEW lt AS {lt.sql(dialect='duckdb')}")
    return mapping


def read_long_table(path: str | Path) -> list[LongRow]:
    """Every row of a long table, as the scorer reads it (text cells; None for empty ones)."""
    connection = connect()
    try:
        _open(connection, Path(path))
        fetched = connection.execute(f"SELECT {ROW}, {', '.join(ROLES)} FROM lt ORDER BY {ROW}").fetchall()
    finally:
        connection.close()
    return [LongRow(int(r[0]), *r[1:]) for r in fetched]


def _insert(connection: Any, table: str, records: list[list[object]]) -> None:
    """Append ``records`` to ``table`` in one statement: each column as a list parameter, unnested
    (``executemany`` would run one statement per row)."""
    if not records:
        return
    columns = [list(c) for c in zip(*records, strict=True)]
    unnested = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
    connection.execute(f"INSERT INTO {table} SELECT {unnested}", columns)


def _plans(connection: Any, policy: Policy) -> list[TargetPlan]:
    keys = ", ".join(f"COALESCE({k}, '')" for k in KEY)
    count = connection.execute(f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM lt)").fetchone()
    if count and int(count[0]) > MAX_PLANS:
        raise ScoreBatchError(
            diagnostic("IND853", what="不同指标值的个数", size=int(count[0]), limit=MAX_PLANS)
        )
    distinct = connection.execute(f"SELECT DISTINCT {keys} FROM lt").fetchall()
    return plans([tuple(str(v) for v in row) for row in distinct], policy)


def _load_plans(connection: Any, found: list[TargetPlan]) -> None:
    names = [f"k_{k}" for k in KEY] + list(PLAN_COLUMNS)
    types = ["VARCHAR"] * (len(KEY) + 1) + ["DECIMAL(19, 6)"] * 3 + ["INTEGER"] * 3
    columns = ", ".join(f"{n} {t}" for n, t in zip(names, types, strict=True))
    connection.execute(f"CREATE TEMP TABLE plan ({columns})")
    _insert(
        connection,
        "plan",
        [
            [
                *p.key,
                p.rule,
                *(None if b is None else f"{b:f}" for b in (p.bound, p.lower, p.upper)),
                int(p.plain_ok),
                int(p.percent_ok),
                int(p.fraction_guard),
            ]
            for p in found
        ],
    )


def score_table(
    path: str | Path,
    *,
    policy: Policy,
    out: str | Path | None = None,
    progress: Callable[[float], None] | None = None,
    max_python_rows: int = MAX_PYTHON_ROWS,
) -> ScoreBatchResult:
    """Score every row of the long table at ``path`` (CSV or Parquet) under ``policy``.

    With ``out`` (``.csv`` or ``.parquet``) the lines are written there and the totals beside it
    (:func:`totals_path`); otherwise they come back in :attr:`ScoreBatchResult.lines`. Raises
    :class:`ScoreBatchError` for a missing column (IND850), a table beyond the limits (IND853) or an
    unreadable file (IND130); bad rows never raise (their lines say why).
    """
    connection = connect()
    try:
        mapping = _open(connection, Path(path))
        _load_plans(connection, _plans(connection, policy))
        exp = sqlglot_exp()
        query = score_query(
            exp.to_table("src"), mapping, exp.select("*").from_("plan"), policy, numbered=True
        )
        run(connection, f"CREATE TEMP TABLE scored AS {query.sql(dialect='duckdb')}", progress=progress)
        whole = _python_rows(connection, policy, max_python_rows)
        _result_table(connection, policy)
        totals = _totals(connection, policy, whole)
        counts = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE route = 'sql') FROM scored"
        ).fetchone()
        rows, sql_rows = (int(counts[0]), int(counts[1])) if counts else (0, 0)
        codes = tuple(
            (str(c), int(n))
            for c, n in connection.execute(
                "SELECT code, count(*) FROM result WHERE code IS NOT NULL GROUP BY code ORDER BY code"
            ).fetchall()
        )
        if out is None:
            lines = tuple(_fetch_lines(connection))
            return ScoreBatchResult(rows, sql_rows, rows - sql_rows, totals, lines, codes=codes)
        out_path = Path(out)
        ordered = (
            exp.select(*[exp.column(c, quoted=True) for c in OUTPUT_COLUMNS])
            .from_("result")
            .order_by(exp.Ordered(this=exp.column("row", quoted=True), nulls_first=False))
        )
        copy_to(connection, ordered, out_path)
        _write_totals(connection, totals, totals_path(out_path), policy.rounding.places)
        return ScoreBatchResult(
            rows, sql_rows, rows - sql_rows, totals, None, (out_path, totals_path(out_path)), codes
        )
    finally:
        connection.close()


def _python_rows(
    connection: Any, policy: Policy, limit: int
) -> dict[tuple[str | None, str | None], GroupTotal]:
    """Score the rows SQL left into the table ``py``; the totals of the groups scored here as a whole.

    A unit × period whose weights are all written (``group_ok``) is scored row by row: a row's line
    depends on its own cells only, so rows with the same cells are scored once (a qualitative row
    repeats across units: ``达成`` against ``是``). Any other group is scored as one form."""
    count = connection.execute("SELECT count(*) FROM scored WHERE route = 'python'").fetchone()
    left = int(count[0]) if count else 0
    if left > limit:
        raise ScoreBatchError(
            diagnostic("IND853", what="需要逐行评分（非数值）的行数", size=left, limit=limit)
        )
    connection.execute(
        f"CREATE TEMP TABLE left_rows AS SELECT group_ok, {ROW}, {', '.join(ROLES)} FROM scored "
        f"WHERE route = 'python' ORDER BY unit, period, {ROW}"
    )
    connection.execute(
        "CREATE TEMP TABLE py (src_row BIGINT, unit VARCHAR, period VARCHAR, indicator VARCHAR, "
        "verdict VARCHAR, achievement VARCHAR, weight VARCHAR, score VARCHAR, code VARCHAR, "
        "message VARCHAR)"
    )
    whole: dict[tuple[str | None, str | None], GroupTotal] = {}
    memo: dict[tuple[str | None, ...], LineResult] = {}
    records: list[list[object]] = []
    for members, written in _groups_of(connection, left):
        if written and policy.level3_weights.from_form:  # each line depends on its own row only
            lines = _row_by_row(members, policy, memo)
        else:
            sheet = score_group(members, policy)
            lines = line_results(members, sheet)
            whole[members[0].group] = group_total(members, sheet)
        records += [_record(line) for line in lines]
        if len(records) >= CHUNK:
            _insert(connection, "py", records)
            records = []
    _insert(connection, "py", records)
    return whole


def _groups_of(connection: Any, count: int) -> Iterator[tuple[list[LongRow], bool]]:
    """The rows of ``left_rows`` a unit × period at a time (read :data:`CHUNK` rows at a time), and
    whether the group's weights are all written."""
    pending: list[LongRow] = []
    flag = True
    for start in range(0, count, CHUNK):
        chunk = connection.execute(
            f"SELECT group_ok, {ROW}, {', '.join(ROLES)} FROM left_rows "
            f"WHERE rowid >= {start} AND rowid < {start + CHUNK} ORDER BY rowid"
        ).fetchall()
        for record in chunk:
            row = LongRow(int(record[1]), *record[2:])
            if pending and row.group != pending[0].group:
                yield pending, flag
                pending = []
            if not pending:
                flag = record[0] == 1
            pending.append(row)
    if pending:
        yield pending, flag


def _cells(r: LongRow) -> tuple[str | None, ...]:
    return (r.level1, r.level2, r.indicator, r.target, r.measure, r.direction, r.actual, r.weight)


def _row_by_row(
    members: list[LongRow], policy: Policy, memo: dict[tuple[str | None, ...], LineResult]
) -> list[LineResult]:
    """The lines of a group whose weights are all written: rows seen before reuse their line."""
    if len(memo) > MEMO_SIZE:
        memo.clear()
    new: list[LongRow] = []
    pending: set[tuple[str | None, ...]] = set()
    for r in members:
        if _cells(r) not in memo and _cells(r) not in pending:
            pending.add(_cells(r))
            new.append(r)
    if new:
        for r, line in zip(new, line_results(new, score_group(new, policy)), strict=False):
            if line.code != "IND851":  # its message names the row
                memo[_cells(r)] = line
    out: list[LineResult] = []
    for r in members:
        seen = memo.get(_cells(r))
        if seen is None:
            out.extend(line_results([r], score_group([r], policy))[:1])
        else:
            out.append(replace(seen, row=r.row, unit=r.unit, period=r.period, indicator=r.indicator))
    return out


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _record(line: LineResult) -> list[object]:
    return [
        line.row,
        line.unit,
        line.period,
        line.indicator,
        line.verdict,
        _text(line.achievement),
        _text(line.weight),
        _text(line.score),
        line.code,
        line.message,
    ]


def _result_table(connection: Any, policy: Policy) -> None:
    """``result``: every line, SQL's and Python's, with the columns of :data:`OUTPUT_COLUMNS`."""
    places = policy.rounding.places
    kinds = {"weight": "DECIMAL(38, 4)", "achievement": "DECIMAL(38, 4)", "score": f"DECIMAL(38, {places})"}

    def merged(name: str) -> str:
        own = "score_weight" if name == "weight" else name
        return f"CAST(COALESCE(s.{own}, CAST(py.{name} AS {kinds[name]})) AS {kinds[name]})"

    extra = ", ".join(f"CAST(py.{n} AS {kinds[n]}) AS {n}" for n in ("weight",))
    connection.execute(f"""CREATE TEMP VIEW result AS
        SELECT s.{ROW} AS "row", s.unit, s.period, s.level1, s.level2, s.indicator, s.target, s.actual,
               {merged("weight")} AS weight, COALESCE(s.verdict, py.verdict) AS verdict,
               {merged("achievement")} AS achievement, {merged("score")} AS score, py.code, py.message
        FROM scored AS s LEFT JOIN py ON py.src_row = s.{ROW}
        UNION ALL
        SELECT NULL, py.unit, py.period, NULL, NULL, py.indicator, NULL, NULL, {extra}, py.verdict,
               CAST(py.achievement AS DECIMAL(38, 4)), CAST(py.score AS {kinds["score"]}), py.code, py.message
        FROM py WHERE py.src_row IS NULL""")


def _totals(
    connection: Any, policy: Policy, whole: dict[tuple[str | None, str | None], GroupTotal]
) -> tuple[GroupTotal, ...]:
    """Each unit × period's total, in order of first appearance: the Python sheet's for a group scored
    there as a whole, else the exact sums of the lines, rescaled and graded as ``score_form`` does."""
    out: list[GroupTotal] = []
    for unit, period, rows, weights, total in connection.execute(
        'SELECT unit, period, count("row"), sum(weight), sum(score) FROM result '
        'GROUP BY unit, period ORDER BY min("row")'
    ).fetchall():
        found = whole.get((unit, period))
        if found is not None:
            out.append(found)
            continue
        weight_total, score_total = Decimal(weights or 0), Decimal(total or 0)
        scaled: Decimal | None = None
        graded = score_total
        if policy.rescale and weight_total > 0 and weight_total != policy.total:
            scaled = policy.rounding.apply(score_total * policy.total / weight_total)
            graded = scaled
        out.append(
            GroupTotal(unit, period, int(rows), weight_total, score_total, scaled, policy.grade_for(graded))
        )
    return tuple(out)


def _write_totals(connection: Any, totals: tuple[GroupTotal, ...], path: Path, places: int) -> None:
    score = f"DECIMAL(38, {places})"
    connection.execute(
        "CREATE TEMP TABLE totals (unit VARCHAR, period VARCHAR, rows BIGINT, weight_total DECIMAL(38, 4), "
        f"total {score}, scaled_total {score}, grade VARCHAR)"
    )
    _insert(
        connection,
        "totals",
        [
            [t.unit, t.period, t.rows, _text(t.weight_total), _text(t.total), _text(t.scaled_total), t.grade]
            for t in totals
        ],
    )
    copy_to(connection, sqlglot_exp().select("*").from_("totals"), path)


def _fetch_lines(connection: Any) -> list[LineResult]:
    fetched = connection.execute(
        'SELECT "row", unit, period, indicator, verdict, achievement, weight, score, code, message '
        'FROM result ORDER BY "row" NULLS LAST'
    ).fetchall()
    return [LineResult(*r) for r in fetched]


def emit_sql(path: str | Path, dialect: str, *, policy: Policy, table: str = "indicators_input") -> str:
    """The query that scores the long table ``table`` in a warehouse, in ``dialect``: the column names
    and the target plans come from the table at ``path`` (the same data, or a sample with every target);
    rows it does not score come out with ``route = 'python'``."""
    import sqlglot

    name = dialect.strip().lower()
    try:
        sqlglot.Dialect.get_or_raise(name)
    except ValueError:
        raise ScoreBatchError(
            diagnostic(
                "IND130",
                detail=f"未知的 SQL 方言“{dialect}”",
                hint="可用的方言如 postgres、spark、trino、duckdb",
            )
        ) from None
    connection = connect()
    try:
        mapping = _open(connection, Path(path))
        found = _plans(connection, policy)
    finally:
        connection.close()
    exp = sqlglot_exp()
    source = exp.Table(this=exp.to_identifier(table, quoted=True))
    query = score_query(source, mapping, plan_values(found), policy, numbered=False)
    return str(query.sql(dialect=name, pretty=True)) + ";"
