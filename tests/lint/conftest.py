"""Fixtures shared by the lint tests: forms written as YAML examples (see indicators.lint.examples)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from indicators.diagnostics import Diagnostic
from indicators.lint import lint_form
from indicators.lint.examples import form_from_example, load_example, prior_from_example

LintExample = Callable[..., list[Diagnostic]]


def _lint_example(example: str | dict[str, Any], **options: Any) -> list[Diagnostic]:
    data = load_example(example) if isinstance(example, str) else example
    options.setdefault("prior", prior_from_example(data) or None)
    return lint_form(form_from_example(data), **options)


@pytest.fixture
def lint_example() -> LintExample:
    """Lint the form an example describes (its ``prior`` key gives last year's values)."""
    return _lint_example
