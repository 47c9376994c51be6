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
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.errors import IndicatorsError, LimitExceededError
from indicators.inputs import InputError, InputTooLargeError, Source, decode, guess_delimiter, read_bytes
from indicators.limits import DEFAULT_LIMITS, Limits, engine_context, in_engine_context
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
_VAR_SIGN = re.compile(r"[=＝:：]")
#: a comma or 、 after a value, before the next ``name=``; not a thousands separator (``1,200``)
_VAR_COMMA = re.compile(r"[,，、](?!\d{3}(?!\d))")
_VAR_PAIR = re.compile(r"^\s*(?P<name>[^=＝:：]+?)\s*[=＝:：]\s*(?P<value>.+?)\s*$")


_MAX_EXPONENT = 30


def parse_decimal(text: str) -> Decimal | None:
    """An exact number from ``1,203.50``, ``8分`` or ``8``; ``None`` when the text is not one."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("分").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    # no score, weight or amount has 30 digits: ``1e999999999`` is hostile, not a number to work with
    return value if value.is_finite() and abs(value.adjusted()) <= _MAX_EXPONENT else None


def parse_amount(text: str, *, unit: str = "万元") -> Decimal | None:
    """A money amount converted exactly to ``unit`` (``215,457.6元`` → ``21.54576`` 万元; ``150万`` → 150).

    Amounts are read by the one money reader of the forms (:func:`indicators.forms.money.parse_amount`):
    thousands separators, full-width digits and the suffixes 元, 千元, 万/万元, 亿/亿元."""
    from indicators.forms.money import TO_WAN
    from indicators.forms.money import parse_amount as read_money

    amount, written = read_money(text)
    if amount is None or unit not in TO_WAN:
        return None
    given = written or unit
    if given == unit:
        return amount
    with localcontext(engine_context()):
        converted = amount * TO_WAN[given] / TO_WAN[unit]
    whole = converted == converted.to_integral_value()
    return converted.quantize(Decimal(1)) if whole else converted.normalize()


def parse_variables(text: str) -> tuple[tuple[str, str], ...] | None:
    """``办结工单=1180；呈办工单=1,200`` → pairs; ``None`` when a part is not ``name=value``."""
    pairs: list[tuple[str, str]] = []
    for part in (p for chunk in _VAR_SPLIT.split(text) for p in _comma_separated(chunk)):
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


def _comma_separated(chunk: str) -> list[str]:
    """``办结工单=1180，呈办工单=1,200`` → two pairs; a 、 inside a name (``走访、慰问人数=12``) stays."""
    signs = [m.start() for m in _VAR_SIGN.finditer(chunk)]
    parts: list[str] = []
    start = 0
    for sign, following in itertools.pairwise(signs):
        comma = _VAR_COMMA.search(chunk, sign + 1, following)
        if comma is not None:
            parts.append(chunk[start : comma.start()])
            start = comma.end()
    return [*parts, chunk[start:]]


@in_engine_context
def read_actuals(
    path: Source, *, limits: Limits = DEFAULT_LIMITS, source: str | None = None
) -> Actuals:
    """Read an actuals file (``.csv``/``.tsv``/``.txt``, ``.xlsx`` or ``.json``); raises ActualsError.

    ``path`` is a path, the bytes of a file or a binary stream; ``source`` names it (default: the file
    name; for bytes, a name with its extension tells the format, else the content does).
    """
    try:
        raw = read_bytes(path, limits=limits, name=source)
    except InputTooLargeError as exc:
        raise _too_large("实际值文件大小", exc.size, exc.limit, exc.source) from exc
    except InputError as exc:
        raise ActualsError(
            diagnostic("IND811", reason=exc.reason, location=Location(source=exc.source), hint=exc.hint)
        ) from exc
    name, suffix, data = raw.name, raw.suffix, raw.data
    if suffix in {".xlsx", ".xlsm"} or (not suffix and data.startswith(b"PK\x03\x04")):
        sheet, rows, found = _xlsx_rows(data, name, limits)
        actuals = _from_rows(rows, name, limits, sheet=sheet)
        if found:
            actuals = actuals.model_copy(update={"diagnostics": (*found, *actuals.diagnostics)})
        return actuals
    if suffix not in {"", ".json", ".csv", ".tsv", ".txt"} or data.startswith(_OLE):
        old_excel = suffix in {".xls", ".et"} or data.startswith(_OLE)
        raise ActualsError(
            diagnostic(
                "IND811",
                reason="这是旧版 Excel（.xls）文件"
                if old_excel
                else f"不支持的文件类型“{suffix or name}”",
                location=Location(source=name),
                hint=_SAVE_AS if old_excel else None,
            )
        )
    try:
        text = decode(data, source=name).text
    except InputError as exc:
        raise ActualsError(
            diagnostic("IND811", reason=exc.reason, location=Location(source=name), hint=exc.hint)
        ) from exc
    is_json = suffix == ".json" or (not suffix and text.lstrip()[:1] in "[{")
    fmt = "json" if is_json else "csv"
    return read_actuals_text(text, fmt=fmt, source=name, limits=limits, suffix=suffix)


def _too_large(
    what: str, size: int, limit: int, source: str | None, sheet: str | None = None
) -> LimitExceededError:
    """IND003: the file is over one of the :class:`Limits`."""
    location = Location(source=source, sheet=sheet)
    return LimitExceededError(diagnostic("IND003", what=what, size=size, limit=limit, location=location))


@in_engine_context
def read_actuals_text(
    text: str,
    *,
    fmt: str = "csv",
    source: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    suffix: str = "",
) -> Actuals:
    """Read actuals from text: ``fmt`` is ``csv`` (tab, comma or semicolon separated, guessed once by
    :func:`indicators.inputs.guess_delimiter` with the file's ``suffix``) or ``json``."""
    if "\x00" in text:
        raise ActualsError(
            diagnostic("IND811", reason="文件含有二进制内容", location=Location(source=source))
        )
    if fmt == "json":
        return _from_json(text, source, limits)
    if fmt != "csv":
        raise ValueError(f"unknown actuals format {fmt!r}")
    delimiter = guess_delimiter(text, suffix)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:  # a field over the csv module's size limit
        raise ActualsError(
            diagnostic(
                "IND811", reason=f"CSV 格式有误：有单元格过长（{exc}）", location=Location(source=source)
            )
        ) from exc
    return _from_rows(rows, source, limits)


# --- tables (CSV, XLSX) -------------------------------------------------------------------------------


_SAVE_AS = "请用 Excel 或 WPS 打开后另存为 .xlsx 文件"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _xlsx_rows(
    data: bytes, source: str | None, limits: Limits
) -> tuple[str | None, list[list[str]], tuple[Diagnostic, ...]]:
    """The name, cell texts and reader findings of the first worksheet with a header row.

    The workbook is read by the form reader (:func:`indicators.forms.readers.xlsx.read_xlsx`): the values
    Excel last calculated, the text Excel shows for numbers and dates (the stored value, not the rounding
    of the display format: ``0.965`` formatted ``0%`` is ``96.5%``), a merged cell's value in every cell
    it covers, visible sheets before hidden ones. A formula without a saved value reads as blank and is
    reported (IND508). Without a header anywhere, the first sheet is returned for the record reader to
    report.
    """
    from indicators.errors import FormReadError
    from indicators.forms.readers.xlsx import read_xlsx

    try:
        sheets = read_xlsx(data, source, limits)
    except LimitExceededError:
        raise
    except FormReadError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        reason = first.message.split("：", 1)[-1] if first is not None else "无法读取工作簿"
        raise ActualsError(
            diagnostic(
                "IND811",
                reason=reason,
                location=Location(source=source),
                hint=first.hint if first is not None and first.hint else _SAVE_AS,
            )
        ) from exc
    ordered = sorted(sheets, key=lambda sheet: sheet.hidden)  # stable: visible sheets first, in order
    grids = [(sheet, [[cell.text.strip() for cell in row] for row in sheet.rows]) for sheet in ordered]
    for sheet, rows in grids:
        if _find_header(rows)[0] is not None:
            return sheet.name, rows, tuple(sheet.diagnostics)
    if not grids:
        return None, [], ()
    sheet, rows = grids[0]
    return sheet.name, rows, tuple(sheet.diagnostics)


def _from_rows(
    rows: Sequence[Sequence[str]], source: str | None, limits: Limits, *, sheet: str | None = None
) -> Actuals:
    if len(rows) > limits.max_rows:
        raise _too_large("实际值文件行数", len(rows), limits.max_rows, source)
    header_at, columns = _find_header(rows)
    if header_at is None:
        raise ActualsError(
            diagnostic(
                "IND811",
                reason="未找到表头：需要“三级指标”或“编码”列，以及“实际完成值”“变量”或“得分”列",
                location=Location(source=source, row=1),
            )
        )
    budget, block_rows, diagnostics = _budget_block(rows, source, sheet)
    records: list[ActualRecord] = []
    actual_col = columns.get("actual", columns.get("variables", columns.get("score", 0)))
    for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {f: (row[c].strip() if c < len(row) else "") for f, c in columns.items()}
        if r - 1 in block_rows or not any(values.values()) or _is_total_row(row, values.get("name", "")):
            continue
        where = Location(source=source, sheet=sheet, row=r, column=actual_col + 1)
        named = _budget_header(values.get("name", ""))
        if named is not None and not values.get("code"):
            budget_field, unit = named
            amount_text = values.get("actual", "")
            amount = parse_amount(amount_text if parse_decimal(amount_text) is None else amount_text + unit)
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


def _budget_block(
    rows: Sequence[Sequence[str]], source: str | None, sheet: str | None
) -> tuple[dict[str, Decimal], set[int], list[Diagnostic]]:
    """Budget figures laid out across, as on a 自评表: ``年初预算数 | 全年预算数 | 全年执行数`` over a row of
    amounts (a unit in the header, ``全年预算数（万元）``, applies to bare amounts). Returns the figures,
    the indices of the two rows and the diagnostics of unreadable amounts."""
    for i, row in enumerate(rows):
        fields = {c: named for c, cell in enumerate(row) if (named := _budget_header(str(cell))) is not None}
        if len({field for field, _ in fields.values()}) < 2:
            continue
        j = next(
            (
                j
                for j in range(i + 1, min(i + 3, len(rows)))
                if any(c < len(rows[j]) and rows[j][c].strip() for c in fields)
            ),
            None,
        )
        if j is None:
            continue
        figures: dict[str, Decimal] = {}
        found: list[Diagnostic] = []
        for c, (field, unit) in fields.items():
            text = rows[j][c].strip() if c < len(rows[j]) else ""
            if not text:
                continue
            amount = parse_amount(text if parse_decimal(text) is None else text + unit)
            if amount is None:
                where = Location(source=source, sheet=sheet, row=j + 1, column=c + 1)
                found.append(diagnostic("IND810", what=str(row[c]).strip(), text=text, location=where))
            else:
                figures[field] = amount
        return figures, {i, j}, found
    return {}, set(), []


def _budget_header(cell: str) -> tuple[str, str] | None:
    """``全年预算数（万元）`` → (``total``, ``万元``); None for a cell that names no budget figure."""
    key = normalize_name(cell, drop_suffix=False)
    note = _HEADER_NOTE.search(key)
    field = _BUDGET_ROWS.get(_HEADER_NOTE.sub("", key))
    if field is None:
        return None
    unit = note[0].strip("()") if note is not None else ""
    return field, unit if unit in ("元", "万元", "亿元") else ""


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[int | None, dict[str, int]]:
    for i, row in enumerate(rows[:20]):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            field = _header_field(str(cell))
            if field is not None and field not in columns:
                columns[field] = c
        keyed = "name" in columns or "code" in columns
        if keyed and ({"actual", "variables", "score"} & columns.keys()):
            return i, columns
    return None, {}


#: a year before a header (``2024年实际完成值``) and a note after it (``实际完成值（%）``, ``得分(分)``)
_HEADER_YEAR = re.compile(r"^(?:20\d\d|19\d\d)年度?")
_HEADER_NOTE = re.compile(r"\([^()]*\)$")


#: form columns (catalog/columns.yaml) that an actuals table may use too → record field
_ROLE_FIELDS = {
    "level1": "level1",
    "level2": "level2",
    "level3": "name",
    "actual": "actual",
    "score": "score",
    "deviation": "reason",
}


def _header_field(cell: str) -> str | None:
    """The record field a header cell names, if any: the actuals' own names (编码, 变量 …), then the
    form's column table (``catalog/columns.yaml``: 全年完成值, 偏差原因分析及改进措施, 實際完成值 …)."""
    key = normalize_name(cell, drop_suffix=False)
    field = _COLUMNS.get(key)
    if field is None:
        field = _COLUMNS.get(_HEADER_NOTE.sub("", _HEADER_YEAR.sub("", key)))
    if field is None:
        from indicators.forms.names import column_role

        role = column_role(cell)
        field = _ROLE_FIELDS.get(role.value) if role is not None else None
    return field


#: rows of a table that sum it up rather than report an indicator
_TOTAL_ROWS = frozenset(
    normalize_name(n, drop_suffix=False) for n in ("合计", "总计", "总分", "小计", "得分合计")
)


def _is_total_row(row: Sequence[str], name: str) -> bool:
    """A 合计/总分 row: its name, or (without one) a cell of the row, is such a word."""
    if name:
        return normalize_name(name, drop_suffix=False) in _TOTAL_ROWS
    return any(normalize_name(str(cell), drop_suffix=False) in _TOTAL_ROWS for cell in row)


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
    actual = values.get("actual") or None
    if actual is not None and actual.startswith(("=", "＝")):
        found.append(
            diagnostic(
                "IND802",
                text=actual,
                location=where,
                indicator=name,
                hint="单元格是公式，文件中没有它的计算结果："
                "请用 Excel 或 WPS 打开并保存后再导入，或直接填写数值",
            )
        )
        actual = None
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
        actual=actual,
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
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)  # no int() of a million digits
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
        raise _too_large("实际值记录数", len(items), limits.max_rows, source)
    diagnostics: list[Diagnostic] = []
    records: list[ActualRecord] = []
    for i, item in enumerate(items, start=1):
        where = Location(source=source, row=i)
        if not isinstance(item, dict):
            diagnostics.append(diagnostic("IND810", what=f"第 {i} 条记录", text=_text(item), location=where))
            continue
        values = {str(k): _text(v) for k, v in item.items() if k != "variables"}
        fields = {(_header_field(k) or k): v for k, v in values.items()}
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
    if isinstance(value, Decimal):  # a JSON number, written out unless its exponent is absurd
        return format(value, "f") if abs(value.adjusted()) <= _MAX_EXPONENT else str(value)
    return str(value).strip()
