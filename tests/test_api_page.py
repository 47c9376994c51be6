"""docs/api.md: its embedding example runs, and its table names every public name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import indicators

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def test_the_embedding_example_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE, flags=re.S)
    script = tmp_path / "embed.py"
    script.write_text(blocks[0] + blocks[1], encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("IND") for line in lines)  # the findings
    assert re.fullmatch(r"\d+\.\d{2} [优良中差]", lines[-1])  # the total and the grade


def test_the_page_names_every_public_name() -> None:
    missing = [name for name in indicators.__all__ if f"`{name}" not in PAGE]
    assert not missing
