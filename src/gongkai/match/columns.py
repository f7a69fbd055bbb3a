"""Where a row's values stand across the line: the table's columns, learned from its full rows.

A converter that keeps the page layout (pdftotext -layout, pdfplumber layout=True, pandoc's plain
tables) prints a blank cell as empty space. A row with fewer values than cells then says, by where its
values stand, which cells they are — the same columns the table's full rows show, or a rule drawn
under the header (pandoc), or, where every row leaves the same cells blank, the header's column titles
(titles.py). Where none of these says, or a value stands between two columns, nothing is placed this way.
"""
from __future__ import annotations

import re
from statistics import median

from ..model import Cell
from .split import Tok, tokenize
from .stream import Piece
from .titles import column_of, extent, header_lines, title_columns
from .titles import width as _width


class Columns:
    """Column centres (characters from the start of the line) of a table with ``n`` cells a row."""

    def __init__(self, text: str, n: int, rows: list[list[Piece]] = (), rules: list = (),
                 titles: tuple[str, ...] = ()):
        self.text = text
        self.n = n
        self.samples: list[list[float]] = [[] for _ in range(n)]
        self.centres: list[float] | None = None
        self.spans: list[tuple[float, float]] | None = None  # the value columns' extents, from a drawn rule
        self._rows = list(rows)  # learned from when first needed
        self._rules = list(rules)
        self.wide = False
        self.titles = tuple(titles)  # the form's column titles, left to right: where no full row says (titles.py)
        self._all_rows = self._rows
        self._by_page: dict[tuple[int, bool], list[tuple[int, int]] | None] = {}
        self._laid_out: dict[int, bool] = {}  # line start → does the line keep a layout (asked for every row)

    def _centre(self, start: int | None, end: int | None) -> float | None:
        if start is None or end is None or not self.text:
            return None
        line_start = self.text.rfind("\n", 0, start) + 1
        if not self.wide:
            return (start + end) / 2 - line_start
        # in display columns: pandoc lays a line out by how wide it prints, a CJK character as two
        # (pdftotext -layout counts characters): which one, the table's own rows or rule say
        lead = _width(self.text[line_start:start])
        return lead + _width(self.text[start:end]) / 2

    def _tok_centre(self, t: Tok) -> tuple[float | None, int | None]:
        src = t.source
        if src.start is None:
            return None, None
        if t.kind == "num":
            a = src.start + t.offset
            return self._centre(a, a + len(t.text)), src.line
        return self._centre(src.start, src.end), src.line

    def _place_in_spans(self, toks: list[Tok]) -> list[int] | None:
        got = [self._tok_centre(t) for t in toks]
        if any(c is None for c, _ in got) or len({line for _, line in got}) != 1:
            return None
        cols = []
        for c, _ in got:
            inside = [k for k, (a, b) in enumerate(self.spans) if a <= c <= b]
            if len(inside) != 1:
                return None
            cols.append(inside[0])
        return cols if all(b > a for a, b in zip(cols, cols[1:])) else None

    def learn(self, toks: list[Tok]) -> None:
        """A row printed with all its cells on one line: where each column stands."""
        if len(toks) != self.n or any(t.kind == "blank" for t in toks):
            return
        got = [self._tok_centre(t) for t in toks]
        if any(c is None for c, _ in got) or len({line for _, line in got}) != 1:
            return
        for k, (c, _) in enumerate(got):
            self.samples[k].append(c)

    def _learn_rules(self) -> None:
        """A rule drawn under a header ("------ ---- ----"): each run of dashes is a column; the last n are the
        value columns. The last rule that has enough runs is the one over the table's rows."""
        for seg in self._rules:
            start = seg.source.start
            if start is None or not self.text:
                continue
            line_start = self.text.rfind("\n", 0, start) + 1
            lead = _width(self.text[line_start:start])  # the rule line itself is mostly ASCII
            runs = [(lead + _width(seg.text[:m.start()]), lead + _width(seg.text[:m.end()]))
                    for m in re.finditer(r"-{2,}", seg.text)]
            if len(runs) >= self.n:
                self.spans = runs[-self.n:]
        self._rules = []

    def ready(self) -> bool:
        """Column centres from the full rows, when they agree, counting characters or display columns —
        whichever the rows agree in (a drawn rule's spans are kept apart)."""
        if self._rules:
            self._learn_rules()
        if self._rows:
            rows, self._rows = self._rows, []
            for wide in (False, True):
                self.wide = wide
                self.samples = [[] for _ in range(self.n)]
                self.centres = None
                for pieces in rows:
                    self.learn([t for t in tokenize(pieces) if t.kind != "gap"])
                if self._agree():
                    return True
            self.wide = False
            return False
        return self.centres is not None

    def _agree(self) -> bool:
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
        if len(toks) != len(cells):
            return None
        ready = self.ready()
        if self.spans is not None:
            wide = self.wide
            for self.wide in (True, False):  # a rule is ASCII: the row's characters may count one or two
                cols = self._place_in_spans(toks)
                if cols is not None:
                    self.wide = wide
                    return cols
            self.wide = wide
            return None
        if not ready:
            return self._place_by_titles(toks) if self.titles else None
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

    def laid_out(self, pieces: list[Piece]) -> bool:
        """Does the line a row's values stand on keep a layout (a run of spaces setting things apart), unlike
        text whose cells were run together? Cheap: asked before any position is worked out."""
        src = pieces[0].source if pieces else None
        if src is None or src.start is None or not self.text:
            return False
        # a row's line looked at once: crawler text runs a whole table on one long line, asked about row by row
        b = self.text.find("\n", src.start)
        got = self._laid_out.get(b)
        if got is None:
            a = self.text.rfind("\n", 0, src.start) + 1
            got = self._laid_out[b] = self.text.find("   ", a, b if b >= 0 else len(self.text)) >= 0
        return got

    # ---- no full row, no rule: the column titles of the header say where the columns stand (titles.py)
    def _tok_span(self, t: Tok) -> tuple[int, int, int] | None:
        """A value's line start and character offsets in the text."""
        src = t.source
        if src.start is None or t.kind == "blank":
            return None
        a, b = (src.start + t.offset, src.start + t.offset + len(t.text)) if t.kind == "num" else (src.start, src.end)
        return self.text.rfind("\n", 0, a) + 1, a, b

    def _lines(self, toks: list[Tok], wide: bool) -> dict[int, list[float]] | None:
        """The centres of a row's values, by the line they stand on."""
        out: dict[int, list[float]] = {}
        for t in toks:
            got = self._tok_span(t)
            if got is None:
                return None
            line, a, b = got
            lo, hi = extent(self.text, line, a, b, wide)
            out.setdefault(line, []).append((lo + hi) / 2)
        return out

    def _title_extents(self, page: int, wide: bool) -> list[tuple[int, int]] | None:
        """The columns under the header of the table's first value line on the page starting at ``page``,
        when every value line of the table on that page stands under them (pdftotext lays each page out
        on its own: a page's columns may stand elsewhere than the last page's)."""
        key = (page, wide)
        if key in self._by_page:
            return self._by_page[key]
        self._by_page[key] = None
        end = self.text.find("\f", page)
        end = len(self.text) if end < 0 else end
        lines: dict[int, list[float]] = {}
        for pieces in self._all_rows:
            got = self._lines([t for t in tokenize(pieces) if t.kind not in ("gap", "blank")], wide)
            if got is None:
                return None
            for line, cs in got.items():
                if page <= line < end:
                    lines.setdefault(line, []).extend(cs)
        if not lines:
            return None
        ext = title_columns(self.text, header_lines(self.text, min(lines), page), self.titles, wide)
        if ext is None:
            return None
        for cs in lines.values():
            cols = [column_of(ext, c) for c in sorted(cs)]
            if None in cols or any(b <= a for a, b in zip(cols, cols[1:])):
                return None  # a value line the header does not place: the header is not these rows' columns
        self._by_page[key] = ext
        return ext

    def _place_by_titles(self, toks: list[Tok]) -> list[int] | None:
        got = self._tok_span(toks[0]) if toks else None
        if got is None or len(self.titles) != self.n:
            return None
        page = self.text.rfind("\f", 0, got[1]) + 1
        placements = []
        for wide in (False, True):  # counted in characters or in display columns: both must not disagree
            ext = self._title_extents(page, wide)
            lines = self._lines(toks, wide) if ext is not None else None
            if lines is None or len(lines) != 1:
                continue
            cols = [column_of(ext, c) for c in next(iter(lines.values()))]
            if None not in cols and all(b > a for a, b in zip(cols, cols[1:])):
                placements.append(cols)
        if not placements or any(p != placements[0] for p in placements):
            return None
        return placements[0]

