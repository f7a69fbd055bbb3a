"""Findings on what OCR read with doubt: never a silent guess.

read/ocr.py records every doubtful character with its place in the document text
(``Document.meta['ocr']['doubts']``: offset, kind, confidence, runner-ups). Each report cell whose
printed text holds such a character gets one finding that points at it; where the cell's row has
arithmetic (表三's six applicant columns and 总计, 表四's four results and 总计), the only value of
that cell that would make the row balance is proposed as a separate finding — and never applied.
Doubtful digits of the prose get a note.
"""
from __future__ import annotations

import bisect
from decimal import Decimal

from ..findings import Finding, Severity
from ..model import Cell, Kind, Report, part_sum
from .catalog import make_finding

# The doubt kinds in the order a cell's finding names them (the first found decides the code).
_CODES = {"unreadable": "ocr.unreadable", "dropped": "ocr.dropped-char", "low-confidence": "ocr.low-confidence",
          "confusable": "ocr.confusable", "letter-digit": "ocr.letter-as-digit"}
_ORDER = tuple(_CODES)


def _alts(d: dict) -> str:
    return "、".join(c for c, _ in d.get("alternatives", [])[:3]) or "无"


def _rows(report: Report):
    """Rows with arithmetic: (key prefix, cells, index of the total)."""
    for key, cells in report.table3.items():
        if len(cells) == 7:
            yield f"t3.{key}", cells, 6
    for key, cells in report.table4.items():
        if len(cells) == 5:
            yield f"t4.{key}", cells, 4


def _candidate(cells: list[Cell], at: int, total: int) -> int | Decimal | None:
    """The value of cell ``at`` that alone balances the row, when every other cell is a number."""
    others = [c for i, c in enumerate(cells) if i != at]
    if any(c.kind is not Kind.NUMBER for c in others):
        return None
    parts = [c for i, c in enumerate(cells) if i not in (at, total)]
    value = part_sum(parts) if at == total else cells[total].value - part_sum(parts)
    return value if value >= 0 else None


def ocr_findings(report: Report, ocr: dict, text: str = "") -> list[Finding]:
    out: list[Finding] = []
    pages = ocr.get("pages") or []
    if pages:
        out.append(make_finding("ocr.pages-read", pages=page_list(pages), seconds=ocr.get("seconds"),
                                positions=[{"page": p} for p in pages]))
    doubts = ocr.get("doubts") or []
    starts = [d["start"] for d in doubts]
    fmt = report.spec
    used: set[int] = set()
    flagged: dict[str, dict] = {}
    for key, cell in report.cells():
        src = cell.source
        if src is None or src.start is None or src.end is None:
            continue
        lo, hi = bisect.bisect_left(starts, src.start), bisect.bisect_left(starts, max(src.end, src.start + 1))
        here = doubts[lo:hi]
        if not here:
            continue
        used.update(range(lo, hi))
        d = min(here, key=lambda d: (_ORDER.index(d["kind"]), d["conf"]))
        printed = text[src.start:src.end] if text else (cell.text or str(cell.value))
        out.append(make_finding(
            _CODES[d["kind"]], cells=[key], positions=[src.to_dict()], where=fmt.cell_words(key), key=key,
            text=printed, char=d["char"], read=d.get("read", ""), conf=f"{d['conf']:.2f}", alternatives=_alts(d)))
        flagged[key] = d
    for prefix, cells, total in _rows(report):
        keys = [k for k in flagged if k.rsplit(".", 1)[0] == prefix]
        if len(keys) != 1:
            continue  # two doubtful cells in a row: no single value balances it
        cols = [c.key for c in (fmt.table3.columns if prefix.startswith("t3") else fmt.table4.columns)]
        at = cols.index(keys[0].rsplit(".", 1)[1])
        cell = cells[at]
        if cell.kind is not Kind.NUMBER:
            continue
        cand = _candidate(cells, at, total)
        if cand is None or cand == cell.value:
            continue
        out.append(make_finding("ocr.correction-candidate", cells=[keys[0]],
                                positions=[cell.source.to_dict()] if cell.source else [],
                                where=fmt.cell_words(keys[0]), key=keys[0], value=cell.value, candidate=cand))
    # Digits of the prose read with doubt (the prose checks compare them with the tables).
    for i, d in enumerate(doubts):
        if i in used or d.get("table") is not None or not d["char"].isdigit():
            continue
        a = d["start"]
        context = text[max(0, a - 8):a + 6].replace("\n", " ") if text else d["char"]
        out.append(make_finding("ocr.text-doubt", positions=[{k: d[k] for k in ("page", "bbox", "start", "end")
                                                              if d.get(k) is not None}],
                                page=d.get("page"), context=context, char=d["char"], conf=f"{d['conf']:.2f}",
                                alternatives=_alts(d)))
    for lab in ocr.get("labels") or []:
        out.append(make_finding("ocr.label-read", positions=[{"page": lab.get("page"), "bbox": lab.get("bbox")}],
                                page=lab.get("page"), read=lab["read"], official=lab["as"]))
    for u in ocr.get("unplaced") or []:
        out.append(make_finding("ocr.unplaced", positions=[u], page=u.get("page"), bbox=u.get("bbox")))
    return out


def page_list(pages: list[int]) -> str:
    """1, 2, 3, 5 → 1–3、5"""
    runs: list[list[int]] = []
    for p in sorted(pages):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def is_ocr_finding(f: Finding) -> bool:
    return f.code.startswith("ocr.") and f.severity is not Severity.INFO
