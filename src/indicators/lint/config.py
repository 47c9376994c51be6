"""The reviewer's configuration: ``indicators.toml``, or ``[tool.indicators]`` in ``pyproject.toml``.

::

    select = ["ALL"]                 # codes, prefixes, slugs or groups, as --select
    ignore = ["IND618"]              # as --ignore
    template = "department"          # a bundled template or a template file (default: by form type)
    overshoot = 1.3                  # a computed value this many times the target is an overshoot (IND637)

    [severity]                       # severity overrides by code or slug: error, warning or info
    IND611 = "info"
    "lint.target-vague" = "error"

    [[suppress]]                     # findings not to report, each with its reason
    codes = ["IND615"]
    file = "forms/*.txt"             # optional: a glob on the form's path
    row = 39                         # optional: a row of the form
    indicator = "社工站服务评估结果"   # optional: a level-3 name
    reason = "原表如此，已与填报单位确认"

In ``pyproject.toml`` the same keys sit under ``[tool.indicators]`` (``[tool.indicators.severity]``,
``[[tool.indicators.suppress]]``). :func:`find_config` looks in the current directory and its parents for
``indicators.toml``, then for a ``pyproject.toml`` with a ``[tool.indicators]`` table, as ruff does.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from typing import Any

from indicators import codes
from indicators.diagnostics import Diagnostic, Severity
from indicators.errors import IndicatorsError

CONFIG_FILE = "indicators.toml"
_KEYS = frozenset({"select", "ignore", "template", "overshoot", "severity", "suppress"})
_SUPPRESS_KEYS = frozenset({"codes", "file", "row", "indicator", "reason"})


class ConfigError(IndicatorsError, ValueError):
    """A configuration that cannot be used (IND641)."""


def _fail(source: str, detail: str) -> ConfigError:
    return ConfigError(codes.diagnostic("IND641", detail=f"{source}：{detail}"))


@dataclass(frozen=True, slots=True)
class Suppression:
    """Findings not to report: these codes (code prefixes or slugs), where the entry says, for a reason."""

    codes: tuple[str, ...]
    reason: str
    file: str | None = None
    row: int | None = None
    indicator: str | None = None
    origin: str = ""

    def covers(self, d: Diagnostic, path: str | None) -> bool:
        if not any(_code_matches(token, d) for token in self.codes):
            return False
        if self.file is not None and (path is None or not _glob(path, self.file)):
            return False
        loc = d.location
        if self.row is not None and (loc is None or loc.row != self.row):
            return False
        if self.indicator is not None:
            from indicators.text import normalize_name

            return d.indicator is not None and normalize_name(d.indicator) == normalize_name(self.indicator)
        return True

    def describe(self) -> str:
        where = [f"文件 {self.file}" if self.file else "", f"第 {self.row} 行" if self.row else "",
                 f"“{self.indicator}”" if self.indicator else ""]
        return f"{'、'.join(self.codes)}（{'，'.join(w for w in where if w) or '全部'}）"


def _code_matches(token: str, d: Diagnostic) -> bool:
    if token.upper().startswith("IND"):
        return d.code.startswith(token.upper())
    return d.slug == token or d.slug.startswith(token + ".") or d.slug.startswith(token + "-")


def _glob(path: str, pattern: str) -> bool:
    posix = PurePath(path).as_posix()
    return fnmatchcase(posix, pattern) or fnmatchcase(PurePath(path).name, pattern)


@dataclass(frozen=True, slots=True)
class LintConfig:
    """What a configuration file says; every field has the behaviour of no configuration by default."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    template: str | None = None
    overshoot: Decimal | None = None
    severity: dict[str, Severity] = field(default_factory=dict)
    suppress: tuple[Suppression, ...] = ()
    source: str | None = None

    def severity_of(self, d: Diagnostic) -> Severity:
        """The finding's severity after the overrides (a code wins over a slug)."""
        return self.severity.get(d.code) or self.severity.get(d.slug) or d.severity

    def apply_severity(self, found: Sequence[Diagnostic]) -> list[Diagnostic]:
        if not self.severity:
            return list(found)
        out = []
        for d in found:
            wanted = self.severity_of(d)
            out.append(d if wanted is d.severity else d.model_copy(update={"severity": wanted}))
        return out


