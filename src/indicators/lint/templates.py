"""Form templates (``catalog/templates/*.yaml``): which categories a form made from a template must list.

Required categories are a property of a template, not of the taxonomy: the common 项目支出 template of
财预〔2021〕101号 requires the four level-1 categories and leaves their level-2 categories to the project;
the common 部门整体 template requires 产出, 效益 and 满意度; a district's template may print every level-2
category (the bundled ``xiaoguwei`` template, the seed's). The form type picks the template of its name
(:func:`template_for`); a configuration or ``--template`` may name another one, or a file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indicators import resources, yamlio
from indicators.codes import diagnostic
from indicators.errors import IndicatorsError
from indicators.forms.model import FormType


class TemplateError(IndicatorsError, ValueError):
    """A template name that is not known, or a template file that cannot be read (IND641)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TemplateCategory(_Frozen):
    """A level-1 category the template prints, and the level-2 categories it prints under it."""

    level1: str
    required: bool = Field(default=True, description="a form made from the template lists it")
    level2: tuple[str, ...] = Field(default=(), description="the level-2 categories a form must list")


class Template(_Frozen):
    """One template: its name, title, the form type it is for, its source and its categories."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str
    form_type: FormType
    source: str
    categories: tuple[TemplateCategory, ...]

    def required_level1(self) -> tuple[str, ...]:
        return tuple(c.level1 for c in self.categories if c.required)

    def required_level2(self, level1: str) -> tuple[str, ...]:
        return next((c.level2 for c in self.categories if c.level1 == level1), ())


def _fail(detail: str) -> TemplateError:
    return TemplateError(diagnostic("IND641", detail=detail))


def parse_template(text: str, *, source: str) -> Template:
    """A template from YAML text; :class:`TemplateError` (IND641) when it is not one."""
    try:
        raw: Any = yamlio.safe_load(text)
        return Template.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise _fail(f"模板文件 {source} 格式有误：{exc}") from exc


@cache
def bundled_templates() -> dict[str, Template]:
    """The templates shipped in ``catalog/templates``, by name."""
    out: dict[str, Template] = {}
    for name, text in resources.catalog_files("templates"):
        template = parse_template(text, source=f"catalog/templates/{name}")
        out[template.name] = template
    return out


def template_for(form_type: FormType) -> Template:
    """The bundled template of a form type, by its name (部门整体 → department, 项目支出 → project)."""
    return bundled_templates()[form_type.value]


def load_template(name_or_path: str) -> Template:
    """A bundled template by name (``project``), or a template file (``my-template.yaml``)."""
    bundled = bundled_templates()
    if name_or_path in bundled:
        return bundled[name_or_path]
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise _fail(f"模板文件“{name_or_path}”不存在")
        from indicators.inputs import InputError, decode, read_bytes

        try:
            raw = read_bytes(path)
            text = decode(raw.data, source=raw.name).text
        except InputError as exc:
            raise _fail(f"模板文件“{name_or_path}”无法读取：{exc.reason}") from exc
        return parse_template(text, source=name_or_path)
    known = "、".join(sorted(bundled))
    raise _fail(f"未知模板“{name_or_path}”（内置模板：{known}；或给出 .yaml 模板文件）")
