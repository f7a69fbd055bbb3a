"""Prose vs tables on every hand-checked report of ../shared/corpus.

Tables come from the truth files (so the prose checks are measured apart from the table reader);
the prose comes from the raw file, cut into the six sections at their headings. Expected findings
come from the truth files: ``known_check_failures`` codes ``NARR:<key>`` are the stated-vs-table
mismatches, ``narrative`` lists what the prose states, ``received_including_carried_over`` marks
the counting-way notes.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED, shared_path
from gongkai.findings import Severity
from gongkai.model import Cell, Kind, Report
from gongkai.prose import COMPARISONS, extract_statements, prose_findings

# Section headings of both official formats, in order (the preamble goes with 总体情况).
HEADINGS = (
    ("overview", r"[一1][、.．]\s*总体情况"),
    ("proactive", r"二[、.．]\s*主动公开政府信息情况"),
    ("requests", r"三[、.．]\s*收到和处理政府信息公开申请情况"),
    ("review_litigation", r"四[、.．]\s*政府信息公开行政"),
    ("problems", r"五[、.．]\s*存在的主要问题"),
    ("other_matters", r"六[、.．]\s*其他需要报告"),
)

# truth ``narrative`` key → statement kinds that state it (my reading of the keys' meaning).
NARRATIVE_KINDS: dict[str, tuple[str, ...]] = {
    "received_total": ("received", "handled"),
    "received_including_carried_over": ("received", "handled"),
    "answered_total": ("answered", "handled"),
    "carried_over": ("carried_over",),
    "carried_forward": ("carried_forward",),
    "granted": ("granted",),
    "partial": ("partial",),
    "granted_plus_partial": ("granted_plus_partial",),
    "denied_total": ("denied",),
    "unable_total": ("unable",),
    "not_processed_total": ("not_processed",),
    "other_total": ("other",),
    "review_total": ("review",),
    "litigation_total": ("litigation",),
    "review_plus_litigation_total": ("review_plus_litigation",),
    "normative_documents_made": ("normative_made",),
    "normative_documents_in_force": ("normative_in_force",),
}
# narrative key → finding code when the table contradicts it.
NARRATIVE_CODES = {k: COMPARISONS[kinds[0]].code for k, kinds in NARRATIVE_KINDS.items()}

# Narrative values the prose reader does not extract, and why (each is checked to stay missed, so
# this list shrinks when the reader learns more).
KNOWN_MISSES = {
    # '均在法定期限内予以答复': all were answered, but no number is printed for it.
    ("008", "answered_total"),
    # '依申请公开政府信息5条' — the same words count information items in 030 (依申请公开信息1504条).
    ("018", "received_total"),
    # '全县共办理相关案件 74 件': 复议、诉讼 are named in the clause before; needs sentence context.
    ("031", "review_plus_litigation_total"),
    # applicant-type breakdowns are not compared with the tables.
    ("031", "received_natural_persons_including_carried_over"),
    ("031", "received_legal_persons_including_carried_over"),
}


def _truth_ids() -> list[str]:
    d = SHARED / "corpus" / "truth"
    return sorted(p.stem for p in d.glob("*.json")) if d.exists() else ["(shared missing)"]


def _raw_text(tid: str) -> str:
    if tid.startswith("seed-"):
        n = tid.split("-", 1)[1]
        return next(shared_path("seeds").glob(f"{n}_*.txt")).read_text(encoding="utf-8")
    p = next(shared_path("corpus", "raw").glob(f"{tid}.*"))
    if p.suffix == ".pdf":
        import pdfplumber
        with pdfplumber.open(p) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if p.suffix == ".html":
        import lxml.html
        doc = lxml.html.fromstring(p.read_bytes())
        for bad in doc.xpath("//script|//style"):
            bad.drop_tree()
        return doc.text_content()
    return p.read_text(encoding="utf-8")


def split_sections(text: str) -> dict[str, str]:
    found: list[tuple[str, int]] = []
    pos = 0
    for key, rx in HEADINGS:
        m = re.compile(rx).search(text, pos)
        if m:
            found.append((key, m.start()))
            pos = m.end()
    out = {}
    for i, (key, a) in enumerate(found):
        b = found[i + 1][1] if i + 1 < len(found) else len(text)
        out[key] = text[a:b] if i else text[:b]
    return out or {"overview": text}


def _cell(v) -> Cell:
    if v is None:
        return Cell.blank()
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return Cell(Kind.TEXT, None, str(v))
    return Cell(Kind.NUMBER, v if isinstance(v, int) else Decimal(str(v)))


def truth_report(truth: dict, sections: dict[str, str]) -> Report:
    r = Report(format=truth["template"], table3_variant="single" if "other" in truth["table3"] else "split",
               agency=truth["agency"], year=truth["year"], sections=sections)
    r.table3 = {k: [_cell(x) for x in v] for k, v in truth["table3"].items()}
    r.table4 = {k: [_cell(x) for x in v] for k, v in truth["table4"].items()}
    r.table2 = {k: [_cell(x) for x in v.values()] for k, v in truth["table2"].items()}
    return r


_CACHE: dict[str, tuple[dict, Report]] = {}


def load(tid: str) -> tuple[dict, Report]:
    if tid not in _CACHE:
        truth = json.loads(shared_path("corpus", "truth", f"{tid}.json").read_text(encoding="utf-8"))
        _CACHE[tid] = (truth, truth_report(truth, split_sections(_raw_text(tid))))
    return _CACHE[tid]


def expected_mismatches(truth: dict) -> set[str]:
    return {NARRATIVE_CODES[c.split(":", 1)[1]] for c in truth.get("known_check_failures") or []
            if c.startswith("NARR:")}


@pytest.mark.parametrize("tid", _truth_ids())
def test_warnings_are_exactly_the_known_narrative_failures(tid: str) -> None:
    truth, report = load(tid)
    warnings = {f.code for f in prose_findings(report) if f.severity is not Severity.INFO}
    assert warnings == expected_mismatches(truth)


@pytest.mark.parametrize("tid", _truth_ids())
def test_counting_with_carried_over_is_a_note(tid: str) -> None:
    truth, report = load(tid)
    notes = [f for f in prose_findings(report) if f.code == "prose.received-includes-carried-over"]
    incl = (truth.get("narrative") or {}).get("received_including_carried_over")
    if incl is None:
        assert notes == []
    else:
        assert [f.numbers["stated"] for f in notes] == [incl]
        assert all(f.severity is Severity.INFO for f in notes)


@pytest.mark.parametrize("tid", _truth_ids())
def test_statements_the_truth_records_are_extracted(tid: str) -> None:
    truth, report = load(tid)
    stated = {(s.kind, s.value) for s in extract_statements(report.sections, report.agency)}
    for key, value in (truth.get("narrative") or {}).items():
        if key == "narrative_quotes":
            continue
        found = any((k, value) in stated for k in NARRATIVE_KINDS.get(key, ()))
        assert found is ((tid, key) not in KNOWN_MISSES), (key, value)


def test_seed_001_answered_mismatch_details() -> None:
    truth, report = load("seed-001")
    [f] = [f for f in prose_findings(report) if f.code == "prose.answered-mismatch"]
    assert f.severity is Severity.WARNING
    assert f.cells == ["t3.total.total"]
    assert f.numbers["stated"] == truth["narrative"]["answered_total"] == 4
    assert f.numbers["table"] == truth["table3"]["total"][-1] == 5
    pos = f.positions[0]
    section = report.sections[pos["section"]]
    assert section[pos["start"]:pos["end"]] == pos["text"]
    assert "共答复4件" in pos["text"]


@pytest.mark.parametrize("tid", _truth_ids())
def test_a_changed_table_cell_is_found(tid: str) -> None:
    """Recall beyond the one real mismatch: change the cell each stated number is compared with."""
    truth, report = load(tid)
    statements = [s for s in extract_statements(report.sections, report.agency)
                  if s.scope.is_own and not s.ambiguous and s.kind in COMPARISONS
                  and not COMPARISONS[s.kind].at_most]
    if not statements:
        pytest.skip(f"{tid}: the prose states no own, unambiguous number to compare")
    for st in statements:
        # Every cell any reading of the comparison uses moves, so no reading can still agree.
        keys = {k for r in COMPARISONS[st.kind].readings for key in r.cells for k in _expand_keys(report, key)}
        keys = {k for k in keys if report.cell(k).kind is Kind.NUMBER}
        if not keys:
            continue
        saved = {k: report.cell(k) for k in keys}
        try:
            for k in keys:
                _set(report, k, Cell(Kind.NUMBER, saved[k].value + 1000))
            codes = {(f.code, f.severity) for f in prose_findings(report)}
        finally:
            for k, c in saved.items():
                _set(report, k, c)
        assert (COMPARISONS[st.kind].code, Severity.WARNING) in codes, (st.kind, sorted(keys))


def _expand_keys(report: Report, key: str) -> list[str]:
    if ".*." not in key:
        return [key]
    table, rest = key.split(".", 1)
    group, col = rest.split(".*.")
    return [f"t3.{r}.{col}" for r in report.table3 if r.startswith(group + ".")]


def _set(report: Report, key: str, cell: Cell) -> None:
    table, rest = key.split(".", 1)
    row, col = rest.rsplit(".", 1)
    rows = {"t2": report.table2, "t3": report.table3, "t4": report.table4}[table]
    rows[row][report._columns(table, row).index(col)] = cell
