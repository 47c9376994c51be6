"""The wheel carries grammar/ and catalog/ and works when installed, run from another directory.

The wheel is built with ``python -m build --wheel``; a fresh virtual environment gets it with
``pip install --no-deps``. Its dependencies come from the running environment through a ``.pth``
line (only the plain path, so the editable install of the checkout stays invisible there): the
test then proves that the code and the data files ship inside the wheel without downloading the
dependencies again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORMULA = "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%"
GARBAGE = "(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def _repo_files(folder: str) -> dict[str, bytes]:
    base = ROOT / folder
    return {
        p.relative_to(base).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.slow
def test_installed_wheel_works_from_another_directory(tmp_path: Path) -> None:
    before = {folder: _repo_files(folder) for folder in ("grammar", "catalog")}
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], cwd=ROOT)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(dist.glob("indicators-*.whl"))

    # the data files in the wheel are byte-for-byte those of the repository
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        for folder in ("grammar", "catalog"):
            prefix = f"indicators/_data/{folder}/"
            files = [n for n in names if n.startswith(prefix) and not n.endswith("/")]
            shipped = {n[len(prefix) :]: zf.read(n) for n in files}
            after = _repo_files(folder)
            # files edited while the wheel was being built may match either snapshot
            assert set(shipped) in (set(before[folder]), set(after)), folder
            for name, data in shipped.items():
                assert data in (before[folder].get(name), after.get(name)), f"{folder}/{name}"
        assert "indicators/_data/grammar/formula.lark" in names
        assert "indicators/py.typed" in names

    # a fresh environment with the wheel installed (dependencies from the running environment)
    venv = tmp_path / "venv"
    created = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path)
        .stdout.strip()
    )
    deps = sysconfig.get_paths()["purelib"]
    (site / "_deps_from_running_env.pth").write_text(deps + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index"]
    installed = _run([*pip, "--quiet", str(wheel)], cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import indicators; print(indicators.__file__)"], cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    parsed = _run([str(venv / "bin" / "indicators"), "formula", "parse", FORMULA, "--json"], cwd=elsewhere)
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["variables"] == ["已覆盖应急避难场所的村(社区)", "辖区村(社区)总数"]

    failed = _run([str(venv / "bin" / "indicators"), "formula", "parse", "办结工单/*100%"], cwd=elsewhere)
    assert failed.returncode == 1
    assert "IND102" in failed.stderr

    # evaluation needs the unit definitions shipped under catalog/
    values = ["可回收物回收量=1250", "其他垃圾处理量=3100", "厨余垃圾资源化利用量=2400",
              "四类垃圾处理总量=7000"]
    argv = [str(venv / "bin" / "indicators"), "formula", "eval", GARBAGE]
    evaluated = _run([*argv, *(f"--var={v}" for v in values)], cwd=elsewhere)
    assert (evaluated.returncode, evaluated.stdout, evaluated.stderr) == (0, "84.14%\n", "")
