"""A bounded load check of the HTTP service on the loopback address.

Starts ``indicators serve`` on a free port of 127.0.0.1, sends a fixed number of requests to the parse
and check endpoints from a few client threads, prints requests per second and the 50th and 99th
percentile latency of each, and stops the server. Only the loopback address is ever spoken to; every
loop is bounded in count and in time (``DEADLINE`` seconds at most per endpoint).

Run with ``make bench`` (``python -m benchmarks``) or ``python -m benchmarks.bench_service``; the
figures are printed, never asserted (``docs/performance.md`` keeps a run).
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
#: client threads sending at the same time
CLIENTS = 4
#: the most seconds spent on one endpoint, whatever its request count
DEADLINE = 60.0
SEED = Path(__file__).resolve().parents[1] / "examples" / "xiaoguwei-declared.txt"


@dataclass(frozen=True)
class Load:
    label: str
    path: str
    requests: int
    body: bytes
    content_type: str


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "indicators-bench-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _loads() -> list[Load]:
    def js(obj: object) -> bytes:
        return json.dumps(obj, ensure_ascii=False).encode()

    form, form_type = _multipart(SEED.name, SEED.read_bytes())
    return [
        Load("POST /v1/formulas:parse", "/v1/formulas:parse", 1_000,
             js({"formula": "指标值=办结工单/呈办工单*100%"}), "application/json"),
        Load("POST /v1/targets:parse", "/v1/targets:parse", 1_000,
             js({"target": "95%以上"}), "application/json"),
        Load("POST /v1/targets:check", "/v1/targets:check", 1_000,
             js({"target": "95%以上", "actual": "96.5%"}), "application/json"),
        Load("POST /v1/forms:check (seed form)", "/v1/forms:check", 100, form, form_type),
    ]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _start() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "indicators", "serve", "--host", HOST, "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/v1/health", timeout=5):
                return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def _one(base: str, load: Load) -> tuple[float, int]:
    request = urllib.request.Request(base + load.path, data=load.body, method="POST",
                                     headers={"content-type": load.content_type})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - start, status


def _measure(base: str, load: Load) -> None:
    _one(base, load)  # warm: the first request builds parsers and loads the catalog
    stop = time.monotonic() + DEADLINE
    started = time.perf_counter()

    def send(_: int) -> tuple[float, int] | None:
        return _one(base, load) if time.monotonic() < stop else None

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for r in pool.map(send, range(load.requests)) if r is not None]
    elapsed = time.perf_counter() - started
    latencies = sorted(ms for ms, _ in results)
    failed = sum(status != 200 for _, status in results)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"  {load.label:<36} {len(results):5d} requests  {len(results) / elapsed:8.1f} req/s  "
          f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  non-200: {failed}")


def run() -> None:
    try:
        import fastapi  # noqa: F401
    except ImportError:
        print("HTTP service: skipped (pip install '.[service]')")
        return
    print(f"HTTP service on {HOST} (uvicorn, one process; {CLIENTS} client threads)")
    process, base = _start()
    try:
        for load in _loads():
            _measure(base, load)
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    run()
