"""Scale benchmark: ingest on 1 and 2 local workers, the scaling curve on a local Dask cluster, re-run time,
database size, and the corpus/register queries at N reports and N requests.

    python benchmarks/scale.py [--text 2000] [--pdf 20] [--scans 0] [--reports 10000] [--copies 0] [--requests 20000]
                               [--cluster 1,2] [--pg postgresql://…]

Files are generated from the hand-checked truth (tests/generated_reports.py): every report distinct (its
own agency name, its own varied numbers), written as Markdown text or as PDF by the composer (DOCX →
LibreOffice), and read back through the real read → match → rules path. Printed: reports/s per setting
with the machine's load average (the machine may be shared), MB and kB per report, the re-run over the
already ingested set, and the query times. ``--reports`` are stored as report objects (ingest_many, no
file parsing) to reach a corpus size quickly; the queries do not care how the rows arrived.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from generated_reports import reports, write_pdf, write_text  # noqa: E402

from gongkai.store.reports import ReportStore  # noqa: E402


def write_scans(out: Path, n: int) -> list[Path]:
    """``n`` scanned reports: generated PDFs (their own agencies and figures) rasterised at 200 dpi and
    packed as image-only PDFs, as ``benchmarks/scans.py`` makes its clean-200 condition."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from scans import make_scan

    pdfs = write_pdf(out / "src", n, seed=13, skip_agencies=20_600)   # agencies of their own (PDFs: 20,000-20,599)
    return [make_scan(p, "clean-200", out) for p in pdfs]


