"""The working-day index (Alembic branch ``workdays``, migration ``cal_0001``): one row per calendar day with
the number of working days from the start of the index up to and including that day. Working days
between two dates are then one subtraction (``n(b) − n(a)`` = working days in (a, b]), and the register's
lists count ``days left`` in SQL. The rows are derived data: rebuilt from the calendar in force whenever a
new calendar version appears (``built_from`` is the newest ``cal_versions.id`` they were built from)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class WorkdayIndex(Base):
    __tablename__ = "cal_workday_index"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, index=True)
    built_from: Mapped[int] = mapped_column(Integer)
