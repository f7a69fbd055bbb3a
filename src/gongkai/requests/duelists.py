"""Due lists: due within N working days, overdue, paused — and an Excel export an office can mail.

Lists never show personal data in full: the applicant's name is masked (these lists leave the office).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gongkai.spreadsheet import append_row
from gongkai.store.requests_tables import RequestRow
from gongkai.workdays.calendar import Calendar
from gongkai.store.workday_tables import WorkdayIndex
from gongkai.workdays.counting import add_workdays, workdays_between
from gongkai.workdays.index import ensure_index, nth_workday_after
from gongkai.workdays.store import active_calendar

from .findings import RequestFinding, overdue_finding
from .masking import mask_name
from .workflow import STATES, Clock

T = WorkdayIndex.__table__
RUNNING = [k for k, s in STATES.items() if s.clock is Clock.RUNNING]
PAUSED = [k for k, s in STATES.items() if s.clock in (Clock.PAUSED, Clock.WAITING)]


@dataclass(frozen=True)
class DueItem:
    number: str
    applicant: str          # masked
    state: str
    due_date: date | None
    wait_until: date | None
    days_left: int | None   # working days from today to the due date (negative = overdue)
    warning: str | None
    findings: tuple[str, ...] = ()   # what was or is late, as a person reads it (逾期答复…, 补正告知逾期…)


def _fallback_items(s: Session, cal: Calendar, today: date, q) -> list[DueItem]:
    """Counting day by day: for a calendar given by the caller or a today outside the index."""
    out = []
    left: dict[date, int] = {}   # many requests share a due date: count each distance once
    for r in s.execute(q):
        ref = (r.due_date or r.wait_until) if STATES[r.state].open else None   # a decided request has no days left
        if ref is not None and ref not in left:
            left[ref] = workdays_between(cal, today, ref)
        out.append(DueItem(r.number, mask_name(r.applicant_name), STATES[r.state].label, r.due_date, r.wait_until,
                           left[ref] if ref else None, r.due_warning,
                           _findings(r, cal, today, left.get(r.due_date) if ref == r.due_date else None)))
    return out


def _list(engine: Engine, cal: Calendar | None, today: date, where, order, limit: int | None,
          offset: int) -> list[DueItem]:
    """A page of a due list; days left counted in SQL by the working-day index (n(ref) − n(today))."""
    R = RequestRow
    active = active_calendar(engine)
    q = _cols().where(*where).order_by(*order)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    with Session(engine) as s:
        if cal is not None and cal is not active:
            return _fallback_items(s, cal, today, q)
        ensure_index(engine, active)
        base = s.scalar(select(T.c.n).where(T.c.day == today))
        if base is None:
            return _fallback_items(s, active, today, q)
        ref = func.coalesce(R.due_date, R.wait_until)
        qi = q.add_columns((T.c.n - base).label("days_left")).outerjoin(T, T.c.day == ref)
        out = []
        for r in s.execute(qi):
            left = r.days_left
            refday = r.due_date or r.wait_until
            if not STATES[r.state].open:
                left = None                               # a decided request has no days left
            elif left is None and refday is not None:   # a date outside the index
                left = workdays_between(active, today, refday)
            out.append(DueItem(r.number, mask_name(r.applicant_name), STATES[r.state].label, r.due_date, r.wait_until,
                               left, r.due_warning, _findings(r, active, today, left if refday == r.due_date else None)))
        return out


def _findings(r, cal: Calendar, today: date, days_left: int | None) -> tuple[str, ...]:
    """What was or is late about a listed request: its stored findings and, while it runs past its deadline,
    how far past (the same texts ``register show`` gives)."""
    found = [RequestFinding.from_dict(f) for f in r.findings or []]
    od = overdue_finding(cal, STATES[r.state].clock is Clock.RUNNING, r.due_date, today, days_left)
    if od:
        found.append(od)
    return tuple(f.text for f in found)


def _cols():
    R = RequestRow
    return select(R.number, R.applicant_name, R.state, R.due_date, R.wait_until, R.due_warning, R.findings)


def _until(engine: Engine, cal: Calendar | None, today: date, days: int) -> date:
    active = active_calendar(engine)
    if (cal is None or cal is active) and days > 0:
        ensure_index(engine, active)
        found = nth_workday_after(engine, today, days)
        if found is not None:
            return found
    return add_workdays(cal or active, today, days).due


def _due_where(agency: str, today: date, until: date) -> list:
    R = RequestRow
    return [R.agency == agency, R.state.in_(RUNNING), R.due_date >= today, R.due_date <= until]


def _overdue_where(agency: str, today: date) -> list:
    R = RequestRow
    return [R.agency == agency, R.state.in_(RUNNING), R.due_date < today]


def _paused_where(agency: str) -> list:
    R = RequestRow
    return [R.agency == agency, R.state.in_(PAUSED)]


def due_within(engine: Engine, agency: str, days: int, today: date, cal: Calendar | None = None, *,
               limit: int | None = None, offset: int = 0) -> list[DueItem]:
    """Running requests due from today up to the ``days``-th working day after today (a page of them
    with ``limit``/``offset``)."""
    R = RequestRow
    until = _until(engine, cal, today, days)
    return _list(engine, cal, today, _due_where(agency, today, until), (R.due_date, R.number), limit, offset)


def overdue(engine: Engine, agency: str, today: date, cal: Calendar | None = None, *,
            limit: int | None = None, offset: int = 0) -> list[DueItem]:
    R = RequestRow
    return _list(engine, cal, today, _overdue_where(agency, today), (R.due_date, R.number), limit, offset)


def paused(engine: Engine, agency: str, today: date, cal: Calendar | None = None, *,
           limit: int | None = None, offset: int = 0) -> list[DueItem]:
    """Requests whose clock is stopped (补正, 征求意见, 收费), with the date they wait for."""
    R = RequestRow
    return _list(engine, cal, today, _paused_where(agency), (R.wait_until, R.number), limit, offset)


def counts(engine: Engine, agency: str, today: date, days: int, cal: Calendar | None = None) -> dict[str, int]:
    """How many requests each list holds (``due`` within ``days`` working days, ``overdue``, ``paused``),
    counted by the database."""
    until = _until(engine, cal, today, days)
    R = RequestRow
    with Session(engine) as s:
        def n(where) -> int:
            return s.scalar(select(func.count()).select_from(R).where(*where)) or 0

        return {"due": n(_due_where(agency, today, until)), "overdue": n(_overdue_where(agency, today)),
                "paused": n(_paused_where(agency))}


def answered_late(engine: Engine, agency: str, today: date, cal: Calendar | None = None,
                  year: int | None = None) -> list[DueItem]:
    """Requests answered after their deadline (in ``year``, default today's year): the overdue list's second part,
    so a late answer does not vanish from the list the day it is given."""
    from .yearend import late_answers

    late = {a.number for a in late_answers(engine, agency, year or today.year)}
    if not late:
        return []
    cal = cal or active_calendar(engine)
    R = RequestRow
    with Session(engine) as s:
        return _fallback_items(s, cal, today, _cols().where(R.agency == agency, R.number.in_(sorted(late)))
                               .order_by(R.due_date, R.number))


HEADERS = ("编号", "申请人", "状态", "答复期限", "等待期限", "剩余工作日", "期限提示", "办理提示")


def row_values(i: DueItem) -> tuple:
    return (i.number, i.applicant, i.state, i.due_date, i.wait_until, i.days_left, i.warning or "",
            "；".join(i.findings))


def export_csv(items: list[DueItem]) -> bytes:
    """The same list as CSV (UTF-8 with BOM, so Excel opens the Chinese right); a text cell that a spreadsheet would
    take for a formula is prefixed with an apostrophe."""
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    for i in items:
        w.writerow(["" if v is None else (f"'{v}" if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
                    for v in row_values(i)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


EXPORT_FORMATS = {".xlsx": "Excel", ".csv": "CSV"}


def export(items: list[DueItem], title: str, suffix: str) -> bytes:
    """The list in the format named by a file suffix (.xlsx or .csv); any other suffix is refused."""
    s = suffix.lower()
    if s == ".xlsx":
        return export_xlsx(items, title)
    if s == ".csv":
        return export_csv(items)
    raise ValueError(f"不支持导出为“{suffix or '（无后缀）'}”：请用 {'、'.join(EXPORT_FORMATS)} 后缀")


def export_xlsx(items: list[DueItem], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(HEADERS)
    for i in items:
        append_row(ws, row_values(i))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
