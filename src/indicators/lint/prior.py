"""Last year's values (``--prior FILE``): level-3 name or catalog code → value, from CSV or JSON.

CSV (also tab-separated ``.tsv``/``.txt``): two columns, key and value, with an optional header row::

    三级指标,上年值
    颐康服务中心(站)服务评估结果,良好
    JD-SH-PJ-002,合格

JSON: an object ``{"颐康服务中心(站)服务评估结果": "良好"}`` or a list of objects with a key field
(``name``, ``code``, ``三级指标`` or ``编码``) and a value field (``value``, ``prior`` or ``上年值``).
Values are kept as text; the rules parse them. UTF-16 with a byte-order mark, UTF-8 (with or without
one) and GB 18030 are read.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from indicators.codes import diagnostic
from indicators.errors import IndicatorsError
from indicators.forms.readers.text import decode_text
from indicators.limits import DEFAULT_LIMITS, Limits

KEY_FIELDS = ("name", "code", "level3", "三级指标", "指标名称", "指标", "编码", "指标编码")
VALUE_FIELDS = ("value", "prior", "上年值", "上年实际值", "上年完成值", "上年评估结果")


class PriorReadError(IndicatorsError, ValueError):
    """A ``--prior`` file that cannot be read as name → value pairs."""


def _fail(path: str | Path, reason: str) -> PriorReadError:
    return PriorReadError(diagnostic("IND004", reason=f"上年值文件 {path}：{reason}"))


def _decode(data: bytes, path: str | Path) -> str:
    text = decode_text(data)
    if text is None or "\x00" in text:
        raise _fail(path, "不是文本文件（无法按 UTF-16、UTF-8 或 GB18030 解码）")
    return text


def read_prior(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """The pairs of a prior-values file; raises :class:`PriorReadError` (IND004) when it is unreadable."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            raise _fail(path, f"文件过大（{size} 字节，上限 {limits.max_file_bytes}）")
        data = p.read_bytes()
    except OSError as exc:
        raise _fail(path, exc.strerror or type(exc).__name__) from exc
    text = _decode(data, path)
    if not text.strip():
        raise _fail(path, "文件为空")
    if p.suffix.lower() == ".json" or text.lstrip()[:1] in "{[":
        return prior_from_json(text, source=str(path))
    return prior_from_csv(text, source=str(path), limits=limits)


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


def prior_from_csv(text: str, *, source: str = "<csv>", limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """Pairs from CSV or tab-separated text, two columns, with an optional header row."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = "\t" if "\t" in first else ","
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
