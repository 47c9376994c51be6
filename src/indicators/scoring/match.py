"""Step 1 of scoring: give each form row its reported result (:class:`ActualRecord`).

A record of the actuals file is matched by catalog code, then by level-3 name (compared with
``normalize_name``), the level-2 name telling repeated names apart. A 绩效自评表 carries its own
实际完成值, 得分 and 偏差原因 columns: they make the record of every row the actuals file is silent on.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators.codes import diagnostic
from indicators.scoring.actuals import ActualRecord, Actuals, parse_decimal
from indicators.scoring.context import RowState, text
from indicators.scoring.sheet import BudgetExecution
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.diagnostics import Diagnostic

#: level-1/level-2/level-3 names that mark a row (or an actuals record) as the 预算执行率 line
BUDGET_NAMES = frozenset(
    normalize_name(n)
    for n in (
        "预算执行率",
        "预算执行",
        "预算资金执行率",
        "资金执行率",
        "项目资金",
        "预算资金",
        "预算执行情况",
    )
)


def match_records(rows: list[RowState], actuals: Actuals, catalog: Catalog | None) -> list[Diagnostic]:
    """Attach each actuals record to its row; the table's own columns fill the rest. Returns the
    findings about records (IND808 unmatched, IND812 repeated)."""
    found: list[Diagnostic] = []
    by_name: dict[str, list[RowState]] = {}
    by_code: dict[str, list[RowState]] = {}
    for r in rows:
        by_name.setdefault(normalize_name(r.row.name), []).append(r)
        if catalog is not None:
            r.code = catalog_code(catalog, r.row.name)
            if r.code:
                by_code.setdefault(r.code, []).append(r)
    unmatched: list[ActualRecord] = []
    for record in actuals.records:
        candidates = _candidates(record, by_name, by_code, catalog)
        label = record.name or record.code or ""
        if not candidates:
            unmatched.append(record)
            continue
        free = [r for r in candidates if r.record is None]
        if not free:
            found.append(diagnostic("IND812", name=label, location=record.location))
            continue
        free[0].record = record
    found.extend(_match_similar(unmatched, rows))
    for r in rows:
        if r.record is None:
            r.record = own_record(r)
    return found


def _match_similar(records: list[ActualRecord], rows: list[RowState]) -> list[Diagnostic]:
    """Records whose name is the name of one row still without a record, written a little differently:
    the same once notes in brackets, 的 and punctuation are left out (``党员参与志愿服务人次（人次）``,
    ``室内外应急避难场所服务覆盖率``), else the one close name (IND845); IND808 for the others."""
    found: list[Diagnostic] = []
    keys = {id(r): loose_name(r.row.name) for r in rows} if records else {}
    for record in records:
        label = record.name or record.code or ""
        free = [(keys[id(r)], r) for r in rows if r.record is None]
        row = _similar_row(record.name, free) if record.name else None
        if row is None:
            found.append(diagnostic("IND808", name=label, location=record.location))
            continue
        row.record = record
        found.append(diagnostic("IND845", name=label, matched=row.row.name, location=record.location))
    return found


#: how alike two loose names must be (difflib's ratio), and how far ahead of the next the best must be
_CLOSE, _AHEAD = 0.85, 0.1


def _similar_row(name: str, free: list[tuple[str, RowState]]) -> RowState | None:
    """The one row of ``free`` (each with its loose name) whose loose name is ``name``'s, else the one
    close enough and ahead of the next, else None."""
    key = loose_name(name)
    same = [r for loose, r in free if loose == key]
    if len(same) == 1:
        return same[0]
    if same or not key:
        return None
    import difflib

    scored = sorted(
        ((difflib.SequenceMatcher(None, key, loose).ratio(), i) for i, (loose, _) in enumerate(free)),
        reverse=True,
    )
    if not scored or scored[0][0] < _CLOSE:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _AHEAD:
        return None
    return free[scored[0][1]][1]


_NOTE_IN_BRACKETS = re.compile(r"[(（\[【〔][^()（）\[\]【】〔〕]*[)）\]】〕]$")
_FILLER = re.compile(r"[的、，,。.·・:：;；\-—_/]")


def loose_name(name: str) -> str:
    """A name without a note in brackets at its end, 的 and punctuation: the key of similar names."""
    key = normalize_name(name)
    key = _NOTE_IN_BRACKETS.sub("", key) or key
    return _FILLER.sub("", key)


def _candidates(
    record: ActualRecord,
    by_name: dict[str, list[RowState]],
    by_code: dict[str, list[RowState]],
    catalog: Catalog | None,
) -> list[RowState]:
    candidates: list[RowState] = []
    if record.code:
        candidates = list(by_code.get(record.code, []))
        entry = catalog.get(record.code) if catalog is not None else None
        if entry is not None:
            candidates += [r for r in by_name.get(normalize_name(entry.name), []) if r not in candidates]
    if not candidates and record.name:
        candidates = list(by_name.get(normalize_name(record.name), []))
        if not candidates and catalog is not None:
            code = catalog_code(catalog, record.name)
            candidates = list(by_code.get(code, [])) if code else []
    if record.level2 and len(candidates) > 1:
        narrowed = [r for r in candidates if normalize_name(r.level2) == normalize_name(record.level2)]
        candidates = narrowed or candidates
    return candidates


def own_record(r: RowState) -> ActualRecord | None:
    """The record a 绩效自评表 row carries itself: 实际完成值, 得分 (the unit's score) and 偏差原因.

    The 偏差原因 column is the reason; a form without one writes its reasons in 备注."""
    row = r.row
    actual = row.actual if row.actual is not None and not row.actual.empty else None
    score = parse_decimal(text(row.score)) if row.score is not None and not row.score.empty else None
    if actual is None and score is None:
        return None
    said = row.deviation if row.deviation is not None else row.remark
    reason = said.stripped if said is not None and not said.empty else None
    location = actual.location if actual is not None else (row.score.location if row.score else None)
    return ActualRecord(
        name=row.name,
        actual=actual.stripped if actual is not None else None,
        score=score,
        reason=reason,
        location=location,
    )


def catalog_code(catalog: Catalog, name: str) -> str | None:
    match = catalog.lookup(name)
    if match is None or match.method not in ("exact", "normalized"):
        return None
    code: str = match.entry.code
    return code


def take_budget_rate(actuals: Actuals, rows: list[RowState]) -> tuple[Actuals, BudgetExecution | None]:
    """An actuals row named 预算执行率 that names no indicator of the form is the budget line itself
    (a score sheet filled in and sent back): its rate stands in for missing 全年预算数/全年执行数."""
    names = {normalize_name(r.row.name) for r in rows}
    taken = [
        record
        for record in actuals.records
        if not record.code
        and record.name
        and normalize_name(record.name) in BUDGET_NAMES
        and normalize_name(record.name) not in names
    ]
    if not taken:
        return actuals, None
    rest = tuple(record for record in actuals.records if record not in taken)
    actual = (taken[0].actual or "").strip()
    rate = parse_decimal(actual.rstrip("%％")) if actual.endswith(("%", "％")) else None
    figures = BudgetExecution(total=Decimal(100), executed=rate, unit="%") if rate is not None else None
    return actuals.model_copy(update={"records": rest}), figures
