"""Parse and evaluate throughput of the formula language (``python -m benchmarks``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from indicators.formula import evaluate, parse_formula
from indicators.formula.parser import parse_uncached

FORMULAS = [
    "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%",
    "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%",
    "指标值=办结工单/呈办工单*100%",
    "指标值=党员参与志愿服务人次",
    "指标值=报送及时 按时完成经济统计报表报送工作即为报送及时(可参考国家统计局联网直报平台的截止时间)",
    "IF(完成数>=计划数, 100%, ROUND(完成数/计划数*100%, 2))",
]
VALUES = {
    "已覆盖应急避难场所的村(社区)": "4",
    "辖区村(社区)总数": "5",
    "可回收物回收量": "1250",
    "其他垃圾处理量": "3100",
    "厨余垃圾资源化利用量": "2400",
    "四类垃圾处理总量": "7000",
    "办结工单": "2,936",
    "呈办工单": "3,012",
    "党员参与志愿服务人次": "126",
    "完成数": "19",
    "计划数": "20",
}


def _rate(label: str, work: Callable[[], object], count: int, seconds: float = 1.0) -> None:
    work()  # warm up: builds the parser and the unit registry
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        work()
        done += count
    elapsed = time.perf_counter() - start
    print(f"formula {label:<9} {done / elapsed:10.0f} formulas/s")


def run() -> None:
    parsed = [parse_formula(text) for text in FORMULAS]
    arithmetic = [f for f in parsed if f.is_arithmetic]
    _rate("parse", lambda: [parse_uncached(text) for text in FORMULAS], len(FORMULAS))
    _rate("cached", lambda: [parse_formula(text) for text in FORMULAS], len(FORMULAS))
    _rate("evaluate", lambda: [evaluate(f, VALUES) for f in arithmetic], len(arithmetic))


if __name__ == "__main__":
    run()
