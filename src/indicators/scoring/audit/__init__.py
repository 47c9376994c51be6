"""Audit of completed self-evaluation tables (绩效自评表): recompute every score, explain each difference.

``audit_file(path)`` gives a :class:`TableAudit`; ``audit_paths(paths)`` an :class:`AuditReport` with a
summary across tables. The writers in :mod:`indicators.scoring.audit.writers` print a report as text,
JSON, CSV or XLSX. The rules are documented in ``docs/audit.md``.
"""

from __future__ import annotations

from indicators.scoring.audit.audit import audit_file, audit_form, audit_paths, published_totals, summarize
from indicators.scoring.audit.model import (
    AuditReport,
    AuditRow,
    Convention,
    Finding,
    ReportSummary,
    TableAudit,
    TableSummary,
)

__all__ = [
    "AuditReport",
    "AuditRow",
    "Convention",
    "Finding",
    "ReportSummary",
    "TableAudit",
    "TableSummary",
    "audit_file",
    "audit_form",
    "audit_paths",
    "published_totals",
    "summarize",
]
