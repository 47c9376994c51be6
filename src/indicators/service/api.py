"""The ``/v1`` routes: the commands of the CLI over JSON (docs/http.md).

Each route does what its command does and answers with the same document (:mod:`indicators.documents`,
the form, the score sheet, the audit report). Uploads are ``multipart/form-data`` with the file in
``file`` (``form``/``actuals`` for scoring); a form may also be sent as the JSON form model
(``…:checkModel``, ``…:scoreModel``). ``format`` chooses another output of the command (an XLSX
workbook, SARIF, CSV).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from indicators import __version__
from indicators.documents import (
    CatalogEntries,
    CatalogEntry,
    CatalogMatches,
    CheckReport,
    EvaluationDocument,
    FormulaDocument,
    OutcomeDocument,
    TargetDocument,
    check_report,
    entry_document,
    evaluation_document,
    formula_document,
    match_document,
    outcome_document,
    target_document,
)
from indicators.forms.model import Form as FormModel
from indicators.scoring.audit.model import AuditReport
from indicators.scoring.policy import Policy
from indicators.scoring.sheet import ScoreSheet
from indicators.service import work
from indicators.service.engine import Engine
from indicators.service.models import (
    CheckFormRequest,
    EvaluateRequest,
    FormulaRequest,
    Health,
    PolicyNames,
    ScoreFormRequest,
    TargetCheckRequest,
    TargetRequest,
    Version,
)
from indicators.service.problems import MEDIA_TYPE, Problem
from indicators.service.settings import ServiceSettings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SARIF = "application/sarif+json"
CSV = "text/csv"

router = APIRouter(prefix="/v1")

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": text}
    for status, text in (
        (400, "a body that cannot be parsed (IND903)"),
        (401, "missing or wrong API key (IND902)"),
        (413, "request or file over a size limit (IND900, IND003)"),
        (422, "input that cannot be read, over a limit, or not matching the schema"),
    )
}


def _binary(*media: str, text: str) -> dict[int | str, dict[str, Any]]:
    """The other outputs of a route (``format``): a download in each of these media types."""
    binary = {"type": "string", "format": "binary"}
    log = {"type": "object", "description": "a SARIF 2.1.0 log"}
    content = {m: {"schema": log if m == SARIF else binary} for m in media}
    return {200: {"content": content, "description": text}}


def _settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _download(data: bytes | str, media: str, filename: str) -> Response:
    from urllib.parse import quote

    body = data.encode("utf-8") if isinstance(data, str) else data
    disposition = f"attachment; filename=\"download{_suffix(filename)}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, media_type=media, headers={"content-disposition": disposition})


def _suffix(filename: str) -> str:
    return "." + filename.rpartition(".")[2] if "." in filename else ""


def _stem(name: str) -> str:
    return name.rpartition(".")[0] or name


# --- health and version -------------------------------------------------------------------------------


@router.get("/health", response_model=Health, tags=["service"], summary="Health check")
async def health() -> Health:
    return Health()


@router.get("/version", response_model=Version, tags=["service"], summary="Package and API version")
async def version() -> Version:
    return Version(version=__version__)


# --- formulas and targets -----------------------------------------------------------------------------


@router.post("/formulas:parse", response_model=FormulaDocument, responses=_PROBLEMS, tags=["formulas"],
             summary="Parse a formula (indicators formula parse)")
async def parse_formula(body: FormulaRequest, request: Request) -> FormulaDocument:
    from indicators.formula import parse_formula as parse

    settings = _settings(request)
    formula = await _engine(request).run(parse, body.formula, limits=settings.limits)
    return formula_document(formula)


@router.post("/formulas:evaluate", response_model=EvaluationDocument, responses=_PROBLEMS, tags=["formulas"],
             summary="Compute a formula from values (indicators formula eval)")
async def evaluate_formula(body: EvaluateRequest, request: Request) -> EvaluationDocument:
    def run() -> EvaluationDocument:
        from indicators.formula import evaluate, parse_formula

        formula = parse_formula(body.formula, limits=_settings(request).limits)
        return evaluation_document(formula, evaluate(formula, body.values), body.places)

    return await _engine(request).run(run)


@router.post("/targets:parse", response_model=TargetDocument, responses=_PROBLEMS, tags=["targets"],
             summary="Parse a target (indicators target parse)")
async def parse_target(body: TargetRequest, request: Request) -> TargetDocument:
    def run() -> TargetDocument:
        return target_document(_target(body, _settings(request)))

    return await _engine(request).run(run)


@router.post("/targets:check", response_model=OutcomeDocument, responses=_PROBLEMS, tags=["targets"],
             summary="Judge an actual value against a target (indicators target check)")
async def check_target(body: TargetCheckRequest, request: Request) -> OutcomeDocument:
    def run() -> OutcomeDocument:
        from indicators.target import parse_actual

        settings = _settings(request)
        target = _target(body, settings)
        actual = parse_actual(body.actual, unit=body.unit, limits=settings.limits)
        baseline = None
        if body.baseline is not None:
            baseline = parse_actual(body.baseline, unit=body.unit, limits=settings.limits)
        return outcome_document(target.evaluate(actual, baseline), target.warnings)

    return await _engine(request).run(run)


def _target(body: TargetRequest, settings: ServiceSettings) -> Any:
    from indicators.target import parse_target

    return parse_target(body.target, unit=body.unit, level1=body.level1, level2=body.level2,
                        indicator=body.indicator, limits=settings.limits)


# --- catalog ------------------------------------------------------------------------------------------


@router.get("/catalog/entries", response_model=CatalogEntries, responses=_PROBLEMS, tags=["catalog"],
            summary="List catalog entries (indicators catalog list)")
async def list_entries(
    request: Request,
    set: Annotated[str | None, Query(description="only this set, e.g. street-office")] = None,
    level1: Annotated[str | None, Query(description="only this level-1, e.g. 产出指标")] = None,
) -> CatalogEntries:
    def run() -> CatalogEntries:
        catalog = work.catalog()
        if set is not None and set not in catalog.sets:
            _unknown("指标集", set, list(catalog.sets))
        return CatalogEntries(entries=catalog.list(set=set, level1=level1))

    return await _engine(request).run(run)


@router.get("/catalog/entries/{code_or_name}", response_model=CatalogEntry,
            responses={**_PROBLEMS, 404: {"model": Problem, "content": {MEDIA_TYPE: {}},
                                          "description": "no such entry (IND414)"}},
            tags=["catalog"], summary="One entry by code or name (indicators catalog show)")
async def show_entry(code_or_name: str, request: Request) -> CatalogEntry:
    def run() -> CatalogEntry:
        from decimal import Decimal

        from indicators.errors import CatalogError

        catalog = work.catalog()
        match = catalog.lookup(code_or_name)
        if match is None:
            near = [m.entry.name for m in catalog.fuzzy(code_or_name, limit=3, threshold=Decimal("0.4"))]
            hint = f"相近的有：{'、'.join(near)}" if near else None
            from indicators.codes import diagnostic

            raise CatalogError(diagnostic("IND414", name=code_or_name[:40], hint=hint))
        return entry_document(catalog, match)

    return await _engine(request).run(run)


@router.get("/catalog/search", response_model=CatalogMatches, responses=_PROBLEMS, tags=["catalog"],
            summary="Search the catalog (indicators catalog search)")
async def search_entries(
    request: Request,
    q: Annotated[str, Query(description="words that must all occur, separated by spaces", max_length=200)],
) -> CatalogMatches:
    def run() -> CatalogMatches:
        return CatalogMatches(matches=[match_document(m) for m in work.catalog().search(q)])

    return await _engine(request).run(run)


@router.get("/policies", response_model=PolicyNames, tags=["scoring"], summary="Shipped scoring policies")
async def list_policies() -> PolicyNames:
    from indicators.scoring import available_policies

    return PolicyNames(policies=available_policies())


@router.get("/policies/{name}", response_model=Policy, responses=_PROBLEMS, tags=["scoring"],
            summary="One scoring policy")
async def show_policy(name: str, request: Request) -> Policy:
    return await _engine(request).run(work.policy, name, "project")


def _unknown(what: str, name: str, known: list[str]) -> None:
    from indicators.codes import diagnostic
    from indicators.service.problems import ServiceError

    hint = f"可用的{what}：{'、'.join(known)}"
    raise ServiceError(422, diagnostic("IND907", what=what, name=name[:40], hint=hint))


# --- forms: read, check -------------------------------------------------------------------------------

Upload = Annotated[UploadFile, File(description="the form: XLSX, CSV, tab text or an exported JSON form")]
Sheet = Annotated[str | None, Form(description="the worksheet of an XLSX file (default: the first with "
                                                 "an indicator table)")]
Rules = Annotated[list[str] | None, Form(description="rules: codes (IND603), prefixes (IND6), slugs")]
Template = Annotated[Literal["department", "project"] | None,
                     Form(description="the template of required categories (default: by the form's type)")]
CheckFormat = Annotated[Literal["json", "xlsx", "sarif", "csv"], Query(description="the output")]


async def _read(request: Request, file: UploadFile, sheet: str | None = None) -> tuple[str, bytes, FormModel]:
    name = work.safe_name(file.filename, "form.txt")
    data = await file.read()
    form = await _engine(request).run(work.read_upload, data, name, limits=_settings(request).limits,
                                       sheet=sheet)
    return name, data, form


@router.post("/forms:read", response_model=FormModel, responses=_PROBLEMS, tags=["forms"],
             summary="Read a form (indicators form export)")
async def read_form(request: Request, file: Upload, sheet: Sheet = None) -> FormModel:
    return (await _read(request, file, sheet))[2]


@router.post("/forms:check", response_model=CheckReport,
             responses={**_PROBLEMS, **_binary(XLSX, SARIF, CSV, text="the check report; with format=xlsx "
                                               "the annotated workbook, sarif: SARIF 2.1.0, csv: CSV")},
             tags=["forms"], summary="The reviewer's check of a declared form (indicators check)")
async def check_form(request: Request, file: Upload, sheet: Sheet = None, select: Rules = None,
                     ignore: Rules = None, template: Template = None,
                     format: CheckFormat = "json") -> Any:
    name, data, form = await _read(request, file, sheet)
    settings = _settings(request)
    found = await _engine(request).run(work.check, form, name, limits=settings.limits, select=select or (),
                                       ignore=ignore or (), template=template)
    return await _check_output(request, format, name, data, form, found)


@router.post("/forms:checkModel", response_model=CheckReport,
             responses={**_PROBLEMS, **_binary(XLSX, SARIF, CSV, text="the check report, or another format")},
             tags=["forms"], summary="The reviewer's check of a form sent as the JSON form model")
async def check_form_model(body: CheckFormRequest, request: Request, format: CheckFormat = "json") -> Any:
    name = work.safe_name(body.form.source, "form.json")
    settings = _settings(request)
    found = await _engine(request).run(work.check, body.form, name, limits=settings.limits,
                                       select=body.select, ignore=body.ignore, template=body.template)
    return await _check_output(request, format, name, None, body.form, found)


async def _check_output(request: Request, format: str, name: str, data: bytes | None, form: FormModel,
                        found: list[Any]) -> Any:
    if format == "xlsx":
        book = await _engine(request).run(work.annotated_workbook, data, name, form, found,
                                          limits=_settings(request).limits)
        return _download(book, XLSX, f"{_stem(name)}-审核意见.xlsx")
    if format == "sarif":
        return _download(work.sarif(name, found), SARIF, f"{_stem(name)}.sarif")
    if format == "csv":
        return _download(work.csv_text(name, found), CSV, f"{_stem(name)}-审核意见.csv")
    return check_report([(name, found)])


# --- scoring and audit --------------------------------------------------------------------------------

ScoreFormat = Annotated[Literal["json", "xlsx"], Query(description="json, or xlsx: the 绩效自评表")]
Money = Annotated[str | None, Form(description="万元 (元 may be written)")]


@router.post("/forms:score", response_model=ScoreSheet,
             responses={**_PROBLEMS, **_binary(XLSX, text="the score sheet; xlsx: the 绩效自评表")},
             tags=["scoring"], summary="Score a form with its actual values (indicators score)")
async def score_form(
    request: Request,
    form: Annotated[UploadFile, File(description="the declared form (or a 绩效自评表 with its actuals)")],
    actuals: Annotated[UploadFile | None, File(description="the actual values: CSV, XLSX or JSON")] = None,
    policy: Annotated[str | None, Form(description="a shipped policy (default: by the form's type)")] = None,
    budget_total: Money = None,
    budget_executed: Money = None,
    budget_initial: Money = None,
    format: ScoreFormat = "json",
) -> Any:
    from indicators.service.models import BudgetFigures

    settings = _settings(request)
    _, _, declared = await _read(request, form)
    found = None
    if actuals is not None:
        data = await actuals.read()
        name = work.safe_name(actuals.filename, "actuals.csv")
        found = await _engine(request).run(work.read_actuals_upload, data, name, limits=settings.limits)
    figures = None
    if any(v is not None for v in (budget_total, budget_executed, budget_initial)):
        figures = BudgetFigures(total=budget_total, executed=budget_executed, initial=budget_initial)
    budget = work.budget_of(figures)
    sheet = await _engine(request).run(work.score, declared, found, policy_name=policy or None, budget=budget)
    return await _score_output(request, format, sheet)


@router.post("/forms:scoreModel", response_model=ScoreSheet,
             responses={**_PROBLEMS, **_binary(XLSX, text="the score sheet, or the 绩效自评表")},
             tags=["scoring"], summary="Score a form sent as the JSON form model, with actual values")
async def score_form_model(body: ScoreFormRequest, request: Request, format: ScoreFormat = "json") -> Any:
    def run() -> ScoreSheet:
        settings = _settings(request)
        actuals = work.actuals_of(body.actuals, body.budget, limits=settings.limits)
        from indicators.forms import FormKind

        own = body.form.kind is FormKind.SELF_EVALUATION and not body.actuals and body.budget is None
        given = None if own else actuals  # a 绩效自评表 scored from its own 实际完成值
        return work.score(body.form, given, policy_name=body.policy)

    sheet = await _engine(request).run(run)
    return await _score_output(request, format, sheet)


async def _score_output(request: Request, format: str, sheet: ScoreSheet) -> Any:
    if format == "xlsx":
        book = await _engine(request).run(work.score_workbook, sheet)
        stem = _stem(sheet.source or "form")
        return _download(book, XLSX, f"{stem}-{sheet.sheet_title}.xlsx")
    return sheet


AuditFormat = Annotated[Literal["json", "xlsx", "csv"], Query(description="the output")]


@router.post("/tables:audit", response_model=AuditReport,
             responses={**_PROBLEMS, **_binary(XLSX, CSV, text="the audit report; xlsx, csv: downloads")},
             tags=["scoring"], summary="Audit a completed 绩效自评表 (indicators audit)")
async def audit_table(
    request: Request,
    file: Annotated[UploadFile, File(description="the completed 绩效自评表: XLSX, CSV or tab text")],
    policy: Annotated[str | None, Form(description="a shipped policy (default: by the form's type)")] = None,
    format: AuditFormat = "json",
) -> Any:
    name = work.safe_name(file.filename, "table.txt")
    data = await file.read()
    report = await _engine(request).run(work.audit, data, name, limits=_settings(request).limits,
                                        policy_name=policy or None)
    if format == "xlsx":
        book = await _engine(request).run(work.audit_workbook, report)
        return _download(book, XLSX, f"{_stem(name)}-审核.xlsx")
    if format == "csv":
        return _download(work.audit_csv(report), CSV, f"{_stem(name)}-审核.csv")
    return report
