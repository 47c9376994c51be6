"""The web page for people who are not programmers: plain HTML forms, rendered on the server.

=================  ==================================================================================
route              what it shows
=================  ==================================================================================
``GET /``          the three tasks: check a declared form, score it, audit a completed 绩效自评表
``POST /ui/check`` the form as a table, each finding marked on its cell and explained below it; the
                   indicator rows with a box for each 实际完成值; the annotated XLSX (``/ui/check.xlsx``)
``POST /ui/score`` the score sheet (得分, 等级, how each line was scored); the 绩效自评表 XLSX download
                   (``/ui/score.xlsx``)
``POST /ui/audit`` each row's published score beside the recomputed one, and every difference; its
                   workbook (``/ui/audit.xlsx``)
=================  ==================================================================================

The server keeps nothing between requests: the result page carries the uploaded file (base64, in a
hidden field) so that the next step (typing actual values, a download) sends it back. No script
framework, no build step and nothing loaded from the network: the page works without JavaScript.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import UploadFile

from indicators import __version__
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Severity
from indicators.errors import IndicatorsError
from indicators.service import work
from indicators.service.problems import ServiceError

if TYPE_CHECKING:
    from jinja2 import Environment

    from indicators.forms.model import Form
    from indicators.scoring import ScoreSheet
    from indicators.service.engine import Engine
    from indicators.service.settings import ServiceSettings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: most rows of a form shown in the page's table (the findings list has them all)
SHOWN_ROWS = 1_000
#: shown when a declared form is sent for scoring without any actual value
ASK_FOR_ACTUALS = ("这是申报表，还没有实际完成值：请在页面下方的表格中逐项填写实际完成值，"
                   "或上传实际完成值文件，再计算得分。")
SEVERITY_CLASS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def install(app: FastAPI) -> None:
    """Add the page's routes and its static files to ``app``."""
    app.mount("/static", StaticFiles(packages=[("indicators.service", "static")]), name="static")
    app.add_api_route("/", index, methods=["GET"], include_in_schema=False)
    app.add_api_route("/ui/check", check_page, methods=["POST"], include_in_schema=False)
    app.add_api_route("/ui/check.xlsx", annotated_download, methods=["POST"], include_in_schema=False)
    app.add_api_route("/ui/score", score_page, methods=["POST"], include_in_schema=False)
    app.add_api_route("/ui/score.xlsx", score_download, methods=["POST"], include_in_schema=False)
    app.add_api_route("/ui/audit", audit_page, methods=["POST"], include_in_schema=False)
    app.add_api_route("/ui/audit.xlsx", audit_download, methods=["POST"], include_in_schema=False)


_ENV_LOCK = threading.Lock()
_ENV: list[Environment] = []


def _env() -> Environment:
    """The page templates' environment, built once (under a lock: requests run in threads)."""
    if not _ENV:
        from jinja2 import Environment, PackageLoader, select_autoescape

        with _ENV_LOCK:
            if not _ENV:
                env = Environment(loader=PackageLoader("indicators.service", "templates"),
                                  autoescape=select_autoescape(default=True), trim_blocks=True,
                                  lstrip_blocks=True)
                env.globals["version"] = __version__
                _ENV.append(env)
    return _ENV[0]


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env().get_template(name).render(**context), status_code=status)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


async def index(request: Request) -> HTMLResponse:
    from indicators.scoring import available_policies

    return _page("index.html", policies=available_policies())


# --- uploads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file sent by the page: a fresh upload, or the one a result page carried back."""

    name: str
    data: bytes

    @property
    def encoded(self) -> str:
        return base64.b64encode(self.data).decode("ascii")


@dataclass(frozen=True)
class Fields:
    """What the page sent: its files (read, and closed) and its text fields in order."""

    files: dict[str, Upload]
    texts: list[tuple[str, str]]

    def text(self, name: str) -> str | None:
        value = next((v for k, v in self.texts if k == name), "").strip()
        return value or None

    def upload(self, name: str, default: str) -> Upload | None:
        """A file just chosen, or the one a result page carried back (``NAME_data``, ``NAME_name``)."""
        if name in self.files:
            return self.files[name]
        carried = self.text(f"{name}_data")
        if carried is None:
            return None
        try:
            data = base64.b64decode(carried, validate=True)
        except binascii.Error:
            return None
        return Upload(work.safe_name(self.text(f"{name}_name"), default), data)


async def _fields(request: Request) -> Fields:
    files: dict[str, Upload] = {}
    texts: list[tuple[str, str]] = []
    async with request.form() as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    files[key] = Upload(work.safe_name(value.filename, "upload"), await value.read())
            else:
                texts.append((key, value))
    return Fields(files, texts)


def _problem_page(exc: IndicatorsError | ServiceError, title: str) -> HTMLResponse:
    status = exc.status if isinstance(exc, ServiceError) else 422
    return _page("error.html", status=status, title=title, diagnostics=list(exc.diagnostics))


