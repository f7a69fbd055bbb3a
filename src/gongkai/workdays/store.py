"""Calendar versions in the database: seeded from chinesecalendar, extended by pasting a notice.

Each load of a year is a new version; the newest version of each year is the one in force. Nothing is
overwritten, so an old deadline can always be re-derived from the calendar that was in force when it was set.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import CalendarDay, CalendarVersion

from .calendar import Calendar
from .notice import NoticeYear, parse_notice
from .seed import package_calendar, package_version, package_years

_cache: dict[tuple[str, int], Calendar] = {}


@dataclass(frozen=True)
class VersionInfo:
    year: int
    version: int
    source: str
    created_at: datetime
    created_by: str
    holidays: int
    makeup: int


def _add_version(s: Session, year: int, holidays: dict[date, str], makeup: dict[date, str], source: str,
                 actor: str, notice_text: str | None = None) -> int:
    last = s.scalar(select(func.max(CalendarVersion.version)).where(CalendarVersion.year == year)) or 0
    v = CalendarVersion(year=year, version=last + 1, source=source, notice_text=notice_text,
                        created_at=datetime.now(), created_by=actor)
    s.add(v)
    s.flush()
    s.add_all([CalendarDay(version_id=v.id, day=d, kind="holiday", name=n) for d, n in sorted(holidays.items())])
    s.add_all([CalendarDay(version_id=v.id, day=d, kind="makeup", name=n) for d, n in sorted(makeup.items())])
    return v.version


def seed_from_package(engine: Engine, actor: str = "system") -> list[int]:
    """Store every year chinesecalendar knows that the database does not have yet; returns the years added.

    Idempotent under concurrency: the first intakes on a fresh database may all seed at once. PostgreSQL
    serialises them with an advisory lock; on either back end a writer that lost the race (unique
    (year, version) violated, or SQLite's stale snapshot refused) rolls back and looks again, finding the
    years the winner stored.
    """
    for attempt in range(_SEED_ATTEMPTS):
        try:
            added = _seed(engine, actor)
            break
        except (IntegrityError, OperationalError):
            if attempt == _SEED_ATTEMPTS - 1:
                raise
    _cache.clear()
    return added


_SEED_ATTEMPTS = 20
_SEED_LOCK = 0x676B_6361_6C   # "gkcal": the advisory lock key of calendar seeding on PostgreSQL


def _seed(engine: Engine, actor: str) -> list[int]:
    cal = package_calendar()
    added = []
    with Session(engine) as s, s.begin():
        if engine.dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SEED_LOCK})
        have = set(s.scalars(select(CalendarVersion.year).distinct()))
        for y in package_years():
            if y in have:
                continue
            h, m = cal.year_days(y)
            _add_version(s, y, h, m, package_version(), actor)
            added.append(y)
    return added


def _current_version_ids(s: Session) -> list[int]:
    latest = (select(CalendarVersion.year, func.max(CalendarVersion.version).label("v"))
              .group_by(CalendarVersion.year).subquery())
    return list(s.scalars(select(CalendarVersion.id).join(
        latest, (CalendarVersion.year == latest.c.year) & (CalendarVersion.version == latest.c.v))))


def active_calendar(engine: Engine) -> Calendar:
    """The calendar in force (newest version of each year); seeds from chinesecalendar on first use."""
    with Session(engine) as s:
        top = s.scalar(select(func.max(CalendarVersion.id)))
    if top is None:
        seed_from_package(engine)
        with Session(engine) as s:
            top = s.scalar(select(func.max(CalendarVersion.id)))
    key = (str(engine.url), int(top or 0))
    if key in _cache:
        return _cache[key]
    with Session(engine) as s:
        ids = _current_version_ids(s)
        years = {vid: y for vid, y in s.execute(select(CalendarVersion.id, CalendarVersion.year)
                                                .where(CalendarVersion.id.in_(ids)))}
        holidays: dict[date, str] = {}
        makeup: dict[date, str] = {}
        for d in s.scalars(select(CalendarDay).where(CalendarDay.version_id.in_(ids))):
            (holidays if d.kind == "holiday" else makeup)[d.day] = d.name
    cal = Calendar(holidays=holidays, makeup=makeup, years=frozenset(years.values()))
    _cache[key] = cal
    return cal


def store_notice(engine: Engine, notice: NoticeYear, text: str, actor: str) -> int:
    """Store a parsed notice as a new version of its year; returns the version number."""
    with Session(engine) as s, s.begin():
        v = _add_version(s, notice.year, notice.holidays, notice.makeup, "国务院办公厅通知", actor, text)
    _cache.clear()
    return v


def versions(engine: Engine, year: int | None = None) -> list[VersionInfo]:
    with Session(engine) as s:
        q = select(CalendarVersion).order_by(CalendarVersion.year, CalendarVersion.version)
        if year is not None:
            q = q.where(CalendarVersion.year == year)
        out = []
        for v in s.scalars(q):
            kinds = list(s.scalars(select(CalendarDay.kind).where(CalendarDay.version_id == v.id)))
            out.append(VersionInfo(v.year, v.version, v.source, v.created_at, v.created_by,
                                   kinds.count("holiday"), kinds.count("makeup")))
        return out


def preview_notice(text: str, year: int | None = None) -> NoticeYear:
    """Parse without storing, for the office to confirm."""
    return parse_notice(text, year)
