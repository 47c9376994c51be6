"""Random long tables for the score-batch tests: every kind of row ``score-batch`` must agree on."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import strategies as st

HEADER = (
    "单位",
    "年度",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "计量单位",
    "指标性质",
    "实际完成值",
    "分值",
)
LEVELS = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("成本指标", "经济成本指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
    ("产出指标（60分）", "数量指标"),
]
NAMES = [
    "培训人次",
    "任务完成率",
    "覆盖率",
    "项目完工时限",
    "单位成本",
    "投诉件数",
    "满意度",
    "服务周期",
    "设备采购数量",
    "培训人次",
    "覆盖率",
    "设备采购数量",
    "预算执行率",
    "资金到位",
]
NUMERIC_TARGETS = [
    "≥100人次",
    "95%以上",
    "≥95%",
    "≤100万元",
    "100",
    "=0",
    "90-100",
    "＞5",
    "<3次",
    "≤5%",
    "=20",
    "≥0.5",
    "100%",
    "≥1,000",
    "≥95",
    "≥0",
    "≤0",
    "5%-10%",
    "70%左右",
    "控制在3%左右",
]
TARGETS = [
    "≥100人次",
    "95%以上",
    "≥95%",
    "≤100万元",
    "100",
    "=0",
    "90-100",
    "＞5",
    "<3次",
    "≤5%",
    "是",
    "优",
    "明显提升",
    "12月底前",
    "较上年提高",
    "≥0",
    "=20",
    "≥0.5",
    "≤0",
    "100%",
    "≥1,000",
    "5%-10%",
    "≥95",
    "",
    "≥0.000001",
    "≤999999999999",
    "约100人次",
    "全覆盖",
]
MEASURES = ["", "", "", "万元", "%", "人次"]
DIRECTIONS = ["", "", "", "≥", "≤", "="]
WORD_ACTUALS = [
    "",
    "达成",
    "部分达成",
    "良",
    "优",
    "是",
    "否",
    "未完成",
    "95万元",
    "990000元",
    "≥80%",
    "50头",
    " 96 ",
    "1,203",
    "N/A",
    "0.965",
    "-0",
    "007",
]
WEIGHTS_ODD = ["", "8分", "20%", "x", "10000"]


def _number(draw: st.DrawFn) -> str:
    value = draw(
        st.decimals(
            min_value=-50,
            max_value=2000,
            places=draw(st.sampled_from([0, 0, 1, 2, 3, 6, 7])),
            allow_nan=False,
            allow_infinity=False,
        )
    )
    text = f"{value:f}"
    return text + draw(st.sampled_from(["", "", "%"]))


@st.composite
def long_rows(draw: st.DrawFn, *, numeric: bool = False) -> list[list[str]]:
    """Rows of a long table (without the header); ``numeric``: numeric targets and actuals, plain
    weights (the rows SQL scores), else every kind of row."""
    units = draw(
        st.lists(
            st.sampled_from(["甲单位", "乙单位", "丙单位", "丁单位"]), min_size=1, max_size=3, unique=True
        )
    )
    periods = draw(st.sampled_from([["2024"], ["2023", "2024"], [""]]))
    rows: list[list[str]] = []
    for unit in units:
        for period in periods:
            odd_weights = not numeric and draw(st.booleans()) and draw(st.booleans())
            for _ in range(draw(st.integers(1, 6))):
                level1, level2 = draw(st.sampled_from(LEVELS))
                name = draw(st.sampled_from(NAMES[:-2] if numeric else NAMES))
                words = not numeric and not draw(st.integers(0, 3))
                actual = draw(st.sampled_from(WORD_ACTUALS)) if words else _number(draw)
                weight = (
                    draw(st.sampled_from(WEIGHTS_ODD))
                    if odd_weights and draw(st.booleans())
                    else f"{draw(st.decimals(min_value=0, max_value=60, places=draw(st.integers(0, 3)))):f}"
                )
                targets = NUMERIC_TARGETS if numeric or draw(st.integers(0, 2)) else TARGETS
                rows.append(
                    [
                        unit,
                        period,
                        level1,
                        level2,
                        name,
                        draw(st.sampled_from(targets)),
                        draw(st.sampled_from(MEASURES)),
                        draw(st.sampled_from(DIRECTIONS)),
                        actual,
                        weight,
                    ]
                )
    return rows


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
