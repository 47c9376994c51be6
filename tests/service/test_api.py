"""Every /v1 route in process: the documents it answers and the problems it refuses with."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.service.conftest import ACTUALS, DECLARED, SELF_EVALUATION

from indicators.documents import SCHEMA_VERSION

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problem(answer: Any, status: int, code: str) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with this status and first code, and no traceback."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(f"#{code.lower()}")
    assert body["detail"] == body["diagnostics"][0]["message"]
    assert "Traceback" not in answer.text
    return body


# --- service ------------------------------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    assert client.get("/v1/health").json() == {"status": "ok"}


def test_version(client: TestClient) -> None:
    from indicators import __version__

    body = client.get("/v1/version").json()
    expected = {"name": "indicators", "version": __version__, "api": "v1", "schema_version": SCHEMA_VERSION}
    assert body == expected


def test_every_answer_carries_a_request_id(client: TestClient) -> None:
    given = client.get("/v1/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = client.get("/v1/health", headers={"X-Request-ID": "bad id with spaces\x1b"})
    assert made.headers["x-request-id"] != "bad id with spaces\x1b"
    assert len(made.headers["x-request-id"]) == 32


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/v1/nothing-here", 404, "IND904"),
    ("GET", "/v2/health", 404, "IND904"),
    ("DELETE", "/v1/health", 405, "IND905"),
    ("GET", "/v1/formulas:parse", 405, "IND905"),
], ids=lambda v: str(v))
def test_unknown_routes_and_methods_are_problems(client: TestClient, method: str, path: str, status: int,
                                                  code: str) -> None:
    problem(client.request(method, path), status, code)


def test_no_interactive_docs_that_load_scripts_from_the_network(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/v1/openapi.json").json()["info"]["title"] == "indicators"


# --- formulas -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "variables"), [
    ("指标值=办结工单/呈办工单*100%", "percentage", ["办结工单", "呈办工单"]),
    ("（已完成项目数÷计划项目数）×100%", "percentage", ["已完成项目数", "计划项目数"]),
    ("实际支出金额", "amount", ["实际支出金额"]),
], ids=lambda v: str(v))
def test_parse_formula(client: TestClient, text: str, kind: str, variables: list[str]) -> None:
    body = client.post("/v1/formulas:parse", json={"formula": text}).json()
    assert body["schema_version"] == SCHEMA_VERSION
    assert body["kind"] == kind
    assert body["variables"] == variables
    assert body["text"] == text


@pytest.mark.parametrize(("text", "code"), [
    ("a+(b", "IND104"),
    ("", "IND106"),
    ("a/b)", "IND104"),
], ids=lambda v: str(v))
def test_a_formula_that_cannot_be_read_is_a_422_problem(client: TestClient, text: str, code: str) -> None:
    body = problem(client.post("/v1/formulas:parse", json={"formula": text}), 422, code)
    assert body["instance"] == "/v1/formulas:parse"


def test_formula_limits_are_422_problems(client: TestClient) -> None:
    long = "a+" * 1_500 + "b"
    body = problem(client.post("/v1/formulas:parse", json={"formula": long}), 422, "IND001")
    assert "2000" in body["detail"]
    deep = "(" * 60 + "a" + ")" * 60
    problem(client.post("/v1/formulas:parse", json={"formula": deep}), 422, "IND002")


def test_evaluate_formula(client: TestClient) -> None:
    body = client.post("/v1/formulas:evaluate", json={
        "formula": "指标值=办结工单/呈办工单*100%",
        "values": {"办结工单": "290", "呈办工单": "300"},
        "places": 3,
    }).json()
    assert body["ok"] is True
    assert body["display"] == "96.667%"
    assert body["value"].startswith("96.6666")
    assert body["diagnostics"] == []


def test_evaluate_formula_with_a_missing_value_says_why(client: TestClient) -> None:
    body = client.post("/v1/formulas:evaluate", json={"formula": "a/b", "values": {"a": "1"}}).json()
    assert body["ok"] is False
    assert body["value"] is None
    assert [d["code"] for d in body["diagnostics"]] == ["IND111"]


# --- targets ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "actual", "outcome"), [
    ("95%以上", "96.5%", "met"),
    ("≥95%", "90%", "not_met"),
    ("控制在100万元以内", "98万元", "met"),
    ("良以上", "优", "met"),
    ("95%以上", "优秀", "not_comparable"),
], ids=lambda v: str(v))
def test_check_target(client: TestClient, target: str, actual: str, outcome: str) -> None:
    body = client.post("/v1/targets:check", json={"target": target, "actual": actual}).json()
    assert body["outcome"] == outcome
    assert body["target"] == target
    assert body["actual"] == actual
    assert body["schema_version"] == SCHEMA_VERSION


def test_check_target_the_acceptance_example(client: TestClient) -> None:
    body = client.post("/v1/targets:check", json={"target": "95%以上", "actual": "96.5%"}).json()
    assert body["outcome"] == "met"
    assert body["outcome_label"] == "达成"
    assert body["achievement"].startswith("1.0157894")


def test_check_relative_target_with_a_baseline(client: TestClient) -> None:
    request = {"target": "较上年提高5个百分点", "actual": "90%", "baseline": "84%"}
    assert client.post("/v1/targets:check", json=request).json()["outcome"] == "met"
    request.pop("baseline")
    assert client.post("/v1/targets:check", json=request).json()["outcome"] == "needs_baseline"


def test_parse_target_with_the_row(client: TestClient) -> None:
    body = client.post("/v1/targets:parse", json={"target": "6月", "level2": "时效指标",
                                                  "indicator": "项目完工时限"}).json()
    assert body["target"]["kind"] == "deadline"
    assert body["reading"] is not None
    assert body["canonical"] == "6月底前"


@pytest.mark.parametrize(("request_body", "code"), [
    ({"target": "", "actual": "1"}, "IND"),
    ({"target": "95%以上", "actual": ""}, "IND"),
], ids=lambda v: json.dumps(v, ensure_ascii=False))
def test_an_unreadable_target_or_actual_is_a_422_problem(client: TestClient, request_body: dict[str, str],
                                                         code: str) -> None:
    answer = client.post("/v1/targets:check", json=request_body)
    assert answer.status_code == 422
    assert answer.json()["code"].startswith(code)


@pytest.mark.parametrize("request_body", [
    {"actual": "96%"},
    {"target": 95, "actual": "96%"},
    {"target": "95%", "actual": "96%", "surprise": 1},
    ["95%", "96%"],
], ids=lambda v: json.dumps(v, ensure_ascii=False))
def test_a_request_off_the_schema_is_ind903(client: TestClient, request_body: Any) -> None:
    body = problem(client.post("/v1/targets:check", json=request_body), 422, "IND903")
    assert "请求内容有误" in body["detail"]


def test_a_body_that_is_not_json_is_ind903(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    answer = client.post("/v1/targets:check", content=b"{not json", headers=headers)
    problem(answer, 422, "IND903")


# --- catalog and policies -----------------------------------------------------------------------------


def test_catalog_list_and_filters(client: TestClient) -> None:
    every = client.get("/v1/catalog/entries").json()["entries"]
    assert len(every) > 10
    sets = {e["set"] for e in every}
    one = sorted(sets)[0]
    subset = client.get("/v1/catalog/entries", params={"set": one}).json()["entries"]
    assert subset
    assert {e["set"] for e in subset} == {one}


def test_catalog_unknown_set_is_ind907(client: TestClient) -> None:
    problem(client.get("/v1/catalog/entries", params={"set": "no-such-set"}), 422, "IND907")


def test_catalog_show_by_code_and_by_name(client: TestClient) -> None:
    entry = client.get("/v1/catalog/entries").json()["entries"][0]
    by_code = client.get(f"/v1/catalog/entries/{entry['code']}").json()
    assert by_code["entry"]["code"] == entry["code"]
    assert by_code["match"]["method"] == "exact"
    by_name = client.get(f"/v1/catalog/entries/{entry['name']}").json()
    assert by_name["entry"]["name"] == entry["name"]


def test_catalog_show_unknown_is_404_ind414(client: TestClient) -> None:
    problem(client.get("/v1/catalog/entries/完全没有这个指标名称"), 404, "IND414")


def test_catalog_search(client: TestClient) -> None:
    body = client.get("/v1/catalog/search", params={"q": "满意度"}).json()
    assert body["matches"]
    assert all("满意" in m["entry"]["name"] + "".join(m["entry"]["aliases"]) + (m["entry"]["formula"] or "")
               for m in body["matches"])
    assert client.get("/v1/catalog/search", params={"q": "zzzz不存在"}).json()["matches"] == []


def test_policies(client: TestClient) -> None:
    names = client.get("/v1/policies").json()["policies"]
    assert "project-2020" in names
    policy = client.get("/v1/policies/project-2020").json()
    assert policy["name"] == "project-2020"
    assert policy["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize("name", [
    "no-such-policy", "..%2F..%2Fetc%2Fpasswd", "catalog/scoring/project-2020.yaml",
])
def test_a_policy_is_chosen_by_its_shipped_name_only(client: TestClient, name: str) -> None:
    answer = client.get(f"/v1/policies/{name}")
    assert answer.status_code in (404, 422)
    assert answer.json()["code"] in ("IND907", "IND904")


# --- forms --------------------------------------------------------------------------------------------


def upload(path: Any, name: str | None = None) -> dict[str, tuple[str, bytes]]:
    return {"file": (name or path.name, path.read_bytes())}


def test_read_form(client: TestClient) -> None:
    body = client.post("/v1/forms:read", files=upload(DECLARED)).json()
    assert body["schema_version"] == SCHEMA_VERSION
    assert body["source"] == DECLARED.name
    assert len(body["indicators"]) > 20


def test_check_form_the_same_report_as_the_command(client: TestClient) -> None:
    from indicators.catalog import load_catalog
    from indicators.documents import check_report
    from indicators.forms import read_form
    from indicators.lint import lint_form

    catalog = load_catalog()
    form = read_form(DECLARED.read_bytes(), source=DECLARED.name, catalog=catalog)
    expected = check_report([(DECLARED.name, lint_form(form, catalog=catalog, path=DECLARED.name))])
    body = client.post("/v1/forms:check", files=upload(DECLARED)).json()
    assert body == expected.model_dump(mode="json")
    assert body["summary"]["errors"] > 0


def test_check_form_with_select_and_ignore(client: TestClient) -> None:
    only = client.post("/v1/forms:check", files=upload(DECLARED), data={"select": ["IND6"]}).json()
    assert only["diagnostics"]
    assert all(d["code"].startswith("IND6") for d in only["diagnostics"])
    unknown = client.post("/v1/forms:check", files=upload(DECLARED), data={"select": ["NOPE99"]})
    problem(unknown, 422, "IND690")


def test_check_form_as_the_annotated_workbook(client: TestClient) -> None:
    answer = client.post("/v1/forms:check", params={"format": "xlsx"}, files=upload(DECLARED))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    assert "filename*=UTF-8''xiaoguwei-declared-" in answer.headers["content-disposition"]
    book = load_workbook(io.BytesIO(answer.content))
    assert len(book.sheetnames) == 2
    form_sheet = book[book.sheetnames[0]]
    assert any(cell.comment is not None for row in form_sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(("fmt", "media", "marker"), [
    ("sarif", "application/sarif+json", b'"2.1.0"'),
    ("csv", "text/csv", b"IND"),
])
def test_check_form_as_sarif_and_csv(client: TestClient, fmt: str, media: str, marker: bytes) -> None:
    answer = client.post("/v1/forms:check", params={"format": fmt}, files=upload(DECLARED))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert marker in answer.content


def test_check_form_unknown_format_is_ind903(client: TestClient) -> None:
    problem(client.post("/v1/forms:check", params={"format": "pdf"}, files=upload(DECLARED)), 422, "IND903")


def test_check_form_model(client: TestClient) -> None:
    form = client.post("/v1/forms:read", files=upload(DECLARED)).json()
    by_model = client.post("/v1/forms:checkModel", json={"form": form}).json()
    by_file = client.post("/v1/forms:check", files=upload(DECLARED)).json()
    assert by_model["summary"]["errors"] == by_file["summary"]["errors"]
    book = client.post("/v1/forms:checkModel", params={"format": "xlsx"}, json={"form": form})
    assert book.headers["content-type"] == XLSX


def test_check_form_model_refuses_a_form_off_the_schema(client: TestClient) -> None:
    problem(client.post("/v1/forms:checkModel", json={"form": {"indicators": "no"}}), 422, "IND903")
    problem(client.post("/v1/forms:checkModel", json={"form": {"schema_version": 2}}), 422, "IND903")


@pytest.mark.parametrize(("name", "content", "code"), [
    ("empty.txt", b"", "IND501"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "IND501"),
    ("broken.xlsx", b"PK\x03\x04garbage", "IND501"),
], ids=lambda v: str(v))
def test_an_unreadable_upload_is_a_422_problem(client: TestClient, name: str, content: bytes,
                                                code: str) -> None:
    problem(client.post("/v1/forms:check", files={"file": (name, content)}), 422, code)


def test_a_missing_upload_is_ind903(client: TestClient) -> None:
    problem(client.post("/v1/forms:check", data={"sheet": "x"}), 422, "IND903")


def test_the_file_name_of_an_upload_is_cleaned(client: TestClient) -> None:
    body = client.post("/v1/forms:read", files=upload(DECLARED, "../../etc/\u202ex.txt")).json()
    assert body["source"] == "x.txt"


@pytest.mark.parametrize(("given", "kept"), [
    ("申报表.xlsx", "申报表.xlsx"),
    ("C:\\Users\\张三\\申报表.csv", "申报表.csv"),
    ("../../etc/passwd", "passwd"),
    ("a\x00b\x1b[2Jc.txt", "ab[2Jc.txt"),
    ("\u202etxt.exe", "txt.exe"),
    ("", "upload"),
    ("...", "upload"),
    (None, "upload"),
    ("长" * 300 + ".xlsx", "长" * 115 + ".xlsx"),
], ids=lambda v: repr(v)[:30])
def test_safe_name(given: str | None, kept: str) -> None:
    from indicators.service.work import safe_name

    assert safe_name(given) == kept


# --- scoring and audit --------------------------------------------------------------------------------


def test_score_form_with_an_actuals_file(client: TestClient) -> None:
    from indicators.forms import read_form
    from indicators.scoring import read_actuals, score_form

    expected = score_form(read_form(DECLARED.read_bytes(), source=DECLARED.name), read_actuals(ACTUALS))
    answer = client.post("/v1/forms:score", files={"form": (DECLARED.name, DECLARED.read_bytes()),
                                                   "actuals": (ACTUALS.name, ACTUALS.read_bytes())})
    body = answer.json()
    assert body["total"] == str(expected.total)
    assert body["grade"] == expected.grade
    assert body["schema_version"] == SCHEMA_VERSION


def test_score_form_as_the_self_evaluation_workbook(client: TestClient) -> None:
    answer = client.post("/v1/forms:score", params={"format": "xlsx"},
                         files={"form": (DECLARED.name, DECLARED.read_bytes()),
                                "actuals": (ACTUALS.name, ACTUALS.read_bytes())})
    assert answer.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book.worksheets[0]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "绩效自评表" in text


def test_score_a_declared_form_without_actuals_is_ind903(client: TestClient) -> None:
    body = problem(client.post("/v1/forms:score", files={"form": (DECLARED.name, DECLARED.read_bytes())}),
                   422, "IND903")
    assert "实际完成值" in body["detail"]


def test_score_budget_figures(client: TestClient) -> None:
    files = {"form": (DECLARED.name, DECLARED.read_bytes()), "actuals": (ACTUALS.name, ACTUALS.read_bytes())}
    body = client.post("/v1/forms:score", files=files, data={"budget_total": "100", "budget_executed": "90"})
    assert body.status_code == 200
    problem(client.post("/v1/forms:score", files=files, data={"budget_total": "一百"}), 422, "IND903")


def test_score_form_model_with_typed_actuals(client: TestClient) -> None:
    form = client.post("/v1/forms:read", files=upload(DECLARED)).json()
    names = [row["level3"]["text"] for row in form["indicators"] if row["level3"]]
    nothing = client.post("/v1/forms:scoreModel", json={"form": form, "actuals": []}).json()
    some = client.post("/v1/forms:scoreModel", json={
        "form": form, "actuals": [{"name": names[1], "actual": "达成"}],
    }).json()
    assert float(some["total"]) > float(nothing["total"])
    line = next(li for li in some["lines"] if li["level3"] == names[1])
    assert line["status"] == "met"


def test_score_form_model_with_an_unknown_policy_is_ind907(client: TestClient) -> None:
    form = client.post("/v1/forms:read", files=upload(DECLARED)).json()
    problem(client.post("/v1/forms:scoreModel", json={"form": form, "policy": "/etc/passwd"}), 422, "IND907")


def test_audit_a_completed_table(client: TestClient) -> None:
    body = client.post("/v1/tables:audit", files=upload(SELF_EVALUATION)).json()
    assert body["schema_version"] == SCHEMA_VERSION
    table = body["tables"][0]
    assert table["source"] == SELF_EVALUATION.name
    assert any(r["difference"] not in (None, "0", "0.00") for r in table["rows"])


def test_audit_an_unreadable_table_is_reported_in_the_audit(client: TestClient) -> None:
    body = client.post("/v1/tables:audit", files={"file": ("x.txt", b"\x00\x01")}).json()
    assert body["tables"][0]["findings"][0]["code"] == "IND843"


@pytest.mark.parametrize(("fmt", "media"), [("xlsx", XLSX), ("csv", "text/csv")])
def test_audit_downloads(client: TestClient, fmt: str, media: str) -> None:
    answer = client.post("/v1/tables:audit", params={"format": fmt}, files=upload(SELF_EVALUATION))
    assert answer.headers["content-type"].startswith(media)


def test_a_body_that_cannot_be_decoded_is_a_400_problem(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    answer = client.post("/v1/formulas:parse", content=b"\xff\xfe\x00{\x80", headers=headers)
    problem(answer, 400, "IND903")


@pytest.mark.parametrize(("code", "data", "status"), [
    ("IND003", {"limit": "max_file_bytes"}, 413),
    ("IND003", {"limit": "max_unpacked_bytes"}, 413),
    ("IND003", {"limit": "max_rows"}, 422),
    ("IND003", {}, 422),
    ("IND001", {}, 422),
    ("IND414", {}, 404),
    ("IND501", {}, 422),
], ids=lambda v: str(v))
def test_the_status_of_an_engine_error(code: str, data: dict[str, str], status: int) -> None:
    from indicators.codes import lookup
    from indicators.diagnostics import Diagnostic
    from indicators.errors import IndicatorsError
    from indicators.service.problems import status_of

    row = lookup(code)
    found = Diagnostic(code=code, slug=row.slug, severity=row.severity, message="m", data=data)
    assert status_of(IndicatorsError(found)) == status
