"""Templates (catalog/templates): which categories a form must list, chosen by the form type."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.forms.model import FormType
from indicators.lint import lint_form
from indicators.lint.context import bundled_catalog
from indicators.lint.examples import form_from_example, load_example
from indicators.lint.templates import TemplateError, bundled_templates, load_template, template_for

#: a project table with the four level-1 categories and only some level-2 ones
PROJECT = """
rows:
  - [产出指标, 数量指标, 甲, 指标值=甲, 1个]
  - [效益指标, 社会效益指标, 乙, 指标值=乙, 1个]
  - [满意度指标, 服务对象满意度指标, 丙, 问卷调查, 90%以上]
  - [成本指标, 经济成本指标, 丁, 指标值=丁, ≤10万元]
"""


def test_bundled_templates() -> None:
    templates = bundled_templates()
    assert set(templates) == {"department", "project", "xiaoguwei"}
    assert template_for(FormType.PROJECT).name == "project"
    assert template_for(FormType.DEPARTMENT).name == "department"
    project = template_for(FormType.PROJECT)
    assert project.required_level1() == ("产出指标", "效益指标", "满意度指标", "成本指标")
    assert template_for(FormType.PROJECT).required_level2("产出指标") == ()
    department = template_for(FormType.DEPARTMENT)
    assert department.required_level1() == ("产出指标", "效益指标", "满意度指标")
    assert department.required_level2("效益指标") == ()
    assert bundled_templates()["xiaoguwei"].required_level2("成本指标") == (
        "经济成本指标", "社会成本指标", "生态环境成本指标",
    )


@pytest.mark.parametrize("name", sorted(bundled_templates()))
def test_template_names_are_the_taxonomys(name: str) -> None:
    taxonomy = bundled_catalog().taxonomy
    for category in bundled_templates()[name].categories:
        assert taxonomy.canonical_level1(category.level1) == category.level1
        for level2 in category.level2:
            assert taxonomy.canonical_level2(category.level1, level2) == level2


def test_form_type_picks_the_template() -> None:
    data = load_example(PROJECT)
    assert [d.code for d in lint_form(form_from_example(data), select=["IND611"])] == []
    department = form_from_example({**data, "form_type": "department"})
    assert [d.code for d in lint_form(department, select=["IND611"])] == []
    outputs_only = form_from_example({"rows": data["rows"][:1], "form_type": "department"})
    missing = [d.message for d in lint_form(outputs_only, select=["IND611"])]
    assert missing == ["缺少一级指标“效益指标”", "缺少一级指标“满意度指标”"]


def test_template_given_overrides_the_form_type() -> None:
    form = form_from_example(load_example(PROJECT))
    found = lint_form(form, select=["IND611"], template=load_template("xiaoguwei"))
    missing = [d.message for d in found]
    assert "缺少二级指标“时效指标”" in missing
    assert "缺少二级指标“生态效益指标”" in missing
    assert len(found) == 6
    assert all(d.data["template"] == "xiaoguwei" for d in found)


def test_template_file(tmp_path: Path) -> None:
    path = tmp_path / "street.yaml"
    path.write_text(
        "name: street\ntitle: 街道模板\nform_type: department\nsource: 某区 2024\n"
        "categories:\n  - level1: 产出指标\n    level2: [数量指标, 质量指标]\n"
        "  - level1: 成本指标\n    required: false\n",
        encoding="utf-8",
    )
    template = load_template(str(path))
    form = form_from_example(load_example(PROJECT))
    found = lint_form(form, select=["IND611"], template=template)
    assert [d.message for d in found] == ["缺少二级指标“质量指标”"]
    assert "街道模板要求" in (found[0].hint or "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: Bad Name\ntitle: t\nform_type: project\nsource: s\ncategories: []\n", "格式有误"),
        ("name: t\ntitle: t\nform_type: region\nsource: s\ncategories: []\n", "格式有误"),
        ("name: t\ntitle: t\nform_type: project\ncategories: []\n", "格式有误"),
        ("name: [\n", "格式有误"),
    ],
    ids=["bad name", "bad form type", "no source", "bad yaml"],
)
def test_invalid_template_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=message):
        load_template(str(path))


@pytest.mark.parametrize("name", ["nowhere", "missing.yaml"])
def test_unknown_template(name: str) -> None:
    with pytest.raises(TemplateError) as caught:
        load_template(name)
    assert caught.value.diagnostics[0].code == "IND641"


def test_cli_template_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from indicators.cli.app import main

    path = tmp_path / "form.json"
    path.write_text(form_from_example(load_example(PROJECT)).model_dump_json(), encoding="utf-8")
    assert main(["check", str(path), "--select", "IND611"]) == 0
    capsys.readouterr()
    assert main(["check", str(path), "--select", "IND611", "--template", "xiaoguwei"]) == 0
    assert "缺少二级指标“时效指标”" in capsys.readouterr().out
    assert main(["check", str(path), "--template", "nowhere"]) == 2
    assert "未知模板" in capsys.readouterr().err
