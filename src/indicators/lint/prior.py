"""Last year's values (``--prior FILE``): level-3 name or catalog code → value, from CSV or JSON.

CSV (also tab-separated ``.tsv``/``.txt``): two columns, key and value, with an optional header row::

    三级指标,上年值
    颐康服务中心(站)服务评估结果,良好
    JD-SH-PJ-002,合格

JSON: an object ``{"颐康服务中心(站)服务评估结果": "良好"}`` or a list of objects with a key field
(``name``, ``code``, ``三级指标`` or ``编码``) and a value field (``value``, ``prior`` or ``上年值``).
Values are kept as text; the rules parse them. The file is read and decoded by :mod:`indicators.inputs`
(UTF-8, UTF-16, GB18030, Big5 …), like every file the package reads.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

from indicators.codes import diagnostic
from indicators.errors import IndicatorsError
from indicators.inputs import InputError, Source, decode, guess_delimiter, read_bytes, source_name
from indicators.limits import DEFAULT_LIMITS, Limits

KEY_FIELDS = ("name", "code", "level3", "三级指标", "指标名称", "指标", "编码", "指标编码")
VALUE_FIELDS = ("value", "prior", "上年值", "上年实际值", "上年完成值", "上年评估结果")


class PriorReadError(IndicatorsError, ValueError):
    """A ``--prior`` file that cannot be read as name → value pairs."""


def _fail(path: str, reason: str) -> PriorReadError:
    return PriorReadError(diagnostic("IND004", reason=f"上年值文件 {path}：{reason}"))


def read_prior(path: Source, *, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> dict[str, str]:
    """The pairs of a prior-values file (a path, bytes or a binary stream, read by
    :mod:`indicators.inputs`); raises :class:`PriorReadError` (IND004) when it is unreadable."""
    shown = source if source is not None else (
        str(path) if isinstance(path, str | os.PathLike) else source_name(path) or "<数据>"
    )
    try:
        raw = read_bytes(path, limits=limits, name=source)
        text = decode(raw.data, source=raw.name).text
    except InputError as exc:
        raise _fail(shown, exc.reason) from exc
    if not text.strip():
        raise _fail(shown, "文件为空")
    if raw.suffix == ".json" or text.lstrip()[:1] in "{[":
        return prior_from_json(text, source=shown)
    return prior_from_csv(text, source=shown, limits=limits, suffix=raw.suffix)


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    return str(value).strip() or None


def prior_from_json(text: str, *, source: str = "<json>") -> dict[str, str]:
    """Pairs from JSON text (an object, or a list of objects with key and value fields)."""
    try:
        data = json.loads(text, parse_float=str, parse_int=str)
    except json.JSONDecodeError as exc:
        raise _fail(source, f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）") from exc
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            scalar = _scalar(value)
            if scalar is None or not key.strip():
                raise _fail(source, f"“{key}”的上年值应为文字或数字")
            out[key.strip()] = scalar
        return out
    if not isinstance(data, list):
        raise _fail(source, "应为对象或对象列表")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _fail(source, f"第 {number} 项应为对象")
        key = next((_scalar(item[f]) for f in KEY_FIELDS if f in item), None)
        value = next((_scalar(item[f]) for f in VALUE_FIELDS if f in item), None)
        if key is None or value is None:
            raise _fail(source, f"第 {number} 项缺少指标名称（name）或上年值（value）")
        out[key] = value
    return out


def prior_from_csv(
    text: str, *, source: str = "<csv>", limits: Limits = DEFAULT_LIMITS, suffix: str = ""
) -> dict[str, str]:
    """Pairs from CSV or tab-separated text, two columns, with an optional header row."""
    delimiter = guess_delimiter(text.lstrip("\ufeff"), suffix)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > limits.max_rows:
        raise _fail(source, f"行数过多（{len(rows)} 行，上限 {limits.max_rows}）")
    out: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and len(cells) >= 2 and (cells[0] in KEY_FIELDS or cells[1] in VALUE_FIELDS):
            continue  # header
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise _fail(source, f"第 {number} 行应有两栏：指标名称（或编码）和上年值")
        out[cells[0]] = cells[1]
    if not out:
        raise _fail(source, "没有任何上年值")
    return out
