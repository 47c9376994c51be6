"""Text, TSV, CSV, JSON and YAML readers; format sniffing; the example files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from indicators.diagnostics import Location
from indicators.forms import Form, FormKind, read_form, read_form_text
from indicators.forms.io import sniff
from indicators.forms.money import parse_amount
from indicators.inputs import guess_delimiter

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORM_FILES = sorted(
    [EXAMPLES / "xiaoguwei-declared.txt", *EXAMPLES.glob("declared-*.tsv"), *EXAMPLES.glob("selfeval-*.tsv")]
)

CSV_TEXT = (
    "部门绩效目标表,,,,\n"
    "部门名称,某区财政局,,,\n"
    "一级指标,二级指标,三级指标,计算公式,年度指标值\n"
    '产出指标,数量指标,培训人次,"指标值=培训人次",500人次以上\n'
    ',,"培训覆盖率,含线上","指标值=已培训人数/应培训人数*100%",95%以上\n'
    ',质量指标,培训合格率,,"≥90%"\n'
)


def _write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode(encoding)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"], ids=str)
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    form = read_form(_write(tmp_path, "form.csv", CSV_TEXT, encoding), use_parsers=False)
    assert form.title == "部门绩效目标表"
    assert form.department is not None
    assert form.department.text == "某区财政局"
    rows = [(r.level1, r.level2, r.level3, r.target) for r in form.indicators]
    assert [tuple(c.text if c else None for c in row) for row in rows] == [
        ("产出指标", "数量指标", "培训人次", "500人次以上"),
        ("产出指标", "数量指标", "培训覆盖率,含线上", "95%以上"),
        ("产出指标", "质量指标", "培训合格率", "≥90%"),
    ]
    assert form.indicators[1].level3 is not None
    assert form.indicators[1].level3.location == Location(source="form.csv", row=5, column=3)
    assert form.diagnostics == ()


def test_csv_text_in_memory_equals_the_file(tmp_path: Path) -> None:
    from_file = read_form(_write(tmp_path, "form.csv", CSV_TEXT), use_parsers=False)
    assert read_form_text(CSV_TEXT, source="form.csv", fmt="csv", use_parsers=False) == from_file


def test_tsv_with_crlf_line_ends() -> None:
    text = "一级指标\t二级指标\t三级指标\t年度指标值\r\n产出指标\t数量指标\t培训人次\t500人次\r\n"
    form = read_form_text(text, use_parsers=False)
    assert form.indicators[0].target is not None
    assert form.indicators[0].target.text == "500人次"


@pytest.mark.parametrize(
    ("text", "suffix", "delimiter"),
    [
        ("a\tb,c", ".csv", ","),
        ("a\tb", ".csv", "\t"),
        ("a,b", ".tsv", ","),
        ("a\tb,c", ".txt", "\t"),
        ("a\tb", "", "\t"),
        ("a,b", "", ","),
        ("ab", "", "\t"),
    ],
    ids=lambda v: repr(v),
)
def test_delimiter_sniffing(text: str, suffix: str, delimiter: str) -> None:
    assert guess_delimiter(text, suffix) == delimiter


@pytest.mark.parametrize(
    ("data", "suffix", "fmt"),
    [
        (b"PK\x03\x04rest", ".txt", "xlsx"),
        (b"whatever", ".xlsx", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "", "xls"),
        (b'  {"kind": 1}', "", "json"),
        (b"a", ".json", "json"),
        (b"a: 1", ".yaml", "yaml"),
        (b"a\tb", ".tsv", "text"),
    ],
    ids=lambda v: repr(v),
)
def test_format_sniffing(data: bytes, suffix: str, fmt: str) -> None:
    assert sniff(data, suffix) == fmt


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.name)
def test_example_forms_read_cleanly(path: Path) -> None:
    form = read_form(path, use_parsers=False)
    assert form.indicators
    assert all(r.level3 is not None for r in form.indicators if r.row != 48 and r.row != 49)
    if path.name.startswith("selfeval"):
        assert form.kind is FormKind.SELF_EVALUATION
        assert all(None not in (r.actual, r.weight, r.score) for r in form.indicators)
    else:
        assert form.kind is FormKind.DECLARED
        assert all(r.actual is None and r.weight is None for r in form.indicators)
    if path.suffix == ".tsv":
        assert form.diagnostics == ()  # one row per indicator, nothing shifted
        assert all(r.inherited == () for r in form.indicators if r.level1 and not r.level1.empty)


EXAMPLE_ROWS = [
    ("declared-S11.tsv", 1, ("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆"), None),
    ("declared-S12.tsv", 1, ("产 出 指 标", "数量指标", "本年度创业担保贷款发放额", "4000万元"), None),
    ("declared-S22.tsv", 12, ("满意度指标", "服务对象满意度指标", "受益脱贫(监测)户满意度", "≥95%"), None),
    (
        "selfeval-S01.tsv",
        1,
        ("产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个"),
        ("50", "8", "8"),
    ),
    ("selfeval-S14.tsv", 9, ("满意度指标", "服务对象满意度指标等", "家长满意度", "95"), ("100%", "10", "10")),
    ("selfeval-S16.tsv", 3, ("", "", "指标8:适龄儿童疫苗接种率", "100.00%"), ("97.30%", "2", "1.9")),
    (
        "selfeval-S45.tsv",
        6,
        ("项目资金", "预算执行", "年度资金总额 (全年预算数→全年执行数, 元)", "250000.00"),
        ("215,457.6", "10", "8.62"),
    ),
]


@pytest.mark.parametrize(("name", "row", "names", "scores"), EXAMPLE_ROWS, ids=[e[0] for e in EXAMPLE_ROWS])
def test_example_tsv_rows(
    name: str, row: int, names: tuple[str, ...], scores: tuple[str, str, str] | None
) -> None:
    form = read_form(EXAMPLES / name, use_parsers=False)
    got = form.indicators[row - 1]
    assert tuple(c.text if c else None for c in (got.level1, got.level2, got.level3, got.target)) == names
    assert got.row == row + 1
    if scores is not None:
        assert tuple(c.text if c else None for c in (got.actual, got.weight, got.score)) == scores
    else:
        assert got.unit is not None
        assert got.remark is not None


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".json", ".yaml"], ids=str)
def test_export_reads_back_to_an_equal_form(tmp_path: Path, path: Path, suffix: str) -> None:
    from indicators.cli.form_cmd import dump_form

    form = read_form(path, use_parsers=False)
    out = tmp_path / f"{path.stem}{suffix}"
    out.write_text(dump_form(form, suffix[1:]), encoding="utf-8")
    again = read_form(out)
    assert again == form
    assert isinstance(again, Form)


def test_json_text_in_memory() -> None:
    form = read_form_text("一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t培训人次\t500人次\n")
    assert read_form_text(form.model_dump_json(), fmt="json") == form
    assert read_form_text(form.model_dump_json(), fmt="json", source="x.json") == form


def test_unknown_text_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="fmt must be one of"):
        read_form_text("a", fmt="xml")


AMOUNTS = [
    ("5,786.45", Decimal("5786.45"), None),
    ("17,045.54", Decimal("17045.54"), None),
    ("0.00", Decimal("0.00"), None),
    ("1，152.50", Decimal("1152.50"), None),
    ("３２.４０", Decimal("32.40"), None),
    ("250万元", Decimal("250"), "万元"),
    ("-", None, ""),
    ("", None, ""),
    ("12,34.5", None, None),
    ("约50", None, None),
]


@pytest.mark.parametrize(("text", "amount", "unit"), AMOUNTS, ids=[a[0] or "(empty)" for a in AMOUNTS])
def test_parse_amount(text: str, amount: Decimal | None, unit: str | None) -> None:
    assert parse_amount(text) == (amount, unit)


BLOCKS = """部门名称\t某街道办事处
预算整体情况\t部门预算支出\t预算金额（元）\t收入来源\t预算金额（万元）
\t基本支出\t1,000\t财政拨款\tabc
\t项目支出\t\t其他资金\t-
总体绩效目标\t完成年度任务
年度重点工作任务\t名称\t主要实施内容\t拟投入的资金（万元）\t期望达到的目标（概述）
\t任务一\t内容一\t12.5\t目标一
\t任务二\t内容二\t十万\t目标二
\t任务三\t内容三\t50000元\t目标三
其他需完成的任务（可选填）\t做好其他工作
另外一行说明
一级指标\t二级指标\t三级指标\t年度指标值
产出指标\t数量指标\t培训人次\t500人次
合计\t\t\t
填报人：张三
"""


def test_upper_blocks_units_bad_numbers_and_footer() -> None:
    form = read_form_text(BLOCKS, source="b.tsv", use_parsers=False)
    assert form.title is None
    assert [(b.label, b.amount, b.unit) for b in form.budget] == [
        ("基本支出", Decimal("1000"), "元"),
        ("财政拨款", None, "万元"),
        ("项目支出", None, "元"),
        ("其他资金", None, "万元"),
    ]
    bad = [d for d in form.diagnostics if d.code == "IND506"]
    assert [d.location.cell if d.location else None for d in bad] == ["E3", "D8"]
    assert bad[0].message == "数值“abc”无法识别"
    assert [(t.name.text, t.funds) for t in form.tasks] == [
        ("任务一", Decimal("12.5")),
        ("任务二", None),
        ("任务三", Decimal("5")),
    ]
    assert form.other_tasks is not None
    assert form.other_tasks.text == "做好其他工作"
    assert [c.text for c in form.notes] == ["另外一行说明", "合计", "填报人：张三"]
    assert len(form.indicators) == 1


def test_merged_block_labels_repeat_on_every_row() -> None:
    text = (
        "预算整体情况\t部门预算支出\t预算金额（万元）\n"
        "预算整体情况\t基本支出\t10.00\n"
        "年度重点工作任务\t名称\t主要实施内容\t拟投入的资金（万元）\t期望达到的目标\n"
        "年度重点工作任务\t任务一\t内容一\t1.00\t目标一\n"
        "一级指标\t二级指标\t三级指标\t年度指标值\n"
        "产出指标\t数量指标\t培训人次\t500人次\n"
    )
    form = read_form_text(text, use_parsers=False)
    assert [(b.label, b.amount) for b in form.budget] == [("基本支出", Decimal("10.00"))]
    assert [t.name.text for t in form.tasks] == ["任务一"]
