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

    Never fires on:
        - a level-2 category written with a note or in another script (``质量指标（必填）``, ``質量指標``,
          ``产 出 指 标``)
        - 成本指标 under 产出指标 or 服务对象满意度指标 under 效益指标 (older templates list them there)
        - a row whose level-1 category is unknown (IND616 reports it) or that has no level-2 cell

    Source:
        财预〔2021〕101号 (the level-2 categories of each level-1 category), as commonly quoted;
        ``catalog/taxonomy.yaml``.

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

    Never fires on:
        - a level-1 name written with a score share or a note (``产出指标(50分)``, ``产出指标（必填）``)
        - 服务对象满意度指标 or 社会公众或服务对象满意度指标 as the level-1 heading (a synonym of 满意度指标)
        - the same unknown name on later rows (it is reported once)

    Source:
        财预〔2021〕101号 (成本, 产出, 效益, 满意度), as commonly quoted; ``catalog/taxonomy.yaml``.

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

    Never fires on:
        - two different indicators whose names share a prefix (``12345热线工单办结率`` and
          ``12345热线群众满意率``)
        - category rows without a level-3 name

    Source:
        A reviewer's practice: each indicator measures one thing once (财预〔2021〕101号: indicators match the
        targets they measure).

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

    Never fires on:
        - a category row followed by rows that fill the same category
        - a row with a level-3 name, a formula or a target

    Source:
        The seed form (社会成本指标 and 生态环境成本指标 printed empty).

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
    """A category that the form's template requires is missing from the form.

    Which categories a form must list is a property of its template (``catalog/templates``), and the
    form type picks the template: a 项目支出 form is checked against the common template of 财预〔2021〕
    101号, which requires the four level-1 categories 产出, 效益, 满意度 and 成本 and leaves their level-2
    categories to the project; a 部门整体 form against the bundled template of the seed form, which also
    prints every level-2 category (数量/质量/时效, 经济/社会/生态效益, 服务对象满意度, 经济/社会/生态环境成本
    ).
    A configuration or ``--template`` may name another template. A category written under a variant or
    annotated name (``产出指标（50分）``, ``產出指標``, ``服务对象满意度指标等``) is present, and so is a
    level-1 category that an older template lists as a level-2 one (成本指标 under 产出指标, 服务对象满意度指
    标
    under 效益指标). A missing level-2 category is reported at the first row of its level-1 category; a
    missing level-1 category has no row to point at.

    Never fires on:
        - a level-2 category that the template does not require (a 项目支出 form without 生态效益指标)
        - a category written with a note, a score share, spaces or traditional characters
        - 成本指标 listed under 产出指标, or 服务对象满意度指标 under 效益指标
        - a form whose rows name no level-1 category at all (IND619 reports the blank cells once)
        - an empty indicator table (the reader reports it)

    Source:
        财预〔2021〕101号 附件2 (项目支出 template: 产出, 效益, 满意度, 成本), as commonly quoted; the
        three-level frame of published 部门整体 tables (部门整体 template); the seed form (the ``xiaoguwei``
        template). ``catalog/templates/``.

    Bad:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
          - [效益指标, 社会效益指标, 零就业家庭动态清零, 指标值=动态清零, 实现动态清零]
          - [满意度指标, 服务对象满意度指标, 长者满意度, 通过问卷调查了解满意度。, 90%以上]

    Good:
        rows:
          - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
          - [效益指标, 社会效益指标, 零就业家庭动态清零, 指标值=动态清零, 实现动态清零]
          - [满意度指标, 服务对象满意度指标, 长者满意度, 通过问卷调查了解满意度。, 90%以上]
          - [成本指标, 经济成本指标, 志愿服务活动成本, 指标值=活动经费支出, ≤2万元]
    """

    code = "IND611"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        template = ctx.template
        present: dict[str, set[str]] = {}
        first_row: dict[str, IndicatorRow] = {}
        for row in ctx.rows:
            level1 = ctx.level1_of(row)
            if level1 is None:
                continue
            first_row.setdefault(level1, row)
            level2 = ctx.level2_of(row)
            present.setdefault(level1, set()).update({level2} if level2 else set())
        if not any(_text(row, "level1") for row in ctx.rows):
            return  # an empty table (IND509) or a table without level-1 cells (IND619)
        taxonomy = ctx.catalog.taxonomy
        # an older template lists a level-1 category as a level-2 one (成本指标 under 产出指标,
        # 服务对象满意度指标 under 效益指标): that category is there
        nested = {taxonomy.canonical_level1(l2) for names in present.values() for l2 in names}
        data = {"template": template.name}
        for category in template.categories:
            level1 = category.level1
            if level1 not in present:
                if category.required and level1 not in nested:
                    yield self.finding(
                        level="一级指标", name=level1, data=data,
                        hint=f"{template.title}要求设置“{level1}”及其下的二级、三级指标",
                    )
                continue
            for level2 in category.level2:
                if level2 not in present[level1]:
                    yield self.finding(
                        cell=first_row[level1].level1, level="二级指标", name=level2, data=data,
                        hint=f"{template.title}要求在“{level1}”下设置“{level2}”及其三级指标",
                    )


