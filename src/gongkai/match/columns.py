"""Where a row's values stand across the line: the table's columns, learned from its full rows.

A converter that keeps the page layout (pdftotext -layout, pdfplumber layout=True, pandoc's plain
tables) prints a blank cell as empty space. A row with fewer values than cells then says, by where its
values stand, which cells they are — the same columns the table's full rows show. Without full rows
to learn from, or where a value stands between two columns, nothing is placed this way.
"""
from __future__ import annotations

from statistics import median

from ..model import Cell
from .split import Tok, tokenize
from .stream import Piece


class Columns:
    """Column centres (characters from the start of the line) of a table with ``n`` cells a row."""

    def __init__(self, text: str, n: int, rows: list[list[Piece]] = ()):
        self.text = text
        self.n = n
        self.samples: list[list[float]] = [[] for _ in range(n)]
        self.centres: list[float] | None = None
        self._rows = list(rows)  # learned from when first needed

    def _centre(self, start: int | None, end: int | None) -> float | None:
        if start is None or end is None or not self.text:
            return None
        line_start = self.text.rfind("\n", 0, start) + 1
        return (start + end) / 2 - line_start

    def _tok_centre(self, t: Tok) -> tuple[float | None, int | None]:
        src = t.source
        if src.start is None:
            return None, None
        if t.kind == "num":
            a = src.start + t.offset
            return self._centre(a, a + len(t.text)), src.line
        return self._centre(src.start, src.end), src.line

    def learn(self, toks: list[Tok]) -> None:
        """A row printed with all its cells on one line: where each column stands."""
        if len(toks) != self.n or any(t.kind == "blank" for t in toks):
            return
        got = [self._tok_centre(t) for t in toks]
        if any(c is None for c, _ in got) or len({line for _, line in got}) != 1:
            return
        for k, (c, _) in enumerate(got):
            self.samples[k].append(c)

    def ready(self) -> bool:
        if self._rows:
            for pieces in self._rows:
                self.learn([t for t in tokenize(pieces) if t.kind != "gap"])
            self._rows = []
        if self.centres is None and all(len(s) >= 2 for s in self.samples):
            centres = [median(s) for s in self.samples]
            # columns must stand apart, left to right, and every full row must agree with them
            # laid out, not merely spaced: values one space apart say nothing about blank cells between them
            if all(b - a >= 4 for a, b in zip(centres, centres[1:])):
                gap = min(b - a for a, b in zip(centres, centres[1:]))
                if all(abs(x - c) < gap / 3 for s, c in zip(self.samples, centres) for x in s):
                    self.centres = centres
        return self.centres is not None

    def place(self, toks: list[Tok], cells: list[Cell]) -> list[int] | None:
        """The column of each printed cell of a short row, or None where the positions do not say."""
        if not self.ready() or len(toks) != len(cells):
            return None
        centres = self.centres
        gap = min(b - a for a, b in zip(centres, centres[1:]))
        got = [self._tok_centre(t) for t in toks]
        if any(c is None for c, _ in got) or len({line for _, line in got}) != 1:
            return None
        cols = []
        for c, _ in got:
            k = min(range(self.n), key=lambda j: abs(centres[j] - c))
            if abs(centres[k] - c) >= gap / 3:
                return None  # between two columns: not decided by position
            cols.append(k)
        if any(b <= a for a, b in zip(cols, cols[1:])):
            return None
        return cols
