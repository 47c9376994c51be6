"""Target language speed: building the parser and the unit registry, parsing targets and actual
values, judging them.

Run with ``make bench`` (``python -m benchmarks``); the figures are printed, never asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from indicators import units
from indicators.target import parse_actual, parse_target
from indicators.target.parser import parser

TARGETS = (
    "95%以上", "≥95%", "控制在100万元以内", "90%-100%", "良以上", "较上年提高5个百分点", "12月底前完成",
    "2023.07-2024.01", "≥530元/人·月", "辖区企业满意率达95%以上。", "有效发放居家养老服务补贴", "有效提升",
)
CHECKS = (("95%以上", "96.5%"), ("良以上", "合格"), ("控制在100万元以内", "98万元"), ("4个以上", "85%"),
          ("≥1亩", "700平方米"), ("12月底前完成", "2025年12月20日"))


def _time(label: str, action: Callable[[], object], repeat: int) -> None:
    start = time.perf_counter()
    for _ in range(repeat):
        action()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"  {label:<40} {elapsed * 1_000_000:9.1f} µs")


def _parse_all() -> None:
    for text in TARGETS:
        parse_target(text)


def _check_all() -> None:
    for target, actual in CHECKS:
        parse_target(target).evaluate(actual)


def run() -> None:
    print("target: registry, parser, parse_target, evaluate")
    start = time.perf_counter()
    units.registry()
    print(f"  {'unit registry (first use)':<40} {(time.perf_counter() - start) * 1000:9.1f} ms")
    start = time.perf_counter()
    parser()
    print(f"  {'target parser (first use)':<40} {(time.perf_counter() - start) * 1000:9.1f} ms")
    _time(f"parse_target × {len(TARGETS)} idioms", _parse_all, 200)
    _time("parse_actual('1,203人次')", lambda: parse_actual("1,203人次"), 2000)
    _time(f"parse + evaluate × {len(CHECKS)}", _check_all, 200)


if __name__ == "__main__":
    run()
