"""The committed OpenAPI document: current, and the service keeps to it (Schemathesis)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from tests.service.conftest import ROOT

from indicators.service import ServiceSettings, create_app

DOCUMENT = ROOT / "docs" / "openapi.json"
#: examples per operation: a few, so the whole run stays short on two cores
EXAMPLES = 6

APP = create_app(ServiceSettings(access_log=False))
SCHEMA = schemathesis.openapi.from_path(DOCUMENT)
#: the answers keep to the document; request bodies are read in pydantic's lax mode (``"index": false``
#: is read as 0), so Schemathesis's negative_data_rejection does not apply
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_committed_document_is_current() -> None:
    from indicators.service.openapi import openapi_json

    assert DOCUMENT.read_text(encoding="utf-8") == openapi_json(), (
        "regenerate: python -m indicators.service.openapi > docs/openapi.json"
    )


def test_the_running_service_serves_the_same_document(client: object) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)
    assert client.get("/v1/openapi.json").json() == json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_every_route_of_the_service_is_in_the_document() -> None:
    paths = json.loads(DOCUMENT.read_text(encoding="utf-8"))["paths"]
    from indicators.service.api import router

    routes = {getattr(r, "path", "") for r in router.routes}
    assert routes == set(paths)
    for name, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {name} has no summary"
            errors = [s for s in operation["responses"] if s[0] == "4"]
            for status in errors:
                assert set(operation["responses"][status]["content"]) == {"application/problem+json"}


@SCHEMA.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_service_keeps_to_its_document(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(app=APP, checks=CHECKS)


@pytest.mark.parametrize("status", ["401", "413", "422"])
def test_the_problem_schema_is_documented(status: str) -> None:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    answer = document["paths"]["/v1/targets:check"]["post"]["responses"][status]
    assert answer["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
