"""Every text report in ../shared (seeds and corpus) comes out cell for cell equal to its truth file,
and the checks find exactly the arithmetic breaks the truth files list."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.check import check_path
from gongkai.findings import Severity
from conftest import SHARED, shared_path

TEXT_SUFFIXES = (".txt", ".md")


def _truth_ids() -> list[str]:
    d = SHARED / "corpus" / "truth"
    if not d.exists():
        return ["(shared absent)"]
    return sorted(p.stem for p in d.glob("*.json"))


def _source(tid: str) -> tuple[dict, Path]:
    truth = json.loads(shared_path("corpus", "truth", f"{tid}.json").read_text(encoding="utf-8"))
    if tid.startswith("seed-"):
        return truth, shared_path("seeds", truth["file"])
    raw = sorted((SHARED / "corpus" / "raw").glob(f"{tid}.*"))
    return truth, raw[0]


def _plain(v):
    return float(v) if isinstance(v, Decimal) else v


def cell_misses(truth: dict, got: dict) -> list[tuple]:
    misses = []
    for table in ("table2", "table3", "table4"):
        t_rows, g_rows = truth.get(table, {}), got[table]
        for key, want in t_rows.items():
            g = g_rows.get(key)
            if isinstance(want, dict):
                for col, w in want.items():
                    v = None if g is None else _plain(g.get(col))
                    if g is None or v != w or (w is None) != (v is None):
                        misses.append((table, key, col, w, v))
            else:
                for i, w in enumerate(want):
                    v = None if g is None else _plain(g[i])
                    if g is None or v != w:
                        misses.append((table, key, i, w, v))
        for extra in set(g_rows) - set(t_rows):
            misses.append((table, extra, "row not in truth"))
    return misses


@pytest.mark.parametrize("tid", _truth_ids())
def test_text_report_cells_equal_truth(tid: str) -> None:
    truth, src = _source(tid)
    if src.suffix.lower() not in TEXT_SUFFIXES:
        pytest.skip(f"{src.name} is not a text report (covered by the reader tests)")
    res = check_path(src)
    assert res.status == "ok", res.error
    assert res.report.format == truth["template"]
    assert res.report.year == truth["year"]
    assert cell_misses(truth, res.report.to_truth_form()) == []


# The truth files' arithmetic codes (check_truth.py) and the gongkai rules that must find them.
CODE_MAP = {"T3_ROW": "t3.row-sum", "T3_BAL": "t3.identity", "T3_SUM": "t3.total-sum", "T4_SUM": "t4.total-sum"}


@pytest.mark.parametrize("tid", _truth_ids())
def test_arithmetic_inconsistencies_found_and_no_false_errors(tid: str) -> None:
    truth, src = _source(tid)
    if src.suffix.lower() not in TEXT_SUFFIXES + (".html", ".pdf"):
        pytest.skip("unsupported source")
    res = check_path(src)
    if res.status != "ok":
        pytest.skip(f"{src.name} not readable here: {res.error}")
    expected = set()
    for code in truth.get("known_check_failures", []):
        kind, where = code.split(":", 1)
        if kind in CODE_MAP:
            expected.add((CODE_MAP[kind], where))
    found = set()
    for f in res.findings:
        if f.severity is not Severity.ERROR:
            continue
        n = f.numbers
        where = n.get("row_key") or n.get("column_en") or n.get("group_en")
        found.add((f.code, where))
    arithmetic = {f for f in found if f[0] in CODE_MAP.values()}
    assert expected <= arithmetic, f"missed: {expected - arithmetic}"
    if src.suffix.lower() in TEXT_SUFFIXES:
        # a consistent report (or the consistent part of one) yields no error finding at all
        assert found == expected, f"unexpected errors: {found - expected}"
