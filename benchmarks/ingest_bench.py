"""Ingest throughput: 10,000 generated reports into SQLite and PostgreSQL.

    python benchmarks/ingest_bench.py [--n 10000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Reports are generated from the hand-checked truth files (../shared/corpus/truth): 1,000 agencies
(100 districts, each a government and nine departments) over ten years, 2016–2025; years up to 2020 use
the 2019-format templates, later years the 2021 ones. Numbers are varied at random (seeded) while the
tables stay consistent: each 表三 column's 总计 is the sum of the outcome rows, the 总计 column the sum
of the others, 新收 + 上年结转 = 办结 + 结转下年度, this year's 上年结转 is last year's 结转下年度, 表二
现行有效 = last year's + 制发 − 废止, and 表四 总计 = 维持 + 纠正 + 其他 + 尚未审结. Blank cells of the template
stay blank.

Each report is written as a Markdown file and ingested through the real path, as ``gongkai ingest`` does it:
read → match → rules → store, one transaction per report. The agency and year are what gongkai reads from
the file's title; the run fails (exit 1) when the store does not hold one stored report per generated file
under its own agency (agencies merged by a too-short name once made 2,900 of 3,000 reports new versions). Printed: time per report,
database size, and the time to read the whole corpus back and compute indicators + cross-year checks.
PostgreSQL runs when ``--pg`` or GONGKAI_TEST_PG_URL gives a server; a fresh database is made and dropped.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from truth_helpers import report_from_truth  # noqa: E402

from gongkai.store.reports import ReportStore  # noqa: E402

TRUTH = Path(os.environ.get("GONGKAI_SHARED", REPO.parent / "shared")) / "corpus" / "truth"
OUTCOME_2021 = ["granted", "partial"] + [f"denied.{k}" for k in ("state_secret", "law_forbidden", "security_stability",
                "third_party", "internal_affairs", "process_info", "enforcement_file", "admin_query")] + \
               [f"unable.{k}" for k in ("not_held", "need_creation", "unclear")] + \
               [f"not_processed.{k}" for k in ("complaint", "duplicate", "publication", "excessive", "reconfirm")]
DEPARTMENTS = ["公安局", "财政局", "自然资源局", "市场监督管理局", "教育局", "卫生健康局", "住房和城乡建设局",
               "交通运输局", "生态环境局"]


def templates() -> tuple[list[dict], list[dict]]:
    t19, t21 = [], []
    for p in sorted(TRUTH.glob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        if "table3" not in d or "table4" not in d:
            continue
        (t19 if str(d["template"]) == "2019" else t21).append(d)
    return t19, t21


def _vary(v, rng: random.Random):
    """A random count near v (blank stays blank, text stays text)."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float):
        return round(v * rng.uniform(0.5, 1.5), 6)
    return max(0, int(v * rng.uniform(0.5, 1.5)) + rng.choice((0, 0, 1, 2)))


def generate(template: dict, agency: str, year: int, carried_over: list, in_force: dict, rng: random.Random) -> dict:
    d = copy.deepcopy(template)
    d.update(agency=agency, year=year, id=f"{agency}-{year}")
    d.pop("narrative", None)
    t3 = d["table3"]
    outcome = [k for k in t3 if k not in ("new_received", "carried_over", "total", "carried_forward")]
    for k in outcome:
        row = [_vary(v, rng) if rng.random() < 0.3 else v for v in t3[k][:6]]
        t3[k] = row + [_sum(row) if t3[k][6] is not None else None]
    t3["total"] = [_sum(t3[k][c] for k in outcome) for c in range(7)]
    forward = [rng.choice((0, 0, 0, 1, 2)) for _ in range(6)]
    t3["carried_forward"] = forward + [sum(forward)]
    t3["carried_over"] = list(carried_over)
    t3["new_received"] = [max(0, t3["total"][c] + t3["carried_forward"][c] - carried_over[c]) for c in range(7)]
    t3["new_received"][6] = sum(t3["new_received"][:6])
    for g, row in d["table4"].items():
        parts = [_vary(v, rng) if v else rng.choice((0, 0, 0, 1)) for v in row[:4]]
        d["table4"][g] = parts + [sum(parts)]
    for row in d["table2"].values():
        for c, v in row.items():
            row[c] = _vary(v, rng)
    for key, row in d["table2"].items():  # 现行有效 follows last year's stock (2021 format)
        if key in in_force and all(isinstance(row.get(c), int) for c in ("made", "repealed", "in_force")):
            row["repealed"] = min(row["repealed"], in_force[key] + row["made"])
            row["in_force"] = in_force[key] + row["made"] - row["repealed"]
    return d


def _sum(values) -> int:
    return sum(v for v in values if isinstance(v, int))


