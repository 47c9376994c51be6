"""Scoring policies as data: ``catalog/scoring/<name>.yaml`` or a user's copy of one.

A policy holds every choice the self-evaluation method leaves open (weights, the lower-is-better
strategy, tier bands and their default points, the overshoot factor, the 预算执行率 cap, grade bands,
rounding). :func:`load_policy` reads and validates one; a bad file raises :class:`PolicyError` whose
diagnostics (IND409) point at the line of the offending key.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indicators import resources, yamlio
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.errors import PolicyError
from indicators.inputs import InputError, read_text
from indicators.text import normalize_name, split_category

ROUNDING_MODES: dict[str, str] = {
    "ROUND_HALF_UP": ROUND_HALF_UP,
    "ROUND_HALF_EVEN": ROUND_HALF_EVEN,
    "ROUND_DOWN": ROUND_DOWN,
    "ROUND_UP": ROUND_UP,
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Level1Share(_Frozen):
    """The share of one 一级指标; ``members`` are further level-1 names counted in the same share."""

    name: str
    weight: Decimal = Field(ge=0)
    members: tuple[str, ...] = ()
    source: str | None = None

    def names(self) -> tuple[str, ...]:
        return tuple(normalize_name(n) for n in (self.name, *self.members))


class Level3Weights(_Frozen):
    """How each level-3 row gets its weight (分值), and whether a level-1 share printed on the form
    (``产出指标(70分)``) replaces the policy's."""

    level1_from_form: bool = True
    from_form: bool = True
    split: Literal["even"] = "even"
    remainder: Literal["first", "last"] = "first"
    places: int = Field(default=2, ge=0, le=6)
    source: str | None = None


class Quantitative(_Frozen):
    """Rules for 定量 rows."""

    cap: bool = True
    negative_actual_as_zero: bool = True
    lower_is_better: Literal["linear_to_zero_at_double", "target_over_actual"] = "linear_to_zero_at_double"
    exact: Literal["as_higher", "symmetric"] = "as_higher"
    source: str | None = None


TierKey = Literal["achieved", "partial", "not_achieved"]


class Tier(_Frozen):
    """One qualitative tier: the band ``[low, high]`` (or ``[low, high)``) as shares of the weight."""

    key: TierKey
    label: str
    #: words of this policy only, before the shared vocabulary of catalog/completion.yaml
    words: tuple[str, ...] = ()
    low: Decimal = Field(ge=0, le=1)
    high: Decimal = Field(ge=0, le=1)
    high_inclusive: bool = False
    default: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> Tier:
        if self.low > self.high:
            raise ValueError(f"档“{self.label}”的下限 {self.low} 大于上限 {self.high}")
        if not self.contains(self.default):
            raise ValueError(f"档“{self.label}”的默认得分比例 {self.default} 不在区间 {self.band_text()} 内")
        return self

    def contains(self, share: Decimal) -> bool:
        if share < self.low:
            return False
        return share <= self.high if self.high_inclusive else share < self.high

    def band_text(self, weight: Decimal | None = None) -> str:
        """``[80%, 100%]`` or, with a weight, ``[4.00, 5.00]``."""
        close = "]" if self.high_inclusive else ")"
        if weight is None:
            return f"[{_pct(self.low)}, {_pct(self.high)}{close}"
        return f"[{_num(self.low * weight)}, {_num(self.high * weight)}{close}"


