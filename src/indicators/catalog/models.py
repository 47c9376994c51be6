"""The catalog's data model: what a reviewed YAML file may say, checked by pydantic.

A catalog is a directory with ``taxonomy.yaml`` (level-1 → level-2 categories) and ``sets/*.yaml``
(indicator sets, one entry per level-3 indicator). The models below are the single definition of both
formats; ``docs/catalog.schema.json`` is generated from them by :func:`json_schema`.

Keys are English snake_case, values are Chinese as forms write them. Every model is frozen and
rejects unknown keys, so a misspelt key in a reviewed file is an error, not a silent default.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from indicators.formula.kinds import FormulaKind
from indicators.target.model import Direction

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=40)]
SetName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=40)]

#: entry fields a guidance rule may constrain
RULE_FIELDS = ("target",)
#: inputs a guidance rule may compare with
RULE_BASELINES = ("prior_grade",)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Confidence(StrEnum):
    """How well an entry's definition is sourced: confirmed, secondary, quoted, or assumed."""

    #: confirmed in the named source
    CONFIRMED = "C"
    #: secondary source only
    SECONDARY = "S"
    #: the official text as commonly quoted
    QUOTED = "M"
    #: not confirmed: an assumption, kept reviewable
    ASSUMED = "?"


class KeepOrImproveRule(_Frozen):
    """保持或提高: if last year's grade was ``threshold`` or better the target must keep it, else improve it.

    The form that states such a rule: “若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,
    则需提高”. ``scale`` lists the grades best first; a shorter word (``优`` for ``优秀``) matches the
    level it begins.
    """

    kind: Literal["keep_or_improve"] = "keep_or_improve"
    field: str = Field(default="target", description="the entry field the rule constrains")
    baseline: str = Field(default="prior_grade", description="the input compared with: last year's grade")
    threshold: Name = Field(description="the grade from which on the prior grade must be kept")
    scale: tuple[Name, ...] = Field(min_length=2, description="grades, best first")
    text: str | None = Field(default=None, description="the rule as the source words it")
    source: str | None = None


#: every kind of guidance rule; new kinds join this union, tagged by ``kind``
Rule = Annotated[KeepOrImproveRule, Field(discriminator="kind")]


class Entry(_Frozen):
    """One level-3 indicator of a set."""

    code: Code = Field(description="stable code, e.g. JD-CC-SL-001 (see docs/catalog.md)")
    set: str = Field(default="", description="the set the entry belongs to (filled in by the loader)")
    level1: Name = Field(description="一级指标, canonical name from taxonomy.yaml")
    level2: Name = Field(description="二级指标, canonical name from taxonomy.yaml")
    name: Name = Field(description="三级指标名称 as the source writes it")
    aliases: tuple[Name, ...] = Field(default=(), description="other names forms use for it")
    formula: str | None = Field(default=None, max_length=2000, description="计算公式 / 指标解释 text")
    unit: str | None = Field(default=None, max_length=20, description="计量单位 of the value, e.g. % or 人次")
    kind: FormulaKind
    direction: Direction = Direction.HIGHER
    target: str | None = Field(default=None, max_length=200, description="default 年度指标值")
    grade_scale: str | None = Field(default=None, description="name of a grade scale in catalog/grades.yaml")
    rules: tuple[Rule, ...] = Field(default=(), description="guidance rules for setting the target")
    source: str = Field(min_length=1, description="where the definition comes from")
    confidence: Confidence = Confidence.CONFIRMED
    formula_source: str | None = Field(
        default=None,
        min_length=1,
        description="where the formula comes from, when not from `source` (e.g. a conventional definition)",
    )
    formula_confidence: Confidence | None = Field(
        default=None, description="confidence of the formula when `formula_source` is given"
    )
    notes: tuple[str, ...] = Field(default=(), description="corrections, defects of the source, caveats")

    @model_validator(mode="after")
    def _formula_source_needs_a_formula(self) -> Entry:
        if self.formula_source is not None and not self.formula:
            raise ValueError("formula_source 只能与 formula 一起填写")
        if self.formula_confidence is not None and self.formula_source is None:
            raise ValueError("formula_confidence 只能与 formula_source 一起填写")
        return self


class SetFile(_Frozen):
    """``sets/<name>.yaml``: a named indicator set."""

    set: SetName = Field(description="set name, lower-case letters and hyphens, e.g. street-office")
    title: str = Field(min_length=1, description="Chinese title of the set")
    description: str | None = None
    source: str | None = Field(default=None, description="default source of the entries")
    entries: tuple[Entry, ...] = ()


class Level2(_Frozen):
    """A level-2 category (二级指标) allowed under its level-1."""

    name: Name
    synonyms: tuple[Name, ...] = ()
    required: bool = Field(default=False, description="a declared form must list it (it may stay empty)")
    source: str = Field(min_length=1)
    notes: tuple[str, ...] = ()


class Level1(_Frozen):
    """A level-1 category (一级指标) and its allowed level-2 categories."""

    name: Name
    synonyms: tuple[Name, ...] = ()
    framework: bool = Field(default=True, description="part of the national three-level frame")
    level2: tuple[Level2, ...] = Field(min_length=1)
    source: str = Field(min_length=1)
    notes: tuple[str, ...] = ()


class TaxonomyFile(_Frozen):
    """``taxonomy.yaml``."""

    version: Literal[1] = 1
    level1: tuple[Level1, ...] = Field(min_length=1)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of both catalog formats, as written to ``docs/catalog.schema.json``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "indicators catalog",
        "description": "catalog/taxonomy.yaml (TaxonomyFile) and catalog/sets/*.yaml (SetFile)",
        "oneOf": [{"$ref": "#/$defs/SetFile"}, {"$ref": "#/$defs/TaxonomyFile"}],
        "$defs": _merged_defs(SetFile, TaxonomyFile),
    }


def _merged_defs(*models: type[BaseModel]) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return dict(sorted(defs.items()))
