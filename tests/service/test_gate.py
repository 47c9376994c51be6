"""Limits, time budget, API key, access log and defects: what every request passes through."""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from tests.service.conftest import DECLARED, make_client
from tests.service.test_api import problem

from indicators.limits import DEFAULT_LIMITS
from indicators.service import work

KEY = "s3cret-key-of-the-service-0123"


# --- request size -------------------------------------------------------------------------------------


def test_a_body_over_the_request_limit_is_413_before_it_is_read() -> None:
    with make_client(max_request_bytes=1_000) as c:
        body = problem(c.post("/v1/forms:check", files={"file": ("big.txt", b"x" * 5_000)}), 413, "IND900")
    assert body["diagnostics"][0]["slug"] == "service.request-too-large"
    assert "1000" in body["detail"]


def test_a_streamed_body_over_the_limit_is_413() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"y" * 400

    with make_client(max_request_bytes=1_000) as c:
        answer = c.post("/v1/formulas:parse", content=chunks(), headers={"content-type": "application/json"})
    problem(answer, 413, "IND900")


def test_a_body_within_the_limit_passes() -> None:
    with make_client(max_request_bytes=1_000) as c:
        assert c.post("/v1/formulas:parse", json={"formula": "a/b"}).status_code == 200


def test_a_file_over_the_engine_file_limit_is_413_ind003() -> None:
    limits = replace(DEFAULT_LIMITS, max_file_bytes=500)
    with make_client(limits=limits) as c:
        body = problem(c.post("/v1/forms:check", files={"file": (DECLARED.name, DECLARED.read_bytes())}),
                       413, "IND003")
    assert body["diagnostics"][0]["data"]["limit"] == "max_file_bytes"


def test_a_form_over_the_row_limit_is_422_ind003() -> None:
    limits = replace(DEFAULT_LIMITS, max_rows=20)
    with make_client(limits=limits) as c:
        body = problem(c.post("/v1/forms:check", files={"file": (DECLARED.name, DECLARED.read_bytes())}),
                       422, "IND003")
    assert "Limits.max_rows" in body["detail"]


def test_a_formula_over_a_lowered_length_limit_is_422() -> None:
    limits = replace(DEFAULT_LIMITS, max_text_length=10)
    with make_client(limits=limits) as c:
        problem(c.post("/v1/formulas:parse", json={"formula": "办结工单/呈办工单*100%"}), 422, "IND001")
        assert c.post("/v1/formulas:parse", json={"formula": "a/b"}).status_code == 200


# --- time budget --------------------------------------------------------------------------------------


def test_work_over_the_time_budget_is_422_ind901(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real = work.check

    def stuck(*args: object, **kwargs: object) -> object:
        release.wait(30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(work, "check", stuck)
    try:
        with make_client(time_budget=0.05) as c:
            answer = c.post("/v1/forms:check", files={"file": (DECLARED.name, DECLARED.read_bytes())})
            body = problem(answer, 422, "IND901")
            assert "0.05" in body["detail"]
            assert c.get("/v1/health").status_code == 200  # the service goes on answering
    finally:
        release.set()


# --- API key ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def locked() -> Iterator[TestClient]:
    with make_client(api_key=KEY) as c:
        yield c


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Bearer {KEY}x"},
    {"X-API-Key": KEY[:-1]},
    {"Authorization": "Basic !!!notbase64"},
    {"Authorization": "Basic " + base64.b64encode(b"user:wrong").decode()},
    {"Authorization": KEY},
], ids=lambda h: json.dumps(h))
def test_without_the_key_401(locked: TestClient, headers: dict[str, str]) -> None:
    answer = locked.post("/v1/formulas:parse", json={"formula": "a/b"}, headers=headers)
    problem(answer, 401, "IND902")
    assert "Basic" in answer.headers["www-authenticate"]


@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {KEY}"},
    {"authorization": f"bearer {KEY}"},
    {"X-API-Key": KEY},
    {"Authorization": "Basic " + base64.b64encode(f"any:{KEY}".encode()).decode()},
], ids=lambda h: next(iter(h)))
def test_with_the_key(locked: TestClient, headers: dict[str, str]) -> None:
    assert locked.post("/v1/formulas:parse", json={"formula": "a/b"}, headers=headers).status_code == 200


@pytest.mark.parametrize("path", ["/v1/health", "/v1/version", "/static/style.css"])
def test_health_version_and_static_files_stay_open(locked: TestClient, path: str) -> None:
    assert locked.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/", "/v1/openapi.json", "/v1/catalog/entries"])
def test_the_page_and_the_rest_need_the_key(locked: TestClient, path: str) -> None:
    assert locked.get(path).status_code == 401


def test_an_empty_key_is_refused_by_the_settings() -> None:
    from indicators.service import ServiceSettings

    with pytest.raises(ValueError, match="api_key"):
        ServiceSettings(api_key="  ")


@pytest.mark.parametrize("field", ["max_request_bytes", "workers", "time_budget"])
def test_settings_refuse_non_positive_values(field: str) -> None:
    from indicators.service import ServiceSettings

    with pytest.raises(ValueError, match=field):
        ServiceSettings(**{field: 0})  # type: ignore[arg-type]


# --- access log and defects ---------------------------------------------------------------------------


def test_one_json_access_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    from indicators.service import ServiceSettings, create_app

    with TestClient(create_app(ServiceSettings())) as c, caplog.at_level(logging.INFO, "indicators.access"):
        c.post("/v1/formulas:parse", json={"formula": "a/b"}, headers={"X-Request-ID": "req-1"})
        c.get("/v1/nowhere")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "indicators.access"]
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("POST", "/v1/formulas:parse", 200), ("GET", "/v1/nowhere", 404),
    ]
    assert lines[0]["request_id"] == "req-1"
    assert lines[0]["bytes_in"] > 0
    assert lines[0]["bytes_out"] > 0
    assert set(lines[0]) == {"time", "request_id", "client", "method", "path", "status", "bytes_in",
                             "bytes_out", "ms"}


def test_a_defect_is_a_500_problem_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("secret internal detail")

    monkeypatch.setattr(work, "check", broken)
    with make_client() as c, caplog.at_level(logging.ERROR, "indicators.service"):
        answer = c.post("/v1/forms:check", files={"file": (DECLARED.name, DECLARED.read_bytes())},
                        headers={"X-Request-ID": "defect-1"})
    body = problem(answer, 500, "IND906")
    assert "defect-1" in body["detail"]
    assert "secret internal detail" not in answer.text
    assert "ZeroDivisionError" not in answer.text
    assert any(r.exc_info for r in caplog.records)  # the traceback is in the server's log
