"""gongkai's check of one converted text, scored against the truth.

A cell is right (value and kind as the truth records it), unknown (gongkai admits it cannot tell), or wrong.
A wrong cell is *flagged* when a warning or error names it — its own key, its row, or its table missing — other
than a finding the truth itself expects (the report's own arithmetic slips, which are there whatever the
conversion); otherwise it is *silent*: a wrong number a reader would take for the printed one.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gongkai.check import check_path
from gongkai.evaluate import expected_findings, score_cells
from gongkai.findings import Severity

from .converters import Converter, converted
from .documents import Source

TABLE_WORDS = {"表二": "t2", "表三": "t3", "表四": "t4"}
# Seconds a check may take; one normally takes well under 0.5 s, a pathological text can take minutes.
CHECK_BUDGET = float(os.environ.get("GONGKAI_CHECK_BUDGET", "10"))


class CheckTimeout(BaseException):
    """Raised by the alarm inside check_path; a BaseException so the check's own handlers let it through."""


@contextmanager
def _budget(seconds: float | None):
    """Stop the check after ``seconds`` (SIGALRM: main thread, Unix); no budget elsewhere."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise CheckTimeout()

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Outcome:
    source: str            # e.g. "002.composed.pdf"
    ident: str
    origin: str
    kind: str
    converter: str
    status: str            # check status ("ok", "not-report", "error"), "convert-error" or "timeout"
    error: str | None
    total: int = 0
    right: int = 0
    unknown: int = 0
    unknown_unflagged: int = 0
    wrong_flagged: int = 0
    wrong_silent: int = 0
    blanks_in_truth: int = 0
    keeps_cells: bool = False
    convert_s: float = 0.0
    check_s: float = 0.0
    text: str = ""        # path of the converted text
    misses: list = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.status == "ok" and self.right == self.total

    @property
    def exact_target(self) -> bool:
        """The converter keeps every printed cell of this report: nothing made the text ambiguous, so every cell
        must come out exactly. True when it keeps blank cells in place, or the report has no blank cell to drop."""
        return self.keeps_cells or self.blanks_in_truth == 0

    def problems(self) -> list[str]:
        """What this outcome falls short of (issue 11's targets); empty when it meets them all."""
        out = []
        if self.status == "timeout":
            out.append(f"check did not finish: {self.error}")
        if self.wrong_silent:
            out.append(f"{self.wrong_silent} wrong cell(s) with no finding (silent)")
        if self.unknown_unflagged:
            out.append(f"{self.unknown_unflagged} unknown cell(s) with no finding")
        if self.exact_target and not self.exact:
            out.append(f"keeps every printed cell but only {self.right}/{self.total} right"
                       + (f" ({self.status}: {self.error})" if self.status != "ok" else ""))
        return out

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(exact=self.exact, exact_target=self.exact_target, problems=self.problems())
        return d


def _blanks(truth: dict) -> int:
    n = 0
    for table in ("table2", "table3", "table4"):
        for values in truth.get(table, {}).values():
            n += sum(v is None for v in (values.values() if isinstance(values, dict) else values))
    return n


def _flagged(result, truth: dict) -> set[str]:
    """Keys (cells, rows, tables) named by a warning or error the truth does not itself expect."""
    expected = expected_findings(truth)
    out: set[str] = set()
    for f in result.findings:
        if f.severity is Severity.INFO:
            continue
        n = f.numbers
        if (f.code, n.get("row_key") or n.get("column_en") or n.get("group_en")) in expected:
            continue
        out.update(f.cells)
        if f.code == "parse.table-missing" and n.get("table") in TABLE_WORDS:
            out.add(TABLE_WORDS[n["table"]])
    return out


def _named(key: str, flagged: set[str]) -> bool:
    parts = key.split(".")
    return any(".".join(parts[:i]) in flagged for i in range(1, len(parts) + 1))


def _key(report, miss: tuple) -> str:
    table, row = miss[0], miss[1]
    prefix = {"table2": "t2", "table3": "t3", "table4": "t4"}[table]
    if len(miss) == 3:  # a row not in the truth
        return f"{prefix}.{row}"
    col = miss[2]
    if isinstance(col, int):
        cols = (report.spec.table3.columns if table == "table3" else report.spec.table4.columns)
        col = cols[col].key if col < len(cols) else str(col)
    return f"{prefix}.{row}.{col}"


def score(src: Source, conv: Converter, root: Path | None = None, budget: float | None = CHECK_BUDGET) -> Outcome:
    """Convert ``src`` with ``conv`` (cached), check the text as ``gongkai check`` does, score it. A check that
    takes longer than ``budget`` seconds is stopped and reported as ``timeout``."""
    truth = src.truth()
    out = Outcome(src.name, src.ident, src.origin, src.kind, conv.name, "ok", None,
                  blanks_in_truth=_blanks(truth), keeps_cells=conv.keeps_cells)
    try:
        path, out.convert_s, _ = converted(conv, src.path, root)
    except Exception as e:  # a converter failing on a document is a result, not a crash of the benchmark
        out.status, out.error = "convert-error", f"{type(e).__name__}: {e}"
        out.total = out.wrong_flagged = sum(1 for _ in _cells(truth))
        return out
    return score_text(path, truth, out, budget)


def score_text(path: Path, truth: dict, out: Outcome, budget: float | None = CHECK_BUDGET) -> Outcome:
    """Check the file at ``path`` as ``gongkai check`` does and score it against ``truth`` into ``out``."""
    out.text = str(path)
    out.blanks_in_truth = _blanks(truth)
    t = time.perf_counter()
    try:
        with _budget(budget):
            result = check_path(path)
    except CheckTimeout:
        out.check_s = time.perf_counter() - t
        out.status, out.error = "timeout", f"gongkai check took more than {budget:g} s"
        out.total = out.wrong_flagged = sum(1 for _ in _cells(truth))
        return out
    out.check_s = time.perf_counter() - t
    out.status, out.error = result.status, result.error
    if result.status != "ok":  # the whole file is refused with a clear error: every cell is flagged
        out.total = out.wrong_flagged = sum(1 for _ in _cells(truth))
        return out
    s = score_cells(truth, result)
    flagged = _flagged(result, truth)
    out.total, out.right, out.unknown = s.total, s.exact, s.unknown
    for miss in s.misses:
        key = _key(result.report, miss)
        named = _named(key, flagged)
        if miss[-1] == "unknown":
            out.unknown_unflagged += not named
        elif named:
            out.wrong_flagged += 1
        else:
            out.wrong_silent += 1
        out.misses.append([key, *(str(m) for m in miss[3:]), "flagged" if named else "silent"])
    return out


def _cells(truth: dict):
    for table in ("table2", "table3", "table4"):
        for values in truth.get(table, {}).values():
            yield from (values.values() if isinstance(values, dict) else values)
