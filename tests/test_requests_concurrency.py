"""Concurrent writers on SQLite and PostgreSQL: no lost update, no duplicate number."""
from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from gongkai.requests import register as R
from gongkai.store.db import connect, normalise_url


def _sqlite(tmp_path):
    return connect(f"sqlite:///{tmp_path / 'c.db'}")


@pytest.fixture(params=["sqlite", "postgresql"])
def eng(request, tmp_path):
    if request.param == "sqlite":
        yield _sqlite(tmp_path)
        return
    url = os.environ.get("GONGKAI_TEST_PG_URL")
    if not url:
        pytest.skip("GONGKAI_TEST_PG_URL not set: PostgreSQL concurrency test skipped")
    name = f"gk_req_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = url.rsplit("/", 1)[0] + "/" + name
    e = connect(db_url)
    yield e
    e.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _req(i: int) -> R.RequestIn:
    return R.RequestIn(channel="当面", content=f"信息{i}", submitted_on=date(2026, 3, 2),
                       applicant=R.Applicant("natural", f"申请人{i}", phone="1"))


def test_concurrent_intake_never_hands_out_a_number_twice(eng):
    from gongkai.workdays.store import active_calendar

    cal = active_calendar(eng)
    with ThreadPoolExecutor(8) as pool:
        views = list(pool.map(lambda i: R.intake(eng, "局", _req(i), f"clerk{i % 8}", cal), range(80)))
    numbers = [v.number for v in views]
    assert len(set(numbers)) == 80
    assert sorted(numbers) == [f"2026-{i:04d}" for i in range(1, 81)]


def test_two_clerks_on_the_same_request_one_wins_the_other_gets_a_conflict(eng):
    v = R.intake(eng, "局", _req(0), "clerk")

    def attempt(k: int):
        try:
            return R.act(eng, "局", v.number, "extend", actor=f"clerk{k}", on=date(2026, 3, 3), version=v.version,
                         payload={"approver": "主任", "reason": f"理由{k}", "days": 5 + k})
        except R.ConflictError as exc:
            return exc

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(attempt, range(6)))
    wins = [r for r in results if isinstance(r, R.RequestView)]
    conflicts = [r for r in results if isinstance(r, R.ConflictError)]
    assert len(wins) == 1 and len(conflicts) == 5
    assert all("已被他人修改" in str(c) for c in conflicts)
    history = R.history(eng, "局", v.number, "handler")
    assert [e.action for e in history] == ["register", "extend"]       # exactly one update, none lost
    assert R.get(eng, "局", v.number).version == 2
