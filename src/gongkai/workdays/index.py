"""Working days by a prefix-sum table: ``workdays_between`` and ``add_workdays`` as lookups, in SQL.

``n(day)`` counts the working days from ``FIRST`` up to ``day``; for any two days in the index the working
days in (a, b] are ``n(b) − n(a)``, and the ``k``-th working day after ``a`` is the first day whose ``n`` is
``n(a) + k``. The register's due, overdue and paused lists join their rows to this table, so a page of a list
of 100,000 requests is counted and ordered by the database. Days outside the index fall back to counting
(``gongkai.workdays.counting``); the index spans ``FIRST`` to ``LAST``.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from gongkai.store.requests_tables import CalendarVersion
from gongkai.store.workday_tables import WorkdayIndex

from .calendar import Calendar

FIRST = date(2000, 1, 1)
LAST = date(2060, 12, 31)
T = WorkdayIndex.__table__
_built: dict[str, int] = {}   # engine url -> calendar version the index is known to be built from


def prefix_rows(cal: Calendar, built_from: int, first: date = FIRST, last: date = LAST) -> list[dict]:
    rows, n, day = [], 0, first
    while day <= last:
        if cal.is_workday(day):
            n += 1
        rows.append({"day": day, "n": n, "built_from": built_from})
        day += timedelta(days=1)
    return rows


def ensure_index(engine: Engine, cal: Calendar) -> None:
    """Make the index match the calendar in force (rebuilt when a newer calendar version exists)."""
    with engine.connect() as conn:
        top = conn.execute(select(func.max(CalendarVersion.id))).scalar() or 0
    key = str(engine.url)
    if _built.get(key) == top:
        return
    with engine.connect() as conn:
        have = conn.execute(select(func.min(T.c.built_from), func.max(T.c.built_from), func.count())).first()
    if not (have[0] == have[1] == top and have[2] == (LAST - FIRST).days + 1):
        try:
            with engine.begin() as conn:
                conn.execute(delete(T))
                conn.execute(insert(T), prefix_rows(cal, top))
        except IntegrityError:  # another process built it at the same moment
            pass
    _built[key] = top


def prefix(engine: Engine, day: date) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(T.c.n).where(T.c.day == day)).scalar()


def nth_workday_after(engine: Engine, start: date, k: int) -> date | None:
    """The ``k``-th working day after ``start`` (counting from the day after), or None outside the index."""
    if k <= 0:
        return start
    base = prefix(engine, start)
    if base is None:
        return None
    with engine.connect() as conn:
        return conn.execute(select(func.min(T.c.day)).where(T.c.n >= base + k, T.c.day > start)).scalar()
