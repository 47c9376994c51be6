"""The real server: ``indicators serve`` with uvicorn on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import httpx2
import pytest
from tests.service.conftest import DECLARED, Server, start_server, stop_server

pytestmark = pytest.mark.slow


def call(method: str, url: str, body: dict[str, Any] | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_health(server: Server) -> None:
    assert call("GET", f"{server.base}/v1/health")[2] == {"status": "ok"}


def test_target_check_the_acceptance_example(server: Server) -> None:
    request = {"target": "95%以上", "actual": "96.5%"}
    status, _, body = call("POST", f"{server.base}/v1/targets:check", request)
    assert status == 200
    assert body["outcome"] == "met"


def test_a_problem_over_http(server: Server) -> None:
    status, headers, body = call("POST", f"{server.base}/v1/formulas:parse", {"formula": "a+("})
    assert status == 422
    assert headers["content-type"] == "application/problem+json"
    assert body["code"] == "IND104"


def test_an_upload_over_http(server: Server) -> None:
    with httpx2.Client(base_url=server.base, timeout=60) as c:
        answer = c.post("/v1/forms:check", files={"file": (DECLARED.name, DECLARED.read_bytes())})
    assert answer.status_code == 200
    assert answer.json()["summary"]["files"] == 1


def test_the_access_log_is_one_json_line_per_request(server: Server) -> None:
    call("GET", f"{server.base}/v1/version", headers={"X-Request-ID": "from-the-test"})
    mine: list[dict[str, Any]] = []
    for _ in range(200):  # the line is written once the answer is sent: wait for it, boundedly
        lines = [json.loads(x) for x in server.log.read_text(encoding="utf-8").splitlines() if x[:1] == "{"]
        mine = [x for x in lines if x["request_id"] == "from-the-test"]
        if mine:
            break
        time.sleep(0.05)
    assert len(mine) == 1
    assert mine[0]["path"] == "/v1/version"
    assert mine[0]["status"] == 200
    assert mine[0]["client"] == "127.0.0.1"


def test_a_server_with_an_api_key(tmp_path: Path) -> None:
    key_file = tmp_path / "key.txt"
    key_file.write_text("a-key-long-enough-for-the-test\n", encoding="utf-8")
    locked = start_server(tmp_path / "serve.log", "--api-key-file", str(key_file))
    try:
        assert call("GET", f"{locked.base}/v1/catalog/search?q=x")[0] == 401
        status, _, _ = call("GET", f"{locked.base}/v1/catalog/search?q=x",
                            headers={"Authorization": "Bearer a-key-long-enough-for-the-test"})
        assert status == 200
    finally:
        stop_server(locked)


def test_concurrent_requests_get_the_same_answers(server: Server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cases = [{"target": "95%以上", "actual": "96.5%"}, {"target": "良以上", "actual": "合格"},
             {"target": "控制在100万元以内", "actual": "98万元"},
             {"target": "12月底前完成", "actual": "2025年12月20日"}]

    def ask(number: int) -> tuple[int, dict[str, Any]]:
        status, _, body = call("POST", f"{server.base}/v1/targets:check", cases[number % len(cases)])
        return status, body

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(40)))
    assert {status for status, _ in answers} == {200}
    for number, (_, body) in enumerate(answers):
        assert body == answers[number % len(cases)][1]
