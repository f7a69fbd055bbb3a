"""The register's due, overdue and paused lists counted in SQL by the working-day prefix index give what
counting day by day gives — paged, counted, and after a new calendar version (SQLite and PostgreSQL)."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from gongkai.requests import duelists, register as R
from gongkai.workdays.calendar import Calendar
from gongkai.workdays.counting import add_workdays, workdays_between
from gongkai.workdays.index import ensure_index, nth_workday_after, prefix
from gongkai.workdays.store import active_calendar
from truth_helpers import backends, fresh_url

AG = "示例局"


@pytest.fixture(params=backends())
def eng(request, tmp_path):
    from gongkai.store.db import connect

    url, drop = fresh_url(request.param, tmp_path)
    e = connect(url)
    rng = random.Random(3)
    reqs = [R.RequestIn(channel="当面", content=f"信息{i}", submitted_on=date(2025, 9, 1) + timedelta(rng.randrange(150)),
                        applicant=R.Applicant("natural", f"申请人{i}", phone="1")) for i in range(120)]
    numbers = R.intake_many(e, AG, reqs, "clerk")
    for v in [R.get(e, AG, n) for n in numbers[:15]]:   # some clocks stopped while a correction is awaited
        R.act(e, AG, v.number, "request_correction", actor="a", on=v.received_date + timedelta(days=1),
              version=v.version, payload={"items": "请明确", "correction_due": str(v.received_date + timedelta(days=20))})
    yield e
    e.dispose()
    drop()


def _copy(cal: Calendar) -> Calendar:
    """The same calendar as another object: the lists count it day by day (the old way)."""
    return Calendar(holidays=dict(cal.holidays), makeup=dict(cal.makeup), years=cal.years)


TODAYS = [date(2025, 10, 9), date(2025, 12, 31), date(2026, 2, 14), date(2026, 5, 6)]


@pytest.mark.parametrize("today", TODAYS)
def test_lists_from_the_index_equal_counting_day_by_day(eng, today):
    old = _copy(active_calendar(eng))
    for days in (0, 5, 20):
        assert duelists.due_within(eng, AG, days, today) == duelists.due_within(eng, AG, days, today, old)
    assert duelists.overdue(eng, AG, today) == duelists.overdue(eng, AG, today, old)
    assert duelists.paused(eng, AG, today) == duelists.paused(eng, AG, today, old)
    assert duelists.overdue(eng, AG, today) or duelists.due_within(eng, AG, 20, today)   # not vacuous


def test_pages_and_counts(eng):
    today = date(2026, 2, 14)
    full = duelists.overdue(eng, AG, today)
    pages = [duelists.overdue(eng, AG, today, limit=7, offset=k) for k in range(0, len(full) + 7, 7)]
    assert [i for p in pages for i in p] == full
    c = duelists.counts(eng, AG, today, 10)
    assert c == {"due": len(duelists.due_within(eng, AG, 10, today)), "overdue": len(full),
                 "paused": len(duelists.paused(eng, AG, today))}
    assert c["overdue"] > 0 and c["paused"] == 15


def test_prefix_arithmetic_equals_counting(eng):
    cal = active_calendar(eng)
    ensure_index(eng, cal)
    rng = random.Random(9)
    for _ in range(200):
        a = date(2004, 1, 1) + timedelta(rng.randrange(9000))
        b = a + timedelta(rng.randrange(-90, 90))
        assert prefix(eng, b) - prefix(eng, a) == workdays_between(cal, a, b)
        k = rng.randrange(0, 40)
        assert nth_workday_after(eng, a, k) == add_workdays(cal, a, k).due


def test_a_new_calendar_version_rebuilds_the_index(eng):
    from gongkai.workdays.notice import parse_notice
    from gongkai.workdays.store import store_notice

    today = date(2026, 9, 28)
    before = duelists.due_within(eng, AG, 30, date(2025, 12, 1))
    notice = ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。\n"
              "二、国庆节：10月1日（周四）至10月20日（周二）放假调休，共20天。")
    store_notice(eng, parse_notice(notice), notice, "admin")
    cal = active_calendar(eng)
    assert not cal.is_workday(date(2026, 10, 15))
    ensure_index(eng, cal)
    assert prefix(eng, date(2026, 10, 21)) - prefix(eng, today) == workdays_between(cal, today, date(2026, 10, 21))
    assert duelists.due_within(eng, AG, 30, date(2025, 12, 1)) == duelists.due_within(
        eng, AG, 30, date(2025, 12, 1), _copy(cal))
    assert before  # the list was not empty to begin with
