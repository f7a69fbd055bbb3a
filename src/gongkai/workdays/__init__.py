"""China's official working-day calendar: a versioned table, the State Council notice parser, and counting.

- ``calendar``: the in-memory :class:`Calendar` (holidays, 调休 make-up workdays, which years are known).
- ``seed``: building a calendar from the ``chinesecalendar`` package.
- ``notice``: parsing the text of a 国务院办公厅 部分节假日安排 notice.
- ``counting``: adding working days with a day-by-day explanation.
- ``store``: calendar versions kept in the database.
"""
from .calendar import Calendar, DayKind
from .counting import Count, CountStep, add_workdays
from .notice import NoticeError, NoticeYear, parse_notice

__all__ = ["Calendar", "DayKind", "Count", "CountStep", "add_workdays", "NoticeError", "NoticeYear", "parse_notice"]
