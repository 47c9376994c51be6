"""The ``indicators`` command line.

Each command family lives in its own module (``cli/<family>.py``) exposing ``register(subparsers)``;
the modules import the engine lazily inside their handlers so that ``indicators --help`` starts fast.

Exit codes (:mod:`indicators.cli.output`): 0 success, 1 invalid input, errors found, a target not met or
not comparable, 2 usage error. Every command that prints a result takes ``--format`` and ``--json``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from indicators import __version__
from indicators.cli import (
    audit_cmd,
    batch_cmd,
    catalog_cmd,
    check_cmd,
    explain_cmd,
    form_cmd,
    formula_cmd,
    score_batch_cmd,
    score_cmd,
    serve_cmd,
    target_cmd,
)
from indicators.cli.output import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    print_usage_error,
    resolve_format,
    usage_message,
)
from indicators.cli.render import safe_output
from indicators.collect import bulk_work
from indicators.errors import IndicatorsError

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print_usage_error(self.prog, usage_message(message))
        self.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="indicators",
        description="预算绩效指标引擎：解析公式与指标值、检查绩效目标申报表、计算绩效自评得分。",
    )
    parser.add_argument("--version", action="version", version=f"indicators {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands = (
        formula_cmd, target_cmd, catalog_cmd, form_cmd, check_cmd, explain_cmd, score_cmd, score_batch_cmd,
        audit_cmd, batch_cmd, serve_cmd,
    )
    for module in commands:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; everything it prints goes through :func:`render.terminal_safe`.

    A command builds many objects that live to its end (parsers, tables, the catalog): the collector
    runs less often meanwhile (:func:`indicators.collect.bulk_work`)."""
    with bulk_work(), safe_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        resolve_format(args)
        return handler(args)
    except UsageError as exc:
        command = " ".join(p for p in ("indicators", args.command, *_subcommand(args)) if p)
        print_usage_error(command, exc.message, exc.hint)
        return EXIT_USAGE
    except IndicatorsError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK


def _subcommand(args: argparse.Namespace) -> list[str]:
    """The subcommand's name (``formula eval`` …), for messages."""
    return [str(v) for k, v in vars(args).items() if k.endswith("_command") and isinstance(v, str)]


if __name__ == "__main__":
    sys.exit(main())
