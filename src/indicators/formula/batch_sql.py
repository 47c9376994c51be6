"""The DuckDB side of batch work, built with sqlglot: tables in, cells read as DECIMAL, results out.

The pieces are shared by every batch computation (one formula over a table here; the same steps serve
any per-row computation that reads cells and computes in SQL):

- :func:`open_source` makes views over a CSV file (every column as text) or a Parquet file: ``src``
  with ``__row``, the 1-based position of the row, and ``src_rows`` without it, and returns the
  columns. Nothing is loaded: DuckDB reads the file while a query runs.
- :func:`read_cell` is the one rule that reads a cell as ``DECIMAL(38, 10)`` (NULL when unreadable),
  with the test that says whether it was readable.
- :func:`message` writes a diagnostic's Chinese message as a SQL expression from the template of
  :mod:`indicators.codes`, so a table written by DuckDB carries the same words as the diagnostics.
- :func:`copy_to` streams a query into a CSV or Parquet file with DuckDB's ``COPY`` (with a progress
  bar on a terminal): no row of the result passes through Python.

duckdb and sqlglot are imported on first use; when either is missing the error is IND128.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indicators.codes import diagnostic, lookup
from indicators.errors import IndicatorsError
from indicators.formula.compile_sql import PRECISION, SCALE

#: a number as a cell may write it (after trimming): sign, digits with optional thousands separators,
#: decimals, then optionally % or ‰
CELL_PATTERN = r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)?(\.[0-9]+)?[ \t]*[%‰]?$"
#: a cell of digits in groups of three with ``,`` and an optional decimal part, nothing else (the
#: cells :data:`CELL_PATTERN` reads by dropping the commas alone)
GROUPED_PATTERN = r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$"
ROW = "__row"
#: output formats :func:`copy_to` writes, by file suffix
FORMATS = {".csv": "csv", ".parquet": "parquet"}
_FIELD = re.compile(r"\{(\w+)\}")


class BatchError(IndicatorsError, ValueError):
    """Batch input that cannot be used as a whole (IND130) or a missing duckdb/sqlglot (IND128)."""


def bad_input(detail: str, hint: str | None = None) -> BatchError:
    return BatchError(diagnostic("IND130", detail=detail, hint=hint))


def duckdb_module() -> Any:
    try:
        import duckdb
    except ImportError:
        raise BatchError(diagnostic("IND128", module="duckdb")) from None
    return duckdb


def sqlglot_exp() -> Any:
    try:
        from sqlglot import exp
    except ImportError:
        raise BatchError(diagnostic("IND128", module="sqlglot")) from None
    return exp


def connect() -> Any:
    """An in-memory DuckDB connection."""
    return duckdb_module().connect(":memory:")


def first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --- the source table -------------------------------------------------------------------------------------


def open_source(connection: Any, path: Path) -> list[str]:
    """Views over a CSV (UTF-8, header row, every column as text) or Parquet file; its columns.

    ``src`` has the file's columns and ``__row`` (1, 2, … in file order); ``src_rows`` has the columns
    only. A query over ``src_rows`` runs on every core and keeps the file's order (DuckDB preserves
    insertion order), so a table made from it numbers its rows by ``rowid``; ``src`` numbers them in
    one stream, which is cheap for a scan and costly under heavy computation.
    """
    exp = sqlglot_exp()
    if not path.is_file():
        raise bad_input(f"找不到文件“{path}”")
    parquet = path.suffix.lower() == ".parquet"
    if not parquet:
        path = _in_utf8(path)
    name = exp.Literal.string(str(path))
    if parquet:
        reader = exp.Anonymous(this="read_parquet", expressions=[name])
    else:
        reader = exp.Anonymous(this="read_csv", expressions=[
            name, _option(exp, "all_varchar", exp.true()), _option(exp, "header", exp.true())])
    number = exp.alias_(exp.Window(this=exp.RowNumber()), ROW, quoted=True)
    rows = exp.select(exp.Star()).from_(exp.Table(this=reader))
    numbered = exp.select(number, exp.Star()).from_(exp.Table(this=reader.copy()))
    try:
        connection.execute(f"CREATE TEMP VIEW src_rows AS {rows.sql(dialect='duckdb')}")
        connection.execute(f"CREATE TEMP VIEW src AS {numbered.sql(dialect='duckdb')}")
        columns = [str(d[0]) for d in connection.execute("SELECT * FROM src_rows LIMIT 0").description]
    except duckdb_module().Error as exc:
        what = "Parquet" if parquet else "CSV"
        hint = None if parquet else "文件应为逗号分隔、第一行为列名"
        raise bad_input(f"无法读取 {what} 文件“{path}”（{first_line(exc)}）", hint) from None
    if ROW in columns:
        raise bad_input(f"文件中有保留的列名“{ROW}”", "请改名后再计算")
    return columns


#: the folders of UTF-8 copies of tables written in other encodings, removed when the process ends
_COPIES: list[tempfile.TemporaryDirectory[str]] = []


def _in_utf8(path: Path) -> Path:
    """The CSV itself, or a UTF-8 copy of one saved in GB18030, UTF-16 or Big5 (DuckDB reads UTF-8)."""
    from indicators.inputs import InputError, utf8_file

    folder = tempfile.TemporaryDirectory(prefix="indicators-")
    try:
        copy = utf8_file(path, Path(folder.name))
    except InputError as exc:
        folder.cleanup()
        raise bad_input(f"无法读取 CSV 文件“{path}”：{exc.diagnostic.message}", exc.diagnostic.hint) from None
    if copy == path:
        folder.cleanup()
    else:
        _COPIES.append(folder)
    return copy


def _option(exp: Any, name: str, value: Any) -> Any:
    return exp.PropertyEQ(this=exp.column(name), expression=value)


# --- cells ----------------------------------------------------------------------------------------------


def read_cell(exp: Any, column: str) -> tuple[Any, Any]:
    """``(value, readable)``: the cell of ``column`` as DECIMAL(38, 10) (NULL when unreadable) and the test.

    One rule: white space around is ignored; an optional sign; digits with ``,`` only between groups of
    three; an optional decimal part; then optionally ``%`` (÷100) or ``‰`` (÷1000). Anything else is
    unreadable, and so is an empty cell or a number beyond DECIMAL(38, 10).
    """
    decimal = exp.DataType.build(f"DECIMAL({PRECISION}, {SCALE})")
    text = exp.Cast(this=exp.column(column, quoted=True), to=exp.DataType.build("VARCHAR"))
    cell = exp.Trim(this=text)
    shaped = exp.And(
        this=exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(CELL_PATTERN)),
        expression=exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string("[0-9]")),
    )
    digits_only = exp.Anonymous(this="regexp_replace", expressions=[
        cell.copy(), exp.Literal.string("[,%‰ \t]"), exp.Literal.string(""), exp.Literal.string("g")])
    number = exp.TryCast(this=digits_only, to=decimal.copy())

    def scaled(factor: str) -> Any:
        small = exp.DataType.build(f"DECIMAL({len(factor) - 1}, {len(factor) - 2})")
        product = exp.Mul(this=number.copy(), expression=exp.Cast(this=exp.Literal.number(factor), to=small))
        return exp.Cast(this=product, to=decimal.copy())

    plain = exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(r"^[0-9]+(\.[0-9]+)?$"))
    # thousands separators and nothing else to remove: a plain replace, not the costlier regexp_replace
    grouped = exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(GROUPED_PATTERN))
    ungrouped = exp.Anonymous(this="replace", expressions=[
        cell.copy(), exp.Literal.string(","), exp.Literal.string("")])
    value = exp.Case(
        ifs=[
            exp.If(this=plain, true=exp.TryCast(this=cell.copy(), to=decimal.copy())),  # most cells
            exp.If(this=grouped, true=exp.TryCast(this=ungrouped, to=decimal.copy())),  # 1,250.5
            exp.If(this=exp.Not(this=exp.Paren(this=shaped.copy())), true=exp.Null()),
            exp.If(this=_ends_with(exp, cell, "%"), true=scaled("0.01")),
            exp.If(this=_ends_with(exp, cell, "‰"), true=scaled("0.001")),
        ],
        default=number,
    )
    return value, exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))


def _ends_with(exp: Any, cell: Any, suffix: str) -> Any:
    return exp.Anonymous(this="ends_with", expressions=[cell.copy(), exp.Literal.string(suffix)])


def message(exp: Any, code: str, **fields: Any) -> Any:
    """The message of diagnostic ``code`` as a SQL text expression: ``fields`` are SQL expressions
    (or plain values, written as literals), put into the code's template from :mod:`indicators.codes`."""
    template = lookup(code).message
    parts: list[Any] = []
    last = 0
    for match in _FIELD.finditer(template):
        if match.start() > last:
            parts.append(exp.Literal.string(template[last : match.start()]))
        value = fields[match[1]]
        if not isinstance(value, exp.Expression):
            value = exp.Literal.string(str(value))
        parts.append(exp.Coalesce(this=exp.Cast(this=value, to=exp.DataType.build("VARCHAR")),
                                  expressions=[exp.Literal.string("")]))
        last = match.end()
    if last < len(template):
        parts.append(exp.Literal.string(template[last:]))
    return exp.Concat(expressions=parts) if len(parts) > 1 else parts[0]


