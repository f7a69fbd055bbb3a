"""Loading a year's State Council notice: parse, store as a new calendar version, recompute open deadlines."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from gongkai.workdays.notice import NoticeYear, parse_notice
from gongkai.workdays.store import active_calendar, store_notice

from .register import Moved, recompute_open


@dataclass
class LoadResult:
    notice: NoticeYear
    version: int
    moved: list[Moved]


def load_notice(engine: Engine, text: str, actor: str, year: int | None = None) -> LoadResult:
    notice = parse_notice(text, year)
    version = store_notice(engine, notice, text, actor)
    moved = recompute_open(engine, active_calendar(engine))
    return LoadResult(notice, version, moved)
