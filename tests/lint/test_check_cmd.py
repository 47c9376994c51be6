"""``indicators check``: text and JSON output, selection, --prior, --catalog and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from indicators.cli.app import main
from indicators.cli.check_cmd import write_text
from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.lint.examples import form_from_example, load_example

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "xiaoguwei-declared.txt"

CLEAN = """
rows:
  - [产出指标, 数量指标, 党员参与志愿服务人次, 指标值=党员参与志愿服务人次, 100人次以上]
  - [产出指标, 质量指标, 安全隐患整改完成率, 指标值=安全隐患整改件数/安全隐患应整改总数*100%, 90%以上]
  - [产出指标, 时效指标, 经济统计报表报送时效, 指标值=报送及时, 及时报送]
  - [效益指标, 经济效益指标, 新增“四上”企业数量, 指标值=新增“四上”企业数量, 2个以上]
  - [效益指标, 社会效益指标, 零就业家庭动态清零, 指标值=动态清零, 实现动态清零]
  - [效益指标, 生态效益指标, 区域绿化覆盖率, 区域绿化覆盖率=辖区内绿化覆盖面积/辖区面积×100%, 20%以上]
  - [满意度指标, 服务对象满意度指标, 长者满意度, 通过问卷调查、访谈等方式了解满意度。, 90%以上]
  - [成本指标, 经济成本指标, 工程单位造价, 指标值=工程支出/建设面积, ≤3000元/平方米]
  - [成本指标, 社会成本指标, 征地拆迁影响人数, 指标值=受影响人数, ≤0人]
  - [成本指标, 生态环境成本指标, 施工期扬尘投诉件数, 指标值=扬尘投诉件数, ≤0件]
budget:
  spending: {基本支出: 5786.45, 项目支出: 9222.67}
  income: {财政拨款: 15009.12}
"""

GRADED = """
rows:
  - [效益指标, 社会效益指标, 颐康服务中心(站)服务评估结果, 指标值=颐康服务中心(站)评估等级, 合格]
