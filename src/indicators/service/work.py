"""The work behind the routes and the web page: the same library calls as the commands, on uploads.

Synchronous functions of bytes and options; :class:`~indicators.service.engine.Engine` runs them in a
worker thread. An upload is read with :func:`~indicators.forms.read_form` from its bytes, named by its
file name (``safe_name``), so that its findings say ``declared.xlsx:7:3`` as the command's do. Nothing is
written to disk, and no option names a file or a directory of the server: policies and templates are
chosen by their shipped names only.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Severity
from indicators.limits import Limits
from indicators.service.problems import ServiceError

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.forms.model import Form
    from indicators.scoring import Actuals, BudgetExecution, Policy, ScoreSheet
    from indicators.scoring.audit import AuditReport
    from indicators.service.models import ActualValue, BudgetFigures

#: the longest file name kept from an upload
_NAME_MAX = 120
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_name(filename: str | None, default: str = "upload") -> str:
    """The last part of an uploaded file's name, without control characters, at most 120 characters
    (the extension kept): it names the upload in findings and chooses CSV over tab text."""
    name = PureWindowsPath(filename or "").name.strip()  # splits on / and \ alike
    name = _UNSAFE.sub("", unicodedata.normalize("NFC", name)).strip(". ")
    if not name:
        return default
    if len(name) > _NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        keep = bool(dot) and len(suffix) <= 8
        name = stem[: _NAME_MAX - len(suffix) - 1] + dot + suffix if keep else name[:_NAME_MAX]
    return name


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The bundled catalog (and the folders of ``INDICATORS_CATALOG`` on the server), loaded once."""
    from indicators.catalog import load_catalog

    return load_catalog()


def policy(name: str | None, form_type: str) -> Policy:
    """A shipped policy by name; the form type's policy when ``name`` is None; IND907 otherwise."""
    from indicators.scoring import available_policies, load_policy, policy_for

    if name is None:
        return policy_for(form_type)
    known = available_policies()
    if name not in known and name != "default":
        raise ServiceError(422, diagnostic("IND907", what="评分规则", name=name[:40],
                                           hint=f"可用的评分规则：{'、'.join(known)}"))
    return load_policy(name)


# --- reading ------------------------------------------------------------------------------------------


def read_upload(data: bytes, name: str, *, limits: Limits, sheet: str | None = None) -> Form:
    from indicators.forms import read_form

    return read_form(data, source=name, catalog=catalog(), limits=limits, sheet=sheet or None)


# --- the reviewer's check -----------------------------------------------------------------------------


def check(form: Form, name: str, *, limits: Limits, select: Sequence[str] = (), ignore: Sequence[str] = (),
          template: str | None = None) -> list[Diagnostic]:
    """The findings of ``indicators check --isolated`` on a form read already."""
    from indicators.lint import lint_form
    from indicators.lint.templates import load_template

    chosen = load_template(template) if template else None
    return lint_form(form, catalog=catalog(), select=list(select), ignore=list(ignore), limits=limits,
                     template=chosen, path=name)


