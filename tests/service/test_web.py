"""The web page in process: what each page shows, its downloads and its error pages."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.service.conftest import ACTUALS, DECLARED, SELF_EVALUATION

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def carried(path: object) -> dict[str, str]:
    from pathlib import Path

    assert isinstance(path, Path)
    return {"form_name": path.name, "form_data": base64.b64encode(path.read_bytes()).decode()}


def test_index_offers_the_three_tasks(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for action in ('action="/ui/check"', 'action="/ui/score"', 'action="/ui/audit"'):
        assert action in page.text
    assert 'lang="zh-CN"' in page.text
    assert "<script" not in page.text  # no script at all, let alone one from the network


def test_the_check_page_marks_each_finding_on_its_cell(client: TestClient) -> None:
    from indicators.forms import read_form
    from indicators.lint import lint_form

    form = read_form(DECLARED.read_bytes(), source=DECLARED.name)
    found = lint_form(form, path=DECLARED.name)
    page = client.post("/ui/check", files={"form": (DECLARED.name, DECLARED.read_bytes())}).text
    located = [d for d in found if d.location is not None and d.location.column is not None]
    assert located
    for number, d in enumerate(found, start=1):
        assert f'id="finding-{number}"' in page
        assert d.message.replace("“", "“") in page or d.code in page
    for d in located:
        assert d.location is not None
        cell = re.search(rf'<td class="finding (\w+)( many)?" id="cell-{d.location.cell}"[^>]*>', page)
        assert cell is not None, d.location.cell
    marked = re.findall(r'<td class="finding (error|warning|info)( many)?"', page)
    assert len(marked) == len({(d.location.row, d.location.column) for d in located if d.location})


def test_the_check_page_offers_a_box_for_each_actual_value(client: TestClient) -> None:
    page = client.post("/ui/check", files={"form": (DECLARED.name, DECLARED.read_bytes())}).text
    boxes = re.findall(r'name="actual-(\d+)"', page)
    assert len(boxes) == 25
    assert 'name="form_data"' in page


def test_the_page_escapes_what_the_file_says(client: TestClient) -> None:
    hostile = DECLARED.read_text(encoding="utf-8").replace("番禺区人民政府", "<script>alert(1)</script>")
    page = client.post("/ui/check", files={"form": ("x.txt", hostile.encode())}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_annotated_download(client: TestClient) -> None:
    answer = client.post("/ui/check.xlsx", data=carried(DECLARED))
    assert answer.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(answer.content))
    assert "审核意见" in book.sheetnames[-1] or len(book.sheetnames) == 2


def test_typed_actual_values_give_the_score_sheet(client: TestClient) -> None:
    page = client.post("/ui/check", files={"form": (DECLARED.name, DECLARED.read_bytes())}).text
    indexes = re.findall(r'name="actual-(\d+)"', page)
    typed = {f"actual-{i}": "达成" for i in indexes}
    nothing = client.post("/ui/score", data=carried(DECLARED) | {f"actual-{i}": "" for i in indexes}).text
    sheet = client.post("/ui/score", data=carried(DECLARED) | typed).text
    total = re.search(r'总分 <strong>([\d.]+)</strong>', sheet)
    empty = re.search(r'总分 <strong>([\d.]+)</strong>', nothing)
    assert total is not None
    assert empty is not None
    assert float(total[1]) > float(empty[1])
    assert sheet.count('class="status met"') >= 10


def test_an_actuals_file_gives_the_score_sheet_and_its_workbook(client: TestClient) -> None:
    files = {"form": (DECLARED.name, DECLARED.read_bytes()), "actuals": (ACTUALS.name, ACTUALS.read_bytes())}
    page = client.post("/ui/score", files=files)
    assert page.status_code == 200
    assert 'id="score-sheet"' in page.text
    book = client.post("/ui/score.xlsx", files=files)
    assert book.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" in book.headers["content-disposition"]


def test_the_audit_page_shows_each_difference(client: TestClient) -> None:
    files = {"table": (SELF_EVALUATION.name, SELF_EVALUATION.read_bytes())}
    page = client.post("/ui/audit", files=files).text
    assert 'id="audit-table"' in page
    assert 'class="differs"' in page
    download = client.post("/ui/audit.xlsx", data={
        "table_name": SELF_EVALUATION.name,
        "table_data": base64.b64encode(SELF_EVALUATION.read_bytes()).decode(),
    })
    assert download.headers["content-type"] == XLSX


@pytest.mark.parametrize("path", ["/ui/check", "/ui/check.xlsx", "/ui/score", "/ui/score.xlsx", "/ui/audit",
                                  "/ui/audit.xlsx"])
def test_no_file_chosen_is_a_page_that_says_so(client: TestClient, path: str) -> None:
    page = client.post(path, data={"policy": ""})
    assert page.status_code == 422
    assert "请选择" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_an_unreadable_file_is_a_page_with_the_reason(client: TestClient) -> None:
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
    page = client.post("/ui/check", files={"form": ("old.xls", old)})
    assert page.status_code == 422
    assert ".xls" in page.text
    assert "Traceback" not in page.text


def test_a_carried_file_that_is_not_base64_is_no_file(client: TestClient) -> None:
    page = client.post("/ui/check.xlsx", data={"form_name": "x.txt", "form_data": "***"})
    assert page.status_code == 422


def test_an_unknown_policy_is_a_page_that_says_so(client: TestClient) -> None:
    files = {"form": (DECLARED.name, DECLARED.read_bytes()), "actuals": (ACTUALS.name, ACTUALS.read_bytes())}
    page = client.post("/ui/score", files=files, data={"policy": "../secret"})
    assert page.status_code == 422
    assert "未知的评分规则" in page.text


def test_the_static_style_is_served(client: TestClient) -> None:
    answer = client.get("/static/style.css")
    assert answer.status_code == 200
    assert "Noto Sans CJK SC" in answer.text


def test_a_declared_form_sent_for_scoring_alone_asks_for_its_actual_values(client: TestClient) -> None:
    page = client.post("/ui/score", files={"form": (DECLARED.name, DECLARED.read_bytes())})
    assert page.status_code == 200
    assert 'class="note-box"' in page.text
    assert "逐项填写实际完成值" in page.text
    assert len(re.findall(r'name="actual-(\d+)"', page.text)) == 25


def test_a_completed_table_sent_for_scoring_alone_is_scored_from_its_own_values(client: TestClient) -> None:
    page = client.post("/ui/score", files={"form": (SELF_EVALUATION.name, SELF_EVALUATION.read_bytes())})
    assert 'id="score-sheet"' in page.text
    assert "note-box" not in page.text
