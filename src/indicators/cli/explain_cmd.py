"""``indicators explain CODE``: a rule's documentation, its examples and its source.

A lint code (IND6xx, IND7xx) prints the rule's page of docs/lint-rules.md as text: code, slug,
severity, message, what the rule finds, what it never fires on, its source and the bad and good
examples. Any other code prints its row of docs/diagnostics.md. A slug is accepted for a code.
``--format json`` (``--json``) prints :class:`indicators.documents.ExplainDocument`. Exit 0, or 2 for an
unknown code.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from indicators.cli.output import EXIT_OK, UsageError, add_format


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``explain`` command to the top-level parser."""
    p = sub.add_parser(
        "explain",
        help="说明一条审核规则（代码、示例、依据）",
        description="说明诊断代码：规则的含义、不会报告的情形、依据，以及错误与正确的示例。",
    )
    p.add_argument("code", metavar="CODE", help="诊断代码（如 IND603）或标识（如 lint.target-vague）")
    add_format(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from indicators import codes

    token = args.code.strip()
    try:
        row = codes.lookup(token.upper() if token.upper().startswith("IND") else token)
    except KeyError:
        found = codes.diagnostic("IND642", text=token)
        raise UsageError(found.message, hint=found.hint) from None
    if args.json:
        from indicators.cli.output import emit
        from indicators.documents import ExplainDocument

        emit(ExplainDocument(code=row.code, slug=row.slug, severity=row.severity, message=row.message,
                             hint=row.hint, text=explanation(row.code)))
        return EXIT_OK
    write_explanation(row.code, sys.stdout)
    return EXIT_OK


def explanation(code: str) -> str:
    """The text ``indicators explain CODE`` prints."""
    from indicators import codes
    from indicators.lint import get_rule
    from indicators.lint.docs import render_example

    row = codes.lookup(code)
    head = [f"{row.code}  {row.slug}  ({row.severity.value}, {row.severity.label})", ""]
    head.append(f"message: {row.message}")
    if row.hint:
        head.append(f"hint: {row.hint}")
    try:
        rule = get_rule(row.code)
    except KeyError:
        owner = next((r for r in _rules() if row.code in r.emitted_codes()), None)
        tail = ["", "See docs/diagnostics.md."]
        if owner is not None:
            tail = ["", f"Emitted by rule {owner.code} ({owner.slug()}): indicators explain {owner.code}"]
        return "\n".join(head + tail) + "\n"
    doc = rule.doc()
    out = [*head, "", doc.summary]
    if doc.body:
        out += ["", doc.body]
    out += ["", "Never fires on:", *(f"  - {item}" for item in doc.never)]
    out += ["", f"Source: {doc.source}"]
    out += ["", "Bad:", "", render_example(doc.bad), "", "Good:", "", render_example(doc.good)]
    out += ["", f"Documentation: docs/lint-rules.md#{rule.code.lower()}"]
    return "\n".join(out) + "\n"


def _rules() -> list[Any]:
    from indicators.lint import all_rules

    return list(all_rules())


def write_explanation(code: str, out: TextIO) -> None:
    out.write(explanation(code))
