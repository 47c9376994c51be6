"""The three-level structure of the indicator table: categories and duplicate indicators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from indicators.lint.base import Rule, register
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.forms.model import IndicatorRow
    from indicators.lint.context import LintContext


def _text(row: IndicatorRow, field: str) -> str:
    cell = getattr(row, field)
    return cell.stripped if cell is not None else ""


def _is_category_row(row: IndicatorRow) -> bool:
    """A row that names categories only: no level-3 name, no formula, no target."""
    return not row.name and not _text(row, "formula") and not _text(row, "target")


@register
class Level2NotAllowed(Rule):
    """A level-2 category (二级指标) that does not belong under its level-1 category (一级指标).

    The catalog's taxonomy (``catalog/taxonomy.yaml``) lists the level-2 categories of each level-1
    category; names are compared after normalisation (full/half width, spaces, a trailing 指标). Each
    pair is reported once, at its first row.

    Bad:
        rows:
          - [产出指标, 社会效益指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]

    Good:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
    """

    code = "IND608"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        taxonomy = ctx.catalog.taxonomy
        seen: set[tuple[str, str]] = set()
        for row in ctx.rows:
            level1, level2 = _text(row, "level1"), _text(row, "level2")
            if not level1 or not level2:
                continue
            key = (normalize_name(level1), normalize_name(level2))
            if key in seen:
                continue
            seen.add(key)
            canonical1 = taxonomy.canonical_level1(level1)
            if canonical1 is None:
                continue  # IND616 reports the level-1 name
            canonical2 = taxonomy.canonical_level2(canonical1, level2)
            if canonical2 is not None and taxonomy.allowed(canonical1, canonical2):
                continue
            allowed = "、".join(taxonomy.level2_names(canonical1))
            parents = [p for p in taxonomy.parents_of(level2) if p != canonical1]
            hint = f"“{canonical1}”下的二级指标有：{allowed}"
            if parents:
                hint = f"“{level2}”属于“{'、'.join(parents)}”；{hint}"
            yield self.finding(cell=row.level2, row=row, level1=level1, level2=level2, hint=hint)


@register
class Level1Unknown(Rule):
    """A level-1 category (一级指标) that is not in the catalog's taxonomy.

    The level-1 categories are 产出指标, 效益指标, 满意度指标 and 成本指标 in the bundled taxonomy; a
    catalog directory given with ``--catalog`` may add others. Each name is reported once.

    Bad:
        rows:
          - [投入指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]

    Good:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
    """

    code = "IND616"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        taxonomy = ctx.catalog.taxonomy
        seen: set[str] = set()
        expected = "、".join(taxonomy.level1_names)
        for row in ctx.rows:
            level1 = _text(row, "level1")
            if not level1 or normalize_name(level1) in seen:
                continue
            seen.add(normalize_name(level1))
            if taxonomy.canonical_level1(level1) is None:
                yield self.finding(
                    cell=row.level1,
                    row=row,
                    level1=level1,
                    expected=expected,
                    hint=f"一级指标应为{expected}之一",
                )


@register
class DuplicateIndicator(Rule):
    """The same level-3 indicator (三级指标) appears on more than one row.

    Names are compared after normalisation (full/half width, spaces, quotes, a trailing 指标), so
    ``“12345”热线工单办结率`` and ``12345热线工单办结率`` are the same indicator. Every repeat is
    reported at its own row and names the row of the first occurrence.

    Bad:
        rows:
          - [产出指标, 质量指标, “12345”热线工单办结率, 指标值=办结工单/呈办工单*100%, 95%以上]
          - [效益指标, 社会效益指标, 12345热线工单办结率, 指标值=办结工单/呈办工单*100%, 95%以上]

    Good:
        rows:
          - [产出指标, 质量指标, “12345”热线工单办结率, 指标值=办结工单/呈办工单*100%, 95%以上]
          - [效益指标, 社会效益指标, 12345热线群众满意率, 指标值=满意件数/回访件数*100%, 90%以上]
    """

    code = "IND609"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        first: dict[str, IndicatorRow] = {}
        for row in ctx.indicator_rows:
            key = normalize_name(row.name)
            if key not in first:
                first[key] = row
                continue
            original = first[key]
            other = original.row if original.row is not None else "?"
            yield self.finding(
                cell=row.level3,
                row=row,
                name=row.name,
                other_row=other,
                hint="删除重复的一行，或改为不同的指标",
                data={"first_index": original.index},
            )


@register
class CategoryEmpty(Rule):
    """A category row with no level-3 indicator under it (一级指标 or 二级指标 left empty).

    A row that names a level-2 (or only a level-1) category but has no level-3 name, formula or
    target, with no other row filling that category, declares nothing: either add the category's
    indicators or delete the row. In the seed form the 成本指标 rows 社会成本指标 and 生态环境成本指标 are
    such rows.

    Bad:
        rows:
          - [成本指标, 经济成本指标, 工程支出符合定额标准情况, 指标值=是/否符合, 是]
          - [成本指标, 社会成本指标, null, null, null]

    Good:
        rows:
          - [成本指标, 经济成本指标, 工程支出符合定额标准情况, 指标值=是/否符合, 是]
          - [成本指标, 社会成本指标, 征地拆迁影响人数, 指标值=受影响人数, 0人]
    """

    code = "IND610"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        filled1: set[str] = set()
        filled2: set[tuple[str, str]] = set()
        for row in ctx.indicator_rows:
            filled1.add(normalize_name(_text(row, "level1")))
            filled2.add((normalize_name(_text(row, "level1")), normalize_name(_text(row, "level2"))))
        reported: set[tuple[str, str]] = set()
        for row in ctx.rows:
            if not _is_category_row(row):
                continue
            level1, level2 = _text(row, "level1"), _text(row, "level2")
            key = (normalize_name(level1), normalize_name(level2))
            if key in reported:
                continue
            if level2 and key not in filled2:
                reported.add(key)
                yield self.finding(
                    cell=row.level2, row=row, level="二级指标", name=level2,
                    hint="填写该二级指标下的三级指标，或删除这一行",
                )
            elif not level2 and level1 and key[0] not in filled1:
                reported.add(key)
                yield self.finding(
                    cell=row.level1, row=row, level="一级指标", name=level1,
                    hint="填写该一级指标下的二级、三级指标，或删除这一行",
                )


@register
class CategoryMissing(Rule):
    """A required level-1 or level-2 category is missing from the form.

    The catalog's taxonomy says which categories a form must have: every level-1 category it lists,
    and under each level-1 category present, the level-2 categories it marks as required. A missing
    level-2 category is reported at the first row of its level-1 category; a missing level-1
    category has no row to point at. A level-1 category that an older template lists as a level-2
    one (成本指标 under 产出指标, 服务对象满意度指标 under 效益指标) is present.

    Bad:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]

    Good:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
          - [产出指标, 质量指标, 安全隐患整改完成率, 指标值=已整改件数/应整改件数*100%, 90%以上]
          - [产出指标, 时效指标, 经济统计报表报送时效, 指标值=报送及时, 及时报送]
          - [效益指标, 经济效益指标, 新增“四上”企业数量, 指标值=新增“四上”企业数量, 2个以上]
          - [效益指标, 社会效益指标, 零就业家庭动态清零, 指标值=动态清零, 实现动态清零]
          - [效益指标, 生态效益指标, 区域绿化覆盖率, 指标值=绿化覆盖面积/辖区面积×100%, 20%以上]
          - [满意度指标, 服务对象满意度指标, 长者满意度, 通过问卷调查了解满意度。, 90%以上]
          - [成本指标, 经济成本指标, 工程支出符合定额标准情况, 指标值=是/否符合, 是]
          - [成本指标, 社会成本指标, 征地拆迁影响人数, 指标值=受影响人数, 0人]
          - [成本指标, 生态环境成本指标, 施工期扬尘投诉件数, 指标值=扬尘投诉件数, 0件]
    """

    code = "IND611"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        taxonomy = ctx.catalog.taxonomy
        present: dict[str, set[str]] = {}
        first_row: dict[str, IndicatorRow] = {}
        for row in ctx.rows:
            level1 = _text(row, "level1")
            canonical1 = taxonomy.canonical_level1(level1) if level1 else None
            if canonical1 is None:
                continue
            first_row.setdefault(canonical1, row)
            level2 = _text(row, "level2")
            canonical2 = taxonomy.canonical_level2(canonical1, level2) if level2 else None
            names = present.setdefault(canonical1, set())
            if canonical2 is not None:
                names.add(canonical2)
        if not ctx.rows:
            return  # an empty indicator table: the reader reports it (IND509)
        # an older template lists a level-1 category as a level-2 one (成本指标 under 产出指标,
        # 服务对象满意度指标 under 效益指标): that category is there
        nested = {taxonomy.canonical_level1(l2) for names in present.values() for l2 in names}
        for level1 in taxonomy.level1_names:
            if level1 not in present and level1 in nested:
                continue
            if level1 not in present:
                yield self.finding(
                    level="一级指标", name=level1, hint=f"按规定设置“{level1}”及其下的二级、三级指标"
                )
                continue
            for level2 in taxonomy.required_level2(level1):
                if level2 not in present[level1]:
                    row = first_row[level1]
                    yield self.finding(
                        cell=row.level1,
                        level="二级指标",
                        name=level2,
                        hint=f"在“{level1}”下设置“{level2}”及其三级指标",
                    )