"""


def write_form(tmp_path: Path, example: str, name: str = "form.json") -> Path:
    path = tmp_path / name
    path.write_text(form_from_example(load_example(example)).model_dump_json(), encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code, out, _ = run([*argv, "--format", "json"], capsys)
    return code, json.loads(out)


def test_clean_form_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(write_form(tmp_path, CLEAN))], capsys)
    assert (code, err) == (0, "")
    *findings, summary = out.splitlines()
    # the only finding of a clean form: its budget identity holds, reported with the figures
    assert [line.split(": ", 1)[1].split(" ", 2)[:2] for line in findings] == [["IND705", "提示"]]
    assert summary == "共检查 1 个文件：0 个错误，0 个警告，1 个提示"


def test_errors_exit_1_with_located_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = CLEAN.replace("100人次以上]", "100人次以上以下]")
    path = write_form(tmp_path, bad)
    code, out, _ = run([str(path)], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{path}:2:5: IND601 错误 指标值“100人次以上以下”无法识别"
    assert lines[1].startswith("    建议：")
    assert lines[-1] == "共检查 1 个文件：1 个错误，0 个警告，1 个提示"


def test_warnings_only_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_form(tmp_path, CLEAN.replace("党员参与志愿服务人次, 指标值=", "党员参与志愿服务率, 指标值="))
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    assert "IND607 警告" in out


def test_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = CLEAN.replace("90%以上]\n  - [产出指标, 时效", "4个以上]\n  - [产出指标, 时效")
    path = write_form(tmp_path, bad)
    code, report = run_json([str(path), "--ignore", "budget.balanced"], capsys)
    assert code == 1
    assert report["schema_version"] == 1
    assert report["files"] == [{"file": str(path), "errors": 1, "warnings": 0, "info": 0}]
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0, "info": 0}
    (item,) = report["diagnostics"]
    assert set(item) == {
        "file", "code", "slug", "severity", "message", "hint", "row", "column", "cell", "sheet",
        "indicator", "span", "text", "fix", "data",
    }
    assert item["file"] == str(path)
    assert (item["code"], item["slug"], item["severity"]) == ("IND604", "lint.target-unit-mismatch", "error")
    assert (item["row"], item["column"], item["cell"]) == (3, 5, "E3")
    assert item["indicator"] == "安全隐患整改完成率"
    assert item["text"] == "4个以上"
    assert item["span"]["start"] == 0
    assert item["span"]["end"] == 4
    assert item["hint"]


def test_several_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write_form(tmp_path, CLEAN, "a.json")
    graded = write_form(tmp_path, GRADED, "b.json")
    code, report = run_json([str(clean), str(graded), "--select", "IND613,IND410"], capsys)
    assert code == 0
    assert [f["file"] for f in report["files"]] == [str(clean), str(graded)]
    assert [(d["file"], d["code"]) for d in report["diagnostics"]] == [(str(graded), "IND410")]


@pytest.mark.parametrize(
    ("prior", "codes"),
    [
        ("颐康服务中心(站)服务评估结果,良好\n", ["IND613"]),
        ("三级指标,上年值\n颐康服务中心(站)服务评估结果,不合格\n", []),
        ('{"JD-XY-SH-002": "优秀"}', ["IND613"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_prior_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], prior: str, codes: list[str]) -> None:
    prior_path = tmp_path / ("prior.json" if prior.startswith("{") else "prior.csv")
    prior_path.write_text(prior, encoding="utf-8")
    form = write_form(tmp_path, GRADED)
    code, report = run_json([str(form), "--prior", str(prior_path), "--select", "IND613"], capsys)
    assert [d["code"] for d in report["diagnostics"]] == codes
    assert code == (1 if codes else 0)


def test_bad_prior_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prior_path = tmp_path / "prior.csv"
    prior_path.write_text("只有一栏\n", encoding="utf-8")
    code, _, err = run([str(write_form(tmp_path, GRADED)), "--prior", str(prior_path)], capsys)
    assert code == 1
    assert "第 1 行应有两栏" in err
    assert "Traceback" not in err


def test_catalog_dir_layers_over_the_bundled_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = tmp_path / "catalog"
    (catalog / "sets").mkdir(parents=True)
    (catalog / "sets" / "local.yaml").write_text(
        "set: local\ntitle: 本地指标\nentries:\n"
        "  - code: LOCAL-001\n    level1: 产出指标\n    level2: 数量指标\n    name: 河道巡查次数\n"
        "    formula: 指标值=河道巡查次数\n    unit: 次\n    kind: quantity\n    source: 本地\n",
        encoding="utf-8",
    )
    row = "[效益指标, 社会效益指标, 河道巡查次数, 指标值=河道巡查次数, 50次以上]"
    form = write_form(tmp_path, f"rows: [{row}]")
    code, report = run_json([str(form), "--catalog", str(catalog), "--select", "IND614"], capsys)
    assert code == 0
    assert [d["code"] for d in report["diagnostics"]] == ["IND614"]
    assert "LOCAL-001" in report["diagnostics"][0]["message"]
    _, without = run_json([str(form), "--select", "IND614"], capsys)
    assert without["diagnostics"] == []


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02\xff" * 64, "一级指标,二级指标\n".encode()],
    ids=["empty", "binary", "no-indicator-table"],
)
def test_unreadable_form_exits_1_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "form.csv"
    path.write_bytes(content)
    code, out, err = run([str(path)], capsys)
    assert code == 1
    assert "Traceback" not in out + err
    assert out.startswith(f"{path}:")
    assert " 错误 " in out.splitlines()[0]


def test_unreadable_form_in_json_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"not a workbook")
    code = main(["check", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    report = json.loads(out)
    assert report["diagnostics"][0]["severity"] == "error"
    assert report["diagnostics"][0]["file"] == str(path)
    assert str(path) in err


def test_missing_form_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(tmp_path / "none.txt")], capsys)
    assert code == 1
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    "argv",
    [
        ["--select", "IND999"],
        ["--ignore", "lint.no-such-rule"],
        ["--prior", "/nonexistent/prior.csv"],
        ["--catalog", "/nonexistent/catalog"],
        ["--format", "xml"],
    ],
    ids=lambda v: " ".join(v),
)
def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    form = write_form(tmp_path, CLEAN)
    try:
        code = main(["check", str(form), *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == 2
    _, err = capsys.readouterr()
    assert "用法错误" in err


def test_a_prior_directory_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(write_form(tmp_path, CLEAN)), "--prior", str(tmp_path)], capsys)
    assert code == 2
    assert f"上年值文件“{tmp_path}”是一个目录，不是文件" in err


def test_no_form_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    found = [diagnostic("IND602", location=Location(row=3, column=5), indicator="甲", name="甲")]
    plain, tty = io.StringIO(), _Terminal()
    write_text([("f.txt", found)], plain)
    write_text([("f.txt", found)], tty)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[" in tty.getvalue()
    assert plain.getvalue().splitlines()[0] == "f.txt:3:5: IND602 错误 三级指标“甲”缺少年度指标值"


def test_form_wide_finding_has_no_row() -> None:
    out = io.StringIO()
    write_text([("f.txt", [diagnostic("IND611", level="一级指标", name="成本指标")])], out)
    assert out.getvalue().splitlines()[0] == "f.txt: IND611 警告 缺少一级指标“成本指标”"


def test_xlsx_form_points_at_the_sheet_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "指标"
    sheet.append(["一级指标", "二级指标", "三级指标", "计算公式", "年度指标值"])
    sheet.append(["产出指标", "数量指标", "服务覆盖率", "指标值=已覆盖村数/村总数*100%", "4个以上"])
    path = tmp_path / "form.xlsx"
    book.save(path)
    code, report = run_json([str(path), "--select", "IND604"], capsys)
    assert code == 1
    (item,) = report["diagnostics"]
    assert (item["sheet"], item["cell"], item["row"], item["column"]) == ("指标", "E2", 2, 5)
    assert item["indicator"] == "服务覆盖率"


def test_sheet_option_picks_the_worksheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for title, target in (("2024", "95%以上"), ("2025", "4个以上")):
        sheet = book.create_sheet(title)
        sheet.append(["一级指标", "二级指标", "三级指标", "计算公式", "年度指标值"])
        sheet.append(["产出指标", "数量指标", "服务覆盖率", "指标值=已覆盖村数/村总数*100%", target])
    path = tmp_path / "form.xlsx"
    book.save(path)
    code, report = run_json([str(path), "--select", "IND604,IND507"], capsys)
    assert (code, [d["code"] for d in report["diagnostics"]]) == (0, ["IND507"])
    assert report["diagnostics"][0]["hint"] == "用 --sheet 指定要读取的工作表"
    code, report = run_json([str(path), "--select", "IND604,IND507", "--sheet", "2025"], capsys)
    assert (code, [(d["code"], d["sheet"]) for d in report["diagnostics"]]) == (1, [("IND604", "2025")])
    code, out, _ = run([str(path), "--sheet", "2026"], capsys)
    assert code == 1
    assert "工作簿中没有名为“2026”的工作表" in out
