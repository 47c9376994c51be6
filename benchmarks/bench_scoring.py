"""Scoring speed: a synthetic form of many rows scored against its actuals (``make bench``)."""

from __future__ import annotations

import time
from decimal import Decimal

from indicators.diagnostics import Location
from indicators.forms.model import Cell, Form, IndicatorRow
from indicators.scoring import BudgetExecution, load_policy, score_form
from indicators.scoring.actuals import ActualRecord, Actuals

#: (level1, level2, target, actual) patterns cycled through the synthetic form
PATTERNS = (
    ("产出指标", "数量指标", "100人次以上", "93人次"),
    ("产出指标", "质量指标", "95%以上", "96.5%"),
    ("产出指标", "时效指标", "及时报送", "及时报送"),
    ("效益指标", "社会效益指标", "良以上", "优秀"),
    ("效益指标", "经济效益指标", "≤90万元", "99万元"),
    ("满意度指标", "服务对象满意度指标", "90%以上", "部分达成"),
)


def synthetic(rows: int) -> tuple[Form, Actuals]:
    indicators = []
    records = []
    for i in range(rows):
        level1, level2, target, actual = PATTERNS[i % len(PATTERNS)]
        name = f"指标{i}"
        loc = Location(source="bench", row=i + 2, column=3)
        indicators.append(
            IndicatorRow(
                index=i,
                level1=Cell(text=level1),
                level2=Cell(text=level2),
                level3=Cell(text=name, location=loc),
                formula=Cell(text="指标值=完成数"),
                target=Cell(text=target),
            )
        )
        records.append(ActualRecord(name=name, actual=actual))
    return Form(indicators=tuple(indicators)), Actuals(records=tuple(records))


def run() -> None:
    policy = load_policy()
    small_form, small_actuals = synthetic(6)
    started = time.perf_counter()
    score_form(small_form, small_actuals, policy=policy)  # builds the target parser once
    warm = time.perf_counter() - started
    print(f"scoring: first call (parsers built) {warm * 1000:.0f} ms")
    for rows in (100, 1000):
        form, actuals = synthetic(rows)
        started = time.perf_counter()
        sheet = score_form(
            form, actuals, policy=policy, budget=BudgetExecution(total=Decimal(1), executed=Decimal(1))
        )
        elapsed = time.perf_counter() - started
        rate = rows / elapsed
        print(f"scoring: {rows} rows in {elapsed * 1000:.0f} ms ({rate:.0f} rows/s), total {sheet.total}")


if __name__ == "__main__":
    run()
