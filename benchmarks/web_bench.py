"""Web app benchmark: server time of the main pages and API lists with a large store.

    python benchmarks/web_bench.py [--reports 10000] [--requests 100000] [--n 40] [--pg postgresql://…]

Reports are generated from the hand-checked truth (tests/generated_reports.py: distinct agencies in a
parent → children tree, ten years each) and stored through the store's batched ingest; requests go into
one office's register through ``intake_many``. Each endpoint is then called ``--n`` times in-process
(FastAPI's TestClient, an API token: no network and no browser in the figure) and the p50/p95 of the
wall time per call are printed with the machine's load average (the machine may be shared).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from generated_reports import reports  # noqa: E402


def fill(url: str, n_reports: int, n_requests: int) -> dict:
    from gongkai.auth import accounts
    from gongkai.check import CheckResult
    from gongkai.requests import register as R
    from gongkai.store.reports import ReportStore
    from gongkai.workdays.store import active_calendar

    out = {}
    store = ReportStore(url)
    t0 = time.perf_counter()
    batch = []
    office = None
    for k, r in enumerate(reports(n_reports, seed=5)):
        office = office or r.agency
        batch.append(CheckResult(f"gen/{k}.md", "ok", r, list(r.findings), sha256=f"{k:064x}"))
        if len(batch) == 500:
            store.ingest_many(batch)
            batch = []
    if batch:
        store.ingest_many(batch)
    out["fill reports s"] = round(time.perf_counter() - t0, 1)
    eng = store.engine
    cal = active_calendar(eng)
    rng = random.Random(3)
    office = store.rules.normalise(office)
    t0 = time.perf_counter()
    for k in range(0, n_requests, 2000):
        R.intake_many(eng, office, [R.RequestIn(channel="当面", content=f"请公开事项{i}",
                                                 submitted_on=date(2024, 1, 1) + timedelta(rng.randrange(1000)),
                                                 applicant=R.Applicant("natural", f"申请人{i}", phone="1"))
                                    for i in range(k, min(n_requests, k + 2000))], "bench", cal)
    out["fill requests s"] = round(time.perf_counter() - t0, 1)
    accounts.add_user(eng, "bench_admin", agency=office, role="administrator", password=None)
    accounts.add_user(eng, "bench_handler", agency=office, role="handler", password=None)
    out["office"] = office
    store.close()
    return out


def measure(url: str, office: str, n: int) -> list[tuple[str, float, float]]:
    from fastapi.testclient import TestClient

    from gongkai.auth import accounts
    from gongkai.web import create_web_app

    app = create_web_app(url)
    eng = app.state.engine
    admin = {"Authorization": "Bearer " + accounts.issue_token(eng, "bench_admin", "bench")[0]}
    handler = {"Authorization": "Bearer " + accounts.issue_token(eng, "bench_handler", "bench")[0]}
    c = TestClient(app)
    versions = app.state.store.versions()
    vids = [v.version_id for v in versions]
    here = "/desk/" + quote(office, safe="")
    endpoints = [
        ("dashboard page (/)", "/", admin, None),
        ("dashboard API", "/api/v1/dashboard", admin, None),
        ("report page", None, admin, lambda i: f"/reports/{vids[(i * 7919) % len(vids)]}"),
        ("report API", None, admin, lambda i: f"/api/v1/reports/{vids[(i * 104729) % len(vids)]}"),
        ("reports list API (page 20)", "/api/v1/reports?page=20&per_page=50", admin, None),
        ("due/overdue/paused page", here + "?today=2026-09-01", handler, None),
        ("overdue list API (first 100)", f"/requests/{quote(office, safe='')}/overdue?today=2026-09-01&limit=100",
         handler, None),
    ]
    out = []
    for label, path, headers, make in endpoints:
        times = []
        for i in range(n + 2):
            p = make(i) if make else path
            t = time.perf_counter()
            r = c.get(p, headers=headers)
            dt = time.perf_counter() - t
            if r.status_code != 200:
                raise SystemExit(f"{label}: {p} answered {r.status_code}: {r.text[:300]}")
            if i >= 2:            # the first calls warm caches and imports
                times.append(dt)
        times.sort()
        out.append((label, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100_000)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL instead of a temporary SQLite file")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-webbench-") as d:
        url = a.pg or f"sqlite:///{Path(d) / 'web.db'}"
        info = fill(url, a.reports, a.requests)
        print(f"{a.reports} reports, {a.requests} requests; fill: {info['fill reports s']} s + "
              f"{info['fill requests s']} s; load {'%.1f/%.1f/%.1f' % os.getloadavg()}")
        print(f"{'endpoint':34} {'p50 ms':>8} {'p95 ms':>8}")
        for label, p50, p95 in measure(url, info["office"], a.n):
            print(f"{label:34} {p50 * 1000:8.1f} {p95 * 1000:8.1f}")


if __name__ == "__main__":
    main()
