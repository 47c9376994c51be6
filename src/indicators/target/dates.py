"""Ordering dates as written (a year, a month and a day, any of which may be missing) for time targets.

With a day on both sides days are compared, otherwise months; years are compared only when both sides
have one (``10月`` against ``2025年10月底前`` is decided by the month). See docs/target-language.md,
"Deadlines and periods".
"""

from __future__ import annotations

from indicators.target.model import DatePoint


def before_deadline(actual: DatePoint, limit: DatePoint, end_of: bool) -> bool | None:
    use_year = actual.year is not None and limit.year is not None
    if limit.month is None:  # a year: 2025年底前, 2025年前
        if actual.year is None or limit.year is None:
            return None
        return actual.year <= limit.year if end_of else actual.year < limit.year
    if actual.month is None:  # 2024年 against 2025年10月底前: decided by the year when the years differ
        if use_year and actual.year != limit.year:
            return actual.year is not None and limit.year is not None and actual.year < limit.year
        return None
    a_key = (actual.year if use_year else 0, actual.month)
    l_key = (limit.year if use_year else 0, limit.month)
    if limit.day is not None:
        if actual.day is None:
            return a_key < l_key if a_key != l_key else None
        a_day, l_day = (*a_key, actual.day), (*l_key, limit.day)
        # a day is always a deadline that the day itself meets: "于6月30日前报送" admits 6月30日
        return a_day <= l_day
    return a_key <= l_key if end_of else a_key < l_key


def _date_key(point: DatePoint, other: DatePoint) -> tuple[int, ...] | None:
    """The key that orders ``point`` against ``other``: (year, month), with the day when both have one."""
    if point.month is None:
        return None
    use_year = point.year is not None and other.year is not None
    key: tuple[int, ...] = (point.year if use_year and point.year is not None else 0, point.month)
    if point.day is not None and other.day is not None:
        key += (point.day,)
    return key


def not_before(point: DatePoint, start: DatePoint) -> bool:
    p, s = _date_key(point, start), _date_key(start, point)
    if p is None or s is None:
        return True
    return p >= s


def not_after(point: DatePoint, end: DatePoint) -> bool:
    p, e = _date_key(point, end), _date_key(end, point)
    if p is None or e is None:
        return True
    return p <= e
