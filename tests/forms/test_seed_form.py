"""The seed declaration form (examples/xiaoguwei-declared.txt) read into exactly the expected form."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from indicators.diagnostics import Location, Severity
from indicators.forms import BudgetGroup, Form, FormKind, IndicatorRow, read_form
from indicators.forms.names import FALLBACK_TAXONOMY, TaxonomyLike

SEED = Path(__file__).resolve().parents[2] / "examples" / "xiaoguwei-declared.txt"
NAME = SEED.name


class _Fallback:
    """A catalog stand-in that offers only the built-in taxonomy."""

    @property
    def taxonomy(self) -> TaxonomyLike:
        return FALLBACK_TAXONOMY


@pytest.fixture(scope="module")
def seed() -> Form:
    return read_form(SEED, use_parsers=False)


DATA = Path(__file__).resolve().parent / "data" / "xiaoguwei-rows.tsv"


def _expected() -> list[tuple[int, str, str, str | None, str, str]]:
    rows = []
    lines = [x for x in DATA.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    for line in lines[1:]:
        row, level1, level2, level3, formula, target = line.split("\t")
        rows.append((int(row), level1, level2, level3 or None, formula, target))
    return rows


#: source row, level-1, level-2, level-3 (None: an empty category), formula, annual target
EXPECTED = _expected()


def _text(cell: object) -> str | None:
    return None if cell is None else getattr(cell, "text")  # noqa: B009


def test_the_seed_has_25_indicators_and_2_empty_categories(seed: Form) -> None:
    assert len(seed.indicators) == 27
    assert sum(1 for r in seed.indicators if r.level3 is not None) == 25
    assert [r.level2.text for r in seed.indicators if r.level3 is None and r.level2] == [
        "社会成本指标",
        "生态环境成本指标",
    ]


@pytest.mark.parametrize("expected", EXPECTED, ids=[str(e[3] or e[2]) for e in EXPECTED])
def test_seed_row(seed: Form, expected: tuple[int, str, str, str | None, str, str]) -> None:
    row = next(r for r in seed.indicators if r.row == expected[0])
    got = (row.row, *(_text(c) for c in (row.level1, row.level2, row.level3, row.formula, row.target)))
    assert got == expected
    assert row.period_target is None  # the 实施周期指标值 column holds formulas in this form


def test_rows_are_in_file_order_with_indices(seed: Form) -> None:
    assert [r.row for r in seed.indicators] == [e[0] for e in EXPECTED]
    assert [r.index for r in seed.indicators] == list(range(27))


def test_every_cell_keeps_its_file_location(seed: Form) -> None:
    first = seed.indicators[0]
    assert first.level1 is not None
    assert first.level1.location == Location(source=NAME, row=23, column=2)
    assert first.level3 is not None
    assert first.level3.location == Location(source=NAME, row=23, column=4)
    assert first.formula is not None
    assert first.formula.location is not None
    assert first.formula.location.cell == "E23"
    assert first.target is not None
    assert first.target.location is not None
    assert first.target.location.cell == "F23"


@pytest.mark.parametrize(
    ("row_number", "field", "cell"),
    [
        (42, "level2", "D42"),  # 生态效益指标 moved left from the level-3 column
        (42, "level3", "E42"),
        (42, "formula", "F42"),
        (43, "level3", "C43"),
        (43, "formula", "D43"),
        (43, "target", "E43"),
        (44, "level1", "A44"),
        (46, "level3", "B46"),
        (46, "formula", "D46"),
        (46, "target", "E46"),
        (47, "level1", "A47"),
        (47, "target", "E47"),
        (48, "level2", "B48"),
    ],
    ids=lambda v: str(v),
)
def test_moved_cells_keep_their_original_location(seed: Form, row_number: int, field: str, cell: str) -> None:
    row = next(r for r in seed.indicators if r.row == row_number)
    value = getattr(row, field)
    assert value is not None
    assert value.location is not None
    assert value.location.cell == cell


def test_inheritance_is_recorded(seed: Form) -> None:
    by_row = {r.row: r for r in seed.indicators}
    assert by_row[23].inherited == ()
    assert by_row[24].inherited == ("level1", "level2")
    assert by_row[31].inherited == ("level1",)  # 质量指标 written, 产出指标 inherited
    assert by_row[43].inherited == ("level1", "level2")  # inherits the realigned 生态效益指标 of row 42
    assert by_row[46].inherited == ("level1", "level2")
    assert by_row[48].inherited == ("level1",)
    inherited_l1 = by_row[24].level1
    assert inherited_l1 is not None
    assert inherited_l1.location is not None
    assert inherited_l1.location.cell == "B23"


def test_the_table_label_is_kept_not_lost(seed: Form) -> None:
    assert [c.text for c in seed.indicators[0].extra] == ["绩效指标"]
    assert all(not r.extra for r in seed.indicators[1:])


def test_missing_target_of_a_shifted_row_is_an_empty_cell(seed: Form) -> None:
    row = next(r for r in seed.indicators if r.row == 42)
    assert row.target is not None
    assert row.target.empty
    assert row.target.location is not None
    assert row.target.location.cell == "F42"


def test_seed_import_diagnostics(seed: Form) -> None:
    realigned = [d for d in seed.diagnostics if d.code == "IND503"]
    assert [d.location.row if d.location else None for d in realigned] == [22, 22, 42, 43, 44, 46, 47, 48, 49]
    assert all(d.severity is Severity.INFO for d in seed.diagnostics)
    assert [d.code for d in seed.diagnostics] == ["IND503"] * 9
    header_shift, period = realigned[0], realigned[1]
    assert "向右移动 1 列" in header_shift.message
    assert header_shift.data == {"shift": 1}
    assert "实施周期指标值" in period.message
    assert "计算公式" in period.message
    row46 = realigned[5]
    assert row46.indicator == "窗口服务满意度"
    assert row46.data["moves"] == [
        "“窗口服务满意度”从一级指标栏移到三级指标栏",
        "“通过窗口服务评价系统了解窗口服务满意度”从三级指标栏移到计算公式栏",
        "“90%以上”从计算公式栏移到年度指标值栏",
    ]


def test_seed_upper_blocks(seed: Form) -> None:
    assert seed.kind is FormKind.DECLARED
    assert seed.source == NAME
    assert seed.title == "部门整体预算绩效目标申报表"
    assert seed.department is not None
    assert seed.department.text == "番禺区人民政府小谷围街道办事处"
    assert seed.department.location == Location(source=NAME, row=5, column=2)
    assert seed.overall_goal is not None
    assert seed.overall_goal.text.startswith("一是推动“百千万工程”走深走实")
    assert seed.other_tasks is None
    assert seed.notes == ()


BUDGET = [
    (BudgetGroup.SPENDING, "基本支出", "5786.45", "C7"),
    (BudgetGroup.INCOME, "财政拨款", "17045.54", "E7"),
    (BudgetGroup.SPENDING, "项目支出", "9222.67", "C8"),
    (BudgetGroup.INCOME, "其他资金", "30.00", "E8"),
    (BudgetGroup.DEVELOPMENT, "财政专项资金", "0.00", "C10"),
    (BudgetGroup.LEVEL, "区本级使用资金", "17045.54", "E10"),
    (BudgetGroup.DEVELOPMENT, "其他事业发展性支出", "2036.41", "C11"),
    (BudgetGroup.LEVEL, "拟用于对下转移支付资金", "0.00", "E11"),
]


def test_seed_budget_block_is_decimal_wan_yuan(seed: Form) -> None:
    got = [
        (b.group, b.label, b.amount, b.cell.location.cell if b.cell and b.cell.location else None)
        for b in seed.budget
    ]
    assert got == [(g, label, Decimal(a), cell) for g, label, a, cell in BUDGET]
    assert all(b.unit == "万元" and isinstance(b.amount, Decimal) for b in seed.budget)
    assert seed.budget_amount("基本支出") == Decimal("5786.45")


def test_seed_key_tasks(seed: Form) -> None:
    got = [(t.name.text, t.funds) for t in seed.tasks]
    assert got == [
        ("社工服务站购买服务经费", Decimal("32.40")),
        ("教育补助经费", Decimal("90.00")),
        ("市政环卫保洁及绿化养护经费", Decimal("1152.50")),
        ("安保经费", Decimal("145.00")),
        ("长者长寿保健金财政补贴项目", Decimal("90.05")),
        ("镇街、村居级社区养老服务设施运营和奖励经费", Decimal("54.95")),
    ]
    first = seed.tasks[0]
    assert first.content is not None
    assert first.content.text.startswith("开展社工服务站购买服务工作")
    assert first.expected is not None
    assert first.expected.location is not None
    assert first.expected.location.cell == "E14"
    assert first.funds_cell is not None
    assert first.funds_cell.text == "32.40"


def test_fallback_taxonomy_reads_the_seed_the_same(seed: Form) -> None:
    assert read_form(SEED, catalog=_Fallback(), use_parsers=False) == seed


def test_sibling_parsers_do_not_change_the_seed(seed: Form) -> None:
    """With the formula and target parsers consulted (when present), the seed reads the same."""
    assert read_form(SEED) == seed


def test_rows_are_indicator_rows(seed: Form) -> None:
    assert all(isinstance(r, IndicatorRow) for r in seed.indicators)


def test_the_catalog_taxonomy_reads_the_seed_the_same(seed: Form) -> None:
    from indicators.catalog import load_catalog

    assert read_form(SEED, catalog=load_catalog(use_env=False), use_parsers=False) == seed
