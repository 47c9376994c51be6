"""Errors as RFC 9457 problem details (``application/problem+json``) carrying the engine's diagnostics.

Every error answer of the service is a :class:`Problem`: ``type`` points at the code's row of
``docs/diagnostics.md``, ``title`` is the HTTP reason, ``detail`` the first diagnostic's Chinese message,
``code`` its code and ``diagnostics`` all of them. The status follows the error:

======  ====================================================================================
status  when
======  ====================================================================================
401     the API key is missing or wrong (IND902)
404     no such route (IND904), no such catalog entry (IND414)
405     the route does not take this method (IND905)
413     the request is over ``--max-request-bytes`` (IND900), a file over ``Limits.max_file_bytes``
        or a workbook over its unpacked size (IND003 naming a ``…_bytes`` limit)
422     the input cannot be read or is over another limit (formula length, nesting, rows …: IND001,
        IND002, IND003), the request does not match the schema (IND903), an unknown name (IND907),
        the time budget is spent (IND901)
500     a defect of the service (IND906): logged with its traceback, answered without it
======  ====================================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import IndicatorsError

MEDIA_TYPE = "application/problem+json"
DOCS = "https://github.com/indicators-cn/indicators/blob/main/docs/diagnostics.md"
#: limits whose excess is a body too large (413) rather than content that cannot be processed (422)
_SIZE_LIMITS = frozenset({"max_file_bytes", "max_unpacked_bytes"})


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details) with the diagnostics behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(description="a URI naming the kind of problem: the code's row of docs/diagnostics.md")
    title: str = Field(description="the HTTP reason phrase")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="the first diagnostic's message, in Chinese")
    instance: str | None = Field(default=None, description="the path of the request")
    code: str = Field(description="the first diagnostic's code (IND…)")
    request_id: str | None = Field(default=None, description="the X-Request-ID of the request")
    diagnostics: list[Diagnostic] = Field(description="every diagnostic behind the problem")


class ServiceError(Exception):
    """An error the service answers with a problem: a status and the diagnostics behind it."""

    def __init__(self, status: int, diagnostics: Sequence[Diagnostic] | Diagnostic,
                 headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.diagnostics = (diagnostics,) if isinstance(diagnostics, Diagnostic) else tuple(diagnostics)
        self.headers = headers or {}
        super().__init__("; ".join(d.message for d in self.diagnostics))


def status_of(error: IndicatorsError) -> int:
    """422 for input the engine refuses, 413 when a size in bytes is over its limit, 404 for an
    unknown catalog entry."""
    for d in error.diagnostics:
        if d.code == "IND003" and d.data.get("limit") in _SIZE_LIMITS:
            return 413
        if d.code == "IND414":
            return 404
    return 422


def problem(status: int, diagnostics: Sequence[Diagnostic], *, instance: str | None = None,
            request_id: str | None = None) -> Problem:
    first = diagnostics[0] if diagnostics else diagnostic("IND906", request_id=request_id or "—")
    return Problem(
        type=f"{DOCS}#{first.code.lower()}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=first.message,
        instance=instance,
        code=first.code,
        request_id=request_id,
        diagnostics=list(diagnostics) or [first],
    )


def problem_body(status: int, diagnostics: Sequence[Diagnostic], *, instance: str | None = None,
                 request_id: str | None = None) -> bytes:
    body = problem(status, diagnostics, instance=instance, request_id=request_id)
    return body.model_dump_json(exclude_none=False).encode("utf-8")


def validation_detail(errors: Sequence[Any]) -> str:
    """The errors of a request that does not match its schema, in one Chinese line."""
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body",)) or "请求"
        kind = str(error.get("type", ""))
        parts.append(f"{where}：{_REASONS.get(kind, error.get('msg', kind))}")
    more = len(errors) - 5
    return "；".join(parts) + (f"；另有 {more} 处" if more > 0 else "")


_REASONS = {
    "missing": "缺少此项",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "extra_forbidden": "不认识的字段",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "literal_error": "不是可用的取值",
    "enum": "不是可用的取值",
    "json_invalid": "不是有效的 JSON",
    "string_too_long": "文本过长",
    "too_long": "项数过多",
    "value_error": "取值无效",
    "uuid_parsing": "取值无效",
}
