"""Generated documentation is current, and README's promises hold."""

from __future__ import annotations

from pathlib import Path

from indicators.codes import markdown_table

ROOT = Path(__file__).resolve().parents[1]


def test_diagnostics_page_is_current() -> None:
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert page == markdown_table(), "regenerate: python -m indicators.codes > docs/diagnostics.md"


def test_readme_shows_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme


def test_every_documentation_page_linked_from_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if "](docs/" in line:
            target = line.split("](", 1)[1].split(")", 1)[0]
            assert (ROOT / target).is_file(), target
