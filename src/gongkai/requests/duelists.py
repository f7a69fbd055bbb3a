"""Due lists: due within N working days, overdue, paused — and an Excel export an office can mail.

Lists never show personal data in full: the applicant's name is masked (these lists leave the office).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import RequestRow
from gongkai.workdays.calendar import Calendar
from gongkai.workdays.counting import add_workdays, workdays_between
from gongkai.workdays.store import active_calendar

from .findings import RequestFinding, overdue_finding
from .masking import mask_name
from .workflow import STATES, Clock

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


def _items(s: Session, cal: Calendar, today: date, q) -> list[DueItem]:
    out = []
    left: dict[date, int] = {}   # many requests share a due date: count each distance once
    for r in s.execute(q):
        ref = (r.due_date or r.wait_until) if STATES[r.state].open else None   # a decided request has no days left
        if ref is not None and ref not in left:
            left[ref] = workdays_between(cal, today, ref)
        found = [RequestFinding.from_dict(f) for f in r.findings or []]
        od = overdue_finding(cal, STATES[r.state].clock is Clock.RUNNING, r.due_date, today,
                             left.get(r.due_date) if ref == r.due_date else None)
        if od:
            found.append(od)
        out.append(DueItem(r.number, mask_name(r.applicant_name), STATES[r.state].label, r.due_date, r.wait_until,
                           left[ref] if ref else None, r.due_warning, tuple(f.text for f in found)))
    return out


def _cols():
    R = RequestRow
    return select(R.number, R.applicant_name, R.state, R.due_date, R.wait_until, R.due_warning, R.findings)


def due_within(engine: Engine, agency: str, days: int, today: date, cal: Calendar | None = None) -> list[DueItem]:
    """Running requests due from today up to the ``days``-th working day after today."""
    cal = cal or active_calendar(engine)
    until = add_workdays(cal, today, days).due
    R = RequestRow
    with Session(engine) as s:
        return _items(s, cal, today, _cols().where(R.agency == agency, R.state.in_(RUNNING), R.due_date >= today,
                                                   R.due_date <= until).order_by(R.due_date, R.number))


def overdue(engine: Engine, agency: str, today: date, cal: Calendar | None = None) -> list[DueItem]:
    cal = cal or active_calendar(engine)
    R = RequestRow
    with Session(engine) as s:
        return _items(s, cal, today, _cols().where(R.agency == agency, R.state.in_(RUNNING), R.due_date < today)
                      .order_by(R.due_date, R.number))


def paused(engine: Engine, agency: str, today: date, cal: Calendar | None = None) -> list[DueItem]:
    """Requests whose clock is stopped (补正, 征求意见, 收费), with the date they wait for."""
    cal = cal or active_calendar(engine)
    R = RequestRow
    with Session(engine) as s:
        return _items(s, cal, today, _cols().where(R.agency == agency, R.state.in_(PAUSED))
                      .order_by(R.wait_until, R.number))


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
        return [i for i in _items(s, cal, today, _cols().where(R.agency == agency, R.number.in_(sorted(late)))
                                  .order_by(R.due_date, R.number))]


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
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(HEADERS)
    for i in items:
        ws.append(row_values(i))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
