"""The bodies of the JSON requests, and the service's own small answers (health, version, lists).

The answers of the engine's work are the library's documents (:mod:`indicators.documents`, the form,
the score sheet, the audit report); the requests below carry the same options as the commands.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from indicators.documents import SCHEMA_VERSION, SchemaVersion
from indicators.forms.model import Form


class _Request(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FormulaRequest(_Request):
    """``indicators formula parse TEXT``."""

    formula: str = Field(description="the formula text, e.g. 指标值=办结工单/呈办工单*100%",
                         examples=["指标值=办结工单/呈办工单*100%"])


class EvaluateRequest(FormulaRequest):
    """``indicators formula eval TEXT --var NAME=VALUE …``."""

    values: dict[str, str] = Field(default_factory=dict, description="variable name → value as written",
                                   examples=[{"办结工单": "290", "呈办工单": "300"}])
    places: int = Field(default=2, ge=0, le=20, strict=True, description="decimal places of `display`")


class TargetRequest(_Request):
    """``indicators target parse TEXT [--unit U] [--level1 L] [--level2 L] [--indicator NAME]``."""

    target: str = Field(description="the target (指标值) as written", examples=["95%以上"])
    unit: str | None = Field(default=None, description="the 计量单位 column: the unit of a bare number")
    level1: str | None = Field(default=None, description="一级指标: a bare number is ≥, or ≤ on 成本 rows")
    level2: str | None = Field(default=None, description="二级指标: 成本指标 (≤), 时效指标 (deadlines)")
    indicator: str | None = Field(default=None, description="三级指标: tells deadlines, periods and rates")


class TargetCheckRequest(TargetRequest):
    """``indicators target check TARGET ACTUAL [--baseline V] …``."""

    actual: str = Field(description="the actual value (实际完成值) as written", examples=["96.5%"])
    baseline: str | None = Field(default=None, description="the base value (e.g. last year's) of a relative "
                                 "target such as 较上年提高")


class ActualValue(_Request):
    """One indicator's actual value: named by its 三级指标 ``name`` or its catalog ``code``."""

    name: str | None = Field(default=None, description="三级指标 as the form writes it")
    code: str | None = Field(default=None, description="the catalog code, instead of the name")
    actual: str | None = Field(default=None, description="实际完成值 as written: 96.5%, 1,203人次, 优秀")
    variables: dict[str, str] | None = Field(
        default=None, description="the formula's variables instead of the value: {\"办结工单\": \"1180\"}"
    )
    score: str | None = Field(default=None, description="a chosen score (qualitative rows)")
    reason: str | None = Field(default=None, description="偏差原因分析及改进措施")


class BudgetFigures(_Request):
    """Budget execution figures in 万元 (``元`` may be written): ``1,234.56``, ``1234.56万元``."""

    total: str | None = Field(default=None, description="全年预算数")
    executed: str | None = Field(default=None, description="全年执行数")
    initial: str | None = Field(default=None, description="年初预算数")


class CheckFormRequest(_Request):
    """``indicators check`` of a form given as the JSON form model."""

    form: Form
    select: list[str] = Field(default_factory=list, description="rules to run: codes, prefixes, slugs")
    ignore: list[str] = Field(default_factory=list, description="rules not to report")
    template: Literal["department", "project"] | None = Field(
        default=None, description="the template of required categories (default: by the form's type)"
    )


class ScoreFormRequest(_Request):
    """``indicators score`` of a form given as the JSON form model, with its actual values."""

    form: Form
    actuals: list[ActualValue] = Field(default_factory=list, description="the actual values; may be empty "
                                       "for a 绩效自评表 that carries its own 实际完成值")
    budget: BudgetFigures | None = None
    policy: str | None = Field(default=None, description="a shipped policy name (GET /v1/policies); "
                               "default: by the form's type")


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Version(BaseModel):
    name: Literal["indicators"] = "indicators"
    version: str = Field(description="the package version")
    api: Literal["v1"] = "v1"
    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="the documents' shape version")


class PolicyNames(BaseModel):
    schema_version: SchemaVersion = SCHEMA_VERSION
    policies: list[str] = Field(description="names of the shipped scoring policies")
