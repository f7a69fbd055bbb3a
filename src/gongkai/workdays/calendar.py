"""The working-day calendar as data: off days, make-up workdays, and the years it actually knows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .statutory import statutory_days


class DayKind(str, Enum):
    WORKDAY = "workday"          # ordinary Monday–Friday
    MAKEUP = "makeup"            # 调休上班: a weekend day that is a working day
    WEEKEND = "weekend"
    HOLIDAY = "holiday"          # 法定节假日 or 调休 rest day
    UNKNOWN_WORKDAY = "unknown_workday"  # year not in the calendar: Mon–Fri assumed working
    UNKNOWN_WEEKEND = "unknown_weekend"  # year not in the calendar: Sat/Sun assumed off
    STATUTORY = "statutory"              # year not in the calendar: a statutory holiday of the 放假办法, off


KIND_LABEL = {
    DayKind.WORKDAY: "工作日",
    DayKind.MAKEUP: "调休上班",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "节假日",
    DayKind.UNKNOWN_WORKDAY: "日历未载入（按周一至周五推算）",
    DayKind.UNKNOWN_WEEKEND: "日历未载入（按周末推算）",
    DayKind.STATUTORY: "法定节假日（按《全国年节及纪念日放假办法》推算）",
}
UNKNOWN_KINDS = frozenset({DayKind.UNKNOWN_WORKDAY, DayKind.UNKNOWN_WEEKEND, DayKind.STATUTORY})

WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP, DayKind.UNKNOWN_WORKDAY})


@dataclass(frozen=True)
class Calendar:
    """Off days and make-up workdays for the ``years`` it covers.

    A year outside ``years`` is *unknown*: its statutory holidays (《全国年节及纪念日放假办法》, ``statutory``) are
    off and the other days follow the week, but every such day is marked so a deadline built on it carries a
    warning: the State Council notice for that year, with its 调休, is missing.
    """

    holidays: dict[date, str] = field(default_factory=dict)   # off day -> holiday name (元旦, 春节, ...)
    makeup: dict[date, str] = field(default_factory=dict)     # weekend working day -> holiday it belongs to
    years: frozenset[int] = frozenset()

    def knows(self, day: date) -> bool:
        return day.year in self.years

    def kind(self, day: date) -> DayKind:
        weekend = day.weekday() >= 5
        if not self.knows(day):
            if day in statutory_days(day.year):
                return DayKind.STATUTORY
            return DayKind.UNKNOWN_WEEKEND if weekend else DayKind.UNKNOWN_WORKDAY
        if day in self.makeup:
            return DayKind.MAKEUP
        if day in self.holidays:
            return DayKind.HOLIDAY
        return DayKind.WEEKEND if weekend else DayKind.WORKDAY

    def is_workday(self, day: date) -> bool:
        return self.kind(day) in WORKING_KINDS

    def holiday_name(self, day: date) -> str | None:
        if not self.knows(day):
            return statutory_days(day.year).get(day)
        return self.holidays.get(day) or self.makeup.get(day)

    def with_year(self, year: int, holidays: dict[date, str], makeup: dict[date, str]) -> "Calendar":
        """A new calendar where ``year`` is replaced by the given days (a newly loaded notice)."""
        h = {d: n for d, n in self.holidays.items() if d.year != year}
        m = {d: n for d, n in self.makeup.items() if d.year != year}
        # A notice can reach over the year end (2012's notice made 2011-12-31 a working day): keep those days too.
        h.update(holidays)
        m.update(makeup)
        return Calendar(holidays=h, makeup=m, years=self.years | {year})

    def year_days(self, year: int) -> tuple[dict[date, str], dict[date, str]]:
        return ({d: n for d, n in self.holidays.items() if d.year == year},
                {d: n for d, n in self.makeup.items() if d.year == year})
