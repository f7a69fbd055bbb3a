"""Loading a year's State Council notice: parse, store as a new calendar version, recompute open deadlines."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from gongkai.store import security_log
from gongkai.workdays.notice import NoticeError, NoticeYear, parse_notice
from gongkai.workdays.store import active_calendar, store_notice

from .register import Moved, recompute_open


@dataclass
class LoadResult:
    notice: NoticeYear
    version: int
    moved: list[Moved]


def load_notice(engine: Engine, text: str, actor: str, year: int | None = None,
                partial: bool = False) -> LoadResult:
    """Parse and store a year's notice. A notice that lacks some of the 7 festivals is refused with what is missing,
    unless ``partial``: then the missing festivals' statutory days are added and only their 调休 stays unknown."""
    notice = parse_notice(text, year)
    if notice.missing():
        if not partial:
            raise NoticeError("；".join(notice.problems()) + "。请粘贴通知全文；确实只载入这部分时用 --partial"
                              "（缺少的节日按《全国年节及纪念日放假办法》的法定节假日计，其调休仍未知）")
        notice = notice.with_statutory_for_missing()
    version = store_notice(engine, notice, text, actor)
    moved = recompute_open(engine, active_calendar(engine))
    # The calendar moves every agency's deadlines: who loaded which version, and what moved, goes to the
    # hash-chained security log (the notice text itself is kept in cal_versions).
    security_log.record(engine, actor, "calendar.load", str(notice.year),
                        {"version": version, "holidays": len(notice.holidays), "makeup": len(notice.makeup),
                         "moved": [m.number for m in moved][:1000], "moved_count": len(moved)})
    return LoadResult(notice, version, moved)
