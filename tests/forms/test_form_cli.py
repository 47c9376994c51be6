"""`indicators form show` and `indicators form export`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli.app import main
from indicators.forms import read_form

SEED = Path(__file__).resolve().parents[2] / "examples" / "xiaoguwei-declared.txt"
SELFEVAL = SEED.parent / "selfeval-S01.tsv"


def test_show_prints_blocks_rows_locations_and_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "show", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "表格：xiaoguwei-declared.txt（部门整体支出绩效目标申报表）" in out
    assert "部门：番禺区人民政府小谷围街道办事处 [B5]" in out
    assert "部门预算支出 / 基本支出：5786.45 万元 [C7]" in out
    assert "1. 社工服务站购买服务经费 [B14]，32.40 万元" in out
    assert "绩效指标（27 行）：" in out
    assert "第 23 行  产出指标 [B23] / 数量指标 [C23] / 室内外应急避难场所的服务覆盖率 [D23]" in out
    assert "年度指标值：4个以上 [F23]" in out
    assert "沿用上一行：一级指标、二级指标" in out
    assert "（只有类别，没有三级指标）" in out
    assert "年度指标值：（空） [F42]" in out
    assert "导入诊断（9 条）：" in out
    assert "IND503" in out


def test_show_names_the_other_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "form.csv"
    path.write_text("序号,一级指标,二级指标,三级指标,年度指标值,评（扣）分标准\n1,产出指标,数量指标,培训人次,500人次,完成得满分\n")
    assert main(["form", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "序号：1 [A2]" in out
    assert "评（扣）分标准：完成得满分 [F2]" in out
    assert "其他栏" not in out
    assert "未归栏" not in out
    assert "导入诊断（0 条）：" in out


def test_show_self_evaluation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "show", str(SELFEVAL)]) == 0
    out = capsys.readouterr().out
    assert "（项目支出绩效自评表）" in out
    assert "实际完成值：50 [E2]" in out
    assert "分值：8 [F2]" in out
    assert "得分：8 [G2]" in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "show", str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["department"]["text"] == "番禺区人民政府小谷围街道办事处"
    assert len(data["indicators"]) == 27
    assert data["budget"][0]["amount"] == "5786.45"
    assert data["diagnostics"][0]["code"] == "IND503"


def test_export_to_a_file_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seed.json"
    assert main(["form", "export", str(SEED), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert read_form(out) == read_form(SEED)
    assert main(["form", "show", str(out)]) == 0
    assert "绩效指标（27 行）" in capsys.readouterr().out


def test_export_yaml_by_extension(tmp_path: Path) -> None:
    out = tmp_path / "seed.yaml"
    assert main(["form", "export", str(SELFEVAL), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("schema_version: 1\nkind: self_evaluation")
    assert read_form(out) == read_form(SELFEVAL)


def test_export_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "export", str(SELFEVAL), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "self_evaluation"


def test_export_to_an_unwritable_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "export", str(SELFEVAL), "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 1
    assert "无法写入" in capsys.readouterr().err


def test_unreadable_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "show", str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err
    assert "IND501" in err
    assert "文件不存在" in err


def test_import_errors_exit_1_and_warnings_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(
        "预算整体情况\t部门预算支出\t预算金额（万元）\n\t基本支出\t一百\n"
        "一级指标\t二级指标\t三级指标\t计算公式\t年度指标值\n"
        "产出指标\t数量指标\t培训人次\t指标值=培训人次\t500人次\t见附件\n",
        encoding="utf-8",
    )
    assert main(["form", "show", str(path)]) == 1
    out = capsys.readouterr().out
    assert "IND506" in out
    assert "未归栏：见附件 [F4]" in out
    assert main(["form", "export", str(path)]) == 1
    captured = capsys.readouterr()
    assert "IND506" in captured.err
    assert "IND504" in captured.err
    assert json.loads(captured.out)["source"] == "bad.tsv"


def test_form_without_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form"]) == 2
    assert "show" in capsys.readouterr().err


def test_sheet_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值"])
    ws.append(["产出指标", "数量指标", "培训人次", "500人次"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert main(["form", "show", str(path), "--sheet", "指标"]) == 0
    assert "[指标!D2]" in capsys.readouterr().out
    assert main(["form", "show", str(path), "--sheet", "其他"]) == 1
    assert "没有名为“其他”的工作表" in capsys.readouterr().err


EXAMPLES = sorted(
    [SEED, *SEED.parent.glob("declared-*.tsv"), *SEED.parent.glob("selfeval-*.tsv")], key=lambda p: p.name
)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_show_on_each_example(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "IND510" not in out  # every column of a published table is known
    expected = (
        "部门整体支出（department，标题写明）" if path == SEED else "项目支出（project，未写明，按默认）"
    )
    assert f"表格类型：{expected}" in out
    assert main(["form", "show", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["form_type"] == ("department" if path == SEED else "project")
    assert data["form_type_evidence"] == ("title" if path == SEED else "default")
    assert not [d for d in data["diagnostics"] if d["code"] == "IND510"]
    if "备注" in path.read_text(encoding="utf-8").splitlines()[0]:
        assert any(row["remark"] is not None for row in data["indicators"])  # the 备注 column is a remark


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("selfeval-S01.tsv", "类别：产出指标（注：50分，分值 50） / 数量指标"),
        ("declared-S12.tsv", "类别：产出指标 / 数量指标"),  # 产 出 指 标
        ("declared-S22.tsv", "类别：效益指标 / 经济效益指标"),  # 经济效益 指标
        ("selfeval-S14.tsv", "类别：满意度指标 / 服务对象满意度指标（注：等）"),
    ],
)
def test_show_normalises_level_names(name: str, shown: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "show", str(SEED.parent / name)]) == 0
    assert shown in capsys.readouterr().out
