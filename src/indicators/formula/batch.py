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
duckdb and sqlglot are imported on first use; when either is missing the error is IND128.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import IndicatorsError
from indicators.formula import nodes
from indicators.formula.compile_py import arithmetic_expression, result_unit
from indicators.formula.compile_sql import PRECISION, SCALE, to_expression
from indicators.formula.evaluator import Evaluation
from indicators.formula.model import Formula
from indicators.text import normalize_name

#: a number as a cell may write it (after trimming): sign, digits with optional thousands separators,
#: decimals, then optionally % or ‰
CELL_PATTERN = r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)?(\.[0-9]+)?[ \t]*[%‰]?$"
_ROW = "__row"
_KEY = "__key"


class BatchError(IndicatorsError, ValueError):
    """Batch input that cannot be used as a whole (IND130) or a missing duckdb/sqlglot (IND128)."""


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


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise BatchError(diagnostic("IND128", module="duckdb")) from None
    return duckdb


def _bad_input(detail: str, hint: str | None = None) -> BatchError:
    return BatchError(diagnostic("IND130", detail=detail, hint=hint))


def evaluate_table(
    formula: Formula | str,
    path_or_rows: str | Path | Iterable[Mapping[str, object]],
    *,
    columns: Mapping[str, str] | None = None,
    key: str | None = None,
) -> list[BatchRow]:
    """Compute ``formula`` for every row of a CSV file (UTF-8, a header row) or of the given mappings.

    ``columns`` maps variable names to column names (by default the column named like the variable,
    matched exactly, then by :func:`indicators.text.normalize_name`); ``key`` names a column copied
    into each result (a unit's or department's name). Raises :class:`BatchError` (IND130) for a
    missing column, an unreadable file or a value beyond DECIMAL(38, 10), and
    :class:`~indicators.formula.compile_py.CompileError` for a formula that is not arithmetic.
    """
    if isinstance(formula, str):
        from indicators.formula.parser import parse_formula

        formula = parse_formula(formula)
    expr = arithmetic_expression(formula, " SQL")
    duckdb = _duckdb()
    from sqlglot import exp

    connection = duckdb.connect(":memory:")
    python_problems: dict[int, list[Diagnostic]] = {}
    try:
        if isinstance(path_or_rows, str | Path):
            headers, first_row = _load_csv(connection, Path(path_or_rows)), 2
        else:
            headers, python_problems = _load_rows(connection, path_or_rows)
            first_row = 1
        names = nodes.variables(expr)
        mapping = _resolve(names, headers, columns)
        if key is not None and key not in headers:
            raise _bad_input(f"没有键列“{key}”", f"文件中的列：{'、'.join(headers) or '无'}")
        select = _select(exp, formula, names, mapping, key)
        try:
            fetched = connection.execute(select).fetchall()
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise _bad_input(
                f"数值超出 DECIMAL({PRECISION}, {SCALE}) 的计算范围或无法计算（{first}）",
                f"DuckDB 中被除数应小于 10^17，乘积应小于 10^{PRECISION - 2 * SCALE}",
            ) from None
    finally:
        connection.close()
    unit = result_unit(formula)
    out: list[BatchRow] = []
    for record in fetched:
        index, row_key, value = int(record[0]), record[1], record[-1]
        row = index + first_row
        problems = list(python_problems.get(index, ()))
        for i, name in enumerate(names):
            raw, good = record[2 + 2 * i], record[3 + 2 * i]
            if not good and not any(d.data.get("column") == mapping[name] for d in problems):
                problems.append(_bad_cell(row, mapping[name], raw))
        if not problems and value is None:
            problems.append(diagnostic("IND131", row=row, detail="有除数为零",
                                       hint="检查该行作除数的列是否为零"))
        if problems:
            out.append(BatchRow(row, row_key, None, unit, tuple(problems)))
        else:
            assert isinstance(value, Decimal)
            out.append(BatchRow(row, row_key, value, unit))
    return out


def _bad_cell(row: int, column: str, raw: object) -> Diagnostic:
    text = "" if raw is None else str(raw)
    hint = "单元格为空，请填写数值" if not text.strip() else None
    return diagnostic("IND129", row=row, column=column, text=text, hint=hint, data={"column": column})


def _load_csv(connection: Any, path: Path) -> list[str]:
    if not path.is_file():
        raise _bad_input(f"找不到文件“{path}”")
    try:
        connection.execute(
            "CREATE TABLE src AS SELECT * FROM read_csv($path, all_varchar = true, header = true)",
            {"path": str(path)},
        )
    except _duckdb().Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _bad_input(f"无法读取 CSV 文件“{path}”（{first}）",
                         "文件应为 UTF-8 编码、逗号分隔、第一行为列名") from None
    return [str(row[0]) for row in connection.execute("SELECT name FROM pragma_table_info('src')").fetchall()]