def has_errors(found: Sequence[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in found)


def annotated_workbook(data: bytes | None, name: str, form: Form | None, found: Sequence[Diagnostic],
                       *, limits: Limits) -> bytes:
    """``indicators check --format xlsx``: the form's sheet with each finding on its cell, and the list."""
    from indicators.lint.writers.grid import cells_grid, source_grid
    from indicators.lint.writers.xlsx import write_workbook

    grid = None
    if form is not None:
        if data is not None:
            grid = source_grid(data, form, limits=limits, name=name)
        else:
            grid = cells_grid(form, limits)
    out = io.BytesIO()
    write_workbook([(name, grid, found)], out)
    return out.getvalue()


def sarif(name: str, found: Sequence[Diagnostic]) -> str:
    from indicators.lint.writers.sarif import sarif_report

    return json.dumps(sarif_report([(name, list(found))]), ensure_ascii=False, indent=2) + "\n"


def csv_text(name: str, found: Sequence[Diagnostic]) -> str:
    from indicators.lint.writers.csvfile import write_csv

    out = io.StringIO()
    write_csv([(name, list(found))], out)
    return out.getvalue()


# --- scoring ------------------------------------------------------------------------------------------


def actuals_of(values: Sequence[ActualValue], budget: BudgetFigures | None, *, limits: Limits) -> Actuals:
    """The actual values of a JSON request, read as a JSON actuals file is (docs/scoring.md)."""
    from indicators.scoring import read_actuals_text

    items = [value.model_dump(exclude_none=True) for value in values]
    document: dict[str, object] = {"indicators": items}
    if budget is not None:
        document["budget"] = budget.model_dump(exclude_none=True)
    return read_actuals_text(json.dumps(document, ensure_ascii=False), fmt="json", source="actuals",
                             limits=limits)


def read_actuals_upload(data: bytes, name: str, *, limits: Limits) -> Actuals:
    from indicators.scoring import read_actuals

    return read_actuals(data, source=name, limits=limits)


def budget_of(figures: BudgetFigures | None) -> BudgetExecution | None:
    """Budget figures given beside the actuals (``--budget-total`` …); IND903 for one that is no amount."""
    from indicators.scoring import BudgetExecution
    from indicators.scoring.actuals import parse_amount

    if figures is None:
        return None
    amounts = {}
    for key, text in figures.model_dump(exclude_none=True).items():
        value = parse_amount(text)
        if value is None:
            raise ServiceError(422, diagnostic("IND903", detail=f"budget.{key}：“{text[:40]}”不是有效的金额"))
        amounts[key] = value
    return BudgetExecution(**amounts) if amounts else None


def score(form: Form, actuals: Actuals | None, *, policy_name: str | None = None,
          budget: BudgetExecution | None = None) -> ScoreSheet:
    """``indicators score``: the score sheet of a form and its actual values."""
    from indicators.forms import FormKind
    from indicators.scoring import score_form

    if actuals is None and form.kind is not FormKind.SELF_EVALUATION:
        raise ServiceError(422, diagnostic("IND903", detail="该表没有“实际完成值”栏，请同时给出实际完成值"))
    chosen = policy(policy_name, str(form.form_type))
    return score_form(form, actuals, policy=chosen, budget=budget, catalog=catalog())


def score_workbook(sheet: ScoreSheet) -> bytes:
    """``indicators score --format xlsx``: the 绩效自评表 workbook."""
    from indicators.scoring.writers import write_xlsx

    out = io.BytesIO()
    write_xlsx(sheet, out)
    return out.getvalue()


# --- audit --------------------------------------------------------------------------------------------


def audit(data: bytes, name: str, *, limits: Limits, policy_name: str | None = None) -> AuditReport:
    """``indicators audit`` of one uploaded table: a table that cannot be read is reported (IND843)."""
    from indicators.errors import IndicatorsError
    from indicators.scoring.audit import AuditReport, Finding, TableAudit, audit_form, summarize

    try:
        form = read_upload(data, name, limits=limits)
    except IndicatorsError as exc:
        reason = exc.diagnostic.message if exc.diagnostics else str(exc)
        table = TableAudit(source=name, findings=(Finding.of(diagnostic("IND843", reason=reason)),))
    else:
        chosen = policy(policy_name, str(form.form_type)) if policy_name else None
        table = audit_form(form, policy=chosen)
    return AuditReport(tables=(table,), summary=summarize([table]))


def audit_workbook(report: AuditReport) -> bytes:
    from indicators.scoring.audit.writers import write_xlsx

    out = io.BytesIO()
    write_xlsx(report, out)
    return out.getvalue()


def audit_csv(report: AuditReport) -> str:
    from indicators.scoring.audit.writers import to_csv

    return to_csv(report)
