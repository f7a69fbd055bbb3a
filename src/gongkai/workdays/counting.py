"""Adding working days the statutory way: counting starts the day *after* the starting day.

(chinesecalendar's ``find_workday`` rolls a non-working start forward first and lands one day late for this.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from .calendar import KIND_LABEL, UNKNOWN_KINDS, WORKING_KINDS, Calendar, DayKind


@dataclass(frozen=True)
class CountStep:
    day: date
    kind: str          # DayKind value, or a reason the day was skipped ("paused")
    counted: int | None  # the running count if this day counted, else None
    note: str = ""


@dataclass
class Count:
    start: date
    days: int
    due: date
    steps: list[CountStep] = field(default_factory=list)
    unknown_years: list[int] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [unknown_year_warning(y) for y in self.unknown_years]


def unknown_year_warning(year: int) -> str:
    """What a deadline counted into a year without its State Council notice rests on, and what is unknown."""
    from .statutory import statutory_text

    return (f"{year}年的国务院节假日安排通知尚未载入：已按《全国年节及纪念日放假办法》不计法定节假日"
            f"（{statutory_text(year)}），只有调休（补休日和调休上班日）尚不知道，期限可能因此变动；"
            f"载入通知后自动重算")


def add_workdays(cal: Calendar, start: date, n: int,
                 skip: Callable[[date], str | None] | None = None) -> Count:
    """The ``n``-th working day after ``start``; ``skip(day)`` may return a reason a day does not count."""
    if n < 0:
        raise ValueError("工作日数不能为负数")
    steps: list[CountStep] = []
    unknown: list[int] = []
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        kind = cal.kind(day)
        if kind in UNKNOWN_KINDS and day.year not in unknown:
            unknown.append(day.year)
        reason = skip(day) if skip else None
        if reason:
            steps.append(CountStep(day, "paused", None, reason))
        elif kind in WORKING_KINDS:
            counted += 1
            steps.append(CountStep(day, kind.value, counted, cal.holiday_name(day) or ""))
        else:
            steps.append(CountStep(day, kind.value, None, cal.holiday_name(day) or KIND_LABEL[kind]))
    return Count(start=start, days=n, due=day, steps=steps, unknown_years=unknown)


def workdays_between(cal: Calendar, start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(cal, end, start)
    day, n = start, 0
    while day < end:
        day += timedelta(days=1)
        if cal.is_workday(day):
            n += 1
    return n
