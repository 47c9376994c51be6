"""``indicators serve``: the HTTP service and its web page, with uvicorn (docs/http.md).

    indicators serve [--host 127.0.0.1] [--port 8000] [--api-key-file FILE] [--no-api-key]
                     [--max-request-bytes N] [--time-budget SECONDS] [--workers N]

On a loopback address the service is open; on any other address it needs ``--api-key-file`` (or an
explicit ``--no-api-key``). Without the ``service`` extra installed it says how to install it and
exits 2. Access logs (one JSON line per request) go to standard error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from indicators.cli.output import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``serve`` command to the top-level parser."""
    p = sub.add_parser(
        "serve",
        help="启动 HTTP 服务与网页（需安装 indicators[service]）",
        description="启动 HTTP 服务（/v1/… JSON 接口）和网页（审核申报表、绩效自评、审核自评表）。"
        "接口见 docs/http.md。",
    )
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只接受本机访问）")
    p.add_argument("--port", type=_port, default=8000, help="端口（默认 8000）")
    p.add_argument("--api-key-file", metavar="FILE",
                   help="访问密钥文件（第一行为密钥）；请求须带 Authorization: Bearer <密钥> 或 X-API-Key")
    p.add_argument("--no-api-key", action="store_true",
                   help="在非本机地址上也不要求访问密钥（仅用于可信的内部网络）")
    p.add_argument("--max-request-bytes", type=_positive, default=None, metavar="N",
                   help="单个请求的最大字节数（默认 21000000）")
    p.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                   help="单个请求的最长处理时间，秒（默认 30）")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="同时进行的计算数（默认 4）")
    p.set_defaults(handler=run)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 0 至 65535 的整数，而不是“{text}”")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”")
    return int(text)


def _seconds(text: str) -> float:
    """A time budget in seconds for the server (a duration, not an indicator value)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError(f"应为大于 0 的秒数，而不是“{text}”")
    return value


def _api_key(args: argparse.Namespace) -> str | None:
    from indicators.service.settings import is_loopback

    if args.api_key_file is None:
        if not is_loopback(args.host) and not args.no_api_key:
            raise UsageError(f"在非本机地址 {args.host} 上提供服务须用 --api-key-file 给出访问密钥"
                             "（或明确加上 --no-api-key）")
        return None
    path = Path(args.api_key_file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise UsageError(f"无法读取访问密钥文件“{args.api_key_file}”：{reason}") from exc
    key = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(key) < 16:
        raise UsageError(f"访问密钥文件“{args.api_key_file}”的第一行应为至少 16 个字符的密钥")
    return key


def run(args: argparse.Namespace) -> int:
    from indicators.service.settings import EXTRA, ServiceSettings, missing_packages

    missing = missing_packages()
    if missing:
        raise UsageError(
            f"HTTP 服务需要安装可选依赖 {EXTRA}（缺少 {'、'.join(missing)}）："
            f"pip install 'indicators[{EXTRA}]'"
        )
    options: dict[str, Any] = {"api_key": _api_key(args)}
    for name in ("max_request_bytes", "time_budget", "workers"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    settings = ServiceSettings(**options)
    serve(settings, host=args.host, port=args.port)
    return EXIT_OK


def serve(settings: Any, *, host: str, port: int) -> None:
    """Run the app with uvicorn until interrupted; access logs as JSON lines on standard error."""
    import logging

    import uvicorn

    from indicators.service import create_app

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("indicators.access", "indicators.service"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    print(f"indicators 服务：http://{host if ':' not in host else f'[{host}]'}:{port}/ （Ctrl+C 停止）",
          file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, access_log=False, log_level="warning",
                server_header=False)