def _strings(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, f"“{key}”应为文字列表，如 [\"IND603\", \"budget\"]")
    return tuple(v.strip() for v in value)


def _severities(value: Any, source: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise _fail(source, "“severity”应为表：代码 = \"error\" | \"warning\" | \"info\"")
    out: dict[str, Severity] = {}
    for key, level in value.items():
        try:
            row = codes.lookup(key)
        except KeyError:
            raise _fail(source, f"severity 中的“{key}”不是已知的代码或标识") from None
        if level not in {s.value for s in Severity}:
            raise _fail(source, f"“{key}”的严重程度应为 error、warning 或 info，而不是“{level}”")
        out[key if key == row.slug else row.code] = Severity(level)
    return out


def _suppression(raw: Any, source: str, number: int) -> Suppression:
    where = f"第 {number} 条 suppress"
    if not isinstance(raw, dict) or set(raw) - _SUPPRESS_KEYS:
        extra = sorted(set(raw) - _SUPPRESS_KEYS) if isinstance(raw, dict) else []
        raise _fail(source, f"{where}应为表，可用的键为 {'、'.join(sorted(_SUPPRESS_KEYS))}"
                    + (f"（多余的键：{'、'.join(extra)}）" if extra else ""))
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise _fail(source, f"{where}没有写明理由（reason）")
    tokens = _strings(raw.get("codes"), source, "codes")
    _check_selectors(tokens, source)
    row = raw.get("row")
    if row is not None and (not isinstance(row, int) or isinstance(row, bool) or row < 1):
        raise _fail(source, f"{where}的 row 应为正整数")
    for key in ("file", "indicator"):
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            raise _fail(source, f"{where}的 {key} 应为文字")
    return Suppression(codes=tokens, reason=reason.strip(), file=raw.get("file"), row=row,
                       indicator=raw.get("indicator"), origin=f"{source} {where}")


def _check_selectors(tokens: Sequence[str], source: str) -> None:
    from indicators.lint.base import Selection, SelectorError

    try:
        Selection.of(tokens)
    except SelectorError as exc:
        raise _fail(source, exc.diagnostics[0].message) from None


def parse_config(data: dict[str, Any], *, source: str) -> LintConfig:
    """A configuration from the table of a TOML file; :class:`ConfigError` (IND641) when invalid."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise _fail(source, f"未知的配置项 {'、'.join(unknown)}（可用：{'、'.join(sorted(_KEYS))}）")
    select = _strings(data.get("select", []), source, "select")
    ignore = _strings(data.get("ignore", []), source, "ignore")
    _check_selectors((*select, *ignore), source)
    template = data.get("template")
    if template is not None and not (isinstance(template, str) and template.strip()):
        raise _fail(source, "“template”应为模板名称或模板文件")
    overshoot = None
    if "overshoot" in data:
        try:
            overshoot = Decimal(str(data["overshoot"]))
        except InvalidOperation:
            overshoot = None
        if overshoot is None or isinstance(data["overshoot"], bool) or overshoot <= 1:
            raise _fail(source, "“overshoot”应为大于 1 的数，如 1.3")
    suppress = data.get("suppress", [])
    if not isinstance(suppress, list):
        raise _fail(source, "“suppress”应为表的列表（[[suppress]]）")
    return LintConfig(
        select=select,
        ignore=ignore,
        template=template,
        overshoot=overshoot,
        severity=_severities(data.get("severity", {}), source),
        suppress=tuple(_suppression(raw, source, n) for n, raw in enumerate(suppress, start=1)),
        source=source,
    )


def read_config(path: str | Path) -> LintConfig:
    """The configuration in ``indicators.toml`` (top-level keys) or ``pyproject.toml`` (``[tool.indicators]``
    )."""
    path = Path(path)
    shown = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(shown, f"无法读取（{exc.strerror or exc}）") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(shown, f"TOML 格式错误：{exc}") from exc
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("indicators", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise _fail(shown, "[tool.indicators] 应为表")
    return parse_config(data, source=shown)


def _has_tool_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "indicators" in tool


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest ``indicators.toml``, or ``pyproject.toml`` with ``[tool.indicators]``, from ``start``
    (default: the current directory) up to the file system's root."""
    here = Path(start) if start is not None else Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None
