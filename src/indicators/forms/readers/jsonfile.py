"""A form exported as JSON (``Form.model_dump_json()``) or YAML, read back to an equal :class:`Form`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from indicators.forms.model import Form
from indicators.forms.readers.common import unreadable

_HINT = "用 `indicators form export` 导出的 JSON 或 YAML 才能读回"


def _invalid(source: str | None, exc: ValidationError) -> Exception:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "根"
    if first.get("type") == "json_invalid":
        reason = f"不是有效的 JSON（{first.get('msg', '')}）"
    else:
        reason = f"不是本工具导出的表格数据：{where} 处 {first.get('msg', '')}"
    return unreadable(source, reason, hint=_HINT)


def read_json(text: str, source: str | None) -> Form:
    """The form in ``text``; IND501 when it is not JSON or not a form export."""
    try:
        return Form.model_validate_json(text)
    except ValidationError as exc:
        raise _invalid(source, exc) from exc


def read_yaml(text: str, source: str | None) -> Form:
    """The form in YAML ``text`` (``form export --format yaml``); IND501 when it is not one."""
    import yaml

    from indicators import yamlio

    try:
        data: Any = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        raise unreadable(source, f"不是有效的 YAML（{exc.__class__.__name__}）", hint=_HINT) from exc
    except RecursionError as exc:  # a document nested thousands deep
        raise unreadable(source, "不是有效的表格数据（YAML 嵌套过深）", hint=_HINT) from exc
    if not isinstance(data, dict):
        raise unreadable(source, "不是本工具导出的表格数据（YAML 顶层应为映射）", hint=_HINT)
    try:
        return Form.model_validate(data)
    except ValidationError as exc:
        raise _invalid(source, exc) from exc
