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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from indicators import resources, yamlio
from indicators.catalog.models import Entry, Level1, Level2, SetFile, TaxonomyFile
from indicators.catalog.taxonomy import category_key
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
            layer.diagnostics.append(_too_large(size, limits, str(path)))
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        layer.diagnostics.append(diagnostic("IND401", detail="文件不是 UTF-8 编码的文本", location=loc))
    except OSError as exc:
        layer.diagnostics.append(diagnostic("IND401", detail=f"无法读取文件（{exc.strerror}）", location=loc))
    return None


def _too_large(size: int, limits: Limits, source: str) -> Diagnostic:
    return diagnostic(
        "IND003",
        what="指标库文件大小",
        size=f"{size} 字节",
        limit=f"{limits.max_file_bytes} 字节",
        location=Location(source=source),
    )


def _compose(layer: Layer, source: str, text: str, limits: Limits) -> tuple[Any, yaml.Node | None] | None:
    """The YAML data and its node tree, or None after recording a located diagnostic.

    The text is parsed once: the node tree is checked (duplicate keys, alias expansion) and then
    constructed. Duplicate keys are reported and the file is still read; a file whose aliases expand
    past :data:`MAX_ALIAS_NODES` is not read at all.
    """
    size = len(text.encode("utf-8"))
    if size > limits.max_file_bytes:
        layer.diagnostics.append(_too_large(size, limits, source))
        return None
    problems: list[Diagnostic] = []

    def check(node: yaml.Node | None) -> bool:
        problems[:] = _check_nodes(node, source)
        return not any(d.code == "IND003" for d in problems)

    try:
        node, data = yamlio.compose_and_construct(text, check)
        if any(d.code == "IND003" for d in problems):
            layer.diagnostics.extend(problems)
            return None
    except yaml.MarkedYAMLError as exc:
        layer.diagnostics.append(_yaml_diagnostic(exc, source))
        return None
    except yaml.YAMLError as exc:
        layer.diagnostics.append(
            diagnostic("IND401", detail=f"YAML 格式错误（{exc}）", location=Location(source=source))
        )
        return None
    except RecursionError:  # PyYAML parses nested collections recursively
        layer.diagnostics.append(
            diagnostic(
                "IND401",
                detail="YAML 嵌套层数过深，无法读取",
                location=Location(source=source),
                hint="指标库文件只需两三层嵌套：set、entries 列表、每个指标的字段",
            )
        )
        return None
    layer.diagnostics.extend(problems)
    if data is None:
        layer.diagnostics.append(
            diagnostic("IND401", detail="文件是空的", location=Location(source=source, row=1))
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


#: most YAML nodes that aliases (``*name``) may add when expanded; past it a file is not read
MAX_ALIAS_NODES = 100_000


def _check_nodes(root: yaml.Node | None, source: str) -> list[Diagnostic]:
    """Duplicate keys in every mapping (IND401), and an alias expansion past the budget (IND003).

    PyYAML keeps the last of two equal keys silently; in reviewed data that hides a value. Aliases
    may point at large nodes, and recursive ones at themselves: the walk counts every node as it
    would be expanded and stops at the budget.
    """
    out: list[Diagnostic] = []
    seen: set[int] = set()
    expanded = 0
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        expanded += 1
        first_visit = id(node) not in seen
        seen.add(id(node))
        if expanded - len(seen) > MAX_ALIAS_NODES:
            return [
                diagnostic(
                    "IND003",
                    what="别名（*）展开后增加的 YAML 节点数",
                    size=expanded - len(seen),
                    limit=MAX_ALIAS_NODES,
                    location=Location(source=source, row=node.start_mark.line + 1),
                    hint="少用锚点（&）和别名（*），把内容直接写出",
                )
            ]
        if isinstance(node, yaml.MappingNode):
            if first_visit:
                out.extend(_duplicate_keys(node, source))
            for key, value in node.value:
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return out


def _duplicate_keys(node: yaml.MappingNode, source: str) -> list[Diagnostic]:
    out = []
    lines: dict[str, int] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        line = key.start_mark.line + 1
        name = str(key.value)
        if name in lines:
            out.append(
                diagnostic(
                    "IND401",
                    detail=f"字段“{name}”重复（第 {lines[name]} 行已有），后写的值会覆盖先写的值",
                    location=Location(source=source, row=line),
                    hint="删除多余的一个，只保留一个取值",
                    data={"key": name, "first_line": lines[name]},
                )
            )
        else:
            lines[name] = line
    return out


#: PyYAML problems in Chinese, by the start of PyYAML's own wording
_YAML_PROBLEMS = (
    ("found character '\\t'", "用了制表符（Tab）；YAML 只能用空格缩进"),
    ("found character", "此处的字符不能作为值的开头（请给该值加引号）"),
    ("mapping values are not allowed here", "此处不能出现冒号“:”（值中含有“: ”时请给该值加引号）"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("expected <block end>", "缩进不一致"),
    ("expected ',' or ']'", "方括号“[”没有闭合"),
    ("expected ',' or '}'", "花括号“{”没有闭合"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found undefined alias", "引用了未定义的锚点（*）"),
    ("second occurrence", "锚点（&）重复定义"),
    ("but found another document", "一个文件只能有一个 YAML 文档（多了“---”分隔线）"),
)


def _yaml_diagnostic(exc: yaml.MarkedYAMLError, source: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    row = mark.line + 1 if mark is not None else None
    problem = exc.problem or exc.context or ""
    said = next((zh for start, zh in _YAML_PROBLEMS if problem.startswith(start)), None)
    if said is None:
        detail = f"YAML 格式错误（{problem}）" if problem else "YAML 格式错误"
    else:
        detail = f"YAML 格式错误：{said}"
    column = mark.column + 1 if mark is not None else None
    return diagnostic(
        "IND401",
        detail=detail,
        location=Location(source=source, row=row),
        data={"yaml": problem, "column": column},
    )


def _read_taxonomy(layer: Layer, source: str, text: str, limits: Limits) -> None:
    composed = _compose(layer, source, text, limits)
    if composed is None:
        return
    data, node = composed
    try:
        layer.taxonomy = TaxonomyFile.model_validate(data)
        layer.taxonomy_source = source
    except ValidationError as exc:
        layer.diagnostics.extend(_validation_diagnostics(exc, source, node, data, ()))
        return
    layer.diagnostics.extend(_category_clashes(layer.taxonomy, source, node))


def _category_clashes(tax: TaxonomyFile, source: str, node: yaml.Node | None) -> list[Diagnostic]:
    """A category named twice in one taxonomy.yaml, or a synonym that names another category.

    Names are compared as lookups compare them (:func:`category_key`); a clash would make one record
    silently replace or shadow the other.
    """
    out: list[Diagnostic] = []

    def check(kind: str, records: Sequence[Level1 | Level2], path: tuple[str | int, ...]) -> None:
        owner: dict[str, str] = {}
        for i, record in enumerate(records):
            for j, word in enumerate((record.name, *record.synonyms)):
                key = category_key(word)
                first = owner.setdefault(key, record.name)
                if first == record.name:
                    continue
                where = (*path, i, "name") if j == 0 else (*path, i, "synonyms", j - 1)
                detail = f"{kind}“{word}”与“{first}”重名（名称比较时忽略空格、全半角和末尾的“指标”）"
                out.append(
                    diagnostic(
                        "IND401",
                        detail=detail,
                        location=_loc(source, node, where),
                        hint="同一类别只写一条记录，其他写法列入 synonyms",
                    )
                )

    check("一级指标", tax.level1, ("level1",))
    for i, level1 in enumerate(tax.level1):
        check(f"{level1.name}下的二级指标", level1.level2, ("level1", i, "level2"))
    return out


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
        layer.diagnostics.extend(_validation_diagnostics(exc, source, node, data, ()))
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
            layer.diagnostics.extend(_validation_diagnostics(exc, source, node, data, path))
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
    exc: ValidationError,
    source: str,
    node: yaml.Node | None,
    data: Any,
    prefix: tuple[str | int, ...],
) -> list[Diagnostic]:
    out = []
    errors = exc.errors(include_url=False)
    locs = [tuple(err["loc"]) for err in errors]
    for err in errors:
        loc = tuple(err["loc"])
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
            continue  # a consequence of an error further in, which is reported itself
        path = (*prefix, *loc)
        out.append(
            diagnostic(
                "IND401",
                detail=f"{_where(path, data)}：{_message(err, path)}",
                location=_loc(source, node, path),
                data={"path": [str(p) for p in path], "type": err["type"], "reason": str(err.get("msg", ""))},
            )
        )
    return out


def _where(path: tuple[str | int, ...], data: Any) -> str:
    """A path in the file as a reader says it.

    ``("entries", 1, "source")`` → ``第2个指标（FLD-002）的 source``; ``("level1", 0, "level2")`` →
    ``level1 第1项（产出指标）的 level2``.
    """
    if not path:
        return "文件"
    text = ""
    current = data
    for i, key in enumerate(path):
        if isinstance(key, int):
            item = current[key] if isinstance(current, list) and 0 <= key < len(current) else None
            label = f"第{key + 1}个指标" if path[:i] == ("entries",) else f"{text} 第{key + 1}项"
            names = [item.get(k) for k in ("code", "name")] if isinstance(item, dict) else []
            ident = next((n for n in names if isinstance(n, str)), None)
            text = f"{label}（{ident}）" if ident else label
            current = item
        else:
            text = f"{text}的 {key}" if text else key
            current = current.get(key) if isinstance(current, dict) else None
    return text.strip()


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（拼写错误？可用的字段见 docs/catalog.md）",
    "string_too_short": "不能为空",
    "tuple_type": "应为列表（如 [甲, 乙]）",
    "list_type": "应为列表（如 [甲, 乙]）",
    "union_tag_not_found": "规则缺少类型（kind）",
    "model_type": "应为键值映射",
    "model_attributes_type": "应为键值映射",
    "dict_type": "应为键值映射",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
}

_PATTERNS = {
    "code": "应由大写字母、数字和连字符组成，如 JD-CC-SL-001",
    "set": "应由小写字母、数字和连字符组成，如 street-office",
}


def _message(err: Any, path: tuple[str | int, ...]) -> str:
    """The Chinese reason for one pydantic error, with the allowed values where there is a list."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_type":
        if isinstance(err.get("input"), (int, float, bool)):
            return "应为文本（数字和 yes、no 等词请加引号，如 \"95\"）"
        return "应为文本"
    if kind == "string_too_long":
        return f"文本过长（最多 {ctx.get('max_length')} 个字符）"
    if kind == "string_pattern_mismatch":
        rule = _PATTERNS.get(str(path[-1])) if path else None
        return f"格式不对：{rule}" if rule else "格式不对"
    if kind in ("enum", "literal_error"):
        return f"取值不在允许范围内，可用：{_choices(str(ctx.get('expected', '')))}"
    if kind == "too_short":
        return f"列表项太少（至少 {ctx.get('min_length')} 项）"
    if kind == "union_tag_invalid":
        return f"规则类型（kind）“{ctx.get('tag')}”未知，可用：{_choices(str(ctx.get('expected_tags', '')))}"
    return f"取值有误（{err.get('msg', '')}）"


def _choices(expected: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a、b、c``."""
    found = re.findall(r"'([^']*)'", expected)
    return "、".join(found) if found else expected
