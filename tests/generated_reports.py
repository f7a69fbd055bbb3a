"""Distinct report files generated from the hand-checked truth (tests and benchmarks/scale.py).

Each agency and year gets its own numbers (``benchmarks/ingest_bench.generate``: varied, tables kept
consistent), its own name (districts named by two characters, so names differ in every character the
title parser keeps) and is written as a real document — Markdown text, or PDF through the composer's
DOCX → LibreOffice path — so reading it goes through the real read → match → rules path.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from ingest_bench import DEPARTMENTS, series, templates  # noqa: E402
from truth_helpers import report_from_truth  # noqa: E402

# two of these make a district name: 48 × 48 = 2,304 districts, 23,040 agencies
NAME_CHARS = "东南西北中上下前后左右山水河湖海江川林石金银铜铁松柏桃李梅兰竹菊青红白黑新旧安平长和丰宁康泰"
YEARS = list(range(2016, 2026))


def agency_names() -> Iterator[str]:
    for a in NAME_CHARS:
        for b in NAME_CHARS:
            place = f"基准市{a}{b}区"
            yield f"{place}人民政府"
            for dep in DEPARTMENTS:
                yield f"{place}{dep}"


def reports(n: int, seed: int = 2026, *, skip_agencies: int = 0):
    """``n`` reports (gongkai Report objects, titled), ten years per agency, carry-overs consistent;
    ``skip_agencies`` starts further down the list of names (another set of agencies)."""
    rng = random.Random(seed)
    t19, t21 = templates()
    names = (a for k, a in enumerate(agency_names()) if k >= skip_agencies)
    for d in series(names, YEARS, n, rng, t19, t21):
        yield report_from_truth(d, title=f"{d['agency']}{d['year']}年政府信息公开工作年度报告")


def write_text(out: Path, n: int, seed: int = 2026) -> list[Path]:
    """``n`` Markdown reports in ``out`` (one file each)."""
    from gongkai.compose.render import render_markdown

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, rep in enumerate(reports(n, seed)):
        p = out / f"{i:06d}.md"
        p.write_text(render_markdown(rep), encoding="utf-8")
        paths.append(p)
    return paths


def write_pdf(out: Path, n: int, seed: int = 7, skip_agencies: int = 20_000) -> list[Path]:
    """``n`` PDF reports in ``out`` (converted by LibreOffice in one batch: ≈ 0.25 s each), for agencies
    other than those of ``write_text``."""
    from gongkai.compose.render import write_pdfs

    out.mkdir(parents=True, exist_ok=True)
    return write_pdfs([(rep, out / f"p{i:06d}.pdf") for i, rep in enumerate(reports(n, seed, skip_agencies=skip_agencies))])


def assert_whole(store: ReportStore, files: list[Path]) -> None:
    """Every stored version has all its cells and findings (as a fresh check of its file gives)."""
    from sqlalchemy import func, select

    from gongkai.check import check_path
    from gongkai.store.reports_tables import ReportVersion, StoredCell, StoredFinding

    with store.engine.connect() as c:
        cells = dict(c.execute(select(StoredCell.version_id, func.count()).group_by(StoredCell.version_id)).all())
        finds = dict(c.execute(select(StoredFinding.version_id, func.count()).group_by(StoredFinding.version_id)).all())
        versions = c.execute(select(ReportVersion.id, ReportVersion.path)).all()
    by_path = {str(f): f for f in files}
    for vid, path in versions:
        r = check_path(by_path[path])
        assert cells.get(vid, 0) == len(list(r.report.cells())), path
        assert finds.get(vid, 0) == len(r.findings), path
