"""The words a form uses for its blocks, its columns and its categories, in one place.

* :data:`FALLBACK_TAXONOMY` is the national level-1 → level-2 frame (财预〔2021〕101号 plus the older
  categories many local templates keep). Realignment uses the catalog's taxonomy when the catalog
  package can be loaded, and this list otherwise; it is used only to *recognise* category names.
* :func:`column_role` maps a header cell of the indicator table to a :class:`Role`, by the reviewed table
  ``catalog/columns.yaml`` (every name a printed form uses for a column); :func:`header_key` is how a
  header is compared with it.
* :func:`block_of` maps the label in the first column of the upper part of a 部门整体 form to a block;
  :func:`project_field`, :func:`fund_label` and :func:`fund_measure` read the labels of a 项目支出 form's
  header, from the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from typing import Protocol

from indicators import resources, yamlio
from indicators.text import (
    CLOSE_BRACKETS,
    OPEN_BRACKETS,
    category_key,
    nfkc,
    split_category,
    squash_spaces,
    strip_quotes,
    to_simplified,
)


class TaxonomyLike(Protocol):
    """What realignment needs from a taxonomy (the catalog's ``Taxonomy`` has these)."""

    @property
    def level1_names(self) -> tuple[str, ...]: ...

    def canonical_level1(self, name: str) -> str | None: ...

    def canonical_level2(self, level1: str, name: str) -> str | None: ...


class CatalogLike(Protocol):
    """A catalog as :func:`indicators.forms.read_form` uses it: only its taxonomy."""

    @property
    def taxonomy(self) -> TaxonomyLike: ...


def looks_like_category(text: str) -> bool:
    """Category cells end in 指标: ``产出指标``, ``服务对象满意度指标等``, ``效益指标(30分)``,
    ``產出指標``."""
    name = to_simplified(strip_quotes(split_category(text).name))
    return name.endswith(("指标", "指标等")) and len(name) > 2


#: level-1 → level-2 categories of the national frame (canonical names first in each list)
_FRAME: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": (
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
        "社会公众或服务对象满意度指标",
    ),
    "满意度指标": ("服务对象满意度指标", "社会公众或服务对象满意度指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标", "生态成本指标"),
}
_LEVEL1_SYNONYMS: dict[str, str] = {
    "服务对象满意度指标": "满意度指标",
    "社会公众或服务对象满意度指标": "满意度指标",
}


class FallbackTaxonomy:
    """The built-in frame, used when the catalog package is not available."""

    def __init__(self) -> None:
        self._l1 = {category_key(name): name for name in _FRAME}
        for word, name in _LEVEL1_SYNONYMS.items():
            self._l1.setdefault(category_key(word), name)
        self._l2 = {name: {category_key(l2): l2 for l2 in l2s} for name, l2s in _FRAME.items()}

    @property
    def level1_names(self) -> tuple[str, ...]:
        return tuple(_FRAME)

    def canonical_level1(self, name: str) -> str | None:
        return self._l1.get(category_key(name))

    def canonical_level2(self, level1: str, name: str) -> str | None:
        canonical = self.canonical_level1(level1)
        if canonical is None:
            return None
        return self._l2[canonical].get(category_key(name))


FALLBACK_TAXONOMY = FallbackTaxonomy()


class Role(StrEnum):
    """What a column of the indicator table holds; the values are :class:`IndicatorRow` field names."""

    SEQUENCE = "sequence"
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    LEVEL3 = "level3"
    FORMULA = "formula"
    STANDARD = "standard"
    PERIOD = "period_target"
    TARGET = "target"
    UNIT = "unit"
    OPERATOR = "operator"
    WEIGHT = "weight"
    ACTUAL = "actual"
    SCORE = "score"
    DEVIATION = "deviation"
    REMARK = "remark"

    @property
    def label(self) -> str:
        """The Chinese column name used in messages."""
        return _tables().labels[self]


#: the indicator columns realignment may move text between, in their natural order
CORE_ROLES = (Role.LEVEL1, Role.LEVEL2, Role.LEVEL3, Role.FORMULA, Role.PERIOD, Role.TARGET)

_OPEN = re.escape(OPEN_BRACKETS)
_CLOSE = re.escape(CLOSE_BRACKETS)
_BRACKETED = re.compile(rf"[{_OPEN}][^{_OPEN}{_CLOSE}]*[{_CLOSE}]")
_YEAR = re.compile(r"^(?:19|20)\d\d年度?")
_MARKS = "*＊※:：、.。"


@lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """The key a header or block label is compared by.

    Full-width → half-width, traditional → simplified, no white space or line breaks, no quotes, no
    bracketed note anywhere (``三级指标（名称）``, ``指标值(年度)``, ``评(扣)分标准`` → ``评分标准``),
    no stray bracket, no leading year (``2024年度实际完成值``), no leading ``其中：`` and no
    required-field star or trailing colon.
    """
    key = to_simplified(strip_quotes(squash_spaces(nfkc(text))))
    previous = None
    while previous != key:
        previous, key = key, _BRACKETED.sub("", key)
    key = key.translate({ord(ch): None for ch in OPEN_BRACKETS + CLOSE_BRACKETS})
    key = _YEAR.sub("", key.strip(_MARKS)).removeprefix("其中").strip(_MARKS)
    return key.lower()


