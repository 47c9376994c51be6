"""Actual values for self-evaluation: one record per indicator, from CSV, XLSX or JSON.

A record is keyed by catalog code (``编码``) or level-3 name (``三级指标``) and holds the actual value
as written (``96.5%``, ``1,203人次``, ``优秀``, ``是``, ``达成``), or the raw variables of the row's
formula (``办结工单=1180；呈办工单=1200``), an optional chosen score (``得分``) and the deviation reason
(``偏差原因``). Rows named ``全年预算数``, ``全年执行数`` and ``年初预算数`` carry the budget execution
figures instead. The accepted column names are listed in ``docs/scoring.md``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.errors import IndicatorsError, LimitExceededError, UnitError
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.scoring.sheet import BudgetExecution
from indicators.text import normalize_name


class ActualsError(IndicatorsError, ValueError):
    """An actuals file that cannot be read (wrong format, no usable columns)."""


class ActualRecord(BaseModel):
    """One indicator's reported result, with the cell it came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str | None = None
    name: str | None = None
    level1: str | None = None
    level2: str | None = None
    actual: str | None = Field(default=None, description="the actual value as written")
    variables: tuple[tuple[str, str], ...] = Field(default=(), description="raw formula variables, in order")
    score: Decimal | None = Field(default=None, description="a chosen score (qualitative rows)")
    reason: str | None = Field(default=None, description="偏差原因分析及改进措施")
    location: Location | None = Field(default=None, description="the record's actual-value cell")

    @property
    def key(self) -> str:
        return self.code or self.name or ""

    @property
    def reported(self) -> bool:
        return bool((self.actual or "").strip()) or bool(self.variables) or self.score is not None


class Actuals(BaseModel):
    """The contents of an actuals file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str | None = None
    records: tuple[ActualRecord, ...] = ()
    budget: BudgetExecution | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


#: column header (normalised) → record field
_COLUMNS: dict[str, str] = {}
for _field, _names in {
    "code": ("编码", "指标编码", "代码", "指标代码", "code"),
    "name": ("三级指标", "三级指标名称", "指标名称", "指标", "名称", "name", "level3", "indicator"),
    "level1": ("一级指标", "level1"),
    "level2": ("二级指标", "level2"),
    "actual": ("实际完成值", "实际值", "完成值", "全年实际完成值", "实际完成情况", "actual"),
    "variables": ("变量", "原始数据", "公式变量", "variables"),
    "score": ("得分", "自评得分", "score"),
    "reason": ("偏差原因", "偏差原因分析及改进措施", "偏差原因分析", "原因", "说明", "reason"),
}.items():
    for _name in _names:
        _COLUMNS[normalize_name(_name, drop_suffix=False)] = _field

#: names of the budget rows (normalised) → BudgetExecution field
_BUDGET_ROWS: dict[str, str] = {}
for _field, _names in {
    "total": ("全年预算数", "全年预算", "预算数", "budget_total", "total"),
    "executed": ("全年执行数", "全年执行", "执行数", "budget_executed", "executed"),
    "initial": ("年初预算数", "年初预算", "budget_initial", "initial"),
}.items():
    for _name in _names:
        _BUDGET_ROWS[normalize_name(_name, drop_suffix=False)] = _field

_VAR_SPLIT = re.compile(r"[;；\n]+")
_VAR_PAIR = re.compile(r"^\s*(?P<name>[^=＝:：]+?)\s*[=＝:：]\s*(?P<value>.+?)\s*$")
_AMOUNT = re.compile(r"^\s*(?P<num>[-+]?[\d,，]*\.?\d+)\s*(?P<unit>万元|元|亿元|万|亿)?\s*$")


def parse_decimal(text: str) -> Decimal | None:
    """An exact number from ``1,203.50``, ``8分`` or ``8``; ``None`` when the text is not one."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("分").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_amount(text: str, *, unit: str = "万元") -> Decimal | None:
    """A money amount converted exactly to ``unit`` (``215,457.6元`` → ``21.54576`` 万元)."""
    match = _AMOUNT.match(text)
    if match is None:
        return None
    number = parse_decimal(match["num"])
    if number is None:
        return None
    given = match["unit"] or unit
    if given == unit:
        return number
    from indicators.units import quantity

    try:
        converted: Decimal = quantity(number, given).to(unit).magnitude
    except UnitError:
        return None
    return (
        converted.quantize(Decimal(1))
        if converted == converted.to_integral_value()
        else converted.normalize()
    )