def corpus(n: int, seed: int = 2026):
    rng = random.Random(seed)
    t19, t21 = templates()
    years = list(range(2016, 2026))
    agencies = []
    for k in range(max(1, -(-n // (10 * len(years))))):
        place = f"基准市第{k + 1}区"
        agencies += [f"{place}人民政府"] + [f"{place}{dep}" for dep in DEPARTMENTS]
    for d in series(agencies, years, n, rng, t19, t21):
        raw = json.dumps(d, ensure_ascii=False, sort_keys=True).encode()
        yield report_from_truth(d), hashlib.sha256(raw).hexdigest()


def series(agencies, years, n, rng, t19, t21):
    """Up to ``n`` generated figure sets: each agency's years in turn, carry-overs and 现行有效 consistent from
    one year to the next (the one generator of benchmark and test corpora)."""
    made = 0
    for agency in agencies:
        template19, template21 = rng.choice(t19), rng.choice(t21)
        forward, stock = [0] * 7, {}
        for year in years:
            if made == n:
                return
            d = generate(template19 if year <= 2020 else template21, agency, year, forward, stock, rng)
            forward = d["table3"]["carried_forward"]
            if str(d["template"]) == "2021":
                stock = {k: r["in_force"] for k, r in d["table2"].items() if isinstance(r.get("in_force"), int)}
            made += 1
            yield d


def write_files(n: int, folder: Path) -> list[tuple[Path, str, int]]:
    """The generated reports as Markdown files (the composer's renderer), each with its agency and year: ingest
    then reads them as it reads any report, so the agency comes from the file's title, not from the generator."""
    from gongkai.compose.render.markdown import render_markdown

    out = []
    for i, (report, _digest) in enumerate(corpus(n)):
        p = folder / f"{i:05d}.md"
        p.write_text(render_markdown(report), encoding="utf-8")
        out.append((p, report.agency, report.year))
    return out


def run(url: str, files: list[tuple[Path, str, int]], label: str, size) -> None:
    from gongkai.corpus.agencies import normalise_name
    from gongkai.check import check_path

    n = len(files)
    wrong: list[str] = []
    with ReportStore(url) as store:
        statuses: dict[str, int] = {}
        t_check = t_store = 0.0
        for path, agency, year in files:
            t0 = time.perf_counter()
            result = check_path(path)
            t1 = time.perf_counter()
            outcome = store.ingest(result)
            t_store += time.perf_counter() - t1
            t_check += t1 - t0
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            if outcome.status != "stored" or (outcome.agency, outcome.year) != (normalise_name(agency), year):
                wrong.append(f"{path.name}: {agency} {year} → {outcome.status} {outcome.agency} {outcome.year}"
                             f" {outcome.reason or ''}")
        counts = store.counts()
        t1 = time.perf_counter()
        sample = files[:min(n, 1000)]
        again = sum(store.ingest(check_path(p)).status == "unchanged" for p, _, _ in sample)
        dt_again = (time.perf_counter() - t1) / max(1, len(sample))
        from gongkai.corpus.export import load_corpus

        t2 = time.perf_counter()
        c = load_corpus(store)
        dt_load = time.perf_counter() - t2
        mb = size(store) / 1e6
    expected_agencies = len({a for _, a, _ in files})
    print(f"{label:<11} {n} report files: read + match + rules {t_check / n * 1000:6.2f} ms/report, "
          f"store {t_store / n * 1000:6.2f} ms/report ({counts['rep_cells']:,} cells, "
          f"{counts['rep_agencies']} agencies, {statuses})")
    print(f"{'':<11} re-ingest of the same files (read, hash, found unchanged): {dt_again * 1000:.2f} ms/report "
          f"({again} unchanged)")
    print(f"{'':<11} database size {mb:.1f} MB = {mb * 1000 / n:.1f} kB/report")
    print(f"{'':<11} read back + indicators + cross-year checks: {dt_load:.1f} s "
          f"({len(c.rows)} reports, {len(c.cross)} cross-report findings)")
    if wrong or counts["rep_agencies"] != expected_agencies or counts["rep_versions"] != n:
        # Not a speed problem: the store did not hold what was generated (e.g. agencies merged by their names).
        print(f"WRONG: {len(wrong)} files not stored as generated; {counts['rep_agencies']} agencies stored, "
              f"{expected_agencies} generated", *wrong[:10], sep="\n  ")
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--pg", default=os.environ.get("GONGKAI_TEST_PG_URL"))
    ap.add_argument("--skip-sqlite", action="store_true")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    t0 = time.perf_counter()
    files = write_files(args.n, folder)
    print(f"{args.n} report files written in {time.perf_counter() - t0:.1f} s ({folder})")
    try:
        _run_all(args, files)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_all(args, files) -> None:
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.db"

            def sqlite_size(store: ReportStore) -> int:
                from sqlalchemy import text

                with store.engine.connect() as conn:
                    conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                return path.stat().st_size

            run(f"sqlite:///{path}", files, "SQLite", sqlite_size)
    if args.pg:
        from sqlalchemy import create_engine, text

        from gongkai.store.db import normalise_url

        name = f"gongkai_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalise_url(args.pg), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            def pg_size(store: ReportStore) -> int:
                with store.engine.connect() as conn:
                    return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()

            run(normalise_url(args.pg).rsplit("/", 1)[0] + "/" + name, files, "PostgreSQL", pg_size)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        print("PostgreSQL skipped: give --pg URL or set GONGKAI_TEST_PG_URL")


if __name__ == "__main__":
    main()
