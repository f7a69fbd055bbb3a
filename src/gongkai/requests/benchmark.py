"""Benchmark (not a test): a register of N requests — intake rate, due-list query time, 表三 time.

``python -m gongkai.requests.benchmark [N] [URL]`` (defaults: 100000, a temporary SQLite file).
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta

from gongkai.store.db import connect
from gongkai.workdays.store import active_calendar

from . import duelists, register as R, yearend
from .vocab import APPLICANT_TYPES, OUTCOME_ROWS


def run(n: int, url: str) -> dict[str, float]:
    eng = connect(url)
    cal = active_calendar(eng)
    rng = random.Random(1)
    types = list(APPLICANT_TYPES)
    reqs = [R.RequestIn(channel="当面", content=f"信息{i}", submitted_on=date(2024, 1, 1) + timedelta(rng.randrange(1000)),
                        applicant=R.Applicant(rng.choice(types), f"人{i}", phone="1")) for i in range(n)]
    t = time.perf_counter()
    for k in range(0, n, 1000):           # batches of 1,000 per transaction, as an import would do
        R.intake_many(eng, "bench", reqs[k:k + 1000], "bench", cal)
    intake_s = time.perf_counter() - t
    t = time.perf_counter()
    single = 200
    for i in range(single):               # one request per transaction, as clerks do
        R.intake(eng, "bench", reqs[i], "bench", cal)
    single_s = time.perf_counter() - t
    t = time.perf_counter()
    answered = 2000
    for i in range(answered):
        R.act(eng, "bench", _nth(eng, i), "answer", actor="b",
              on=date(2026, 12, 31), payload={"outcome": rng.choice(OUTCOME_ROWS)}, cal=cal)
    act_s = time.perf_counter() - t
    t = time.perf_counter()
    due = duelists.due_within(eng, "bench", 10, date(2026, 9, 1), cal)
    over = duelists.overdue(eng, "bench", date(2026, 9, 1), cal)
    due_s = time.perf_counter() - t
    t = time.perf_counter()
    yearend.table3(eng, "bench", 2025)
    t3_s = time.perf_counter() - t
    return {"requests": n, "intake_batched_per_s": n / intake_s, "intake_single_per_s": single / single_s,
            "act_per_s": answered / act_s, "due_lists_s": due_s, "due_items": len(due), "overdue_items": len(over),
            "table3_s": t3_s}


def _nth(eng, i: int) -> str:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from gongkai.store.requests_tables import RequestRow

    with Session(eng) as s:
        return s.scalar(select(RequestRow.number).where(RequestRow.id == i + 1))


if __name__ == "__main__":  # pragma: no cover
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    for k, v in run(n, url).items():
        print(f"{k}: {v:,.3f}" if isinstance(v, float) else f"{k}: {v}")