class Qualitative(_Frozen):
    tiers: tuple[Tier, ...]
    judged_met: Decimal = Field(default=Decimal(1), ge=0, le=1)
    judged_not_met: Decimal = Field(default=Decimal(0), ge=0, le=1)
    #: the tier a grade target missed by 1, 2, … levels falls into (the last applies further down);
    #: empty: a missed grade scores ``judged_not_met`` like any other judged target
    grade_shortfall: tuple[str, ...] = ("partial", "not_achieved")
    source: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Qualitative:
        keys = [t.key for t in self.tiers]
        if sorted(keys) != sorted({"achieved", "partial", "not_achieved"}):
            raise ValueError("qualitative.tiers 须恰好包含 achieved、partial、not_achieved 三档")
        unknown = [k for k in self.grade_shortfall if k not in keys]
        if unknown:
            raise ValueError(f"qualitative.grade_shortfall 中的档次 {unknown} 不存在")
        seen: dict[str, str] = {}
        for tier in self.tiers:
            for word in tier.words:
                key = normalize_name(word, drop_suffix=False)
                if key in seen and seen[key] != tier.key:
                    raise ValueError(f"词语“{word}”同时出现在两个档中")
                seen[key] = tier.key
        return self

    def tier(self, key: str) -> Tier:
        for tier in self.tiers:
            if tier.key == key:
                return tier
        raise KeyError(key)

    def tier_for_word(self, text: str) -> Tier | None:
        """The tier a completion word (``达成``, ``已完成``, ``部分达成预期指标``, ``进行中``) names, if any.

        The words are the one vocabulary of ``catalog/completion.yaml``, shared with the target language
        (``indicators target check`` reads them the same way). A policy's own ``words`` come first: a
        local policy may add a word or move one to another tier."""
        from indicators.target.vocabulary import completion_tier

        key = normalize_name(text, drop_suffix=False).rstrip("。.")
        for tier in self.tiers:
            if any(normalize_name(w, drop_suffix=False) == key for w in tier.words):
                return tier
        shared = completion_tier(text)
        return self.tier(shared.value) if shared is not None else None


class Overshoot(_Frozen):
    """An actual far above its target needs a reason; optionally the score is reduced (a target set
    obviously low): ``deduct_rate`` × (actual ÷ target − 1) of the weight, at most ``deduct_max``."""

    factor: Decimal = Field(default=Decimal("1.3"), gt=1)
    zero_target_threshold: Decimal | None = Field(default=Decimal(30), gt=0)
    deduct_rate: Decimal = Field(default=Decimal(0), ge=0)
    deduct_max: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    source: str | None = None


class Deviation(_Frozen):
    """When a 偏差原因 is required: a shortfall (any line below its full weight), and an overshoot
    (``overshoot.factor``)."""

    shortfall_needs_reason: bool = True
    overshoot_needs_reason: bool = True
    source: str | None = None


class BudgetRule(_Frozen):
    """The 预算执行率 line: executed ÷ budget × weight, the rate capped at ``cap`` when set."""

    label: str = "预算执行率"
    weight: Decimal = Field(default=Decimal(10), ge=0)
    cap: Decimal | None = Field(default=Decimal(1), gt=0)
    #: the budget the rate is taken on: adjusted (全年预算数 / 调整后预算数) or initial (年初预算数)
    denominator: Literal["adjusted", "initial"] = "adjusted"
    #: a rate below this needs a 偏差原因 (四川: 90%); None: no such rule
    reason_below: Decimal | None = Field(default=None, gt=0, le=1)
    source: str | None = None


class GradeBand(_Frozen):
    grade: str
    min: Decimal = Field(ge=0)


