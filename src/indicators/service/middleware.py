"""The gate every HTTP request passes: a request id, the API key, the request size, the access log.

One pure ASGI middleware, outermost, so that no route runs before these checks:

1. ``X-Request-ID``: the client's (when it is short and plain) or a new one, sent back on the answer.
2. The API key, when the service has one: ``Authorization: Bearer KEY``, ``X-API-Key: KEY`` or HTTP
   Basic with KEY as the password (so a browser asks for it on the web page). ``/v1/health``,
   ``/v1/version`` and the static files stay open. Otherwise 401 with IND902.
3. The body is read before the route runs, at most ``max_request_bytes``: a larger ``Content-Length``
   is refused before reading (413, IND900), and so is a chunked body as soon as it passes the limit.
4. One JSON line per request on the ``indicators.access`` logger: time, request id, client, method,
   path, status, bytes in and out, milliseconds.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from indicators.codes import diagnostic
from indicators.service.problems import MEDIA_TYPE, problem_body
from indicators.service.settings import ServiceSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ACCESS_LOG = logging.getLogger("indicators.access")
#: paths open without the API key
OPEN_PATHS = frozenset({"/v1/health", "/v1/version"})
OPEN_PREFIXES = ("/static/",)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class TooLarge(Exception):
    """The body passed ``max_request_bytes``; ``size`` is what was seen so far (or declared)."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(size)


class Gate:
    """The middleware described in the module text."""

    def __init__(self, app: ASGIApp, settings: ServiceSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        seen = {"status": 0, "out": 0, "in": 0}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                seen["out"] += len(message.get("body", b""))
            await send(message)

        try:
            if not self._allowed(scope["path"], headers):
                challenge = {"www-authenticate": 'Bearer realm="indicators", Basic realm="indicators"'}
                await self._refuse(send_logged, scope, request_id, 401, diagnostic("IND902"), challenge)
                return
            try:
                body = await self._read_body(headers, receive)
            except TooLarge as exc:
                found = diagnostic("IND900", size=exc.size, limit=self.settings.max_request_bytes)
                await self._refuse(send_logged, scope, request_id, 413, found, {"connection": "close"})
                return
            seen["in"] = len(body)
            await self.app(scope, _replay(body, receive), send_logged)
        finally:
            if self.settings.access_log:
                _log(scope, request_id, seen, started)

    def _allowed(self, path: str, headers: dict[str, str]) -> bool:
        key = self.settings.api_key
        if key is None or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return True
        given = headers.get("x-api-key")
        auth = headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer":
            given = value.strip()
        elif scheme.lower() == "basic":
            try:
                given = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[2]
            except (binascii.Error, UnicodeDecodeError):
                given = None
        return given is not None and hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8"))

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes:
        limit = self.settings.max_request_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(int(declared))
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise TooLarge(size)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _refuse(self, send: Send, scope: Scope, request_id: str, status: int, found: Any,
                      extra: dict[str, str]) -> None:
        body = problem_body(status, [found], instance=scope["path"], request_id=request_id)
        headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
        headers += [(k.encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body read already, then waits for the client to go away."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _log(scope: Scope, request_id: str, seen: dict[str, int], started: float) -> None:
    client = scope.get("client")
    record = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "request_id": request_id,
        "client": client[0] if client else None,
        "method": scope.get("method"),
        "path": scope.get("path"),
        "status": seen["status"],
        "bytes_in": seen["in"],
        "bytes_out": seen["out"],
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    ACCESS_LOG.info(json.dumps(record, ensure_ascii=False))
