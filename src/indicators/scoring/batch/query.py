"""The SQL of ``score-batch``: one query scores every plainly numeric row of a long table, in any dialect.

The query is written once, as sqlglot trees (DuckDB's SQL parsed into sqlglot expressions, with the
table's column names and the plan's values put in as nodes, never as text), and sqlglot writes it in
the dialect asked for. Its steps, one CTE each:

``lt``   the long table with one column per role (text; NULL for a role the table lacks);
``j``    joined with the target plans (``plan``), the actual and the weight read as exact DECIMALs
         (``a0``, ``w``), whether the unit × period can be scored row by row (``group_ok``: every
         分值 written as a plain number, so that no weight depends on the others) and whether the row
         may be a 预算执行率 line (``budget_like``: scored in Python);
``s``    ``sql_ok``: the row is scored here (the plan has a rule, the actual is a number read in the
         target's unit, the ratios stay within 10⁶);
``c``    the policy's rule as numerator and denominator: score = ``n`` ÷ ``d``, achievement ``an`` ÷ ``ad``;
then the verdict, the achievement (4 decimals) and the score (the policy's places), each rounded half up
**exactly**: an engine's own quotient (a DOUBLE in DuckDB) is only a first guess, corrected by one step
when the exact products say it is on the wrong side of a half (``(r + h) × d ≤ n``). Every product is
exact in DECIMAL(38): actuals and bounds are DECIMAL(19, 6), weights DECIMAL(8, 4).

Rows with ``route = 'python'`` are scored by the Python scorer (:mod:`.reference`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from indicators.scoring.batch.columns import ROLES
from indicators.scoring.batch.plan import KEY, TargetPlan
from indicators.scoring.policy import Policy

#: a plainly numeric actual: 12 digits, 6 decimals, optionally a per cent; no spaces, no units
ACTUAL_PATTERN = r"^-?(0|[1-9][0-9]{0,11})([.][0-9]{1,6})?%?$"
#: a plainly numeric weight (分值): 4 digits, 4 decimals
WEIGHT_PATTERN = r"^(0|[1-9][0-9]{0,3})([.][0-9]{1,4})?$"
#: a name with something in it besides white space
NAME_PATTERN = "[0-9A-Za-z\u4e00-\u9fff]"
#: words that may make a row the 预算执行率 line: the row goes to the Python scorer
BUDGET_WORDS = ("预算", "资金", "执行")
#: the largest achievement ratio (and its inverse) scored in SQL
MAX_RATIO = 1_000_000
PLAN_COLUMNS = ("p_rule", "p_bound", "p_lower", "p_upper", "p_plain", "p_percent", "p_fraction")
#: the file's row number (``row`` in the output; a reserved word in several dialects, so not here)
ROW = "src_row"
RESULT_COLUMNS = ("route", "group_ok", "score_weight", "verdict", "achievement", "score")


def _sqlglot() -> Any:
    from indicators.formula.batch_sql import sqlglot_exp

    sqlglot_exp()  # IND128 when sqlglot is missing
    import sqlglot

    return sqlglot


def _parse(sql: str, **nodes: Any) -> Any:
    """Our own SQL text (DuckDB), its ``:name`` placeholders replaced by the given sqlglot nodes."""
    sqlglot = _sqlglot()
    tree = sqlglot.parse_one(sql, dialect="duckdb")
    return sqlglot.exp.replace_placeholders(tree, **nodes) if nodes else tree


def _literal(value: object) -> Any:
    exp = _sqlglot().exp
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, Decimal):
        return exp.Cast(this=exp.Literal.string(f"{value:f}"), to=exp.DataType.build("DECIMAL(19, 6)"))
    return exp.Literal.string(str(value))


def plan_values(plans: Sequence[TargetPlan]) -> Any:
    """The plans as a ``SELECT … FROM (VALUES …)`` (for a warehouse, where no plan table exists)."""
    exp = _sqlglot().exp
    names = [f"k_{k}" for k in KEY] + list(PLAN_COLUMNS)
    rows = [
        [*p.key, p.rule, p.bound, p.lower, p.upper, p.plain_ok, p.percent_ok, p.fraction_guard] for p in plans
    ] or [[None] * len(names)]
    tuples = [exp.Tuple(expressions=[_literal(v) for v in row]) for row in rows]
    alias = exp.TableAlias(this=exp.to_identifier("v"), columns=[exp.to_identifier(n) for n in names])
    values = exp.Values(expressions=tuples, alias=alias)
    typed = [exp.alias_(exp.Cast(this=exp.column(n), to=exp.DataType.build(_plan_type(n))), n) for n in names]
    return exp.select(*typed).from_(values)


def _plan_type(name: str) -> str:
    if name.startswith("k_") or name == "p_rule":
        return "VARCHAR"
    return "DECIMAL(19, 6)" if name in ("p_bound", "p_lower", "p_upper") else "INT"


def long_table(source: Any, mapping: Mapping[str, str], *, numbered: bool) -> Any:
    """``lt``: ``row`` (with ``numbered``: the file's row, the header being row 1) and one text column per
    role, from ``source`` (a sqlglot table) whose columns ``mapping`` names."""
    exp = _sqlglot().exp
    varchar = exp.DataType.build("VARCHAR")
    selected: list[Any] = []
    if numbered:
        row = exp.Add(this=exp.column("__row", quoted=True), expression=exp.Literal.number(1))
        selected.append(exp.alias_(row, ROW))
    for role in ROLES:
        value = exp.column(mapping[role], quoted=True) if role in mapping else exp.Null()
        selected.append(exp.alias_(exp.Cast(this=value, to=varchar.copy()), role))
    return exp.select(*selected).from_(source)


def score_query(source: Any, mapping: Mapping[str, str], plan: Any, policy: Policy, *, numbered: bool) -> Any:
    """The per-row query: ``lt``'s columns, then ``route``, ``group_ok``, ``score_weight``, ``verdict``,
    ``achievement`` and ``score`` (NULL on rows routed to Python). ``plan`` is a query with the plan
    columns (``SELECT * FROM plan`` or :func:`plan_values`)."""
    lt = long_table(source, mapping, numbered=numbered)
    keys = " AND ".join(f"COALESCE(lt.{k}, '') = p.k_{k}" for k in KEY)
    budget = " OR ".join(
        f"COALESCE(lt.{c}, '') LIKE '%{w}%'" for c in ("level1", "level2", "indicator") for w in BUDGET_WORDS
    )
    joined = _parse(
        f"""SELECT lt.*, p.p_rule AS rule, p.p_bound AS t, p.p_lower AS l, p.p_upper AS u,
                   p.p_plain AS plain_ok, p.p_percent AS percent_ok, p.p_fraction AS fraction_guard,
                   CASE WHEN REGEXP_MATCHES(lt.actual, '{ACTUAL_PATTERN}')
                        THEN CAST(REPLACE(lt.actual, '%', '') AS DECIMAL(19, 6)) END AS a0,
                   REGEXP_MATCHES(COALESCE(lt.actual, ''), '%$') AS pct,
                   CASE WHEN REGEXP_MATCHES(lt.weight, '{WEIGHT_PATTERN}')
                        THEN CAST(lt.weight AS DECIMAL(8, 4)) END AS w,
                   ({budget}) AS budget_like,
                   MIN(CASE WHEN REGEXP_MATCHES(COALESCE(lt.weight, ''), '{WEIGHT_PATTERN}')
                            THEN 1 ELSE 0 END) OVER (PARTITION BY lt.unit, lt.period) AS group_ok
            FROM lt LEFT JOIN plan AS p ON {keys}"""
    )
    clamp = "CASE WHEN a0 < 0 THEN 0 ELSE a0 END" if policy.quantitative.negative_actual_as_zero else "a0"
    clamped = _parse(f"SELECT j.*, CAST({clamp} AS DECIMAL(19, 6)) AS a FROM j")
    routed = _parse(f"SELECT k.*, {_sql_ok(policy)} AS sql_ok FROM k")
    rules = _parse(f"SELECT s.*, {_rule_columns(policy)} FROM s")
    final = _parse(f"""SELECT {", ".join(([ROW] if numbered else []) + list(ROLES))},
               CASE WHEN sql_ok THEN 'sql' ELSE 'python' END AS route, group_ok,
               CASE WHEN sql_ok THEN w END AS score_weight,
               CASE WHEN sql_ok THEN {_verdict()} END AS verdict,
               CASE WHEN sql_ok THEN {_achievement()} END AS achievement,
               CASE WHEN sql_ok THEN {_score(policy)} END AS score
        FROM c""")
    for name, body in (
        ("lt", lt),
        ("plan", plan),
        ("j", joined),
        ("k", clamped),
        ("s", routed),
        ("c", rules),
    ):
        final = final.with_(name, as_=body)
    return final


def _wide(name: str) -> str:
    """A DECIMAL(19, 6) value with room for a factor of 10⁶ (DuckDB keeps an integer factor's type)."""
    return f"CAST({name} AS DECIMAL(26, 6))"


def _sql_ok(policy: Policy) -> str:
    guard = " AND ".join(
        f"({b} IS NULL OR {b} <= 0 OR (a <= {_wide(b)} * {MAX_RATIO}"
        f" AND (a <= 0 OR {b} <= {_wide('a')} * {MAX_RATIO})))"
        for b in ("t", "l", "u")
    )
    negative = "" if policy.quantitative.negative_actual_as_zero else " AND a0 >= 0"
    return f"""(rule IS NOT NULL AND group_ok = 1 AND NOT budget_like AND a0 IS NOT NULL
        AND w IS NOT NULL{negative}
        AND REGEXP_MATCHES(COALESCE(indicator, ''), '{NAME_PATTERN}')
        AND (CASE WHEN pct THEN percent_ok = 1
                  ELSE plain_ok = 1 AND NOT (fraction_guard = 1 AND a0 > 0 AND a0 <= 1) END)
        AND {guard})"""


# --- the policy's rules as (condition, branch) pairs -----------------------------------------------------
# A branch: (status or None, n, d, an, ad). The score is n ÷ d (n = w, d = 1 for the full weight; n = 0 for
# nothing); status None means "by the score": met when n ≥ w × d, partial when n > 0, else not met.
_Branch = tuple[str | None, str, str, str | None, str | None]
_FULL = ("'met'", "w", "1")


def _full(an: str | None, ad: str | None) -> _Branch:
    return ("'met'", "w", "1", an, ad)


def _zero(an: str | None = None, ad: str | None = None) -> _Branch:
    return ("'not_met'", "0", "1", an, ad)


def _higher(a: str, t: str) -> list[tuple[str, _Branch]]:
    return [
        (f"{t} <= 0 AND {a} >= {t}", _full(None, None)),
        (f"{t} <= 0", _zero()),
        (f"{a} >= {t}", _full(a, t)),
        ("TRUE", (None, f"{a} * w", t, a, t)),
    ]


def _lower(a: str, t: str, strategy: str) -> list[tuple[str, _Branch]]:
    ach = (t, f"CASE WHEN {a} > 0 THEN {a} END")
    out = [
        (f"{t} <= 0 AND {a} <= {t}", _full(None, None)),
        (f"{t} <= 0", _zero()),
        (f"{a} <= {t}", _full(*ach)),
    ]
    if strategy == "target_over_actual":
        return [*out, ("TRUE", (None, f"{t} * w", a, *ach))]
    return [*out, (f"{a} >= {t} + {t}", _zero(*ach)), ("TRUE", (None, f"({t} + {t} - {a}) * w", t, *ach))]


def _exact(a: str, t: str, strategy: str) -> list[tuple[str, _Branch]]:
    zero = [(f"{t} = 0 AND {a} <= 0", _full(None, None)), (f"{t} = 0", _zero())]
    if strategy != "symmetric":
        return [*zero, *_higher(a, t)]
    distance = f"({t} - ABS({a} - {t})) * w"
    symmetric = (None, f"CASE WHEN {distance} < 0 THEN 0 ELSE {distance} END", t, a, t)
    return [
        *zero,
        *[(f"{t} < 0 AND {c}", b) for c, b in _higher(a, t)],
        (f"{a} = {t}", _full(a, t)),
        ("TRUE", symmetric),
    ]


def _range(a: str, lower_is_better: str) -> list[tuple[str, _Branch]]:
    inside = (f"l <= {a} AND {a} <= u", _full("1", "1"))
    below = [(f"{a} < l AND {c}", b) for c, b in _higher(a, "l")]
    above = [(c, b) for c, b in _lower(a, "u", lower_is_better)]
    return [inside, *below, *above]


def _branches(policy: Policy) -> list[tuple[str, _Branch]]:
    q = policy.quantitative
    out: list[tuple[str, _Branch]] = []
    for rule, branches in (
        ("higher", _higher("a", "t")),
        ("lower", _lower("a", "t", q.lower_is_better)),
        ("exact", _exact("a", "t", q.exact)),
        ("range", _range("a", q.lower_is_better)),
    ):
        out += [(f"rule = '{rule}' AND {cond}", branch) for cond, branch in branches]
    return out


def _rule_columns(policy: Policy) -> str:
    branches = _branches(policy)
    names = ("st", "n", "d", "an", "ad")
    columns = []
    for i, name in enumerate(names):
        whens = " ".join(
            f"WHEN sql_ok AND {cond} THEN {branch[i] if branch[i] is not None else 'NULL'}"
            for cond, branch in branches
        )
        columns.append(f"CASE {whens} END AS {name}")
    return ", ".join(columns)


def _verdict() -> str:
    return "COALESCE(st, CASE WHEN n >= w * d THEN 'met' WHEN n > 0 THEN 'partial' ELSE 'not_met' END)"


def round_exact(n: str, d: str, places: int, digits: int) -> str:
    """``n ÷ d`` (n ≥ 0, d > 0) rounded half up to ``places`` exactly: the engine's quotient corrected by
    one step with exact products. ``digits``: the integer digits the result may have."""
    half = f"CAST('{Decimal(5).scaleb(-places - 1):f}' AS DECIMAL({places + 1}, {places + 1}))"
    step = f"CAST('{Decimal(1).scaleb(-places):f}' AS DECIMAL({places + 1}, {places}))"
    kind = f"DECIMAL({digits + places + 1}, {places + 1})"
    guess = f"CAST({n} / NULLIF({d}, 0) AS DECIMAL({digits + places}, {places}))"
    up = f"CAST({guess} + {half} AS {kind}) * {d} <= {n}"
    down = f"CAST({guess} - {half} AS {kind}) * {d} > {n}"
    result = f"DECIMAL({digits + places}, {places})"
    return (
        f"CAST(CASE WHEN {up} THEN {guess} + {step} WHEN {down} THEN {guess} - {step} "
        f"ELSE {guess} END AS {result})"
    )


def _achievement() -> str:
    from indicators.scoring.batch.reference import ACHIEVEMENT_PLACES

    rounded = round_exact("an", "ad", ACHIEVEMENT_PLACES, 7)
    return f"CASE WHEN an IS NOT NULL AND ad IS NOT NULL THEN {rounded} END"


def _score(policy: Policy) -> str:
    places = policy.rounding.places
    weight = round_exact("w", "1", places, 5)
    return (
        f"CASE WHEN n <= 0 THEN CAST(0 AS DECIMAL({5 + places}, {places})) WHEN n >= w * d THEN {weight} "
        f"ELSE {round_exact('n', 'd', places, 5)} END"
    )
