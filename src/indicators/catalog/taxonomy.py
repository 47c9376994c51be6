"""The level-1 → level-2 categories (一级/二级指标) and the names forms use for them.

Every comparison goes through :func:`indicators.text.category_key` (full/half width, traditional
characters, spaces, quotes, a trailing ``指标``, a note such as ``产出指标(50分)`` or ``质量指标（必填）``);
a trailing ``指标等`` (``服务对象满意度指标等``) counts as ``指标``. Level-2 synonyms are
scoped to their level-1: ``成本指标`` under 成本指标 is 经济成本指标, under 产出指标 the older category
成本指标 itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from indicators.catalog.models import Level1, Level2, TaxonomyFile
from indicators.text import category_key

__all__ = ["Taxonomy", "category_key"]  # category_key: the one key of category names (indicators.text)


class Taxonomy:
    """Allowed categories, looked up by any of their names."""

    def __init__(self, level1: Iterable[Level1]) -> None:
        self._level1: dict[str, Level1] = {}
        for item in level1:
            self._level1[item.name] = item
        self._l1_keys: dict[str, str] = {}
        self._l2_keys: dict[str, dict[str, str]] = {}
        for item in self._level1.values():
            for word in (*item.synonyms, item.name):  # the canonical name wins a clash
                self._l1_keys[category_key(word)] = item.name
            keys: dict[str, str] = {}
            for l2 in item.level2:
                for word in l2.synonyms:
                    keys.setdefault(category_key(word), l2.name)
            for l2 in item.level2:
                keys[category_key(l2.name)] = l2.name
            self._l2_keys[item.name] = keys

    @classmethod
    def from_file(cls, data: TaxonomyFile) -> Taxonomy:
        return cls(data.level1)

    def layered(self, other: TaxonomyFile) -> Taxonomy:
        """A taxonomy with ``other`` layered over this one.

        A new level-1 is added. A level-1 of the same name is merged: its synonyms are the union, its
        level-2 records of the same name are replaced by ``other``'s and new ones appended, and its
        own ``source``, ``notes`` and ``framework`` come from ``other``. Nothing is ever removed, so
        the bundled entries stay valid under a user taxonomy.
        """
        merged = dict(self._level1)
        for item in other.level1:
            base = merged.get(item.name)
            if base is None:
                merged[item.name] = item
                continue
            level2 = {l2.name: l2 for l2 in base.level2}
            for l2 in item.level2:
                level2[l2.name] = l2
            synonyms = tuple(dict.fromkeys((*base.synonyms, *item.synonyms)))
            merged[item.name] = item.model_copy(
                update={"synonyms": synonyms, "level2": tuple(level2.values())}
            )
        return Taxonomy(merged.values())

    @property
    def level1_names(self) -> tuple[str, ...]:
        """Canonical level-1 names of the indicator frame (成本/产出/效益/满意度), in file order."""
        return tuple(name for name, item in self._level1.items() if item.framework)

    @property
    def records(self) -> tuple[Level1, ...]:
        """Every level-1 record, including those outside the frame (预算执行)."""
        return tuple(self._level1.values())

    def record(self, level1: str) -> Level1 | None:
        canonical = self.canonical_level1(level1)
        return self._level1[canonical] if canonical else None

    def canonical_level1(self, name: str) -> str | None:
        """The canonical level-1 name for any name a form uses, or None."""
        return self._l1_keys.get(category_key(name))

    def canonical_level2(self, level1: str, name: str) -> str | None:
        """The canonical level-2 name under ``level1`` (any of its names), or None if not allowed there."""
        canonical = self.canonical_level1(level1)
        if canonical is None:
            return None
        return self._l2_keys[canonical].get(category_key(name))

    def allowed(self, level1: str, level2: str) -> bool:
        """Whether ``level2`` is an allowed category under ``level1`` (any of their names)."""
        return self.canonical_level2(level1, level2) is not None

    def required_level2(self, level1: str) -> tuple[str, ...]:
        """Level-2 categories a declared form must list under ``level1`` (empty for unknown names)."""
        record = self.record(level1)
        return tuple(l2.name for l2 in record.level2 if l2.required) if record else ()

    def level2_names(self, level1: str) -> tuple[str, ...]:
        """All allowed level-2 categories under ``level1``."""
        record = self.record(level1)
        return tuple(l2.name for l2 in record.level2) if record else ()

    def level2_record(self, level1: str, level2: str) -> Level2 | None:
        record = self.record(level1)
        canonical = self.canonical_level2(level1, level2)
        if record is None or canonical is None:
            return None
        return next(l2 for l2 in record.level2 if l2.name == canonical)

    def parents_of(self, level2: str) -> tuple[str, ...]:
        """Level-1 categories under which a level-2 name is allowed (for 'belongs elsewhere' messages)."""
        key = category_key(level2)
        return tuple(name for name, keys in self._l2_keys.items() if key in keys)