def _missing(what: str, title: str) -> HTMLResponse:
    found = diagnostic("IND903", detail=f"请选择{what}")
    return _page("error.html", status=422, title=title, diagnostics=[found])


# --- the reviewer's check -----------------------------------------------------------------------------


@dataclass
class GridCell:
    text: str
    marks: list[int] = field(default_factory=list)
    severity: str = ""
    #: the messages of the cell's findings, shown when the pointer rests on it
    tip: str = ""


@dataclass
class GridRow:
    number: int
    cells: list[GridCell]
    marks: list[int] = field(default_factory=list)


def _grid_view(grid: list[list[str]], found: Sequence[Diagnostic]) -> tuple[list[GridRow], int]:
    """The table of the form, each cell with the numbers of its findings (1-based, as listed)."""
    width = max((len(row) for row in grid), default=0)
    at: dict[tuple[int, int], list[tuple[int, Diagnostic]]] = defaultdict(list)
    on_row: dict[int, list[int]] = defaultdict(list)
    for number, d in enumerate(found, start=1):
        loc = d.location
        if loc is None or loc.row is None:
            continue
        if loc.column is not None:
            at[(loc.row, loc.column)].append((number, d))
            width = max(width, loc.column)
        else:
            on_row[loc.row].append(number)
    rows = []
    last = max([len(grid), *(r for r, _ in at), *on_row], default=0)
    for r in range(1, min(last, SHOWN_ROWS) + 1):
        texts = grid[r - 1] if r <= len(grid) else []
        cells = []
        for c in range(1, width + 1):
            cell = GridCell(texts[c - 1] if c <= len(texts) else "")
            marks = at.get((r, c), [])
            if marks:
                cell.marks = [n for n, _ in marks]
                worst = max((d.severity for _, d in marks), key=lambda s: s.rank)
                cell.severity = SEVERITY_CLASS[worst]
                cell.tip = "\n".join(f"{n}. {d.code} {d.message}" for n, d in marks)
            cells.append(cell)
        rows.append(GridRow(r, cells, on_row.get(r, [])))
    return rows, width


def _findings_view(found: Sequence[Diagnostic]) -> list[dict[str, Any]]:
    out = []
    for number, d in enumerate(found, start=1):
        loc = d.location
        where, anchor = "", None
        if loc is not None and loc.row is not None:
            anchor = loc.cell if loc.column is not None else None
            where = anchor or f"第 {loc.row} 行"
        out.append({"number": number, "where": where, "anchor": anchor, "code": d.code,
                    "severity": SEVERITY_CLASS[d.severity], "label": d.severity.label, "message": d.message,
                    "hint": d.hint,
                    "indicator": d.indicator if d.indicator and d.indicator not in d.message else None})
    return out


def _score_rows(form: Form) -> list[dict[str, Any]]:
    """The indicator rows for typing actual values: names, target, unit and the value already written."""
    rows = []
    for row in form.indicators:
        if row.level3 is None or row.level3.empty:
            continue
        target = row.target_text()
        rows.append({
            "index": row.index,
            "level1": row.level1.text if row.level1 else "",
            "level2": row.level2.text if row.level2 else "",
            "level3": row.level3.text,
            "target": target.combined if target is not None else "",
            "actual": row.actual.text if row.actual is not None else "",
        })
    return rows


async def check_page(request: Request) -> HTMLResponse:
    form_data = await _fields(request)
    upload = form_data.upload("form", "form.txt")
    if upload is None:
        return _missing("要审核的申报表文件", "审核申报表")
    return await _check_view(request, upload)


async def _check_view(request: Request, upload: Upload, note: str | None = None) -> HTMLResponse:
    """The form as a table with its findings, and the boxes for its actual values."""
    title = "审核申报表"
    limits = _settings(request).limits
    engine = _engine(request)
    try:
        form = await engine.run(work.read_upload, upload.data, upload.name, limits=limits)
        found = await engine.run(work.check, form, upload.name, limits=limits)
        grid = await engine.run(_grid, upload, form, limits)
    except (IndicatorsError, ServiceError) as exc:
        return _problem_page(exc, title)
    rows, width = _grid_view(grid, found)
    counts = {key: sum(SEVERITY_CLASS[d.severity] == key for d in found) for key in SEVERITY_CLASS.values()}
    return _page("check.html", title=title, upload=upload, form=form, rows=rows, width=width,
                 columns=[_column_name(c) for c in range(1, width + 1)], findings=_findings_view(found),
                 counts=counts, truncated=len(grid) > SHOWN_ROWS, score_rows=_score_rows(form),
                 self_evaluation=form.kind.value == "self_evaluation", note=note)


def _grid(upload: Upload, form: Form, limits: Any) -> list[list[str]]:
    from indicators.lint.writers.grid import source_grid

    return source_grid(upload.data, form, limits=limits, name=upload.name)


def _column_name(column: int) -> str:
    from indicators.diagnostics import column_letter

    return column_letter(column)


