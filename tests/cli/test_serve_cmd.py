"""``indicators serve``: its usage errors, the hint without the service extra, the settings it passes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indicators.cli import serve_cmd
from indicators.cli.app import main


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serve_cmd, "serve", lambda settings, **kw: calls.append({"settings": settings, **kw}))
    return calls


def test_defaults_are_loopback_without_a_key(served: list[dict[str, Any]]) -> None:
    assert main(["serve"]) == 0
    assert served[0]["host"] == "127.0.0.1"
    assert served[0]["port"] == 8000
    assert served[0]["settings"].api_key is None


def test_options_reach_the_settings(served: list[dict[str, Any]], tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("0123456789abcdef-key\nsecond line ignored\n", encoding="utf-8")
    code = main(["serve", "--port", "9001", "--api-key-file", str(key), "--max-request-bytes", "5000",
                 "--time-budget", "2.5", "--workers", "2"])
    assert code == 0
    settings = served[0]["settings"]
    assert (settings.api_key, settings.max_request_bytes, settings.time_budget, settings.workers) == (
        "0123456789abcdef-key", 5000, 2.5, 2)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "example.org", "::"])
def test_a_non_loopback_host_needs_a_key(served: list[dict[str, Any]], host: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", host]) == 2
    err = capsys.readouterr().err
    assert "indicators serve: 用法错误" in err
    assert "--api-key-file" in err
    assert not served


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_loopback_hosts_need_no_key(served: list[dict[str, Any]], host: str) -> None:
    assert main(["serve", "--host", host]) == 0


def test_no_api_key_opens_a_non_loopback_host_on_purpose(served: list[dict[str, Any]]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--no-api-key"]) == 0


@pytest.mark.parametrize(("content", "words"), [
    (None, "无法读取"),
    ("short\n", "至少 16 个字符"),
    ("\n\n", "至少 16 个字符"),
], ids=["missing", "short", "empty"])
def test_a_bad_key_file_is_a_usage_error(served: list[dict[str, Any]], tmp_path: Path, content: str | None,
                                         words: str, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "key"
    if content is not None:
        key.write_text(content, encoding="utf-8")
    assert main(["serve", "--api-key-file", str(key)]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ["--port", "70000"], ["--port", "http"], ["--time-budget", "0"], ["--time-budget", "x"],
    ["--workers", "0"], ["--max-request-bytes", "-1"],
], ids=" ".join)
def test_bad_values_are_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", *args])
    assert info.value.code == 2
    assert "用法错误" in capsys.readouterr().err


def test_without_the_service_extra_a_chinese_hint_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                             served: list[dict[str, Any]],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from indicators.service import settings

    monkeypatch.setattr(settings, "missing_packages", lambda: ["fastapi", "uvicorn"])
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'indicators[service]'" in err
    assert "缺少 fastapi、uvicorn" in err
    assert not served


def test_missing_packages_names_the_pypi_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from indicators.service.settings import missing_packages

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "multipart" else real(name))
    assert missing_packages() == ["python-multipart"]


def test_the_command_line_does_not_load_the_service_until_serve_runs() -> None:
    import subprocess
    import sys

    code = ("import sys; from indicators.cli.app import build_parser; build_parser(); "
            "heavy = [m for m in ('fastapi', 'uvicorn', 'starlette', 'jinja2') if m in sys.modules]; "
            "print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