def parse_variables(text: str) -> tuple[tuple[str, str], ...] | None:
    """``办结工单=1180；呈办工单=1,200`` → pairs; ``None`` when a part is not ``name=value``."""
    pairs: list[tuple[str, str]] = []
    for part in _VAR_SPLIT.split(text):
        if not part.strip():
            continue
        match = _VAR_PAIR.match(part)
        if match is None:
            return None
        value = match["value"]
        if re.fullmatch(r"[-+]?\d{1,3}([,，]\d{3})+(\.\d+)?", value):
            value = value.replace(",", "").replace("，", "")
        pairs.append((match["name"], value))
    return tuple(pairs)


def read_actuals(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Actuals:
    """Read an actuals file (``.csv``/``.tsv``/``.txt``, ``.xlsx`` or ``.json``); raises ActualsError."""
    path = Path(path)
    source = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ActualsError(
            diagnostic("IND811", reason=f"找不到或无法打开“{path}”", location=Location(source=source))
        ) from exc
    if size > limits.max_file_bytes:
        raise LimitExceededError(
            diagnostic(
                "IND003",
                what="实际值文件大小",
                size=size,
                limit=limits.max_file_bytes,
                location=Location(source=source),
            )
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _from_rows(_xlsx_rows(path, source, limits), source, limits)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ActualsError(
            diagnostic("IND811", reason="文件不是 UTF-8 文本", location=Location(source=source))
        ) from exc
    except OSError as exc:
        raise ActualsError(
            diagnostic("IND811", reason=f"无法读取“{path}”", location=Location(source=source))
        ) from exc
    if suffix == ".json":
        return read_actuals_text(text, fmt="json", source=source, limits=limits)
    if suffix in {".csv", ".tsv", ".txt"}:
        return read_actuals_text(text, fmt="csv", source=source, limits=limits)
    raise ActualsError(
        diagnostic(
            "IND811", reason=f"不支持的文件类型“{suffix or path.name}”", location=Location(source=source)
        )
    )


def read_actuals_text(
    text: str, *, fmt: str = "csv", source: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Actuals:
    """Read actuals from text: ``fmt`` is ``csv`` (comma or tab separated) or ``json``."""
    if "\x00" in text:
        raise ActualsError(
            diagnostic("IND811", reason="文件含有二进制内容", location=Location(source=source))
        )
    if fmt == "json":
        return _from_json(text, source, limits)
    if fmt != "csv":
        raise ValueError(f"unknown actuals format {fmt!r}")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _from_rows(rows, source, limits)


# --- tables (CSV, XLSX) -------------------------------------------------------------------------------


def _xlsx_rows(path: Path, source: str, limits: Limits) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ActualsError(
            diagnostic("IND811", reason="不是有效的 XLSX 文件", location=Location(source=source))
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for cells in sheet.iter_rows(max_col=limits.max_columns):
            if len(rows) >= limits.max_rows:
                raise LimitExceededError(
                    diagnostic(
                        "IND003",
                        what="实际值文件行数",
                        size=f"超过 {limits.max_rows}",
                        limit=limits.max_rows,
                        location=Location(source=source),
                    )
                )
            rows.append([_cell_text(c.value, getattr(c, "number_format", "")) for c in cells])
        return rows
    finally:
        book.close()


def _cell_text(value: Any, number_format: str) -> str:
    """A spreadsheet value as the text a person sees (``0.965`` formatted as ``96.5%``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if "%" in (number_format or ""):
            return f"{format((number * 100).normalize(), 'f')}%"
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return format(number.normalize(), "f")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).strip()


def _from_rows(rows: Sequence[Sequence[str]], source: str | None, limits: Limits) -> Actuals:
    if len(rows) > limits.max_rows:
        raise LimitExceededError(
            diagnostic(
                "IND003",
                what="实际值文件行数",
                size=len(rows),
                limit=limits.max_rows,
                location=Location(source=source),
            )
        )
    header_at, columns = _find_header(rows)
    if header_at is None:
        raise ActualsError(
            diagnostic(
                "IND811",
                reason="未找到表头：需要“三级指标”或“编码”列，以及“实际完成值”“变量”或“得分”列",
                location=Location(source=source, row=1),
            )
        )
    diagnostics: list[Diagnostic] = []
    records: list[ActualRecord] = []
    budget: dict[str, Decimal] = {}
    actual_col = columns.get("actual", columns.get("variables", columns.get("score", 0)))
    for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {f: (row[c].strip() if c < len(row) else "") for f, c in columns.items()}
        if not any(values.values()):
            continue
        where = Location(source=source, row=r, column=actual_col + 1)
        budget_field = _BUDGET_ROWS.get(normalize_name(values.get("name", ""), drop_suffix=False))
        if budget_field and not values.get("code"):
            amount_text = values.get("actual", "")
            amount = parse_amount(amount_text)
            if amount is None:
                diagnostics.append(
                    diagnostic("IND810", what=values["name"], text=amount_text, location=where)
                )
            else:
                budget[budget_field] = amount
            continue
        record, found = _record(values, where)
        diagnostics.extend(found)
        if record is not None:
            records.append(record)
    return Actuals(
        source=source, records=tuple(records), budget=_budget(budget), diagnostics=tuple(diagnostics)
    )


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[int | None, dict[str, int]]:
    for i, row in enumerate(rows[:20]):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            field = _COLUMNS.get(normalize_name(str(cell), drop_suffix=False))
            if field is not None and field not in columns:
                columns[field] = c
        keyed = "name" in columns or "code" in columns
        if keyed and ({"actual", "variables", "score"} & columns.keys()):
            return i, columns
    return None, {}


def _record(values: Mapping[str, str], where: Location) -> tuple[ActualRecord | None, list[Diagnostic]]:
    found: list[Diagnostic] = []
    name = values.get("name") or None
    code = values.get("code") or None
    if name is None and code is None:
        found.append(
            diagnostic(
                "IND808",
                name=f"第 {where.row} 行（无指标名称或编码）",
                location=where,
                hint="填写三级指标名称或指标编码",
            )
        )
        return None, found
    variables: tuple[tuple[str, str], ...] = ()
    if values.get("variables"):
        parsed = parse_variables(values["variables"])
        if parsed is None:
            found.append(
                diagnostic(
                    "IND802",
                    text=values["variables"],
                    location=where,
                    indicator=name,
                    hint="变量写作“名称=数值”，多个变量用分号隔开",
                )
            )
        else:
            variables = parsed
    score: Decimal | None = None
    if values.get("score"):
        score = parse_decimal(values["score"])
        if score is None:
            found.append(
                diagnostic("IND810", what="自评得分", text=values["score"], location=where, indicator=name)
            )
    record = ActualRecord(
        code=code,
        name=name,
        level1=values.get("level1") or None,
        level2=values.get("level2") or None,
        actual=values.get("actual") or None,
        variables=variables,
        score=score,
        reason=values.get("reason") or None,
        location=where,
    )
    return record, found


def _budget(figures: Mapping[str, Decimal]) -> BudgetExecution | None:
    if not figures:
        return None
    return BudgetExecution(
        total=figures.get("total"), executed=figures.get("executed"), initial=figures.get("initial")
    )


# --- JSON ---------------------------------------------------------------------------------------------


def _from_json(text: str, source: str | None, limits: Limits) -> Actuals:
    try:
        data = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise ActualsError(
            diagnostic("IND811", reason="JSON 格式错误", location=Location(source=source, row=line))
        ) from exc
    items: Any
    budget_data: Any = None
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and isinstance(data.get("indicators", []), list):
        items = data.get("indicators", [])
        budget_data = data.get("budget")
    else:
        raise ActualsError(
            diagnostic(
                "IND811",
                reason="JSON 顶层应为指标列表，或含 indicators 与 budget 的对象",
                location=Location(source=source),
            )
        )
    if len(items) > limits.max_rows:
        raise LimitExceededError(
            diagnostic(
                "IND003",
                what="实际值记录数",
                size=len(items),
                limit=limits.max_rows,
                location=Location(source=source),
            )
        )
    diagnostics: list[Diagnostic] = []
    records: list[ActualRecord] = []
    for i, item in enumerate(items, start=1):
        where = Location(source=source, row=i)
        if not isinstance(item, dict):
            diagnostics.append(diagnostic("IND810", what=f"第 {i} 条记录", text=_text(item), location=where))
            continue
        values = {str(k): _text(v) for k, v in item.items() if k != "variables"}
        fields = {_COLUMNS.get(normalize_name(k, drop_suffix=False), k): v for k, v in values.items()}
        raw_vars = item.get("variables", item.get("变量"))
        if isinstance(raw_vars, dict):
            fields["variables"] = "；".join(f"{k}={_text(v)}" for k, v in raw_vars.items())
        elif raw_vars is not None:
            fields["variables"] = _text(raw_vars)
        record, found = _record(fields, where)
        diagnostics.extend(found)
        if record is not None:
            records.append(record)
    budget: dict[str, Decimal] = {}
    if isinstance(budget_data, dict):
        for key, value in budget_data.items():
            budget_field = _BUDGET_ROWS.get(normalize_name(str(key), drop_suffix=False))
            amount = parse_amount(_text(value)) if budget_field else None
            if budget_field is None or amount is None:
                diagnostics.append(
                    diagnostic(
                        "IND810",
                        what=f"预算执行数据“{key}”",
                        text=_text(value),
                        location=Location(source=source),
                    )
                )
            else:
                budget[budget_field] = amount
    elif budget_data is not None:
        diagnostics.append(
            diagnostic("IND810", what="budget", text=_text(budget_data), location=Location(source=source))
        )
    return Actuals(
        source=source, records=tuple(records), budget=_budget(budget), diagnostics=tuple(diagnostics)
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()
