"""Grade scales (等级序列) from ``catalog/grades.yaml``.

A scale lists its levels best first, with abbreviations resolved by scale (``优`` is 优秀 on the
优秀/良好/合格/不合格 scale). ``良以上`` on a scale accepts every level ranked at or above 良.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indicators import resources, yamlio
from indicators.codes import diagnostic
from indicators.errors import CatalogError


class GradeScale(BaseModel):
    """One ordered scale of grade words, best first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    levels: tuple[str, ...] = Field(min_length=2)
    abbreviations: dict[str, str] = Field(default_factory=dict)
    passing: str | None = None

    @model_validator(mode="after")
    def _check(self) -> GradeScale:
        if len(set(self.levels)) != len(self.levels):
            raise ValueError(f"scale {self.name}: a level is listed twice")
        for short, level in self.abbreviations.items():
            if level not in self.levels:
                raise ValueError(f"scale {self.name}: abbreviation {short} names unknown level {level}")
        if self.passing is not None and self.passing not in self.levels:
            raise ValueError(f"scale {self.name}: passing level {self.passing} is not a level")
        return self

    def resolve(self, word: str) -> str | None:
        """The level a word names on this scale (the level itself or an abbreviation), else None."""
        word = word.strip()
        if word in self.levels:
            return word
        return self.abbreviations.get(word)

    def rank(self, level: str) -> int:
        """0 for the best level; larger is worse. Raises ValueError for a word not on the scale."""
        resolved = self.resolve(level)
        if resolved is None:
            raise ValueError(f"{level} is not on scale {self.name}")
        return self.levels.index(resolved)

    def at_least(self, level: str, minimum: str) -> bool:
        """True when ``level`` is ``minimum`` or better."""
        return self.rank(level) <= self.rank(minimum)

    @property
    def words(self) -> tuple[str, ...]:
        return self.levels + tuple(self.abbreviations)

    @property
    def label(self) -> str:
        return "/".join(self.levels)


class _GradeFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    scales: tuple[GradeScale, ...] = Field(min_length=1)


def load_scales(text: str) -> dict[str, GradeScale]:
    """Scales from the text of a grades file; raises CatalogError (IND401) when it is invalid."""
    try:
        raw: Any = yamlio.safe_load(text)
        parsed = _GradeFile.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CatalogError(diagnostic("IND401", detail=f"grades.yaml: {exc}")) from exc
    names = [s.name for s in parsed.scales]
    if len(set(names)) != len(names):
        raise CatalogError(diagnostic("IND401", detail="grades.yaml: two scales share a name"))
    return {s.name: s for s in parsed.scales}


@cache
def grade_scales() -> dict[str, GradeScale]:
    """Every scale of ``catalog/grades.yaml`` by name, in file order (read once per process)."""
    return load_scales(resources.catalog_text("grades.yaml"))


@cache
def grade_words() -> tuple[str, ...]:
    """Every level and abbreviation of every scale, longest first."""
    words = {w for s in grade_scales().values() for w in s.words}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def resolve_grade(word: str, *, scale: str | None = None) -> tuple[GradeScale, str] | None:
    """``(scale, level)`` for a grade word, or None.

    A level written in full wins over an abbreviation; among scales, file order decides (so ``优`` is
    the level 优 of 优/良/中/差, and ``合格`` the level 合格 of 优秀/良好/合格/不合格). With ``scale`` the
    word is resolved on that scale only.
    """
    scales = grade_scales()
    if scale is not None:
        chosen = scales.get(scale)
        level = chosen.resolve(word) if chosen else None
        return (chosen, level) if chosen is not None and level is not None else None
    word = word.strip()
    for s in scales.values():
        if word in s.levels:
            return s, word
    for s in scales.values():
        if word in s.abbreviations:
            return s, s.abbreviations[word]
    return None


def common_scale(target_scale: str, target_word: str, actual_word: str) -> tuple[GradeScale, str, str] | None:
    """A scale on which both words resolve: the target's own scale first, then file order.

    Returns ``(scale, target_level, actual_level)`` or None when no scale holds both words.
    """
    scales = grade_scales()
    order = [scales[target_scale]] if target_scale in scales else []
    order += [s for s in scales.values() if s.name != target_scale]
    for s in order:
        t, a = s.resolve(target_word), s.resolve(actual_word)
        if t is not None and a is not None:
            return s, t, a
    return None


_LIST_SEPARATORS = re.compile(r"[/、,，|;；\\]+")


def listed_levels(text: str) -> tuple[GradeScale, tuple[str, ...]] | None:
    """A scale and the levels a text lists one by one instead of naming one level, or None.

    ``优良中差``, ``优/良/中/差``, ``优秀、良好、合格、不合格``, ``A/B/C/D``, ``优良中``: three or more levels
    of one scale, each once, in the scale's order (best first or worst first); two levels when they are
    separated (``合格/不合格``). ``优良`` (two levels run together) is not taken here: the grammar reads it
    as the target 良 or better."""
    parts = [p for p in _LIST_SEPARATORS.split(text.strip()) if p]
    for scale in grade_scales().values():
        words = parts if len(parts) > 1 else _segment(text.strip(), scale)
        if words is None or len(words) < (2 if len(parts) > 1 else 3):
            continue
        levels = [scale.resolve(w) for w in words]
        if any(level is None for level in levels) or len(set(levels)) != len(levels):
            continue
        found = tuple(level for level in levels if level is not None)
        ranks = [scale.rank(level) for level in found]
        if ranks in (sorted(ranks), sorted(ranks, reverse=True)):
            return scale, found
    return None


def _segment(text: str, scale: GradeScale) -> list[str] | None:
    """``优秀良好合格不合格`` → its levels, longest level first at each step; None if a rest is left."""
    levels = sorted(scale.levels, key=len, reverse=True)
    out: list[str] = []
    rest = text
    while rest:
        word = next((level for level in levels if rest.startswith(level)), None)
        if word is None:
            return None
        out.append(word)
        rest = rest[len(word):]
    return out
