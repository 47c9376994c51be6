"""One output contract: every JSON document carries schema_version, its JSON Schema in docs/schemas is
current, and the command line prints what the library's models say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from indicators.cli.app import main
from indicators.documents import (
    SCHEMA_VERSION,
    SCHEMAS,
    CatalogEntries,
    CatalogEntry,
    CatalogMatches,
    CheckReport,
    EvaluationDocument,
    ExplainDocument,
    FormulaDocument,
    OutcomeDocument,
    TargetDocument,
    schema_json,
)
from indicators.forms.model import Form
from indicators.scoring.audit.model import AuditReport
from indicators.scoring.sheet import ScoreSheet

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
DECLARED, ACTUALS = str(EX / "xiaoguwei-declared.txt"), str(EX / "xiaoguwei-actuals.csv")
FORMULAS, SELF_EVALUATION = str(EX / "xiaoguwei-formulas.tsv"), str(EX / "selfeval-S14.tsv")


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_schema_in_docs_is_current(name: str) -> None:
    page = (ROOT / "docs" / "schemas" / name).read_text(encoding="utf-8")
    assert page == schema_json(name), "regenerate: python -m indicators.documents docs/schemas"


def test_the_list_of_schemas_is_the_table_of_models() -> None:
    from indicators.documents import _schemas

    assert list(SCHEMAS) == list(_schemas())


def test_docs_schemas_holds_only_the_exported_schemas() -> None:
    assert sorted(p.name for p in (ROOT / "docs" / "schemas").iterdir()) == sorted(SCHEMAS)


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_top_level_document_has_schema_version(name: str) -> None:
    schema = json.loads(schema_json(name))
    if name in ("diagnostic.schema.json", "catalog-entry.schema.json"):
        assert "schema_version" not in schema["properties"]  # parts of documents, never printed alone
    else:
        assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


#: every command that prints JSON: its arguments and the model of what it prints (None: a plain object)
COMMANDS: list[tuple[list[str], type[BaseModel] | None]] = [
    (["formula", "parse", "指标值=办结工单/呈办工单*100%"], FormulaDocument),
    (["formula", "eval", "a/b*100%", "--var", "a=1", "--var", "b=3"], EvaluationDocument),
    (["formula", "table", FORMULAS], None),
    (["formula", "solve", "a/b*100%", "--for", "a", "--target", "95", "--var", "b=100"], None),
    (["formula", "equiv", "a/b*100%", "a*100%/b"], None),
    (["formula", "latex", "a/b*100%"], None),
    (["target", "parse", "95%以上"], TargetDocument),
    (["target", "check", "95%以上", "96.5%"], OutcomeDocument),
    (["catalog", "list"], CatalogEntries),
    (["catalog", "show", "12345热线工单办结率"], CatalogEntry),
    (["catalog", "search", "满意度"], CatalogMatches),
    (["catalog", "validate"], None),
    (["form", "show", DECLARED], Form),
    (["form", "export", DECLARED], Form),
    (["check", DECLARED], CheckReport),
    (["score", DECLARED, "--actuals", ACTUALS], ScoreSheet),
    (["audit", SELF_EVALUATION], AuditReport),
    (["explain", "IND603"], ExplainDocument),
    (["batch", "sql", "a/b*100%"], None),
]


def _ids(value: object) -> str:
    return " ".join(value[:3]) if isinstance(value, list) else ""


@pytest.mark.parametrize(("argv", "model"), COMMANDS, ids=_ids)
def test_every_json_document_carries_schema_version(argv: list[str], model: type[BaseModel] | None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*argv, "--json"])
    assert code in (0, 1)
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["schema_version"] == SCHEMA_VERSION
    assert next(iter(data)) == "schema_version"
    if model is not None:
        assert model.model_validate_json(out).model_dump(mode="json") == data


@pytest.mark.parametrize(("argv", "model"), COMMANDS[:1] + COMMANDS[6:9] + COMMANDS[14:17], ids=_ids)
def test_json_is_the_shorthand_of_format_json(argv: list[str], model: object,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    first = main([*argv, "--json"])
    by_flag = capsys.readouterr().out
    assert main([*argv, "--format", "json"]) == first
    assert capsys.readouterr().out == by_flag


@pytest.mark.parametrize("argv", [
    ["target", "check", "95%", "96%", "--json", "--format", "text"],
    ["check", DECLARED, "--json", "--format", "sarif"],
    ["form", "export", DECLARED, "--json", "--format", "yaml"],
], ids=lambda v: " ".join(v[:2]))
def test_json_with_another_format_is_a_usage_error(argv: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "用法错误" in err
    assert "--json" in err


def _http(path: str, **kw: Any) -> Any:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from indicators.service import ServiceSettings, create_app

    with TestClient(create_app(ServiceSettings(access_log=False))) as client:
        return client.post(path, **kw).json()


@pytest.mark.parametrize(("argv", "path", "body"), [
    (["target", "check", "95%以上", "96.5%"], "/v1/targets:check", {"target": "95%以上", "actual": "96.5%"}),
    (["target", "check", "≥5只", "6头"], "/v1/targets:check", {"target": "≥5只", "actual": "6头"}),
    (["target", "parse", "6月", "--level2", "时效指标"], "/v1/targets:parse",
     {"target": "6月", "level2": "时效指标"}),
    (["formula", "parse", "（已完成项目数÷计划项目数）×100%"], "/v1/formulas:parse",
     {"formula": "（已完成项目数÷计划项目数）×100%"}),
], ids=_ids)
def test_the_http_api_answers_the_same_document_as_the_command(argv: list[str], path: str,
                                                                body: dict[str, str],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    main([*argv, "--json"])
    assert json.loads(capsys.readouterr().out) == _http(path, json=body)


def test_the_http_score_sheet_is_the_command_s(capsys: pytest.CaptureFixture[str]) -> None:
    main(["score", DECLARED, "--actuals", ACTUALS, "--json"])
    by_command = json.loads(capsys.readouterr().out)
    files = {"form": (Path(DECLARED).name, Path(DECLARED).read_bytes()),
             "actuals": (Path(ACTUALS).name, Path(ACTUALS).read_bytes())}
    by_http = _http("/v1/forms:score", files=files)
    for data in (by_command, by_http):
        data.pop("source")
    assert by_http == by_command