class Rounding(_Frozen):
    places: int = Field(default=2, ge=0, le=6)
    mode: Literal["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP"] = "ROUND_HALF_UP"
    source: str | None = None

    @property
    def exponent(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def apply(self, value: Decimal) -> Decimal:
        """The one rounding step of scoring: ``value`` to ``places`` decimals with ``mode``."""
        return value.quantize(self.exponent, rounding=ROUNDING_MODES[self.mode])


class Policy(_Frozen):
    """A whole scoring policy (see ``catalog/scoring/project-2020.yaml`` and ``docs/scoring.md``)."""

    schema_version: Literal[1] = Field(default=1, description="the version of this JSON shape (docs/api.md)")
    name: str
    title: str | None = None
    #: the forms the policy is written for (project 项目支出, department 部门整体支出); None: any
    form_type: Literal["project", "department"] | None = None
    total: Decimal = Field(default=Decimal(100), gt=0)
    #: grade a total whose weights add up to less (or more) than ``total`` on the total rescaled to it
    rescale: bool = True
    level1: tuple[Level1Share, ...]
    level3_weights: Level3Weights = Level3Weights()
    quantitative: Quantitative = Quantitative()
    qualitative: Qualitative
    overshoot: Overshoot = Overshoot()
    deviation: Deviation = Deviation()
    budget_execution: BudgetRule = BudgetRule()
    grades: tuple[GradeBand, ...]
    grades_source: str | None = None
    rounding: Rounding = Rounding()

    @model_validator(mode="after")
    def _check(self) -> Policy:
        weights = sum((s.weight for s in self.level1), Decimal(0)) + self.budget_execution.weight
        if weights != self.total:
            raise ValueError(f"一级指标分值与预算执行率分值合计为 {weights}，与 total {self.total} 不符")
        keys = [k for s in self.level1 for k in s.names()]
        if len(keys) != len(set(keys)):
            raise ValueError("level1 中有重复的一级指标名称")
        if not self.grades:
            raise ValueError("grades 不能为空")
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("grades 须按 min 从高到低排列且互不相同")
        if mins[-1] != 0:
            raise ValueError("最后一个等级的 min 须为 0，使任何总分都有等级")
        return self

    def share_for(self, level1: str) -> Level1Share | None:
        """The level-1 share a form's level-1 text belongs to (compared with ``normalize_name``).

        A note written into the cell (``产出指标(50分)``, ``效益指标 30分)``) is ignored for the comparison.
        """
        key = normalize_name(split_category(level1).name)
        for share in self.level1:
            if key in share.names():
                return share
        return None

    def grade_for(self, total: Decimal) -> str:
        for band in self.grades:
            if total >= band.min:
                return band.grade
        return self.grades[-1].grade


def _pct(share: Decimal) -> str:
    return f"{_num(share * 100)}%"


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# --- loading -----------------------------------------------------------------------------------------


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    value = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        number = Decimal(value)
    except InvalidOperation:  # .inf, .nan: YAML floats that are no number
        number = Decimal("NaN")
    if not number.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"“{value}”不是有限的数值", node.start_mark)
    return number


#: safe YAML loading in which every real number becomes an exact Decimal (never a float)
_DECIMAL = yamlio.loaders({"tag:yaml.org,2002:float": _construct_decimal})


#: names kept for earlier callers, and the policy each one means
ALIASES = {"default": "project-2020", "project": "project-2020"}
#: the shipped policy for each form type (Form.form_type)
BY_FORM_TYPE = {"project": "project-2020", "department": "department"}
_MAX_EXTENDS = 4


def available_policies() -> list[str]:
    """Names of the policies shipped in ``catalog/scoring``."""
    return [name.removesuffix(".yaml") for name, _ in resources.catalog_files("scoring")]


def policy_for(form_type: str) -> Policy:
    """The shipped policy for a form type: ``project`` → project-2020, ``department`` → department."""
    return load_policy(BY_FORM_TYPE.get(str(form_type), "project-2020"))


