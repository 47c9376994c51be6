"""Checks of a loaded catalog, each finding located at the entry's line in its YAML file.

- codes are unique across the sets of one catalog directory (IND402; a later directory overriding a
  code is layering, not a duplicate);
- level-1 names are known (IND408) and level-2 names are allowed under their level-1 (IND406, IND415);
- every formula parses (IND403) and every default target parses (IND404);
- formula, unit and target agree (IND405), and the declared kind matches the formula's (IND413, info);
- grade scales exist (IND412); rules refer to fields and inputs that exist (IND407) and to grades on
  their scale (IND411).

The formula and target languages are imported here, lazily, so that loading and looking up entries
never pays for building their parsers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from indicators.catalog.loader import Origin
from indicators.catalog.models import RULE_BASELINES, RULE_FIELDS, Entry, KeepOrImproveRule
from indicators.catalog.rules import read_grade, resolve_level
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import CatalogError, IndicatorsError

if TYPE_CHECKING:
    from indicators.catalog.registry import Catalog


def validate_catalog(catalog: Catalog, *, layer: int | None = None) -> list[Diagnostic]:
    """Reading errors first, then duplicate codes, then each entry in reading order.

    ``layer`` keeps to one catalog directory (an index into ``catalog.layers``); None checks them all.
    """
    if layer is None:
        out: list[Diagnostic] = list(catalog.load_diagnostics)
    else:
        out = list(catalog.layers[layer].diagnostics)
    records = [(e, o) for e, o in catalog.records if layer is None or o.layer == layer]
    out.extend(_duplicates(records))
    out.extend(_shared_names(catalog, layer))
    scales: dict[str, tuple[str, ...]] | None
    try:
        scales = _grade_scale_names()
    except CatalogError as exc:  # grades.yaml itself is invalid: report it, check the rest
        if layer in (None, 0):  # grades.yaml is part of the bundled catalog
            out.extend(exc.diagnostics)
        scales = None
    for entry, origin in records:
        out.extend(check_entry(catalog, entry, origin, grade_scales=scales))
    return out


def _duplicates(records: Sequence[tuple[Entry, Origin]]) -> list[Diagnostic]:
    out = []
    seen: dict[tuple[int, str], Origin] = {}
    for entry, origin in records:
        key = (origin.layer, entry.code)
        first = seen.get(key)
        if first is None:
            seen[key] = origin
            continue
        out.append(
            diagnostic(
                "IND402",
                code=entry.code,
                location=origin.location("code"),
                indicator=entry.name,
                data={"first": f"{first.source}:{first.line}"},
                hint=f"已在 {first.source} 第 {first.line} 行使用；每个指标编码在所有指标集中必须唯一",
            )
        )
    return out


def _shared_names(catalog: Catalog, layer: int | None) -> list[Diagnostic]:
    """IND417: entries in effect of different codes with the same name or alias (after normalisation).

    Lookups by name then find the entry read last; when both mean one indicator, the later one should
    use the earlier one's code so that it overrides it.
    """
    from indicators.text import normalize_name

    out = []
    owner: dict[str, Entry] = {}
    for entry in catalog:
        origin = catalog.origin(entry.code)
        for key, word in ((normalize_name(w), w) for w in dict.fromkeys((entry.name, *entry.aliases))):
            first = owner.setdefault(key, entry)
            if first.code == entry.code or origin is None or (layer is not None and origin.layer != layer):
                continue
            out.append(
                diagnostic(
                    "IND417",
                    code=entry.code,
                    name=word,
                    other=first.code,
                    location=origin.location("name" if word == entry.name else "aliases"),
                    indicator=entry.name,
                    hint=f"按名称查找时得到后读入的“{entry.code}”；若是同一指标，请改用编码“{first.code}”覆盖它",
                )
            )
    return out


def check_entry(
    catalog: Catalog,
    entry: Entry,
    origin: Origin,
    *,
    grade_scales: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Diagnostic]:
    """All checks of one entry."""
    out: list[Diagnostic] = []
    out.extend(_categories(catalog, entry, origin))
    formula = _formula(entry, origin, out)
    target = _target(entry, origin, out)
    _units(entry, origin, formula, target, out)
    if entry.grade_scale is not None and grade_scales is not None and entry.grade_scale not in grade_scales:
        out.append(
            diagnostic(
                "IND412",
                code=entry.code,
                scale=entry.grade_scale,
                location=origin.location("grade_scale"),
                indicator=entry.name,
            )
        )
    levels = grade_scales.get(entry.grade_scale) if grade_scales and entry.grade_scale else None
    for rule in entry.rules:
        out.extend(_rule(entry, rule, origin, levels))
    return out


def _categories(catalog: Catalog, entry: Entry, origin: Origin) -> list[Diagnostic]:
    tax = catalog.taxonomy
    if tax.canonical_level1(entry.level1) is None:
        return [
            diagnostic(
                "IND408",
                level1=entry.level1,
                location=origin.location("level1"),
                indicator=entry.name,
                hint=f"一级指标应为：{'、'.join(r.name for r in tax.records)}",
            )
        ]
    if tax.allowed(entry.level1, entry.level2):
        return []
    parents = tax.parents_of(entry.level2)
    allowed = f"{entry.level1}下可用：{'、'.join(tax.level2_names(entry.level1))}"
    return [
        diagnostic(
            "IND406" if parents else "IND415",
            level1=entry.level1,
            level2=entry.level2,
            location=origin.location("level2"),
            indicator=entry.name,
            hint=f"“{entry.level2}”属于{'、'.join(parents)}；{allowed}" if parents else allowed,
        )
    ]


def _formula(entry: Entry, origin: Origin, out: list[Diagnostic]) -> Any:
    if entry.formula is None:
        return None
    from indicators.formula import parse_formula

    try:
        formula = parse_formula(entry.formula)
    except IndicatorsError as exc:
        out.append(_unparseable("IND403", "formula", entry.formula, exc, entry, origin))
        return None
    for warning in formula.warnings:
        out.append(warning.with_location(origin.location("formula"), indicator=entry.name))
    inferred = formula.kind
    if inferred != entry.kind:
        out.append(
            diagnostic(
                "IND413",
                code=entry.code,
                declared=entry.kind.label,
                inferred=inferred.label,
                location=origin.location("kind"),
                indicator=entry.name,
            )
        )
    return formula


def _target(entry: Entry, origin: Origin, out: list[Diagnostic]) -> Any:
    if entry.target is None:
        return None
    from indicators.target import parse_target

    try:
        return parse_target(entry.target, unit=entry.unit, level1=entry.level1, level2=entry.level2)
    except IndicatorsError as exc:
        out.append(_unparseable("IND404", "target", entry.target, exc, entry, origin))
        return None


def _unparseable(
    code: str, key: str, text: str, exc: IndicatorsError, entry: Entry, origin: Origin
) -> Diagnostic:
    """IND403/IND404: the field's text does not parse; the language's first diagnostic gives the why."""
    first = exc.diagnostics[0] if exc.diagnostics else None
    return diagnostic(
        code,
        code=entry.code,
        detail=first.message if first else str(exc),
        location=origin.location(key),
        indicator=entry.name,
        text=text,
        span=first.span if first else None,
        data={"cause": first.code} if first else {},
    )


def _units(entry: Entry, origin: Origin, formula: Any, target: Any, out: list[Diagnostic]) -> None:
    if formula is not None and formula.unit is not None and entry.unit != formula.unit:
        out.append(
            diagnostic(
                "IND405",
                code=entry.code,
                detail=f"公式的单位为“{formula.unit}”，计量单位为“{entry.unit or '（无）'}”",
                location=origin.location("unit" if entry.unit else "formula"),
                indicator=entry.name,
            )
        )
    if target is None:
        return
    from indicators.target import compatible

    result = compatible(entry.kind, entry.unit, target)
    if not result.ok:
        out.append(
            diagnostic(
                "IND405",
                code=entry.code,
                detail=result.reason or f"指标值“{entry.target}”与{entry.kind.label}类指标不相容",
                location=origin.location("target"),
                indicator=entry.name,
            )
        )


def _rule(
    entry: Entry, rule: KeepOrImproveRule, origin: Origin, levels: tuple[str, ...] | None
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    where = origin.location("rules")
    about: dict[str, Any] = {"code": entry.code, "indicator": entry.name}

    def off_scale(level: str, scale: tuple[str, ...], key: str = "rules") -> Diagnostic:
        where = origin.location(key)
        return diagnostic("IND411", level=level, scale="、".join(scale), location=where, **about)

    if levels is not None:  # the rule's grades must be those of the entry's grade scale
        out.extend(off_scale(level, levels) for level in rule.scale if level not in levels)
    if rule.field not in RULE_FIELDS or rule.field not in Entry.model_fields:
        out.append(diagnostic("IND407", field=rule.field, location=where, **about))
    if rule.baseline not in RULE_BASELINES:
        hint = f"可比较的基期字段：{'、'.join(RULE_BASELINES)}"
        out.append(diagnostic("IND407", field=rule.baseline, location=where, hint=hint, **about))
    if resolve_level(rule.threshold, rule.scale) is None:
        out.append(off_scale(rule.threshold, rule.scale))
    if rule.field == "target" and entry.target is not None and read_grade(entry.target, rule.scale) is None:
        out.append(off_scale(entry.target, rule.scale, "target"))
    return out


def _grade_scale_names() -> dict[str, tuple[str, ...]]:
    """The levels of each grade scale in catalog/grades.yaml, by scale name."""
    from indicators.target.grades import grade_scales

    return {name: scale.levels for name, scale in grade_scales().items()}