def _load_rows(
    connection: Any, rows: Iterable[Mapping[str, object]]
) -> tuple[list[str], dict[int, list[Diagnostic]]]:
    """The rows as a table of text columns; cells of a type that is not a number are reported here."""
    from sqlglot import exp

    materialised = [dict(r) for r in rows]
    headers: dict[str, None] = {}
    for r in materialised:
        for k in r:
            headers.setdefault(str(k), None)
    names = list(headers)
    problems: dict[int, list[Diagnostic]] = {}
    table: list[list[str | None]] = []
    for index, r in enumerate(materialised):
        cells: list[str | None] = []
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
                bad = _bad_cell(index + 1, name, raw).model_copy(update={"hint": hint})
                problems.setdefault(index, []).append(bad)
                cells.append(None)
        table.append(cells)
    if names:
        ddl = exp.Create(
            this=exp.Schema(
                this=exp.to_table("src"),
                expressions=[exp.ColumnDef(this=exp.to_identifier(n, quoted=True),
                                           kind=exp.DataType.build("VARCHAR")) for n in names],
            ),
            kind="TABLE",
        )
        connection.execute(ddl.sql(dialect="duckdb"))
        if table:
            marks = ", ".join("?" for _ in names)
            connection.executemany(f"INSERT INTO src VALUES ({marks})", table)
    else:
        connection.execute("CREATE TABLE src (__empty VARCHAR)")
    return names, problems


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
        raise _bad_input(f"列的对应关系中的“{'、'.join(unknown)}”不是公式中的变量",
                         f"公式中的变量：{'、'.join(names) or '无'}")
    if missing:
        raise _bad_input(f"没有列 {'、'.join(missing)}",
                         f"文件中的列：{'、'.join(headers) or '无'}；可用 --column 名称=列名 指定对应的列")
    return out


def _select(
    exp: Any, formula: Formula, names: tuple[str, ...], mapping: dict[str, str], key: str | None
) -> str:
    """``SELECT row, key, raw_1, ok_1, …, value FROM (SELECT …, v_i = the cell read as DECIMAL)``."""
    decimal = exp.DataType.build(f"DECIMAL({PRECISION}, {SCALE})")
    inner: list[Any] = [exp.alias_(exp.column("rowid"), _ROW, quoted=True)]
    key_column = (exp.Cast(this=exp.column(key, quoted=True), to=exp.DataType.build("VARCHAR"))
                  if key is not None else exp.Null())
    inner.append(exp.alias_(key_column, _KEY, quoted=True))
    outer: list[Any] = [exp.column(_ROW, quoted=True), exp.column(_KEY, quoted=True)]
    for i, name in enumerate(names):
        cell = exp.Trim(this=exp.column(mapping[name], quoted=True))
        good = exp.And(
            this=exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(CELL_PATTERN)),
            expression=exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string("[0-9]")),
        )
        digits_only = exp.Anonymous(this="regexp_replace", expressions=[
            cell.copy(), exp.Literal.string("[,%‰ \t]"), exp.Literal.string(""), exp.Literal.string("g")])
        number = exp.TryCast(this=digits_only, to=decimal.copy())

        def scaled(factor: str, number: Any = number) -> Any:
            product = exp.Mul(this=number.copy(), expression=exp.Cast(
                this=exp.Literal.number(factor), to=exp.DataType.build(f"DECIMAL({len(factor) - 1}, "
                                                                       f"{len(factor) - 2})")))
            return exp.Cast(this=product, to=decimal.copy())

        value = exp.Case(
            ifs=[
                exp.If(this=exp.Not(this=exp.Paren(this=good.copy())), true=exp.Null()),
                exp.If(this=_ends_with(exp, cell, "%"), true=scaled("0.01")),
                exp.If(this=_ends_with(exp, cell, "‰"), true=scaled("0.001")),
            ],
            default=number,
        )
        raw = exp.alias_(exp.column(mapping[name], quoted=True), f"r{i}", quoted=True)
        inner.extend([raw, exp.alias_(value, f"v{i}", quoted=True)])
        outer.extend([
            exp.column(f"r{i}", quoted=True),
            exp.Not(this=exp.Is(this=exp.column(f"v{i}", quoted=True), expression=exp.Null())),
        ])
    compiled = to_expression(formula, dialect="duckdb", columns={n: f"v{i}" for i, n in enumerate(names)})
    outer.append(exp.alias_(compiled, "value", quoted=True))
    source = exp.select(*inner).from_("src").subquery("cells")
    query = exp.select(*outer).from_(source).order_by(exp.column(_ROW, quoted=True))
    return str(query.sql(dialect="duckdb"))


def _ends_with(exp: Any, cell: Any, suffix: str) -> Any:
    return exp.Anonymous(this="ends_with", expressions=[cell.copy(), exp.Literal.string(suffix)])