def load_policy(name_or_path: str = "default") -> Policy:
    """A shipped policy by name (``project-2020``, ``department``, ``reverse-ratio``; ``default`` is
    ``project-2020``) or a policy file by path.

    Raises :class:`PolicyError` (IND409, located at the offending line) for an unknown name, an
    unreadable file or an invalid policy.
    """
    looks_like_path = any(ch in name_or_path for ch in "/\\") or name_or_path.endswith((".yaml", ".yml"))
    if looks_like_path or Path(name_or_path).is_file():
        path = Path(name_or_path)
        try:
            text = read_text(path)[1].text  # the one input module: regular files only, any encoding
        except InputError as exc:
            raise PolicyError(
                diagnostic(
                    "IND409",
                    detail=f"无法读取“{name_or_path}”（{exc.reason}）",
                    location=Location(source=str(path)),
                )
            ) from exc
        return parse_policy(text, source=str(path))
    name = ALIASES.get(name_or_path, name_or_path)
    shipped = _shipped(name)
    if shipped is None:
        names = "、".join(available_policies()) or "（无）"
        raise PolicyError(
            diagnostic(
                "IND409",
                detail=f"没有名为“{name_or_path}”的评分规则",
                hint=f"可用的评分规则：{names}；或给出规则文件的路径",
            )
        )
    return parse_policy(shipped, source=f"catalog/scoring/{name}.yaml")


def _shipped(name: str) -> str | None:
    for file_name, text in resources.catalog_files("scoring"):
        if file_name == f"{name}.yaml":
            return text
    return None


def parse_policy(text: str, *, source: str | None = None) -> Policy:
    """Validate the YAML text of a policy. ``extends: NAME`` starts from a shipped policy: the file's
    mappings are merged into it key by key, and any other value (a list, a number) replaces it."""
    data = _load_mapping(text, source)
    try:
        data = _resolve_extends(data, source, depth=0)
        return Policy.model_validate(data)
    except ValidationError as exc:
        root = yamlio.compose(text, _DECIMAL)
        raise PolicyError(_validation_diagnostics(exc, root, source)) from exc


def _load_mapping(text: str, source: str | None) -> dict[str, Any]:
    try:
        data = yamlio.load(text, _DECIMAL)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = Location(source=source, row=mark.line + 1, column=mark.column + 1) if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(
            diagnostic("IND409", detail=f"YAML 格式错误：{problem}", location=location)
        ) from exc
    if not isinstance(data, dict):
        raise PolicyError(
            diagnostic(
                "IND409",
                detail="文件内容应为键值映射（name、level1、grades …）",
                location=Location(source=source, row=1, column=1),
            )
        )
    return data


def _resolve_extends(data: dict[str, Any], source: str | None, *, depth: int) -> dict[str, Any]:
    base = data.get("extends")
    if base is None:
        return data
    rest = {k: v for k, v in data.items() if k != "extends"}
    text = _shipped(ALIASES.get(str(base), str(base))) if isinstance(base, str) else None
    if text is None or depth >= _MAX_EXTENDS:
        why = "继承层次过深" if text is not None else f"没有名为“{base}”的评分规则"
        raise PolicyError(
            diagnostic(
                "IND409",
                detail=f"extends：{why}",
                location=Location(source=source),
                hint=f"可继承的评分规则：{'、'.join(available_policies())}",
            )
        )
    parent = _resolve_extends(_load_mapping(text, f"catalog/scoring/{base}.yaml"), source, depth=depth + 1)
    return _merge(parent, rest)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        out[key] = _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


def _validation_diagnostics(
    exc: ValidationError, root: yaml.Node | None, source: str | None
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for error in exc.errors():
        path = [p for p in error["loc"] if isinstance(p, str | int)]
        where = ".".join(str(p) for p in path) or "（文件）"
        message = str(error["msg"]).removeprefix("Value error, ")
        line, column = _locate(root, path)
        location = Location(source=source, row=line, column=column) if line else Location(source=source)
        out.append(
            diagnostic(
                "IND409",
                detail=f"{where}：{message}",
                location=location,
                data={"path": [str(p) for p in path]},
            )
        )
    return out


def _locate(node: yaml.Node | None, path: list[str | int]) -> tuple[int | None, int | None]:
    """The 1-based line and column of the deepest YAML node along ``path``."""
    if node is None:
        return None, None
    best = node
    for part in path:
        child: Any = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if getattr(key, "value", None) == part:
                    child = value
                    best = key
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            best = child
        if child is None:
            break
        node = child
    return best.start_mark.line + 1, best.start_mark.column + 1
