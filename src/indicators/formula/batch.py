"""Batch evaluation: one formula over many rows (one row per unit, department or month) in DuckDB.

``evaluate_table(formula, path_or_rows)`` loads a CSV file (or the given rows) into an in-memory DuckDB
database with every column as text (``read_csv(..., all_varchar = true)``), reads each cell the formula
needs as ``DECIMAL(38, 10)`` in SQL, and computes the formula with the SQL of
:func:`indicators.formula.compile_sql.to_sql`. Results come back as exact ``Decimal`` values, one
:class:`BatchRow` per input row with its key; a cell that is not a number, or a row that cannot be
computed, gives that row diagnostics (IND129, IND131) instead of an exception.

Numeric types on this path: cells are text until they are read; a readable cell becomes
``DECIMAL(38, 10)`` (rounded half away from zero at the 10th decimal); the arithmetic is DECIMAL (see
``compile_sql``); DuckDB hands back ``decimal.Decimal``. No float is created anywhere, and a float
given in ``rows`` is reported as an unreadable cell rather than converted.

Cells are read by one rule, written once in SQL: surrounding white space is ignored; ``,`` is a
thousands separator only between groups of three digits (``1,250``, ``1,152.50``); a trailing ``%``
divides by 100 and ``‰`` by 1000 (``96.5%`` is 0.965); an optional sign and a decimal point are allowed.
Anything else (``1,25``, ``3万元``, ``N/A``, full-width digits, an empty cell) is unreadable.
``evaluate_to_file(formula, path, out)`` does the same for a table of any size and writes the
result to a CSV or Parquet file with DuckDB's ``COPY``: the cells are read and the formula computed in
DuckDB, only the rows that cannot be computed come back to Python (for their diagnostics), and every
other row goes from the input file to the output file without passing through Python
(:mod:`indicators.formula.batch_sql`).

duckdb and sqlglot are imported on first use; when either is missing the error is IND128.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.formula import nodes
from indicators.formula.batch_sql import (
    CELL_PATTERN,
    FORMATS,
    ROW,
    BatchError,
    bad_input,
    connect,
    copy_to,
    duckdb_module,
    first_line,
    open_source,
    read_cell,
    sqlglot_exp,
)
from indicators.formula.compile_py import arithmetic_expression, result_unit
from indicators.formula.compile_sql import PRECISION, SCALE, to_expression
from indicators.formula.evaluator import Evaluation
from indicators.formula.model import Formula
from indicators.limits import in_engine_context
from indicators.text import normalize_name

__all__ = ["CELL_PATTERN", "BatchError", "BatchRow", "BatchSummary", "evaluate_table", "evaluate_to_file"]

_KEY = "__key"
#: the columns of a written result (a key column of the same name is written as 名称（键）)
_OUTPUT_COLUMNS = ("行", "指标值", "单位", "说明")
_VALUE = "value"
#: the detail of IND131 for a row whose cells are numbers but whose value is NULL
_ZERO_DIVISOR = "有除数为零"
_ZERO_DIVISOR_HINT = "检查该行作除数的列是否为零"


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One row's result. ``row`` counts as a spreadsheet does (the CSV header is row 1, the first data
    row 2); for rows given as mappings it is the 1-based position. ``value`` is the exact value in
    ``unit`` (``"%"`` for a per-cent formula), None when the row could not be computed (then
    ``diagnostics`` says why)."""

    row: int
    key: str | None
    value: Decimal | None
    unit: str | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.diagnostics

    def display(self, places: int = 2) -> str:
        """``84.14%``, rounded half up as :meth:`Evaluation.display` does; ``无法计算`` when not ok."""
        return Evaluation(self.ok, self.value, self.unit).display(places)

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "key": self.key,
            "ok": self.ok,
            "value": None if self.value is None else f"{self.value:f}",
            "unit": self.unit,
            "diagnostics": [d.model_dump(mode="json", exclude_none=True) for d in self.diagnostics],
        }


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What :func:`evaluate_to_file` wrote: the number of rows, and the rows that could not be computed."""

    rows: int
    unit: str | None
    failed: tuple[BatchRow, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """The columns a formula reads and how rows are numbered."""

    formula: Formula
    names: tuple[str, ...]
    mapping: dict[str, str]
    key: str | None
    offset: int  # row = __row + offset

    @property
    def columns(self) -> list[str]:
        """The distinct columns read, in the order of the variables."""
        return list(dict.fromkeys(self.mapping[n] for n in self.names))


def _formula(formula: Formula | str) -> Formula:
    if isinstance(formula, str):
        from indicators.formula.parser import parse_formula

        formula = parse_formula(formula)
    arithmetic_expression(formula, " SQL")
    return formula


@in_engine_context
def evaluate_table(
    formula: Formula | str,
    path_or_rows: str | Path | Iterable[Mapping[str, object]],
    *,
    columns: Mapping[str, str] | None = None,
    key: str | None = None,
) -> list[BatchRow]:
    """Compute ``formula`` for every row of a CSV or Parquet file (by suffix) or of the given mappings.

    ``columns`` maps variable names to column names (by default the column named like the variable,
    matched exactly, then by :func:`indicators.text.normalize_name`); ``key`` names a column copied
    into each result (a unit's or department's name). Raises :class:`BatchError` (IND130) for a
    missing column, an unreadable file or a value beyond DECIMAL(38, 10), and
    :class:`~indicators.formula.compile_py.CompileError` for a formula that is not arithmetic.
    Every row comes back as a :class:`BatchRow`; for a large table use :func:`evaluate_to_file`.
    """
    formula = _formula(formula)
    connection = connect()
    python_problems: dict[int, list[Diagnostic]] = {}
    try:
        if isinstance(path_or_rows, str | Path):
            headers, offset = open_source(connection, Path(path_or_rows)), 1
        else:
            headers, python_problems = _load_rows(connection, path_or_rows)
            offset = 0
        plan = _plan(formula, headers, columns, key, offset)
        exp = sqlglot_exp()
        query = _cells(exp, plan).order_by(exp.column(ROW, quoted=True))
        fetched = _fetch(connection, query)
    finally:
        connection.close()
    return [_row(plan, record, python_problems.get(int(record[0]), [])) for record in fetched]


@in_engine_context
def evaluate_to_file(
    formula: Formula | str,
    path: str | Path,
    out: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    key: str | None = None,
    fmt: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> BatchSummary:
    """Compute ``formula`` for every row of a CSV or Parquet file and write the result to ``out``.

    ``out`` is a ``.csv`` (header row, UTF-8) or ``.parquet`` file with the columns 行, the key column
    (or 键), 指标值 (exact, ``DECIMAL(38, 10)``), 单位 and 说明 (the messages of a row that could not
    be computed); ``fmt`` (``csv`` or ``parquet``) overrides the suffix. Only the rows that could not be
    computed are read into Python (:attr:`BatchSummary.failed`); the others go from file to file inside
    DuckDB. ``progress`` is called with the share done.
    """
    formula = _formula(formula)
    out_path = Path(out)
    connection = connect()
    try:
        plan = _plan(formula, open_source(connection, Path(path)), columns, key, 1)
        exp = sqlglot_exp()
        # one pass on every core: key, readable flags and value of each row, in file order (rowid)
        computed = _cells(exp, plan, texts="unreadable", source="src_rows").select(
            exp.alias_(exp.Cast(this=exp.Null(), to=exp.DataType.build("VARCHAR")), "说明", quoted=True))
        _run(connection, f"CREATE TEMP TABLE result AS {computed.sql(dialect='duckdb')}", progress)
        failed = _failed(connection, exp, plan)
        _notes(connection, plan, failed)
        as_csv = (fmt or FORMATS.get(out_path.suffix.lower())) == "csv"
        copy_to(connection, _output(exp, plan, as_csv=as_csv), out_path, fmt=fmt)
        total = connection.execute("SELECT count(*) FROM result").fetchone()
    finally:
        connection.close()
    return BatchSummary(int(total[0]) if total else 0, result_unit(formula), failed)


def _failed(connection: Any, exp: Any, plan: _Plan) -> tuple[BatchRow, ...]:
    """The rows of ``result`` that were not computed (their unreadable cells' texts were kept)."""
    number = exp.alias_(exp.Add(this=exp.column("rowid"), expression=exp.Literal.number(1)), ROW)
    kept = [f"{name}{i}" for i in range(len(plan.columns)) for name in ("r", "ok")]
    failing = exp.select(number, _KEY, *kept, _VALUE).from_("result").where(
        exp.Not(this=exp.Paren(this=_computed(exp, plan))))
    return tuple(_row(plan, record, []) for record in _fetch(connection, failing.order_by(ROW)))


def _run(connection: Any, statement: str, progress: Callable[[float], None] | None) -> None:
    from indicators.formula.batch_sql import run

    run(connection, statement, progress=progress)


def _notes(connection: Any, plan: _Plan, failed: tuple[BatchRow, ...]) -> None:
    """说明 of ``result`` (the messages) for every row that could not be computed (few rows: an UPDATE)."""
    if not failed:
        return
    rows = [r.row - plan.offset - 1 for r in failed]  # the rowid of the row in result
    notes = ["；".join(d.message for d in r.diagnostics) for r in failed]
    connection.execute(
        'UPDATE result SET "说明" = notes.note FROM (SELECT unnest($1) AS id, unnest($2) AS note) AS notes '
        "WHERE result.rowid = notes.id",
        [rows, notes],
    )


def _fetch(connection: Any, query: Any) -> list[tuple[Any, ...]]:
    try:
        rows: list[tuple[Any, ...]] = connection.execute(query.sql(dialect="duckdb")).fetchall()
    except duckdb_module().Error as exc:
        raise bad_input(
            f"数值超出 DECIMAL({PRECISION}, {SCALE}) 的计算范围或无法计算（{first_line(exc)}）",
            f"DuckDB 中被除数应小于 10^17，乘积应小于 10^{PRECISION - 2 * SCALE}",
        ) from None
    return rows


def _row(plan: _Plan, record: tuple[Any, ...], problems: list[Diagnostic]) -> BatchRow:
    """A :class:`BatchRow` from one record of :func:`_cells` (``__row, __key, raw_i, ok_i …, value``)."""
    row, row_key, value = int(record[0]) + plan.offset, record[1], record[-1]
    unit = result_unit(plan.formula)
    found = list(problems)
    for i, column in enumerate(plan.columns):
        raw, good = record[2 + 2 * i], record[3 + 2 * i]
        if not good and not any(d.data.get("column") == column for d in found):
            found.append(_bad_cell(row, column, raw))
    if not found and value is None:
        found.append(diagnostic("IND131", row=row, detail=_ZERO_DIVISOR, hint=_ZERO_DIVISOR_HINT))
    if found:
        return BatchRow(row, row_key, None, unit, tuple(found))
    assert isinstance(value, Decimal)
    return BatchRow(row, row_key, value, unit)


def _bad_cell(row: int, column: str, raw: object) -> Diagnostic:
    text = "" if raw is None else str(raw)
    hint = "单元格为空，请填写数值" if not text.strip() else None
    return diagnostic("IND129", row=row, column=column, text=text, hint=hint, data={"column": column})


def _load_rows(
    connection: Any, rows: Iterable[Mapping[str, object]]
) -> tuple[list[str], dict[int, list[Diagnostic]]]:
    """The rows as a table ``src`` of text columns and ``__row``; cells of a type that is not a number
    are reported here (by ``__row``)."""
    exp = sqlglot_exp()
    materialised = [dict(r) for r in rows]
    headers: dict[str, None] = {}
    for r in materialised:
        for k in r:
            headers.setdefault(str(k), None)
    names = [n for n in headers if n != ROW]
    problems: dict[int, list[Diagnostic]] = {}
    table: list[list[object]] = []
    for index, r in enumerate(materialised, start=1):
        cells: list[object] = [index]
        for name in names:
            raw = r.get(name)
            if raw is None or isinstance(raw, str):
                cells.append(raw)
            elif isinstance(raw, Decimal) and raw.is_finite():
                cells.append(f"{raw:f}")
            elif isinstance(raw, int) and not isinstance(raw, bool):
                cells.append(str(raw))
            else:  # floats, bools, NaN: never converted
                hint = f"取值类型为 {type(raw).__name__}；请传入 Decimal、整数或文本（浮点数不精确）"
                bad = _bad_cell(index, name, raw).model_copy(update={"hint": hint})
                problems.setdefault(index, []).append(bad)
                cells.append(None)
        table.append(cells)
    definitions = [exp.ColumnDef(this=exp.to_identifier(ROW, quoted=True), kind=exp.DataType.build("BIGINT"))]
    definitions += [exp.ColumnDef(this=exp.to_identifier(n, quoted=True), kind=exp.DataType.build("VARCHAR"))
                    for n in names]
    ddl = exp.Create(this=exp.Schema(this=exp.to_table("src"), expressions=definitions), kind="TABLE")
    connection.execute(ddl.sql(dialect="duckdb"))
    if table:
        marks = ", ".join("?" for _ in range(len(names) + 1))
        connection.executemany(f"INSERT INTO src VALUES ({marks})", table)
    return names, problems


def _plan(
    formula: Formula, headers: list[str], columns: Mapping[str, str] | None, key: str | None, offset: int
) -> _Plan:
    expr = arithmetic_expression(formula, " SQL")
    names = nodes.variables(expr)
    mapping = _resolve(names, headers, columns)
    if key is not None and key not in headers:
        raise bad_input(f"没有键列“{key}”", f"文件中的列：{'、'.join(headers) or '无'}")
    return _Plan(formula, names, mapping, key, offset)


def _resolve(names: tuple[str, ...], headers: list[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """Variable → column of the table, for every variable; IND130 for a column that is not there."""
    given = dict(columns or {})
    given_keys = {normalize_name(k, drop_suffix=False): k for k in given}
    by_header = {normalize_name(h, drop_suffix=False): h for h in headers}
    out: dict[str, str] = {}
    missing: list[str] = []
    used: set[str] = set()
    for name in names:
        norm = normalize_name(name, drop_suffix=False)
        if name in given or norm in given_keys:
            chosen = name if name in given else given_keys[norm]
            used.add(chosen)
            column = given[chosen]
            if column not in headers:
                missing.append(f"“{column}”（变量“{name}”）")
                continue
            out[name] = column
        elif name in headers:
            out[name] = name
        elif norm in by_header:
            out[name] = by_header[norm]
        else:
            missing.append(f"“{name}”")
    unknown = [k for k in given if k not in used]
    if unknown:
        raise bad_input(f"列的对应关系中的“{'、'.join(unknown)}”不是公式中的变量",
                        f"公式中的变量：{'、'.join(names) or '无'}")
    if missing:
        raise bad_input(f"没有列 {'、'.join(missing)}",
                        f"文件中的列：{'、'.join(headers) or '无'}；可用 --column 名称=列名 指定对应的列")
    return out


def _cells(exp: Any, plan: _Plan, *, texts: str = "all", source: str = "src") -> Any:
    """``SELECT __row, __key, r0, ok0, …, value``: each column read once (``r`` the text, ``ok`` readable).

    ``texts="unreadable"`` keeps the text of a cell only where it could not be read (NULL elsewhere, so a
    table of many rows stays small); from ``src_rows`` there is no ``__row``."""
    numbered = source == "src"
    inner: list[Any] = [exp.column(ROW, quoted=True)] if numbered else []
    key_column = (exp.Cast(this=exp.column(plan.key, quoted=True), to=exp.DataType.build("VARCHAR"))
                  if plan.key is not None else exp.Null())
    inner.append(exp.alias_(key_column, _KEY, quoted=True))
    outer: list[Any] = [exp.column(ROW, quoted=True)] if numbered else []
    outer.append(exp.column(_KEY, quoted=True))
    slots: dict[str, str] = {}
    for i, column in enumerate(plan.columns):
        value, _ = read_cell(exp, column)
        raw = exp.Cast(this=exp.column(column, quoted=True), to=exp.DataType.build("VARCHAR"))
        inner.append(exp.alias_(raw, f"r{i}", quoted=True))
        text = exp.column(f"r{i}", quoted=True)
        if texts == "unreadable":
            unread = exp.Is(this=exp.column(f"v{i}", quoted=True), expression=exp.Null())
            text = exp.Case(ifs=[exp.If(this=unread, true=text)])
        outer.append(exp.alias_(text, f"r{i}", quoted=True))
        inner.append(exp.alias_(value, f"v{i}", quoted=True))
        outer.append(exp.alias_(exp.Not(this=exp.Is(this=exp.column(f"v{i}", quoted=True),
                                                     expression=exp.Null())), f"ok{i}", quoted=True))
        slots[column] = f"v{i}"
    compiled = to_expression(plan.formula, dialect="duckdb",
                             columns={n: slots[plan.mapping[n]] for n in plan.names})
    outer.append(exp.alias_(compiled, _VALUE, quoted=True))
    cells = exp.select(*inner).from_(source).subquery("cells")
    return exp.select(*outer).from_(cells)


def _computed(exp: Any, plan: _Plan) -> Any:
    """The test that a record of :func:`_cells` was computed: every cell readable and a value."""
    condition = exp.Not(this=exp.Is(this=exp.column(_VALUE, quoted=True), expression=exp.Null()))
    for i in range(len(plan.columns)):
        condition = exp.And(this=exp.column(f"ok{i}", quoted=True), expression=condition)
    return condition


def _output(exp: Any, plan: _Plan, *, as_csv: bool = False) -> Any:
    """行, key, 指标值, 单位, 说明 for every row of ``result``, in file order (a scan of a table keeps it).

    ``as_csv``: the texts (key, 说明) that a spreadsheet would take for a formula get a leading ``'``
    (:func:`indicators.spreadsheet.csv_text`)."""
    rowid = exp.column("rowid")
    row = exp.Add(this=rowid, expression=exp.Literal.number(plan.offset + 1))
    unit = result_unit(plan.formula)
    key_name = plan.key or "键"

    def text(column: Any) -> Any:
        return _csv_text(exp, column) if as_csv else column

    if key_name in _OUTPUT_COLUMNS:
        key_name = f"{key_name}（键）"
    return exp.select(
        exp.alias_(row, "行", quoted=True),
        exp.alias_(text(exp.column(_KEY, quoted=True)), key_name, quoted=True),
        exp.alias_(exp.column(_VALUE, quoted=True), "指标值", quoted=True),
        exp.alias_(exp.Literal.string(unit) if unit else exp.Null(), "单位", quoted=True),
        exp.alias_(text(exp.column("说明", quoted=True)), "说明", quoted=True),
    ).from_("result")


def _csv_text(exp: Any, column: Any) -> Any:
    """``column`` with a ``'`` before a text that starts like a formula (SQL for ``csv_text``)."""
    from indicators.spreadsheet import FORMULA_LEADS

    lead = exp.Substring(this=column.copy(), start=exp.Literal.number(1), length=exp.Literal.number(1))
    starts = exp.In(this=lead, expressions=[exp.Literal.string(c) for c in FORMULA_LEADS])
    quoted = exp.DPipe(this=exp.Literal.string("'"), expression=column.copy())
    return exp.Case().when(starts, quoted).else_(column.copy())
