"""Compare parsed reports with hand-checked truth files (../shared/corpus/truth format).

Cell accuracy counts exact matches of value and kind; a wrong number is worse than an admitted
unknown, so the two are counted apart. Used by the tests and by benchmarks/accuracy.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .check import CheckResult
from .findings import Severity
from .model import Kind

# The truth files' arithmetic codes (their check_truth.py) and the rules that must find them.
TRUTH_CODES = {"T3_ROW": "t3.row-sum", "T3_BAL": "t3.identity", "T3_SUM": "t3.total-sum", "T4_SUM": "t4.total-sum"}


@dataclass
class CellScore:
    exact: int = 0
    unknown: int = 0       # gongkai said "unknown" (admitted) where truth has a value
    wrong: int = 0         # a value that differs from truth
    misses: list[tuple] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.exact + self.unknown + self.wrong


def load_truth(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _plain(v):
    return float(v) if isinstance(v, Decimal) else v


def score_cells(truth: dict, result: CheckResult) -> CellScore:
    s = CellScore()
    rep = result.report
    for table in ("table2", "table3", "table4"):
        rows = getattr(rep, table) if rep else {}
        for key, want in truth.get(table, {}).items():
            cols = want.items() if isinstance(want, dict) else enumerate(want)
            got_row = rows.get(key)
            for col, w in cols:
                cell = None
                if got_row is not None:
                    if isinstance(want, dict):
                        names = [c.key for c in rep.spec.table2_row(key).columns]
                        cell = got_row[names.index(col)] if col in names else None
                    else:
                        cell = got_row[col]
                got = _plain(cell.as_printed()) if cell is not None else None
                if cell is not None and got == w and (cell.kind is not Kind.UNKNOWN or w is None):
                    s.exact += 1
                elif cell is not None and cell.kind is Kind.UNKNOWN:
                    s.unknown += 1
                    s.misses.append((table, key, col, w, "unknown"))
                else:
                    s.wrong += 1
                    s.misses.append((table, key, col, w, got if cell is not None else "missing"))
        for extra in set(rows) - set(truth.get(table, {})):
            s.wrong += 1
            s.misses.append((table, extra, "row not in truth"))
    return s


def expected_findings(truth: dict) -> set[tuple[str, str]]:
    out = set()
    for code in truth.get("known_check_failures", []):
        kind, where = code.split(":", 1)
        if kind in TRUTH_CODES:
            out.add((TRUTH_CODES[kind], where))
    return out


def arithmetic_findings(result: CheckResult) -> set[tuple[str, str]]:
    found = set()
    for f in result.findings:
        if f.severity is Severity.ERROR and f.code in TRUTH_CODES.values():
            n = f.numbers
            found.add((f.code, n.get("row_key") or n.get("column_en") or n.get("group_en")))
    return found