@dataclass(frozen=True)
class _Tables:
    """``catalog/columns.yaml``, read once: header key → role (None: a known column kept as it is)."""

    columns: dict[str, Role | None]
    labels: dict[Role, str]
    blocks: dict[str, str]
    project: dict[str, str]
    funds: dict[str, str]
    measures: dict[str, str]


def _keys(names: list[str], value: str, into: dict[str, str], what: str) -> None:
    for name in names:
        key = header_key(str(name))
        if into.get(key, value) != value:
            clash = f"“{name}” is listed under {into[key]} and {value} ({what})"
            raise AssertionError(f"catalog/columns.yaml: {clash}")
        into[key] = value


@cache
def _tables() -> _Tables:
    data = yamlio.safe_load(resources.catalog_text("columns.yaml"))
    columns: dict[str, str] = {}
    labels: dict[Role, str] = {}
    for entry in data["columns"]:
        role = str(entry["role"])
        _keys(entry["names"], role, columns, "columns")
        if role != "kept":
            labels[Role(role)] = str(entry["label"])
    blocks: dict[str, str] = {}
    for block, names in data["blocks"].items():
        _keys(names, str(block), blocks, "blocks")
    project: dict[str, str] = {}
    for field_name, names in data["project"].items():
        _keys(names, str(field_name), project, "project")
    funds: dict[str, str] = {}
    for names in data["funds"]:
        _keys(names, str(names[0]), funds, "funds")
    measures: dict[str, str] = {}
    for names in data["fund_measures"]:
        _keys(names, str(names[0]), measures, "fund_measures")
    return _Tables(
        columns={k: (None if v == "kept" else Role(v)) for k, v in columns.items()},
        labels=labels,
        blocks=blocks,
        project=project,
        funds=funds,
        measures=measures,
    )


def column_synonyms() -> dict[str, list[str]]:
    """Every header name of ``catalog/columns.yaml`` by role (``kept`` for known columns kept as they are),
    in file order: the table docs/forms.md prints."""
    data = yamlio.safe_load(resources.catalog_text("columns.yaml"))
    return {str(e["role"]): [str(n) for n in e["names"]] for e in data["columns"]}


def column_role(text: str) -> Role | None:
    """The role of a header cell of the indicator table; None for a column kept as it is or unknown."""
    return _tables().columns.get(header_key(text))


def known_column(text: str) -> bool:
    """Whether the header names a column the table lists (with a role, or kept as it is)."""
    return header_key(text) in _tables().columns


def is_header_row(texts: list[str]) -> bool:
    """A row of the indicator table's header: it names the 三级指标 column and one more indicator column."""
    roles = [column_role(t) for t in texts]
    return Role.LEVEL3 in roles and any(r in roles for r in (Role.LEVEL1, Role.LEVEL2, Role.TARGET))


class Block(StrEnum):
    """The blocks above the indicator table of a 部门整体 declaration form."""

    DEPARTMENT = "department"
    BUDGET = "budget"
    GOAL = "goal"
    ANNUAL_GOAL = "annual_goal"
    TASKS = "tasks"
    OTHER_TASKS = "other_tasks"


def block_of(text: str) -> Block | None:
    """The block a first-column label opens, or None."""
    key = header_key(text)
    found = _tables().blocks.get(key)
    if found is not None:
        return Block(found)
    if key.startswith("预算整体情况"):
        return Block.BUDGET
    if key.endswith("重点工作任务"):
        return Block.TASKS
    if key.startswith(("其他需完成的任务", "其他任务")):
        return Block.OTHER_TASKS
    return None


def project_field(text: str) -> str | None:
    """The project-header field a label names (``name``, ``competent``, ``implementer``, ``leader``,
    ``period``, ``attribute``, ``funds``), or None."""
    return _tables().project.get(header_key(text))


def fund_label(text: str) -> str | None:
    """The canonical label of a project funds figure (``其中：当年财政拨款`` → ``财政拨款``), or None."""
    return _tables().funds.get(header_key(text))


def fund_measure(text: str) -> str | None:
    """Which figure a funds-table column holds (``全年预算数``, ``年初预算数`` …), or None."""
    return _tables().measures.get(header_key(text))


#: cells that label the indicator table as a whole (the merged 绩效指标 cell left of it)
_TABLE_LABEL = re.compile(r"^(?:年度|部门整体|部门|项目|整体)?绩效(?:指标|目标)(?:表)?$")


def is_table_label(text: str) -> bool:
    return bool(_TABLE_LABEL.match(strip_quotes(squash_spaces(nfkc(text)))))


#: first words of the rows below the indicator table (totals, signatures, notes)
_FOOTER = re.compile(
    r"^(?:合计|总计|总分|填报人|填表人|联系人|联系电话|负责人|单位负责人|财务负责人|审核人|注[:：]|说明[:：])"
)


def is_footer(text: str) -> bool:
    return bool(_FOOTER.match(squash_spaces(nfkc(text))))