def load() -> str:
    return "load %.1f/%.1f/%.1f" % os.getloadavg()


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((int(ln.split()[1]) // 1024 for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem} MiB, Python {platform.python_version()}"


def cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def sqlite_size(path: Path, store: ReportStore) -> int:
    from sqlalchemy import text

    with store.engine.connect() as c:
        c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return path.stat().st_size


def ingest_local(files: list[Path], workers: int, tmp: Path) -> dict:
    db = tmp / f"w{workers}-{uuid.uuid4().hex[:6]}.db"
    with ReportStore(f"sqlite:///{db}") as store:
        t0, l0 = time.perf_counter(), load()
        c0, k0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        status: dict[str, int] = {}
        for o in store.ingest_files(files, workers=workers):
            status[o.status] = status.get(o.status, 0) + 1
        dt = time.perf_counter() - t0
        driver_ms = (cpu(resource.RUSAGE_SELF) - c0) / len(files) * 1000
        worker_ms = (cpu(resource.RUSAGE_CHILDREN) - k0) / len(files) * 1000
        t1 = time.perf_counter()
        again = sum(o.status == "unchanged" for o in store.ingest_files(files, workers=workers))
        rerun = time.perf_counter() - t1
        size = sqlite_size(db, store)
    return {"workers": workers, "s": dt, "rate": len(files) / dt, "status": status, "load": l0, "rerun_s": rerun,
            "driver_ms": driver_ms, "worker_ms": worker_ms,
            "rerun_unchanged": again, "kB_per_report": size / 1024 / max(1, status.get("stored", 0))}


def check_cluster(files: list[Path], n_workers: int) -> dict:
    import dask
    import distributed

    from gongkai.batch import check_files

    with dask.config.set({"distributed.worker.daemon": False}):
        with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:
            list(check_files(files[:8], scheduler=cluster.scheduler_address))   # warm the workers
            t0, l0 = time.perf_counter(), load()
            n = sum(1 for _ in check_files(files, scheduler=cluster.scheduler_address))
            dt = time.perf_counter() - t0
    return {"workers": n_workers, "rate": n / dt, "s": dt, "load": l0}


def ingest_cluster(files: list[Path], n_workers: int, pg: str) -> dict:
    """Ingest into a fresh PostgreSQL database on a LocalCluster: the workers write, the driver only hashes."""
    import dask
    import distributed
    from sqlalchemy import create_engine, text

    from gongkai.store.db import normalise_url

    name = f"gongkai_scale_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(pg), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = normalise_url(pg).rsplit("/", 1)[0] + "/" + name
        with ReportStore(url) as store, dask.config.set({"distributed.worker.daemon": False}):
            with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                          dashboard_address=None) as cluster:
                list(store.ingest_files(files[:8], scheduler=cluster.scheduler_address))   # warm the workers
                t0, l0 = time.perf_counter(), load()
                n = sum(1 for _ in store.ingest_files(files[8:], scheduler=cluster.scheduler_address))
                dt = time.perf_counter() - t0
            with store.engine.connect() as c:
                size = c.execute(text("SELECT pg_database_size(current_database())")).scalar()
        return {"workers": n_workers, "rate": n / dt, "s": dt, "load": l0, "kB_per_report": size / 1024 / len(files)}
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def multiply(db: Path, copies: int) -> None:
    """Copy every stored agency (parents with them), report, version and indicator row ``copies`` more
    times under new names, in SQL: the report page reads only these tables, so a corpus of 50 × 2,000
    reports is there in seconds instead of the hours ingest would take on this machine."""
    import sqlite3

    c = sqlite3.connect(db)
    na, nr, nv = (c.execute(f"SELECT max(id) FROM {t}").fetchone()[0]
                  for t in ("rep_agencies", "rep_reports", "rep_versions"))
    for k in range(1, copies + 1):
        c.execute(f"INSERT INTO rep_agencies(id, name, place, parent_id, parent_basis, created_at) SELECT id + {k * na}, "
                  f"name || '#{k}', place, parent_id + {k * na}, parent_basis, created_at FROM rep_agencies WHERE id <= {na}")
        c.execute(f"INSERT INTO rep_reports(id, agency_id, year) SELECT id + {k * nr}, agency_id + {k * na}, year "
                  f"FROM rep_reports WHERE id <= {nr}")
        c.execute(f"INSERT INTO rep_versions(id, report_id, version, sha256, path, agency_printed, format, table3_variant, "
                  f"title, source_kind, sections, n_errors, n_warnings, n_info, ingested_at) SELECT id + {k * nv}, "
                  f"report_id + {k * nr}, version, sha256 || '#{k}', path, agency_printed, format, table3_variant, title, "
                  f"source_kind, sections, n_errors, n_warnings, n_info, ingested_at FROM rep_versions WHERE id <= {nv}")
        c.execute(f'INSERT INTO rep_indicators(version_id, received, disclosure_rate, "values") SELECT version_id + {k * nv}, '
                  f'received, disclosure_rate, "values" FROM rep_indicators WHERE version_id <= {nv}')
    c.commit()
    c.close()


def corpus_queries(n: int, tmp: Path, old: bool = False, copies: int = 0) -> dict:
    from gongkai.check import CheckResult
    from gongkai.corpus.export import export, load_page, load_rows

    db = tmp / "corpus.db"
    with ReportStore(f"sqlite:///{db}") as store:
        t0 = time.perf_counter()
        batch: list[CheckResult] = []
        for k, r in enumerate(reports(n, seed=11)):
            batch.append(CheckResult(f"gen/{k}.md", "ok", r, list(r.findings), sha256=f"{k:064x}"))
            if len(batch) == 200:
                store.ingest_many(batch)
                batch = []
        if batch:
            store.ingest_many(batch)
        if copies:
            multiply(db, copies)
        fill = time.perf_counter() - t0
        out = {"reports": n * (copies + 1), "fill_s": fill}
        for label, kw in (("report page 1", {}), ("report page 40", {"offset": 39 * 50}),
                          ("report one year", {"year": 2024})):
            t = time.perf_counter()
            page = load_page(store, limit=50, **kw)
            out[label] = time.perf_counter() - t
            out[label + " rows"] = (len(page.rows), page.total, len(page.cross))
        t = time.perf_counter()
        rows = load_rows(store)
        export(rows, tmp / "x.csv", "csv")
        out["export csv"] = time.perf_counter() - t
        out["kB_per_report"] = sqlite_size(db, store) / 1024 / out["reports"]
        if old:
            from gongkai.corpus.export import load_corpus

            t = time.perf_counter()
            load_corpus(store)
            out["old path: every report rebuilt"] = time.perf_counter() - t
    return out


def register_queries(n: int, tmp: Path) -> dict:
    import random

    from gongkai.requests import duelists, register as R
    from gongkai.store.db import connect
    from gongkai.workdays.calendar import Calendar
    from gongkai.workdays.store import active_calendar

    eng = connect(f"sqlite:///{tmp / 'reg.db'}")
    cal = active_calendar(eng)
    rng = random.Random(1)
    t0 = time.perf_counter()
    for k in range(0, n, 2000):
        R.intake_many(eng, "bench", [R.RequestIn(channel="当面", content=f"信息{i}",
                                                 submitted_on=date(2024, 1, 1) + timedelta(rng.randrange(1000)),
                                                 applicant=R.Applicant("natural", f"人{i}", phone="1"))
                                     for i in range(k, min(n, k + 2000))], "bench", cal)
    fill = time.perf_counter() - t0
    today = date(2026, 9, 1)
    duelists.overdue(eng, "bench", today, limit=1)   # build the working-day index once
    out = {"requests": n, "fill_s": fill}
    t = time.perf_counter()
    page = duelists.overdue(eng, "bench", today, limit=100)
    out["overdue page (100)"] = time.perf_counter() - t
    t = time.perf_counter()
    counts = duelists.counts(eng, "bench", today, 10)
    out["counts (due/overdue/paused)"] = time.perf_counter() - t
    out["counts"] = counts
    t = time.perf_counter()
    full = duelists.overdue(eng, "bench", today)
    out["overdue full list, index"] = time.perf_counter() - t
    old = Calendar(holidays=dict(cal.holidays), makeup=dict(cal.makeup), years=cal.years)
    t = time.perf_counter()
    assert duelists.overdue(eng, "bench", today, old) == full
    out["overdue full list, day by day (old)"] = time.perf_counter() - t
    assert page == full[:100]
    eng.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=int, default=2000)
    ap.add_argument("--pdf", type=int, default=20)
    ap.add_argument("--scans", type=int, default=0,
                    help="scanned reports in the mix: generated PDFs rasterised at 200 dpi (benchmarks/scans.py), read by OCR")
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--copies", type=int, default=0,
                    help="copy the --reports set this many more times in SQL for the report timings (49: 50 ×)")
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--cluster", default="1,2")
    ap.add_argument("--skip", default="", help="comma list of: local,cluster,corpus,register")
    ap.add_argument("--pg", default=os.environ.get("GONGKAI_TEST_PG_URL"), help="PostgreSQL for the cluster ingest")
    ap.add_argument("--old", action="store_true", help="also time the old report path (every report rebuilt)")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(machine())
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        t = time.perf_counter()
        files = write_text(tmp / "text", args.text)
        pdfs = write_pdf(tmp / "pdf", args.pdf) if args.pdf else []
        scans = write_scans(tmp / "scan", args.scans) if args.scans else []
        print(f"generated {len(files)} text + {len(pdfs)} PDF + {len(scans)} scanned files in "
              f"{time.perf_counter() - t:.1f} s")
        mix = sorted(files + pdfs + scans)
        if "local" not in skip:
            for w in (1, 2):
                r = ingest_local(mix, w, tmp)
                print(f"ingest, {w} worker(s): {r['rate']:.1f} reports/s ({r['s']:.1f} s, {r['status']}, {r['load']}); "
                      f"re-run {r['rerun_s']:.2f} s = {r['rerun_s'] / len(mix) * 1000:.2f} ms/file "
                      f"({r['rerun_unchanged']} unchanged); {r['kB_per_report']:.1f} kB/report; CPU per report: "
                      f"workers {r['worker_ms']:.1f} ms, driver {r['driver_ms']:.1f} ms")
            for name, only in (("PDF", pdfs), ("scans", scans)):
                if not only:
                    continue
                for w in (1, 2):
                    r = ingest_local(only, w, tmp)
                    print(f"{name} only, {w} worker(s): {r['rate']:.2f} reports/s ({r['status']}, {r['load']}); "
                          f"CPU per report: workers {r['worker_ms']:.1f} ms, driver {r['driver_ms']:.1f} ms")
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
            print(f"peak memory: driver {rss} MiB (generation included), largest worker {kids} MiB")
        if "cluster" not in skip:
            for n in [int(x) for x in args.cluster.split(",")]:
                r = check_cluster(mix, n)
                print(f"Dask LocalCluster, {n} worker process(es): {r['rate']:.1f} reports/s checked "
                      f"({r['s']:.1f} s, {r['load']})")
        if "cluster" not in skip and args.pg:
            for n in [int(x) for x in args.cluster.split(",")]:
                r = ingest_cluster(mix, n, args.pg)
                print(f"Dask LocalCluster ingest into PostgreSQL, {n} worker process(es): {r['rate']:.1f} reports/s "
                      f"({r['s']:.1f} s, {r['load']}; {r['kB_per_report']:.1f} kB/report)")
        if "corpus" not in skip and args.reports:
            r = corpus_queries(args.reports, tmp, args.old, args.copies)
            print(f"corpus of {r['reports']} reports (filled in {r['fill_s']:.0f} s, {r['kB_per_report']:.1f} kB/report):")
            for k, v in r.items():
                if isinstance(v, float) and k not in ("fill_s", "kB_per_report"):
                    print(f"  {k}: {v * 1000:.0f} ms {r.get(k + ' rows', '')}")
        if "register" not in skip and args.requests:
            r = register_queries(args.requests, tmp)
            print(f"register of {r['requests']} requests (filled in {r['fill_s']:.0f} s): {r['counts']}")
            for k, v in r.items():
                if isinstance(v, float) and k != "fill_s":
                    print(f"  {k}: {v * 1000:.1f} ms")
        print(load())


if __name__ == "__main__":
    main()
