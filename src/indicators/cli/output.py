"""The one helper of every command: exit codes, usage errors, and the choice of output format.

Exit codes: :data:`EXIT_OK` (0) success; :data:`EXIT_INVALID` (1) invalid input, errors found, a target
not met or not comparable; :data:`EXIT_USAGE` (2) a usage error.

Usage errors: a command raises :class:`UsageError` with a Chinese message naming the option;
:func:`indicators.cli.app.main` prints ``indicators COMMAND: 用法错误 (usage error): …`` and exits 2.
The parser's own messages (a missing argument, a choice not offered …) are put in Chinese by
:func:`usage_message`, so that no message names an internal function.

Output: :func:`add_format` gives a command ``--format`` with its formats and ``--json`` as the shorthand
of ``--format json``; :func:`resolve_format` settles them after parsing (``args.format``, and
``args.json`` true for JSON). :func:`emit` prints a JSON document: a pydantic model of
:mod:`indicators.documents` or of the library, or a plain object, always with ``schema_version``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, TextIO

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: the formats of a command that prints text or JSON only
TEXT_JSON = ("text", "json")


class UsageError(Exception):
    """A command used wrongly (exit 2); the message is Chinese and names the option."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)


def print_usage_error(command: str, message: str, hint: str | None = None) -> None:
    """``indicators COMMAND: 用法错误 (usage error): message`` (and the hint) on standard error."""
    print(f"{command}: 用法错误 (usage error): {message}", file=sys.stderr)
    if hint:
        print(f"  建议：{hint}", file=sys.stderr)


def add_format(parser: argparse.ArgumentParser, formats: Sequence[str] = TEXT_JSON, *,
               default: str | None = "text", help: str | None = None) -> None:
    """``--format {formats}`` (default ``default``) and ``--json``, the shorthand of ``--format json``.

    ``default=None`` leaves ``args.format`` None when neither is given, for a command that infers the
    format (``batch eval -o out.parquet``); such a command must pass ``help``."""
    shown = "、".join(formats)
    parser.add_argument("--format", choices=tuple(formats), default=None,
                        help=help or f"输出格式：{shown}（默认 {default}）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（即 --format json）")
    parser.set_defaults(format_default=default)


def resolve_format(args: argparse.Namespace) -> None:
    """Settle ``--format`` and ``--json`` of a command made with :func:`add_format`."""
    if not hasattr(args, "format_default"):
        return
    chosen: str | None = getattr(args, "format", None)
    if args.json and chosen not in (None, "json"):
        raise UsageError(f"--json 与 --format {chosen} 不能同时使用")
    args.format = "json" if args.json else (chosen or args.format_default)
    args.json = args.format == "json"


def document(obj: Any) -> Any:
    """The JSON data of a document: a model dumped in JSON mode, a plain object as it is; an object at the
    top gets ``schema_version`` first when it has none."""
    from indicators.documents import SCHEMA_VERSION

    data = obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj
    if isinstance(data, dict) and "schema_version" not in data:
        data = {"schema_version": SCHEMA_VERSION, **data}
    return data


def dumps(obj: Any) -> str:
    """A document as JSON text: UTF-8 (Chinese unescaped), two-space indent, Decimals as strings."""
    from indicators.cli.render import dumps as plain

    return plain(document(obj))


def emit(obj: Any, out: TextIO | None = None) -> None:
    """Print a JSON document (see :func:`document`)."""
    print(dumps(obj), file=out or sys.stdout)


# --- the parser's messages in Chinese -----------------------------------------------------------------

_PARSER_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^the following arguments are required: (?P<a>.+)$", "缺少参数：{a}"),
        (r"^argument (?P<a>\S+): invalid choice: '?(?P<v>.*?)'? \(choose from (?P<c>.+)\)$",
         "{a} 的取值“{v}”无效，可用：{c}"),
        (r"^argument (?P<a>\S+): expected one argument$", "{a} 需要一个取值"),
        (r"^argument (?P<a>\S+): expected at least one argument$", "{a} 至少需要一个取值"),
        (r"^argument (?P<a>\S+): not allowed with argument (?P<b>\S+)$", "{a} 与 {b} 不能同时使用"),
        (r"^argument (?P<a>\S+): ignored explicit argument '(?P<v>.*)'$", "{a} 不接受取值“{v}”"),
        (r"^argument (?P<a>\S+): invalid \S+ value: '(?P<v>.*)'$", "{a} 的取值“{v}”无效"),
        (r"^argument (?P<a>[^:]+): (?P<m>.+)$", "{a}：{m}"),
        (r"^unrecognized arguments: (?P<a>.+)$", "不认识的参数：{a}"),
        (r"^ambiguous option: (?P<a>\S+) could match (?P<c>.+)$", "选项 {a} 不明确，可能是：{c}"),
    )
)


def usage_message(message: str) -> str:
    """The parser's message in Chinese, naming the option (``argument --port: …`` → ``--port …``)."""
    for pattern, replacement in _PARSER_MESSAGES:
        found = pattern.match(message)
        if found:
            parts = {k: v.replace("'", "") for k, v in found.groupdict().items()}
            if "c" in parts:
                parts["c"] = "、".join(p.strip() for p in parts["c"].split(","))
            return replacement.format(**parts)
    return message
