"""Fixtures of the service's tests: the app in process, and the real server on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed: pip install '.[service]'")

from fastapi.testclient import TestClient

from indicators.service import ServiceSettings, create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DECLARED = EXAMPLES / "xiaoguwei-declared.txt"
ACTUALS = EXAMPLES / "xiaoguwei-actuals.csv"
#: a completed 绩效自评表 whose published scores differ from the recomputed ones
SELF_EVALUATION = EXAMPLES / "selfeval-S14.tsv"
#: the longest the tests wait for the server to answer its first request
STARTUP_SECONDS = 60


def make_client(**settings: object) -> TestClient:
    app = create_app(ServiceSettings(access_log=False, **settings))  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with make_client() as c:
        yield c


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(log: Path, *extra: str) -> Server:
    """``indicators serve`` on a free loopback port, answering ``/v1/health``."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "indicators", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += extra
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{base}/v1/health", timeout=5) as answer:
                if answer.status == 200:
                    return Server(base, process, log)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the server did not start: {log.read_text(encoding='utf-8')}") from None
            time.sleep(0.1)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("server") / "serve.log")
    yield running
    stop_server(running)
