"""Prose checks on reports as gongkai itself reads them (check_path), for every truth file."""
from __future__ import annotations

import json

import pytest

from conftest import SHARED, shared_path
from gongkai.findings import Severity
from gongkai.prose import prose_findings
from test_prose_corpus import expected_mismatches


def _cases() -> list[str]:
    d = SHARED / "corpus" / "truth"
    return sorted(p.stem for p in d.glob("*.json")) if d.exists() else ["(shared missing)"]


def _raw(tid: str):
    if tid.startswith("seed-"):
        return next(shared_path("seeds").glob(f"{tid.split('-', 1)[1]}_*.txt"))
    return next(shared_path("corpus", "raw").glob(f"{tid}.*"))


@pytest.mark.parametrize("tid", _cases())
def test_parsed_report_warnings_are_the_known_narrative_failures(tid: str) -> None:
    check = pytest.importorskip("gongkai.check", reason="gongkai.check not available yet")
    truth = json.loads(shared_path("corpus", "truth", f"{tid}.json").read_text(encoding="utf-8"))
    result = check.check_path(_raw(tid))
    assert result.report is not None, result.status
    findings = prose_findings(result.report)
    assert {f.code for f in findings if f.severity is not Severity.INFO} == expected_mismatches(truth)
    incl = (truth.get("narrative") or {}).get("received_including_carried_over")
    notes = [f.numbers["stated"] for f in findings if f.code == "prose.received-includes-carried-over"]
    assert notes == ([incl] if incl is not None else [])
