"""docs/lint-rules.md is generated from the rules and is current."""

from __future__ import annotations

from pathlib import Path

from indicators.lint import all_rules
from indicators.lint.docs import markdown, render_example

ROOT = Path(__file__).resolve().parents[2]


def test_lint_rules_page_is_current() -> None:
    page = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert page == markdown(), "regenerate: python -m indicators.lint.docs > docs/lint-rules.md"


def test_every_rule_has_a_section_with_both_examples() -> None:
    page = markdown()
    for rule in all_rules():
        section = page.split(f"## {rule.code}\n", 1)[1].split("\n## ", 1)[0]
        assert f"`{rule.slug()}`" in section
        assert "Bad:" in section
        assert "Good:" in section


def test_page_documents_the_budget_identities_and_json_fields() -> None:
    page = markdown()
    assert "## Budget identities" in page
    assert "*Assumption:*" in page
    for field in ("code", "slug", "severity", "message", "row", "column", "hint", "indicator", "file"):
        assert f'"{field}"' in page


def test_render_example_tables() -> None:
    text = render_example(
        "rows:\n  - [产出指标, 数量指标, a|b, 指标值=a, null]\n"
        "budget:\n  income: {财政拨款: 1.50}\n"
        "tasks:\n  - [甲, 2]\n"
        "prior:\n  甲: 良好\n"
    )
    assert "| 产出指标 | 数量指标 | a\\|b | 指标值=a |  |" in text
    assert "| 收入来源 | 财政拨款 | 1.50 |" in text
    assert "| 甲 | 2 |" in text
    assert "| 甲 | 良好 |" in text
