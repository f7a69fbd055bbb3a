"""Every text report in ../shared (seeds and corpus) comes out cell for cell equal to its truth file,
and the checks find exactly the arithmetic breaks the truth files list."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.check import check_path
from gongkai.evaluate import TRUTH_CODES, arithmetic_findings, expected_findings, score_cells
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


@pytest.mark.parametrize("tid", _truth_ids())
def test_text_report_cells_equal_truth(tid: str) -> None:
    truth, src = _source(tid)
    if src.suffix.lower() not in TEXT_SUFFIXES:
        pytest.skip(f"{src.name} is not a text report (covered by the reader tests)")
    res = check_path(src)
    assert res.status == "ok", res.error
    assert res.report.format == truth["template"]
    assert res.report.year == truth["year"]
    score = score_cells(truth, res)
    assert score.misses == [] and score.exact == score.total


@pytest.mark.parametrize("tid", _truth_ids())
def test_arithmetic_inconsistencies_found_and_no_false_errors(tid: str) -> None:
    truth, src = _source(tid)
    if src.suffix.lower() not in TEXT_SUFFIXES + (".html", ".pdf"):
        pytest.skip("unsupported source")
    res = check_path(src)
    if res.status != "ok":
        pytest.skip(f"{src.name} not readable here: {res.error}")
    expected = expected_findings(truth)
    found = arithmetic_findings(res)
    assert expected <= found, f"missed: {expected - found}"
    if src.suffix.lower() in TEXT_SUFFIXES:
        # a consistent report (or the consistent part of one) yields no error finding at all
        errors = {f.code for f in res.errors} - set(TRUTH_CODES.values())
        assert found == expected and not errors, f"unexpected errors: {found - expected} {errors}"
