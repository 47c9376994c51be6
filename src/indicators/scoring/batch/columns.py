"""The columns of a long table (``catalog/long-table.yaml``): which header fills which role.

A long table has one row per unit × indicator × period. Its headers are matched, role by role, against
the names of ``catalog/long-table.yaml`` by the forms' header key (full width → half width, traditional →
simplified, no spaces, no bracketed note; English names in any case). A required role without a column
is IND850.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from indicators.codes import diagnostic
from indicators.errors import IndicatorsError

#: every role, in the order of the normalized table (``lt``) the scorer works on
ROLES = (
    "unit",
    "period",
    "level1",
    "level2",
    "indicator",
    "target",
    "measure",
    "direction",
    "actual",
    "weight",
)


class ScoreBatchError(IndicatorsError, ValueError):
    """A long table that cannot be scored as a whole: a missing column (IND850), an unknown policy
    (IND852), a table beyond the limits (IND853), or an unreadable file (IND130)."""


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    label: str
    required: bool
    names: tuple[str, ...]


@cache
def roles() -> tuple[Role, ...]:
    """The roles of ``catalog/long-table.yaml``, in file order."""
    import yaml

    from indicators import resources

    data = yaml.safe_load(resources.catalog_text("long-table.yaml"))
    found = tuple(
        Role(
            str(c["role"]), str(c["label"]), bool(c.get("required", False)), tuple(str(n) for n in c["names"])
        )
        for c in data["columns"]
    )
    if {r.role for r in found} != set(ROLES):  # the catalog and the scorer must agree
        raise AssertionError("catalog/long-table.yaml must list exactly the roles of ROLES")
    return found


def _key(text: str) -> str:
    from indicators.forms.names import header_key

    return header_key(text).casefold()


def resolve_columns(headers: Sequence[str]) -> dict[str, str]:
    """Role → the table's column for every role the table has; IND850 for a required role it lacks."""
    keyed = [(_key(h), h) for h in headers]
    out: dict[str, str] = {}
    missing: list[Role] = []
    for role in roles():
        names = {_key(n) for n in role.names}
        column = next((h for k, h in keyed if k in names and h not in out.values()), None)
        if column is not None:
            out[role.role] = column
        elif role.required:
            missing.append(role)
    if missing:
        what = "、".join(f"“{r.label}”" for r in missing)
        shown = "、".join(headers) or "无"
        raise ScoreBatchError(
            diagnostic(
                "IND850",
                what=what,
                hint=f"表中的列：{shown}；列名见 catalog/long-table.yaml",
                data={"missing": [r.role for r in missing]},
            )
        )
    return out
