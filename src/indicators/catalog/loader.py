"""Reading catalog directories: the bundled one and users' own, layered in order.

A catalog directory holds ``sets/*.yaml`` (indicator sets) and, optionally, ``taxonomy.yaml``. The
bundled catalog is read through :mod:`indicators.resources`; user directories come from arguments and
from the ``INDICATORS_CATALOG`` environment variable (``os.pathsep``-separated). Later layers win:
an entry with the code of an earlier one replaces it, a new code adds an entry, and a level-1 record in
a later ``taxonomy.yaml`` replaces the record of the same name.

Every problem found while reading becomes a located IND401 diagnostic (file and line). Entries are
checked one by one, so one bad entry does not hide the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from indicators import resources
from indicators.catalog.models import Entry, SetFile, TaxonomyFile
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.limits import DEFAULT_LIMITS, Limits

#: environment variable naming user catalog directories
ENV_VAR = "INDICATORS_CATALOG"
#: display name of the bundled catalog's files in diagnostics
BUNDLED = "catalog"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry was read: file, 1-based line of the entry, line of each of its keys, layer index."""

    source: str
    line: int | None = None
    layer: int = 0
    lines: dict[str, int] = field(default_factory=dict)

    def location(self, key: str | None = None) -> Location:
        line = self.lines.get(key, self.line) if key else self.line
        return Location(source=self.source, row=line)


@dataclass(frozen=True, slots=True)
class LoadedSet:
    header: SetFile
    entries: tuple[tuple[Entry, Origin], ...]
    source: str


@dataclass(slots=True)
class Layer:
    """One catalog directory as read."""

    name: str
    index: int
    taxonomy: TaxonomyFile | None = None
    taxonomy_source: str | None = None
    sets: list[LoadedSet] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def env_dirs(environ: Mapping[str, str] | None = None) -> list[Path]:
    """User catalog directories named by ``INDICATORS_CATALOG`` (empty parts ignored)."""
    value = (environ if environ is not None else os.environ).get(ENV_VAR, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def read_bundled(*, limits: Limits = DEFAULT_LIMITS) -> Layer:
    """The catalog shipped with the package (read once per process and limits; never modified)."""
    return _read_bundled(limits)


@cache
def _read_bundled(limits: Limits) -> Layer:
    layer = Layer(name=BUNDLED, index=0)
    _read_taxonomy(layer, f"{BUNDLED}/taxonomy.yaml", resources.catalog_text("taxonomy.yaml"), limits)
    for name, text in resources.catalog_files("sets"):
        _read_set(layer, f"{BUNDLED}/sets/{name}", text, limits)
    return layer


def read_dir(path: Path, index: int, *, limits: Limits = DEFAULT_LIMITS) -> Layer:
    """A user catalog directory (``sets/*.yaml`` and an optional ``taxonomy.yaml``)."""
    layer = Layer(name=str(path), index=index)
    if not path.is_dir():
        layer.diagnostics.append(
            diagnostic("IND401", detail=f"目录“{path}”不存在", location=Location(source=str(path)))
        )
        return layer
    tax = path / "taxonomy.yaml"
    sets_dir = path / "sets"
    if not tax.is_file() and not sets_dir.is_dir():
        layer.diagnostics.append(
            diagnostic(
                "IND401",
                detail=f"目录“{path}”不是指标库：既没有 taxonomy.yaml，也没有 sets/ 子目录",
                location=Location(source=str(path)),
                hint="指标库目录的结构见 docs/catalog.md",
            )
        )
        return layer
    if tax.is_file():
        text = _read_file(layer, tax, limits)
        if text is not None:
            _read_taxonomy(layer, str(tax), text, limits)
    if sets_dir.is_dir():
        for file in sorted(p for p in sets_dir.iterdir() if p.suffix in _SUFFIXES and p.is_file()):
            text = _read_file(layer, file, limits)
            if text is not None:
                _read_set(layer, str(file), text, limits)
    return layer


def read_layers(
    dirs: Sequence[Path], *, use_env: bool = True, limits: Limits = DEFAULT_LIMITS
) -> list[Layer]:
    """The bundled layer, then the ``INDICATORS_CATALOG`` directories, then ``dirs``, in that order."""
    paths = [*(env_dirs() if use_env else []), *dirs]
    layers = [read_bundled(limits=limits)]
    layers.extend(read_dir(Path(p), i, limits=limits) for i, p in enumerate(paths, start=1))
    return layers


# --- one file ----------------------------------------------------------------------------------------


def _read_file(layer: Layer, path: Path, limits: Limits) -> str | None:
    loc = Location(source=str(path))
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            layer.diagnostics.append(
                diagnostic("IND003", what="指标库文件", size=size, limit=limits.max_file_bytes, location=loc)
            )
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        layer.diagnostics.append(diagnostic("IND401", detail="文件不是 UTF-8 编码的文本", location=loc))
    except OSError as exc:
        layer.diagnostics.append(diagnostic("IND401", detail=f"无法读取文件（{exc.strerror}）", location=loc))
    return None


def _compose(layer: Layer, source: str, text: str, limits: Limits) -> tuple[Any, yaml.Node | None] | None:
    """The YAML data and its node tree, or None after recording a located diagnostic."""
    if len(text.encode("utf-8")) > limits.max_file_bytes:
        layer.diagnostics.append(
            diagnostic(
                "IND003",
                what="指标库文件",
                size=len(text),
                limit=limits.max_file_bytes,
                location=Location(source=source),
            )
        )
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        row = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "格式错误"
        layer.diagnostics.append(
            diagnostic(
                "IND401", detail=f"YAML 格式错误：{problem}", location=Location(source=source, row=row)
            )
        )
        return None
    except yaml.YAMLError as exc:
        layer.diagnostics.append(
            diagnostic("IND401", detail=f"YAML 格式错误：{exc}", location=Location(source=source))
        )
        return None
    if not isinstance(data, dict):
        layer.diagnostics.append(
            diagnostic(
                "IND401", detail="文件内容应为键值映射（mapping）", location=Location(source=source, row=1)
            )
        )
        return None
    return data, node


def _read_taxonomy(layer: Layer, source: str, text: str, limits: Limits) -> None:
    composed = _compose(layer, source, text, limits)
    if composed is None:
        return
    data, node = composed
    try:
        layer.taxonomy = TaxonomyFile.model_validate(data)
        layer.taxonomy_source = source
    except ValidationError as exc:
        layer.diagnostics.extend(_validation_diagnostics(exc, source, node, ()))


def _read_set(layer: Layer, source: str, text: str, limits: Limits) -> None:
    composed = _compose(layer, source, text, limits)
    if composed is None:
        return
    data, node = composed
    raw_entries = data.get("entries", [])
    header_data = {k: v for k, v in data.items() if k != "entries"}
    try:
        header = SetFile.model_validate(header_data)
    except ValidationError as exc:
        layer.diagnostics.extend(_validation_diagnostics(exc, source, node, ()))
        return
    if raw_entries is None:
        raw_entries = []
    if not isinstance(raw_entries, list):
        layer.diagnostics.append(
            diagnostic("IND401", detail="entries 应为列表", location=_loc(source, node, ("entries",)))
        )
        return
    entries: list[tuple[Entry, Origin]] = []
    for i, raw in enumerate(raw_entries):
        path: tuple[str | int, ...] = ("entries", i)
        if isinstance(raw, dict) and header.source and "source" not in raw:
            raw = {**raw, "source": header.source}
        if isinstance(raw, dict):
            raw = {**raw, "set": header.set}
        try:
            entry = Entry.model_validate(raw)
        except ValidationError as exc:
            layer.diagnostics.extend(_validation_diagnostics(exc, source, node, path))
            continue
        origin = Origin(
            source=source,
            line=_line(node, path),
            layer=layer.index,
            lines=_key_lines(node, path),
        )
        entries.append((entry, origin))
    layer.sets.append(LoadedSet(header=header, entries=tuple(entries), source=source))


# --- locating YAML nodes ------------------------------------------------------------------------------


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]  # type: ignore[no-any-return]
    return None


