"""Year-end self-evaluation (绩效自评): policies, actual values, exact scores and score sheets.

``score_form(form, read_actuals(path), policy=load_policy("project-2020"))`` gives a :class:`ScoreSheet`;
the writers in :mod:`indicators.scoring.writers` print it as a table, JSON, Markdown or an XLSX
绩效自评表. The method is documented line by line in ``docs/scoring.md``.
"""

from __future__ import annotations

from indicators.scoring.actuals import ActualRecord, Actuals, ActualsError, read_actuals, read_actuals_text
from indicators.scoring.policy import Policy, available_policies, load_policy, parse_policy, policy_for
from indicators.scoring.score import prior_values, score_form
from indicators.scoring.sheet import BudgetExecution, LineStatus, ScoreLine, ScoreSheet, Subtotal

__all__ = [
    "ActualRecord",
    "Actuals",
    "ActualsError",
    "BudgetExecution",
    "LineStatus",
    "Policy",
    "ScoreLine",
    "ScoreSheet",
    "Subtotal",
    "available_policies",
    "load_policy",
    "parse_policy",
    "policy_for",
    "prior_values",
    "read_actuals",
    "read_actuals_text",
    "score_form",
]
