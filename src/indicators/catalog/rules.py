"""Guidance rules as data, checked against a form's target and last year's result.

The only rule kind so far is ``keep_or_improve`` (保持或提高): a form such as the seed states that if
last year's 评估结果 was 良好 or better this year's target must keep it, otherwise it must improve on
it. :func:`check_rules` reads the target (a grade such as ``优``, ``良好以上``, or the relative words
``保持`` / ``提升`` / ``保持/提升``) and the prior grade on the rule's own scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from indicators.catalog.models import Entry, KeepOrImproveRule
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.text import nfkc, normalize_name

#: words after a grade: "or better" (良好以上, 良好(含)以上) and the grade's own noun (优秀等级)
_SUFFIXES = ("(含)以上", "及以上", "或以上", "以上", "及更好", "或更好", "等级", "等次", "级别", "水平")
#: words before a grade that commit to it or better (不低于良好, 达到优秀, 保持优秀, 提升至良好)
_PREFIXES = (
    *("不低于", "不差于", "达到", "保持", "维持", "确保", "争取", "力争", "评为", "获评"),
    *("提升至", "提升到", "提高至", "提高到"),
)
_KEEP = {"保持", "持平", "维持"}
_IMPROVE = {"提升", "提高", "改善"}
_PUNCT = re.compile(r"[。.,，;；!！]+$")


@dataclass(frozen=True, slots=True)
class GradeWord:
    """A target read on a rule's scale: ``level`` is the 0-based index (0 = best) of the least grade
    the target commits to; ``relative`` is ``keep``, ``improve`` or ``keep_or_improve`` for the words
    保持/提升 that need last year's grade."""

    level: int | None
    relative: str | None = None


def resolve_level(word: str, scale: tuple[str, ...]) -> int | None:
    """The index of ``word`` on ``scale`` (best first): exact, or the unique level it begins (优 → 优秀)."""
    key = normalize_name(word, drop_suffix=False)
    if not key:
        return None
    keys = [normalize_name(level, drop_suffix=False) for level in scale]
    if key in keys:
        return keys.index(key)
    starts = [i for i, k in enumerate(keys) if k.startswith(key)]
    return starts[0] if len(starts) == 1 else None


def read_grade(text: str, scale: tuple[str, ...]) -> GradeWord | None:
    """A target text as a grade on ``scale`` or a relative word; None when it is neither."""
    key = _PUNCT.sub("", normalize_name(nfkc(text), drop_suffix=False))
    parts = {p for p in re.split(r"[/或和、]", key) if p}
    if parts and parts <= _KEEP | _IMPROVE:
        if parts & _KEEP and parts & _IMPROVE:
            return GradeWord(None, "keep_or_improve")
        return GradeWord(None, "keep" if parts & _KEEP else "improve")
    level = resolve_level(key, scale)
    if level is None:
        level = resolve_level(_bare_grade(key), scale)
    return GradeWord(level) if level is not None else None


def _bare_grade(key: str) -> str:
    """A grade word without the words around it: ``不低于良好等级`` → ``良好``."""
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                stripped = True
                break
    return key


def check_rules(
    entry: Entry, target_text: str | None, prior_value: str | None, *, location: Location | None = None
) -> list[Diagnostic]:
    """Check a form's target for ``entry`` against the entry's guidance rules, given last year's value.

    Returns an empty list when every rule holds; IND613 when a rule is broken; IND612 when the target
    or the prior value is not on the rule's scale; IND410 (info) when the prior value is missing; IND203
    when the target is empty. Never raises on bad input.
    """
    out: list[Diagnostic] = []
    for rule in entry.rules:
        out.extend(_keep_or_improve(entry, rule, target_text, prior_value, location))
    return out


def _keep_or_improve(
    entry: Entry,
    rule: KeepOrImproveRule,
    target_text: str | None,
    prior_value: str | None,
    location: Location | None,
) -> list[Diagnostic]:
    scale = rule.scale
    scale_text = "、".join(scale)
    common: dict[str, Any] = {"location": location, "indicator": entry.name}
    if target_text is None or not target_text.strip():
        return [diagnostic("IND203", **common)]
    target = read_grade(target_text, scale)
    if target is None:
        return [diagnostic("IND612", text=target_text, scale=scale_text, **common)]
    if prior_value is None or not prior_value.strip():
        return [diagnostic("IND410", code=entry.code, baseline="评估结果", **common)]
    prior = read_grade(prior_value, scale)
    if prior is None or prior.level is None:
        hint = "上年评估结果应为等级序列中的一个等级"
        off_scale = diagnostic("IND612", text=prior_value, scale=scale_text, hint=hint, **common)
        # the code's template speaks of the target; here the value off the scale is last year's result
        message = f"上年评估结果“{prior_value.strip()}”不在该指标的等级序列（{scale_text}）中"
        return [off_scale.model_copy(update={"message": message})]
    threshold = resolve_level(rule.threshold, scale)
    if threshold is None:  # the catalog's own data is wrong; validate() reports it as IND411
        return [diagnostic("IND411", code=entry.code, level=rule.threshold, scale=scale_text, **common)]
    p = prior.level
    must_keep = p <= threshold
    if target.relative is not None:
        # 保持 commits to last year's grade, 提升 to a better one, 保持/提升 to at least last year's
        # (保持/提升 leaves the choice open, so it counts only as keeping)
        least = p - 1 if target.relative == "improve" else p
    else:
        assert target.level is not None
        least = target.level
    ok = least <= p if must_keep else least < p
    if ok:
        return []
    prior_name = scale[p]
    if must_keep:
        detail = (
            f"上年评估结果为“{prior_name}”（{rule.threshold}及以上），本年指标值应保持该等级或更高，"
            f"“{target_text.strip()}”低于上年"
        )
        fix = prior_name
    else:
        detail = (
            f"上年评估结果为“{prior_name}”（低于{rule.threshold}），本年指标值应高于上年，"
            f"“{target_text.strip()}”未提高"
        )
        fix = scale[p - 1]
    return [
        diagnostic(
            "IND613",
            detail=detail,
            fix=fix,
            data={"code": entry.code, "prior": prior_name, "threshold": rule.threshold, "rule": rule.kind},
            **common,
        )
    ]
