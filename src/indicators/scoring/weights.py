"""Step 2 of scoring: the weight (分值) of every row. What the form writes wins.

* The **level-1 share** is the one printed in the level-1 cell (``产出指标(70分)`` → 70), else the
  policy's (``level1[].weight``).
* A row's **分值** as written: points (``8``, ``8.5``, ``8分``) or a percentage of its level-1 share
  (``20%`` of 70 → 14).
* Rows without a 分值 share what is left of their level-1 share evenly (IND815 says so).
* Checks: a share's rows must add up to the printed share (or, when they were split, the policy's);
  IND803 otherwise. Rows that all carry a 分值 under an unprinted share define that share: a
  difference from the policy is only noted (IND820). The whole-table check is the totals' step.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from indicators.codes import diagnostic
from indicators.scoring.actuals import parse_decimal
from indicators.scoring.arithmetic import ZERO, fmt, split_even
from indicators.scoring.context import Context, RowState, where
from indicators.scoring.policy import Policy
from indicators.text import normalize_name, split_category

_HUNDRED = Decimal(100)


def group_key(r: RowState) -> str:
    """The level-1 group a row belongs to: its policy share, else its level-1 name without a note."""
    return r.share.name if r.share is not None else f"?{normalize_name(split_category(r.level1).name)}"


def assign_weights(rows: list[RowState], ctx: Context) -> None:
    """Set ``weight`` and ``weight_source`` on every row; findings go to the rows and the context."""
    policy = ctx.policy
    groups: dict[str, list[RowState]] = {}
    for r in rows:
        r.share = policy.share_for(r.level1)
        groups.setdefault(group_key(r), []).append(r)
    for members in groups.values():
        _weigh_group(members, ctx)


def printed_share(members: list[RowState], policy: Policy) -> Decimal | None:
    """The share printed in the group's level-1 cells (the first one written), if the policy reads it."""
    if not policy.level3_weights.level1_from_form:
        return None
    return next((r.row.level1_points for r in members if r.row.level1_points is not None), None)


def _weigh_group(members: list[RowState], ctx: Context) -> None:
    policy = ctx.policy
    share = members[0].share
    printed = printed_share(members, policy)
    share_weight = printed if printed is not None else (share.weight if share is not None else None)
    unweighted: list[RowState] = []
    for r in members:
        written = _written_weight(r, share_weight) if policy.level3_weights.from_form else None
        if written is None:
            unweighted.append(r)
        else:
            r.weight, r.weight_source = written
    given = sum((r.weight for r in members if r not in unweighted), ZERO)
    name = members[0].level1 or "（空）"
    if unweighted:
        if share_weight is None:
            ctx.findings.append(
                diagnostic(
                    "IND803",
                    scope=f"一级指标“{name}”下未填分值的三级指标",
                    actual="0",
                    expected="评分规则或表中给出的分值",
                    hint="评分规则中没有此一级指标：请在表中填写分值，或在评分规则的 level1 中加入它",
                    location=where(members[0].row),
                    indicator=members[0].row.name,
                )
            )
            return
        rest = max(share_weight - given, ZERO)
        weights = split_even(
            rest,
            len(unweighted),
            places=policy.level3_weights.places,
            remainder=policy.level3_weights.remainder,
        )
        for r, w in zip(unweighted, weights, strict=True):
            r.weight, r.weight_source = w, "split"
        if policy.level3_weights.from_form and any(r.row.weight is not None for r in members):
            ctx.findings.append(
                diagnostic(
                    "IND815",
                    level1=_label(members, share),
                    count=len(unweighted),
                    share=fmt(rest),
                    location=where(unweighted[0].row),
                )
            )
    total = sum((r.weight for r in members), ZERO)
    if share_weight is None or total == share_weight:
        return
    if printed is None and not unweighted:  # the form's 分值 define the share: only noted
        ctx.findings.append(
            diagnostic(
                "IND820",
                level1=_label(members, share),
                actual=fmt(total),
                expected=fmt(share_weight),
                location=where(members[0].row),
                data={"level1": _label(members, share), "actual": str(total), "expected": str(share_weight)},
            )
        )
        return
    ctx.findings.append(
        diagnostic(
            "IND803",
            scope=f"一级指标“{_label(members, share)}”"
            + ("（表中写明的一级分值）" if printed is not None else ""),
            actual=fmt(total),
            expected=fmt(share_weight),
            location=where(members[0].row),
            data={"level1": _label(members, share), "actual": str(total), "expected": str(share_weight)},
        )
    )


def _label(members: list[RowState], share: object) -> str:
    from indicators.scoring.policy import Level1Share

    if isinstance(share, Level1Share):
        return share.name
    return split_category(members[0].level1).name or "（空）"


def _written_weight(r: RowState, share_weight: Decimal | None) -> tuple[Decimal, str] | None:
    """The row's 分值 as points (source ``form``) or as a percentage of its share (``share``); None
    when the cell is empty, or unreadable (IND810 on the row)."""
    cell = r.row.weight
    if cell is None or cell.empty:
        return None
    written = unicodedata.normalize("NFKC", cell.stripped).replace(" ", "")
    percent = written.endswith("%")
    value = parse_decimal(written.removesuffix("%"))
    if value is None or value < 0 or (percent and share_weight is None):
        hint = "百分比分值需要一级指标分值（如“产出指标(50分)”）" if percent and value is not None else None
        if not any(d.code == "IND810" for d in r.diagnostics):
            r.diagnostics.append(
                diagnostic(
                    "IND810",
                    what="分值",
                    text=cell.text,
                    location=cell.location,
                    indicator=r.row.name,
                    hint=hint,
                )
            )
        return None
    if percent:
        assert share_weight is not None
        return share_weight * value / _HUNDRED, "share"
    return value, "form"