async def annotated_download(request: Request) -> Response:
    form_data = await _fields(request)
    upload = form_data.upload("form", "form.txt")
    if upload is None:
        return _missing("申报表文件", "下载审核意见")
    limits = _settings(request).limits
    engine = _engine(request)
    try:
        form = await engine.run(work.read_upload, upload.data, upload.name, limits=limits)
        found = await engine.run(work.check, form, upload.name, limits=limits)
        book = await engine.run(work.annotated_workbook, upload.data, upload.name, form, found, limits=limits)
    except (IndicatorsError, ServiceError) as exc:
        return _problem_page(exc, "下载审核意见")
    return _xlsx(book, f"{_stem(upload.name)}-审核意见.xlsx")


# --- scoring ------------------------------------------------------------------------------------------


async def _scored(request: Request) -> tuple[Upload, ScoreSheet, list[tuple[str, str]]] | HTMLResponse:
    """The score sheet of the form the page sent, with the actual values typed or uploaded."""
    title = "绩效自评"
    form_data = await _fields(request)
    upload = form_data.upload("form", "form.txt")
    if upload is None:
        return _missing("申报表文件", title)
    actuals_file = form_data.upload("actuals", "actuals.csv")
    typed = [(key.removeprefix("actual-"), value.strip()) for key, value in form_data.texts
             if key.startswith("actual-")]
    settings = _settings(request)
    engine = _engine(request)
    try:
        form = await engine.run(work.read_upload, upload.data, upload.name, limits=settings.limits)
        if actuals_file is None and not typed and form.kind.value != "self_evaluation":
            return await _check_view(request, upload, note=ASK_FOR_ACTUALS)
        if actuals_file is not None:
            actuals = await engine.run(work.read_actuals_upload, actuals_file.data, actuals_file.name,
                                       limits=settings.limits)
        else:
            actuals = await engine.run(_typed_actuals, form, typed, settings)
        sheet = await engine.run(work.score, form, actuals, policy_name=form_data.text("policy"))
    except (IndicatorsError, ServiceError) as exc:
        return _problem_page(exc, title)
    return upload, sheet, typed


def _typed_actuals(form: Form, typed: list[tuple[str, str]], settings: ServiceSettings) -> Any:
    """The values typed on the page, one per indicator row (by its index), as a JSON actuals request."""
    from indicators.service.models import ActualValue

    names = {str(row.index): row.level3.text for row in form.indicators if row.level3 is not None}
    values = [ActualValue(name=names[i], actual=value) for i, value in typed if i in names and value]
    if not values and form.kind.value == "self_evaluation":
        return None  # the table's own 实际完成值
    return work.actuals_of(values, None, limits=settings.limits)


async def score_page(request: Request) -> HTMLResponse:
    result = await _scored(request)
    if isinstance(result, HTMLResponse):
        return result
    upload, sheet, typed = result
    return _page("score.html", title="绩效自评", upload=upload, sheet=sheet, typed=typed,
                 findings=_findings_view(sheet.all_diagnostics()))


async def score_download(request: Request) -> Response:
    result = await _scored(request)
    if isinstance(result, HTMLResponse):
        return result
    upload, sheet, _ = result
    book = await _engine(request).run(work.score_workbook, sheet)
    return _xlsx(book, f"{_stem(upload.name)}-{sheet.sheet_title}.xlsx")


# --- audit --------------------------------------------------------------------------------------------


async def audit_page(request: Request) -> HTMLResponse:
    title = "审核自评表"
    form_data = await _fields(request)
    upload = form_data.upload("table", "table.txt")
    if upload is None:
        return _missing("已填报的绩效自评表文件", title)
    try:
        report = await _engine(request).run(work.audit, upload.data, upload.name,
                                            limits=_settings(request).limits,
                                            policy_name=form_data.text("policy"))
    except (IndicatorsError, ServiceError) as exc:
        return _problem_page(exc, title)
    return _page("audit.html", title=title, upload=upload, report=report, table=report.tables[0])


async def audit_download(request: Request) -> Response:
    form_data = await _fields(request)
    upload = form_data.upload("table", "table.txt")
    if upload is None:
        return _missing("绩效自评表文件", "下载复核结果")
    engine = _engine(request)
    try:
        report = await engine.run(work.audit, upload.data, upload.name, limits=_settings(request).limits,
                                  policy_name=form_data.text("policy"))
        book = await engine.run(work.audit_workbook, report)
    except (IndicatorsError, ServiceError) as exc:
        return _problem_page(exc, "下载复核结果")
    return _xlsx(book, f"{_stem(upload.name)}-复核.xlsx")


# --- helpers ------------------------------------------------------------------------------------------


def _stem(name: str) -> str:
    return name.rpartition(".")[0] or name


def _xlsx(book: bytes, filename: str) -> Response:
    from urllib.parse import quote

    disposition = f"attachment; filename=\"download.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return Response(book, media_type=XLSX, headers={"content-disposition": disposition})
