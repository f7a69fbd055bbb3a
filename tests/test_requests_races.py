"""Races of issue 12 item 8, with threads against SQLite and PostgreSQL (GONGKAI_TEST_PG_URL)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongkai.requests import register as R
from gongkai.store.requests_tables import CalendarVersion, ReviewCase
from gongkai.workdays import store as calstore

from test_requests_concurrency import _req, eng  # noqa: F401  (the SQLite/PostgreSQL engine fixture)


def test_concurrent_first_intakes_on_a_fresh_database_seed_the_calendar_once(eng):  # noqa: F811
    calstore._cache.clear()
    start = threading.Barrier(8)

    def first_intake(i: int):
        start.wait()
        try:
            return R.intake(eng, "局", _req(i), f"clerk{i}")   # no calendar given: each seeds it on first use
        except Exception as exc:  # noqa: BLE001 - the race surfaced as an exception (HTTP 500 over the API)
            return exc

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(first_intake, range(8)))
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures
    with Session(eng) as s:
        per_year = s.execute(select(CalendarVersion.year, func.count()).group_by(CalendarVersion.year)).all()
    assert per_year and all(n == 1 for _, n in per_year), per_year   # each year seeded exactly once


def _decided(eng, i: int) -> R.RequestView:  # noqa: F811
    v = R.intake(eng, "局", _req(i), "clerk")
    return R.act(eng, "局", v.number, "answer", actor="clerk", on=date(2026, 3, 10), payload={"outcome": "granted"})


def test_two_reopenings_linked_to_one_case_only_one_succeeds(eng):  # noqa: F811
    for trial in range(4):
        a, b = _decided(eng, 2 * trial), _decided(eng, 2 * trial + 1)
        case = R.register_case(eng, "局", kind="review", filed_date=date(2026, 4, 1))
        start = threading.Barrier(2)

        def reopen(v: R.RequestView):
            start.wait()
            try:
                return R.act(eng, "局", v.number, "reopen", actor="clerk", on=date(2026, 4, 2), version=v.version,
                             payload={"case_id": case})
            except R.RegisterError as exc:
                return exc

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(reopen, (a, b)))
        wins = [r for r in results if isinstance(r, R.RequestView)]
        assert len(wins) == 1, results
        with Session(eng) as s:
            linked = s.get(ReviewCase, case).request_id
        assert wins[0].id == linked and wins[0].case_id == case
        loser = b if wins[0].id == a.id else a
        after = R.get(eng, "局", loser.number)
        assert after.state == "answered" and after.case_id is None and after.version == loser.version