# --- results out -----------------------------------------------------------------------------------------


def copy_to(
    connection: Any, query: Any, path: Path, *, fmt: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Write ``query`` (a sqlglot SELECT) to ``path`` as CSV (header row, UTF-8) or Parquet.

    ``fmt`` is ``csv`` or ``parquet`` (by default the file's suffix says). ``progress`` is called with
    the share done (0 to 1) while DuckDB works, about ten times a second.
    """
    exp = sqlglot_exp()
    fmt = fmt or FORMATS.get(path.suffix.lower())
    if fmt not in FORMATS.values():
        raise bad_input(f"输出文件“{path.name}”的格式不明", "输出文件的扩展名应为 .csv 或 .parquet")
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    target = exp.Literal.string(str(path)).sql(dialect="duckdb")
    statement = f"COPY ({query.sql(dialect='duckdb')}) TO {target} ({options})"
    run(connection, statement, progress=progress)


def run(connection: Any, statement: str, *, progress: Callable[[float], None] | None = None) -> None:
    """Execute ``statement``; report DuckDB's progress while it runs when ``progress`` is given."""
    duckdb = duckdb_module()
    if progress is None:
        _execute(connection, statement, duckdb)
        return
    failure: list[BaseException] = []

    def work() -> None:
        try:
            _execute(connection, statement, duckdb)
        except BaseException as exc:  # handed to the calling thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="indicators-batch", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
            share = _progress(connection, duckdb)
            if share is not None:
                progress(share)
    except KeyboardInterrupt:
        connection.interrupt()
        worker.join()
        raise
    if failure:
        raise failure[0]
    progress(1.0)


def _execute(connection: Any, statement: str, duckdb: Any) -> None:
    try:
        connection.execute(statement)
    except duckdb.Error as exc:
        raise bad_input(
            f"数值超出 DECIMAL({PRECISION}, {SCALE}) 的计算范围，或文件无法读写（{first_line(exc)}）",
            f"DuckDB 中被除数应小于 10^17，乘积应小于 10^{PRECISION - 2 * SCALE}",
        ) from None


def _progress(connection: Any, duckdb: Any) -> float | None:
    try:
        share = float(connection.query_progress())
    except (AttributeError, duckdb.Error):  # a DuckDB without query_progress, or no query yet
        return None
    return share / 100 if share >= 0 else None
