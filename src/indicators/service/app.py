"""The ASGI app: the ``/v1`` routes, the web page, the gate, and every error as a problem."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from indicators import __version__
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import IndicatorsError
from indicators.service.engine import Engine
from indicators.service.middleware import Gate
from indicators.service.problems import MEDIA_TYPE, ServiceError, problem, status_of, validation_detail
from indicators.service.settings import ServiceSettings

LOG = logging.getLogger("indicators.service")

DESCRIPTION = """\
The engine of `indicators` over JSON: parse and evaluate formulas, parse and check targets, look up the
catalog, check declared forms (预算绩效目标申报表), score them with their actual values (绩效自评) and
audit completed 绩效自评表. The answers are the same JSON documents as the command line's
`--format json` (each with `schema_version`); errors are RFC 9457 problem details carrying the
engine's diagnostic codes (docs/diagnostics.md). See docs/http.md.
"""


def build_app(settings: ServiceSettings) -> FastAPI:
    from indicators.service import api, web

    app = FastAPI(
        title="indicators",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/v1/openapi.json",
        docs_url=None,  # the interactive pages load scripts from the network: not served
        redoc_url=None,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
    )
    app.state.settings = settings
    app.state.engine = Engine(settings.workers, settings.time_budget)
    app.include_router(api.router)
    web.install(app)
    _install_handlers(app)
    app.add_middleware(Gate, settings=settings)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the errors as ``application/problem+json`` only and the API key named."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    document = get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes, license_info=app.license_info)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status[0] in "45" and MEDIA_TYPE in content and "application/json" in content:
                    content[MEDIA_TYPE] = content.pop("application/json")
    document.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "the key of indicators serve --api-key-file (when the service has one)"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    document["security"] = [{}, {"bearer": []}, {"apiKey": []}]
    app.openapi_schema = _sorted_enums(document)
    return app.openapi_schema


def _sorted_enums(value: Any) -> Any:
    """Every ``enum`` list of strings sorted: a ``Literal``'s order may follow string hashing, and the
    committed document must be the same from run to run."""
    if isinstance(value, dict):
        return {k: (sorted(v) if k == "enum" and all(isinstance(x, str) for x in v) else _sorted_enums(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_sorted_enums(v) for v in value]
    return value


def _request_id(request: Request) -> str | None:
    state: dict[str, Any] = request.scope.get("state", {})
    value = state.get("request_id")
    return str(value) if value is not None else None


def problem_response(request: Request, status: int, diagnostics: list[Diagnostic],
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body = problem(status, diagnostics, instance=request.url.path, request_id=_request_id(request))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, media_type=MEDIA_TYPE,
                        headers=headers)


def _install_handlers(app: FastAPI) -> None:
    async def engine_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, IndicatorsError)
        return problem_response(request, status_of(exc), list(exc.diagnostics))

    async def service_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        return problem_response(request, exc.status, list(exc.diagnostics), exc.headers)

    async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        detail = validation_detail(exc.errors())
        return problem_response(request, 422, [diagnostic("IND903", detail=detail)])

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        path = request.url.path[:200]
        if exc.status_code == 404:
            found = diagnostic("IND904", path=path)
        elif exc.status_code == 405:
            found = diagnostic("IND905", path=path, method=request.method)
        else:
            found = diagnostic("IND903", detail=str(exc.detail)[:200])
        return problem_response(request, exc.status_code, [found], dict(exc.headers or {}))

    async def defect(request: Request, exc: Exception) -> JSONResponse:
        request_id = _request_id(request) or "—"
        LOG.error("request %s failed", request_id, exc_info=exc)
        return problem_response(request, 500, [diagnostic("IND906", request_id=request_id)])

    app.add_exception_handler(IndicatorsError, engine_error)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, defect)