def _node_at(node: yaml.Node | None, path: Iterable[str | int]) -> yaml.Node | None:
    """The deepest node found along ``path`` (the nearest existing ancestor of a missing key)."""
    found = node
    for key in path:
        child = _child(found, key)
        if child is None:
            break
        found = child
    return found


def _line(node: yaml.Node | None, path: Iterable[str | int]) -> int | None:
    found = _node_at(node, path)
    return found.start_mark.line + 1 if found is not None else None


def _loc(source: str, node: yaml.Node | None, path: Iterable[str | int]) -> Location:
    return Location(source=source, row=_line(node, path))


def _key_lines(node: yaml.Node | None, path: Iterable[str | int]) -> dict[str, int]:
    entry = _node_at(node, path)
    out: dict[str, int] = {}
    if isinstance(entry, yaml.MappingNode):
        for k, v in entry.value:
            if isinstance(k, yaml.ScalarNode):
                out[str(k.value)] = v.start_mark.line + 1
    return out


def _validation_diagnostics(
    exc: ValidationError, source: str, node: yaml.Node | None, prefix: tuple[str | int, ...]
) -> list[Diagnostic]:
    out = []
    errors = exc.errors(include_url=False)
    locs = [tuple(err["loc"]) for err in errors]
    for err in errors:
        loc = tuple(err["loc"])
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
            continue  # a consequence of an error further in, which is reported itself
        path = (*prefix, *loc)
        where = ".".join(str(p) for p in path) or "(文件)"
        out.append(
            diagnostic(
                "IND401",
                detail=f"{where}: {_message(err)}",
                location=_loc(source, node, path),
                data={"path": [str(p) for p in path], "type": err["type"]},
            )
        )
    return out


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_too_long": "文本过长",
    "string_pattern_mismatch": "格式不符合规定",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "tuple_type": "应为列表",
    "too_short": "列表项太少",
    "union_tag_invalid": "规则类型（kind）未知",
    "union_tag_not_found": "规则缺少类型（kind）",
    "model_type": "应为键值映射",
    "bool_type": "应为 true 或 false",
}


def _message(err: Any) -> str:
    text = _MESSAGES.get(err["type"])
    detail = str(err.get("msg", ""))
    return f"{text}（{detail}）" if text else detail
