"""The exact scoring arithmetic, rule by rule, with hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.scoring.arithmetic import (
    fmt,
    score_budget,
    score_exact,
    score_higher,
    score_lower,
    score_range,
    score_share,
    split_even,
)
from indicators.scoring.policy import load_policy
from indicators.scoring.sheet import LineStatus

D = Decimal
ROUND = load_policy().rounding.apply


@pytest.mark.parametrize(
    ("actual", "target", "weight", "score", "status"),
    [
        ("96.5", "95", "5", "5.00", "met"),
        ("95", "95", "5", "5.00", "met"),
        ("93", "95", "5", "4.89", "partial"),  # 93 × 5 ÷ 95 = 4.8947…
        ("0", "95", "5", "0.00", "not_met"),
        ("-3", "95", "5", "0.00", "not_met"),  # a negative actual counts as 0
        ("1", "0", "5", "5.00", "met"),  # ≥ 0 is always met
        ("97.30", "100", "2", "1.95", "partial"),
        ("203", "214", "2", "1.90", "partial"),
        ("4044", "5662", "2", "1.43", "partial"),
    ],
    ids=lambda v: str(v),
)
def test_higher(actual: str, target: str, weight: str, score: str, status: str) -> None:
    calc = score_higher(D(actual), D(target), D(weight))
    assert str(ROUND(calc.score)) == score
    assert calc.status == status


def test_higher_uncapped_gives_more_than_the_weight() -> None:
    assert score_higher(D(120), D(100), D(5), cap=False).score == 6


@pytest.mark.parametrize(
    ("actual", "target", "weight", "linear", "ratio"),
    [
        ("90", "90", "8", "8.00", "8.00"),
        ("80", "90", "8", "8.00", "8.00"),
        ("99", "90", "8", "7.20", "7.27"),  # linear: (1 − 9/90) × 8; ratio: 90/99 × 8
        ("135", "90", "8", "4.00", "5.33"),
        ("180", "90", "8", "0.00", "4.00"),
        ("500", "90", "8", "0.00", "1.44"),
    ],
    ids=lambda v: str(v),
)
def test_lower_both_strategies(actual: str, target: str, weight: str, linear: str, ratio: str) -> None:
    a, t, w = D(actual), D(target), D(weight)
    assert str(ROUND(score_lower(a, t, w, strategy="linear_to_zero_at_double").score)) == linear
    assert str(ROUND(score_lower(a, t, w, strategy="target_over_actual").score)) == ratio


def test_lower_unknown_strategy_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="strategy"):
        score_lower(D(2), D(1), D(1), strategy="halve")
    with pytest.raises(ValueError, match="strategy"):
        score_exact(D(2), D(1), D(1), strategy="halve")


@pytest.mark.parametrize(
    ("actual", "status", "score"),
    [("0", "met", "4.00"), ("-1", "met", "4.00"), ("0.5", "not_met", "0.00"), ("3", "not_met", "0.00")],
    ids=lambda v: str(v),
)
def test_zero_targets(actual: str, status: str, score: str) -> None:
    for calc in (score_exact(D(actual), D(0), D(4)), score_lower(D(actual), D(0), D(4))):
        assert calc.status == status
        assert str(ROUND(calc.score)) == score
        assert calc.rule.endswith(".zero")


@pytest.mark.parametrize(
    ("actual", "as_higher", "symmetric"),
    [("100", "6.00", "6.00"), ("98", "5.88", "5.88"), ("102", "6.00", "5.88"), ("250", "6.00", "0.00")],
    ids=lambda v: str(v),
)
def test_exact_strategies(actual: str, as_higher: str, symmetric: str) -> None:
    assert str(ROUND(score_exact(D(actual), D(100), D(6)).score)) == as_higher
    assert str(ROUND(score_exact(D(actual), D(100), D(6), strategy="symmetric").score)) == symmetric


@pytest.mark.parametrize(
    ("actual", "score"),
    [("95", "5.00"), ("90", "5.00"), ("100", "5.00"), ("81", "4.50"), ("110", "4.50")],
    ids=lambda v: str(v),
)
def test_range(actual: str, score: str) -> None:
    assert str(ROUND(score_range(D(actual), D(90), D(100), D(5)).score)) == score


@pytest.mark.parametrize(
    ("executed", "total", "cap", "score", "rate"),
    [
        ("215457.6", "250000", "1", "8.62", "0.8618304"),  # S45 project 1
        ("9034", "20000", "1", "4.52", "0.4517"),  # S45 project 2
        ("120", "100", "1", "10.00", "1.2"),
        ("120", "100", None, "12.00", "1.2"),
        ("0", "100", "1", "0.00", "0"),
    ],
    ids=lambda v: str(v),
)
def test_budget_execution(executed: str, total: str, cap: str | None, score: str, rate: str) -> None:
    calc = score_budget(D(executed), D(total), D(10), cap=D(cap) if cap else None)
    assert str(ROUND(calc.score)) == score
    assert calc.achievement == D(rate)


def test_budget_zero_total_is_invalid() -> None:
    calc = score_budget(D(5), D(0), D(10))
    assert calc.status is LineStatus.INVALID
    assert calc.score == 0


@pytest.mark.parametrize(
    ("share", "count", "expected"),
    [
        ("50", 14, ["3.58"] * 2 + ["3.57"] * 12),
        ("30", 8, ["3.75"] * 8),
        ("10", 3, ["3.34", "3.33", "3.33"]),
        ("10", 0, []),
        ("0.01", 3, ["0.01", "0.00", "0.00"]),
    ],
    ids=lambda v: str(v) if not isinstance(v, list) else "",
)
def test_split_even(share: str, count: int, expected: list[str]) -> None:
    assert [str(w) for w in split_even(D(share), count)] == expected


def test_split_even_remainder_last() -> None:
    assert [str(w) for w in split_even(D(10), 3, remainder="last")] == ["3.33", "3.33", "3.34"]


def test_share_and_format() -> None:
    assert score_share(D("0.7"), D(5), rule="r", what="w").score == D("3.5")
    assert fmt(D("4.894736842")) == "4.8947…"
    assert fmt(D("95.00")) == "95"
    assert fmt(D("3.5")) == "3.5"


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.01"), max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(actual=money, target=positive, weight=weights)
def test_every_rule_scores_within_zero_and_the_weight(
    actual: Decimal, target: Decimal, weight: Decimal
) -> None:
    calcs = [
        score_higher(actual, target, weight),
        score_lower(actual, target, weight),
        score_lower(actual, target, weight, strategy="target_over_actual"),
        score_exact(actual, target, weight),
        score_exact(actual, target, weight, strategy="symmetric"),
        score_range(actual, target, target * 2, weight),
    ]
    for calc in calcs:
        assert 0 <= ROUND(calc.score) <= weight


@given(a=money, b=money, target=positive, weight=weights)
def test_higher_is_monotone_up_and_lower_monotone_down(
    a: Decimal, b: Decimal, target: Decimal, weight: Decimal
) -> None:
    lo, hi = min(a, b), max(a, b)
    assert score_higher(lo, target, weight).score <= score_higher(hi, target, weight).score
    for strategy in ("linear_to_zero_at_double", "target_over_actual"):
        assert (
            score_lower(lo, target, weight, strategy=strategy).score
            >= score_lower(hi, target, weight, strategy=strategy).score
        )


@given(share=weights, count=st.integers(min_value=1, max_value=60))
def test_split_even_adds_up_exactly(share: Decimal, count: int) -> None:
    parts = split_even(share, count)
    assert sum(parts, D(0)) == share
    assert max(parts) - min(parts) <= D("0.01")
