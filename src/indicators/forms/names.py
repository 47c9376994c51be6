"""The words a form uses for its blocks, its columns and its categories, in one place.

* :data:`FALLBACK_TAXONOMY` is the national level-1 → level-2 frame (财预〔2021〕101号 plus the older
  categories many local templates keep). Realignment uses the catalog's taxonomy when the catalog
  package can be loaded, and this list otherwise; it is used only to *recognise* category names.
* :func:`column_role` maps a header cell of the indicator table to a :class:`Role`.
* :func:`block_of` maps the label in the first column of the upper part of a form to a block.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Protocol

from indicators.text import nfkc, normalize_name, squash_spaces, strip_quotes

_SCORE_NOTE = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")


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


def category_key(name: str) -> str:
    """Comparison key of a category name: ``产 出 指 标（50分）`` → ``产出``; ``…指标等`` → ``…``."""
    text = _SCORE_NOTE.sub("", nfkc(name).strip())
    key = normalize_name(text)
    if key.endswith("指标等"):
        key = key[: -len("指标等")]
    return key


def looks_like_category(text: str) -> bool:
    """Category cells end in 指标 (``产出指标``, ``服务对象满意度指标等``, ``效益指标(30分)``)."""
    squashed = strip_quotes(squash_spaces(_SCORE_NOTE.sub("", nfkc(text).strip())))
    return squashed.endswith(("指标", "指标等")) and len(squashed) > 2


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

    LEVEL1 = "level1"
    LEVEL2 = "level2"
    LEVEL3 = "level3"
    FORMULA = "formula"
    PERIOD = "period_target"
    TARGET = "target"
    UNIT = "unit"
    OPERATOR = "operator"
    WEIGHT = "weight"
    ACTUAL = "actual"
    SCORE = "score"
    REMARK = "remark"

    @property
    def label(self) -> str:
        """The Chinese column name used in messages."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.LEVEL1: "一级指标栏",
    Role.LEVEL2: "二级指标栏",
    Role.LEVEL3: "三级指标栏",
    Role.FORMULA: "计算公式栏",
    Role.PERIOD: "实施周期指标值栏",
    Role.TARGET: "年度指标值栏",
    Role.UNIT: "计量单位栏",
    Role.OPERATOR: "指标性质栏",
    Role.WEIGHT: "分值栏",
    Role.ACTUAL: "实际完成值栏",
    Role.SCORE: "得分栏",
    Role.REMARK: "备注栏",
}

#: the indicator columns realignment may move text between, in their natural order
CORE_ROLES = (Role.LEVEL1, Role.LEVEL2, Role.LEVEL3, Role.FORMULA, Role.PERIOD, Role.TARGET)


def _key(text: str) -> str:
    """Header key: NFKC, no spaces or quotes, no final bracketed note (``资金（万元）`` → ``资金``)."""
    key = strip_quotes(squash_spaces(nfkc(text)))
    return re.sub(r"\([^)]*\)$", "", key)


def column_role(text: str) -> Role | None:
    """The role of a header cell of the indicator table, or None for an unknown header."""
    key = _key(text)
    if not key:
        return None
    exact = {
        "一级指标": Role.LEVEL1,
        "一级": Role.LEVEL1,
        "二级指标": Role.LEVEL2,
        "二级": Role.LEVEL2,
        "三级指标": Role.LEVEL3,
        "三级": Role.LEVEL3,
        "三级指标名称": Role.LEVEL3,
        "指标名称": Role.LEVEL3,
        "指标内容": Role.LEVEL3,
        "绩效指标名称": Role.LEVEL3,
        "具体指标": Role.LEVEL3,
        "分值": Role.WEIGHT,
        "权重": Role.WEIGHT,
        "指标分值": Role.WEIGHT,
        "得分": Role.SCORE,
        "自评得分": Role.SCORE,
        "计量单位": Role.UNIT,
        "度量单位": Role.UNIT,
        "单位": Role.UNIT,
        "指标性质": Role.OPERATOR,
        "运算符号": Role.OPERATOR,
        "比较符": Role.OPERATOR,
        "年度目标": Role.TARGET,
        "预期目标": Role.TARGET,
        "计划值": Role.TARGET,
        "标准值": Role.TARGET,
    }
    if key in exact:
        return exact[key]
    if any(w in key for w in ("公式", "指标解释", "指标说明", "指标定义", "计算方法", "计算方式")):
        return Role.FORMULA
    if "实施周期" in key or "中期" in key:
        return Role.PERIOD
    if "实际" in key or "完成值" in key:
        return Role.ACTUAL
    if "指标值" in key or "目标值" in key:
        return Role.TARGET
    if "备注" in key or "原因" in key:
        return Role.REMARK
    return None


def is_header_row(texts: list[str]) -> bool:
    """A row of the indicator table's header: it names the 三级指标 column and one more indicator column."""
    roles = [column_role(t) for t in texts]
    return Role.LEVEL3 in roles and any(r in roles for r in (Role.LEVEL1, Role.LEVEL2, Role.TARGET))


class Block(StrEnum):
    """The blocks above the indicator table of a 部门整体 declaration form."""

    DEPARTMENT = "department"
    BUDGET = "budget"
    GOAL = "goal"
    TASKS = "tasks"
    OTHER_TASKS = "other_tasks"


def block_of(text: str) -> Block | None:
    """The block a first-column label opens, or None."""
    key = _key(text)
    if key in {"部门名称", "单位名称", "部门(单位)名称", "预算部门", "预算单位", "部门"}:
        return Block.DEPARTMENT
    if key.startswith("预算整体情况") or key in {"预算情况", "资金情况", "部门预算情况"}:
        return Block.BUDGET
    if key in {"总体绩效目标", "总体目标", "年度总体目标", "整体绩效目标"}:
        return Block.GOAL
    if key.endswith("重点工作任务"):
        return Block.TASKS
    if key.startswith("其他需完成的任务") or key.startswith("其他任务"):
        return Block.OTHER_TASKS
    return None


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