def _ranges(numbers: list[int]) -> str:
    """``第 2-5、8 行``: row numbers as ranges."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return f"第 {'、'.join(parts)} 行"


@register
class CategoriesBlank(Rule):
    """Level-3 indicators with no level-1 category (一级指标 cell blank, nothing above to inherit).

    Every indicator sits under a level-1 and a level-2 category: the categories say what the indicator
    measures (an output, a benefit, a satisfaction, a cost) and how its target is read (a 成本 row is a
    ceiling, a 时效 row a deadline). Published tables extracted from PDF often lose the category cells.
    The form gets one finding that lists the rows; the template's missing categories (IND611) are not
    reported then, since nothing can be told about them.

    Never fires on:
        - a row whose level-1 cell is blank because it is merged with the row above (the category is
          inherited)
        - a category row without a level-3 name

    Source:
        财预〔2021〕101号 (three-level indicator structure), as commonly quoted; 稷山县 2021 自评表 (category
        cells lost in extraction).

    Bad:
        rows:
          - [null, null, 指标6:举办健康教育宣传咨询活动, null, 12次]
          - [null, null, 指标7:建立预防接种证, null, 221人]

    Good:
        rows:
          - [产出指标, 数量指标, 举办健康教育宣传咨询活动, null, 12次]
          - [产出指标, 数量指标, 建立预防接种证, null, 221人]
    """

    code = "IND619"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        blank = [row for row in ctx.indicator_rows if not _text(row, "level1")]
        if not blank:
            return
        numbers = sorted({row.row if row.row is not None else row.index + 1 for row in blank})
        first = blank[0]
        yield self.finding(
            cell=first.level1 if first.level1 is not None else first.level3,
            row=first,
            count=len(blank),
            rows=_ranges(numbers),
            data={"rows": numbers},
        )


@register
class SatisfactionMisplaced(Rule):
    """A satisfaction indicator (满意度) listed under another category than 满意度指标.

    Since 财预〔2021〕101号 satisfaction is a level-1 category of its own (满意度指标 → 服务对象满意度指标).
    A 满意度 or 满意率 under 质量指标, 数量指标, 社会效益指标 or a 成本 category is measured by a survey of
    the
    people served, not by the output or the benefit it sits under, and it is scored with the 满意度 share
    (10 points) of the self-evaluation. Older templates list 服务对象满意度指标 as a level-2 category of
    效益指标: a satisfaction there is in place.

    Never fires on:
        - a satisfaction under 满意度指标 or under 效益指标 → 服务对象满意度指标 (older templates)
        - a name that mentions a satisfaction survey without measuring a satisfaction (``满意度调查覆盖率``)
        - a row without a level-1 category (IND619 reports it)

    Source:
        财预〔2021〕101号 (满意度指标 → 服务对象满意度指标), as commonly quoted; 湘潭市环境卫生管理处 2023
        绩效目标申报表 (满意度 under 效益指标).

    Bad:
        rows:
          - [产出指标, 质量指标, 居民对保洁服务满意度, 通过问卷调查了解满意度。, ≥90%]

    Good:
        rows:
          - [满意度指标, 服务对象满意度指标, 居民对保洁服务满意度, 通过问卷调查了解满意度。, ≥90%]
    """

    code = "IND628"

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from indicators.lint.vocabulary import review_words

        words = review_words()
        for row in ctx.indicator_rows:
            level1 = ctx.level1_of(row)
            if level1 is None or level1 == "满意度指标" or not words.is_satisfaction(row.name):
                continue
            level2 = ctx.level2_of(row)
            if level2 == "服务对象满意度指标":
                continue
            cell = row.level2 if row.level2 is not None and not row.level2.empty else row.level1
            level = "二级指标" if cell is row.level2 else "一级指标"
            category = cell.stripped if cell is not None else level1
            yield self.finding(cell=cell, row=row, name=row.name, level=level, category=category)
