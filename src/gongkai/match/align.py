"""Align the official form's cell sequence to a document's stream of labels and values.

The form is a fixed sequence of cells: rows in official order, each with its columns. A reader
gives a stream of label and value segments with positions, in whatever order the converter
wrote them. Labels are anchors, not containers: a row label may stand before its values (the
usual grid or text line), after them, with other labels between, or all labels of a table
fragment may come first and their values after it, row by row or column by column (pdfminer
writes a table's labels, then its numbers one column after the other). Values fill cells in
reading order; label positions resynchronise the alignment where values are missing or extra.

Steps, each the special case of the next:

1. The stream is cut into runs: label runs (the rows their labels name) and value runs
   (atoms: one number, placeholder, blank grid cell or text cell each). Page numbers
   ("- 4 -", "—3—") and counts in running prose ("3件") are not values.
2. Anchored alignment. Every value run belongs to the label run before it (labels first) or,
   in the other mode, after it (labels after values). A label run naming several rows takes as
   many values as those rows have cells (a fragment printed labels first), or gives its values
   to its last row (rows printed without values before it). The mode whose every run fits is
   the alignment the labels support; a grid row's own label binds its cells before anything
   else (a grid cell's row is strong evidence).
3. Where no mode fits every run (labels jumbled, values of several rows between two labels),
   a dynamic programme over (stream position, cell) finds the row-major alignment with the
   fewest departures: a value left out, a cell left unfilled, a label away from its row's first
   (or, after values, last) cell. Spans between two anchors the alignment keeps are decided by
   their count; a span that needed a departure is not decided: its rows are "uncertain", and
   the caller makes their cells unknown with a finding instead of giving a neighbour's value.

Within a row, cutting run-together digits and placing values into exactly its columns is
split.py's work; choosing among what is left is the arithmetic's (choose.py).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..blocks import Source
from ..formats import Row, header_texts
from ..text import normalize_label
from .merged import drop_empty_cells, drop_label_columns, drop_label_pieces, merged_grid
from .split import Tok, tokenize
from .stream import Piece, Seg

# A line that is only a page number: "- 4 -", "— 3 —", "-3-", "第 3 页", "3 / 12".
PAGE_NUMBER = re.compile(r"\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*")
_COUNT_UNIT = ("件", "个", "起", "次", "项", "年", "月", "日", "人", "条", "%", "％")
_RULE = re.compile(r"\s*[-—–=_+:|]{3,}[-—–=_+:|\s]*")  # a drawn table rule, not placeholders
_ROW_START = re.compile(r"\d{1,2}[.、]|[(（][一二三四五六七八][)）]|[一二三四][、.]")  # how a row's label opens
_TEXT_CELL = re.compile(r"[^，。；：,.;:]{1,6}")  # a short text in a row's line ("不详", "1 件"), not prose

# Costs of the dynamic programme's departures from the printed stream (step 3).
COST_DROP = 3.0        # a printed value not placed in any cell
COST_DROP_BLANK = 0.5  # an empty grid cell not placed in any cell
COST_SKIP = 2.0        # a cell no printed value fills
COST_LABEL = 4.0       # a row label away from its row's first (labels first) or last (labels after) cell
COST_BLANK_ROW = 1.0   # a labelled row printed without any values
COST_CUT = 0.5         # each further cell cut from a run of digits written together


@dataclass
class RowHit:
    """One form row as aligned: its label (where found) and the value pieces placed in it."""

    key: str
    label: str
    source: Source
    pieces: list[Piece] = field(default_factory=list)
    status: str = "anchored"  # anchored | forced | uncertain | blank | block
    repeated: bool = False    # the row was printed again with the same values
    alternatives: list[list[str]] = field(default_factory=list)  # an uncertain row's possible values


@dataclass(slots=True)
class Atom:
    """One value as printed; it is its own event ("A") in the stream (one object per value: a report has
    hundreds)."""

    tok: Tok
    piece: int          # index of the piece it was cut from
    seg: int            # segment index (one line or grid row)
    row_id: int | None
    span: tuple[int, int] = (0, 0)  # where in its piece's text
    kind: str = "A"     # "A", or "E" for a cell of a grid row printed all empty
    row: int = -1

    @property
    def atom(self) -> "Atom":
        return self


@dataclass(slots=True)
class Event:
    kind: str                       # "L" a row label, "N" any other label, "A" a value atom, "P" a page break
    row: int = -1                   # form row index (L)
    seg: int = 0
    atom: Atom | None = None


@dataclass
class Block:
    """A fragment printed labels first: its rows, and each order its values may be read in."""

    rows: list[int]
    orders: dict[str, dict[int, list[Atom]]]  # "row" / "col" → row index → atoms
    tentative: bool = False  # labels and values interleaved: only the arithmetic may decide the order


@dataclass
class Alignment:
    hits: dict[int, RowHit]
    mode: str                                    # before | after | search
    blocks: list[Block] = field(default_factory=list)
    dropped: list[Atom] = field(default_factory=list)
    cost: float = 0.0


class Stream:
    """The labels and value atoms of one table's region of the segment stream."""

    def __init__(self, segs: list[Seg], start: int, end: int, rows: tuple[Row, ...], first_pos: int = 0,
                 anchor_first: bool = False):
        self.segs = segs
        self.rows = rows
        self.pieces: list[Piece] = []
        self.events: list[Event] = []
        self.labels: dict[int, Seg] = {}
        self.rules: list[Seg] = []  # rule lines drawn across the table ("---- ----", pandoc's plain tables)
        self._counts: dict[int, int] | None = None
        self._unnamed_grid_rows = False  # a grid row with values whose label cell names no row (see _flush)
        self.grid = False  # any grid cell in the region
        self._bound: dict[int, set[int]] | None = None
        skip = _page_number_blocks(segs, start, end)
        grid: list[Event] = []
        grid_row: int | None = None
        # Lines of label text naming no row yet: a label broken over lines ("…逾期不" + "补正…"), perhaps
        # with the row's values on a line between its two halves (pdfplumber). Each is [its text, where its
        # label event would stand in the event list, whether values came since].
        pending: list[list] = []
        named: int | None = None  # the last grid row whose cells name a row
        # The row the latest loose label line named and the label text since (that line, then its continuations):
        # a line that only goes on with that row's label is part of it, wherever its values stand.
        cont: tuple[int, str] | None = None
        seen_atom = False
        events, labels, pieces = self.events, self.labels, self.pieces  # bound once: read per segment
        loose_copy = _loose_copy(segs, start, end, rows, first_pos)
        for i in range(start, end):
            s = segs[i]
            if loose_copy and s.row_id is None:
                continue  # the grid holds every row this text names: the text is a second rendition of it
            if s.block in skip:
                if _RULE.fullmatch(s.text):
                    self.rules.append(s)  # a drawn rule: where the columns run (columns.py)
                elif not events or events[-1].kind != "P":
                    events.append(Event("P", -1, i))  # a page break: tables split there
                continue
            if s.header:
                continue
            # A grid row that names a row ends a broken label; one that names none (its label cells are
            # pieces of a label printed around it: markitdown's "1.申请人…逾期不" + "| 补正、… | 2 0 |") does not.
            if s.row_id is not None and s.row_id == named:
                pending = []
            elif s.kind != "label" and pending:
                # one row's values may stand between a label's lines, not two rows' values
                pending = [p for p in pending if not p[2]]
                for p in pending:
                    p[2] = True
            if s.row_id is not None:
                cont = None
            if s.row_id is not None and s.row_id != grid_row:
                self._flush(grid)
                grid_row = s.row_id
            elif s.row_id is None and grid:
                self._flush(grid)
                grid_row = None
            out = grid if s.row_id is not None else events
            if s.row_id is not None:
                self.grid = True
            if s.kind == "label":
                norm = s.norm[first_pos:] if i == start else s.norm
                found = find_rows(norm, rows)
                if s.row_id is None or s.row_id != named:
                    text = norm  # the label text that named the rows found (for ``cont``)
                    if s.row_id is None and not found and cont is not None:
                        if _continues(rows[cont[0]], cont[1], norm):
                            cont = (cont[0], cont[1] + norm)
                            continue  # the rest of the row's label, broken over lines around its values
                        cont = None
                    consumed = False
                    if pending:
                        k, at, early = _joined(pending, norm, rows)
                        opened, gap = pending[k][1], pending[k][2]
                        joined = "".join(p[0] for p in pending[k:]) + norm  # the label from its first line
                        if gap and early:
                            found = [r for r in found if r not in early]
                            # a row named by a label that began before the values: anchor it there
                            for k, r in enumerate(early):
                                events.insert(opened + k, Event("L", r, i))
                                labels.setdefault(r, s)
                            consumed = True
                            cont = (early[-1], joined)
                        elif not gap:
                            found = list(dict.fromkeys([r for r, _ in at] + found))  # each row once
                            text = joined
                    # where this label's event will stand once its grid row is flushed in order
                    at_pos = len(events) + (len(grid) if out is grid else 0) + 1
                    pending = [] if (found or consumed) else (pending + [[norm, at_pos, False]])[-4:]
                    if found and s.row_id is not None:
                        named = s.row_id
                for r in found:
                    out.append(Event("L", r, i))
                    labels.setdefault(r, s)
                if s.row_id is None:
                    cont = (found[-1], text) if found else (cont if consumed else None)
                if not found:
                    if seen_atom and _is_prose(s.text):
                        break  # running text after the table's values: the table has ended
                    out.append(Event("N", -1, i))
                continue
            rid = s.row_id
            if rid is None and _prose_count(segs, i):
                continue
            if rid is not None and _grid_page_number(segs, i):
                if not events or events[-1].kind != "P":
                    events.append(Event("P", -1, i))  # a page break all the same
                continue
            base = len(pieces)
            pieces += s.pieces
            for k, p in enumerate(s.pieces):
                t = p.text
                if t.isdigit() and t.isascii():  # the usual piece: one number, as tokenize reads it
                    out.append(Atom(Tok("num", t, p.source, p.explicit), base + k, i, rid, (0, len(t))))
                    seen_atom = True
                    continue
                for tok, span in _piece_toks(p):
                    if tok.kind == "num" and tok.text.endswith(("%", "％")):
                        continue  # a share stated in prose ("占15.4%"): no cell of the form holds one
                    out.append(Atom(tok, base + k, i, rid, span))
                    seen_atom = True
        self._flush(grid)
        if self._unnamed_grid_rows:
            self._join_grid_labels()
        self._text_cells()
        if anchor_first and rows:
            # a one-row table (表四) whose header is its label: the region's start anchors the row, and
            # its header words further on (sub-tables 行政复议 / 行政诉讼 …) are only headers
            self.events = [Event("N", -1, e.seg) if e.kind == "L" else e for e in self.events]
            self.events.insert(0, Event("L", 0, start))
            self.labels.setdefault(0, segs[start])

    def _flush(self, grid: list[Event]) -> None:
        """A grid row's events: its row labels first, so its cells follow the label they share a row with;
        any other label cell in a row that has a row label is a text value of that row ("不详")."""
        if not grid:
            return
        labels = [e for e in grid if e.kind == "L"]
        atoms = [e for e in grid if e.kind == "A"]
        if atoms and not labels and grid[0].kind == "N":
            self._unnamed_grid_rows = True
        if atoms and all(e.atom.tok.kind == "blank" for e in atoms):
            # a grid row of only empty cells: the blank parts of a header grid, or a row printed
            # without values (blank either way, said so by the row's finding)
            # without values (blank either way, said so by the row's finding); kept aside ("E") for a
            # fragment whose labels come first, where it is a row of the table all the same
            for e in atoms:
                e.kind = "E"
        if labels:
            rest = []
            first_label = grid.index(labels[0])
            for k, e in enumerate(grid):
                # a text cell left of the row's label is a piece of a label merged down the rows (（三）不 /
                # 予公开, a vertical 办 理 结 果), never a value: values stand right of their label
                if e.kind == "N" and k > first_label and any(x.kind == "A" for x in grid) \
                        and _TEXT_CELL.fullmatch(self.segs[e.seg].text.strip()):
                    s = self.segs[e.seg]
                    self.pieces.append(Piece(s.text.strip(), s.source, True))
                    tok = Tok("text", s.text.strip(), s.source, True)
                    rest.append(Atom(tok, len(self.pieces) - 1, e.seg, s.row_id))
                elif e.kind != "L":
                    rest.append(e)
            grid[:] = labels + rest
        self.events += grid
        grid.clear()

    def _join_grid_labels(self) -> None:
        """A label broken over grid rows, its values in the row of one piece (a cell centred top to bottom
        whose text a converter cut at its lines: "（二）部分公" / "开（区分处理的…" + values / "计其他情形）"):
        the pieces in the label-only rows next to it, joined with it, name the row the values belong to.
        Only rows of label pieces next to it (no other row's label between), only a join naming one row."""
        ev, segs = self.events, self.segs
        spans: list[tuple[int, int]] = []  # each grid row's events, in order
        for k, e in enumerate(ev):
            rid = segs[e.seg].row_id if e.kind != "P" else None
            if rid is not None and spans and segs[ev[spans[-1][0]].seg].row_id == rid and spans[-1][1] == k:
                spans[-1] = (spans[-1][0], k + 1)
            elif rid is not None or e.kind == "N":
                spans.append((k, k + 1))  # a grid row, or a line of loose label text (a piece too)
            else:
                spans.append((k, -1))  # loose values, a row's label, a page break: no piece

        def piece(g: int) -> str | None:
            """The label text of a grid row of only a label piece (no values, no row named), else None."""
            a, b = spans[g]
            if b < 0 or any(x.kind in ("L", "A") for x in ev[a:b]):
                return None
            texts = [segs[x.seg].norm for x in ev[a:b] if x.kind == "N"]
            return "".join(texts) if texts else None

        inserts: list[tuple[int, int]] = []
        taken: set[int] = set()
        for g, (a, b) in enumerate(spans):
            if b < 0 or ev[a].kind != "N" or segs[ev[a].seg].row_id is None or \
                    not any(x.kind == "A" for x in ev[a:b]) or any(x.kind == "L" for x in ev[a:b]):
                continue
            own = "".join(segs[x.seg].norm for x in ev[a:b] if x.kind == "N")
            before = [t for t in (piece(g - 2) if g >= 2 and piece(g - 1) is not None else None,
                                  piece(g - 1) if g >= 1 else None)]
            after = [piece(g + 1) if g + 1 < len(spans) else None,
                     piece(g + 2) if g + 2 < len(spans) and piece(g + 1) is not None else None]
            for nb, na in ((1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 1), (1, 2), (2, 2)):
                parts_b, parts_a = before[2 - nb:], after[:na]
                if None in parts_b or None in parts_a:
                    continue
                found = {r for r, _ in find_rows_at("".join(parts_b) + own + "".join(parts_a), self.rows)}
                if len(found) == 1 and not found & taken and next(iter(found)) not in self.labels:
                    taken |= found
                    inserts.append((a, found.pop()))
                    break
        for a, r in reversed(inserts):
            ev.insert(a, Event("L", r, ev[a].seg))
            self.labels.setdefault(r, segs[ev[a + 1].seg])

    def _text_cells(self) -> None:
        """A short text between a row label and values on one line is a text cell of that row."""
        ev = self.events
        for k in range(1, len(ev) - 1):
            e = ev[k]
            if e.kind != "N":
                continue
            s = self.segs[e.seg]
            prev, nxt = ev[k - 1], ev[k + 1]
            if s.row_id is not None or nxt.kind != "A" or prev.kind not in ("L", "A"):
                continue
            if self.segs[prev.seg].block != s.block or self.segs[nxt.seg].block != s.block:
                continue
            if prev.kind == "A" and not any(x.kind == "L" and self.segs[x.seg].block == s.block for x in ev[max(0, k - 9):k]):
                continue
            text = s.text.strip()
            if not _TEXT_CELL.fullmatch(text) or not re.search(r"[\u4e00-\u9fff]", text):
                continue
            self.pieces.append(Piece(text, s.source, False))
            ev[k] = Atom(Tok("text", text, s.source, False), len(self.pieces) - 1, e.seg, None)

    def whole(self, piece: int, count: int) -> bool:
        """Do ``count`` atoms make up the whole piece?"""
        if self._counts is None:
            self._counts = {}
            for e in self.events:
                if e.kind == "A":
                    self._counts[e.atom.piece] = self._counts.get(e.atom.piece, 0) + 1
        return self._counts.get(piece) == count

    def bound(self) -> dict[int, set[int]]:
        """Grid row → the form rows a label cell in it names (their values are in that grid row)."""
        if self._bound is None:
            self._bound = {}
            for e in self.events:
                if e.kind == "L" and self.segs[e.seg].row_id is not None:
                    self._bound.setdefault(self.segs[e.seg].row_id, set()).add(e.row)
        return self._bound

    def pieces_of(self, atoms: list[Atom]) -> list[Piece]:
        return _pieces(self, atoms)

    def atoms(self) -> list[Atom]:
        return [e.atom for e in self.events if e.kind == "A"]


def _continues(row: Row, line: str, more: str) -> bool:
    """Does label text ``more`` go on with ``line`` (the line that named ``row``, and its continuations so far)
    within the row's own label? ("（二）部分公开（区分处" + "理的，只计这一情形，不" + "计其他情形）")"""
    if not more:
        return False
    m = row.match(line)
    return m is not None and line[m.start():] + more in _label_norm(row.label)


@functools.lru_cache(maxsize=512)
def _label_norm(label: str) -> str:
    return normalize_label(label)


def _loose_copy(segs: list[Seg], start: int, end: int, rows: tuple[Row, ...], first_pos: int) -> bool:
    """Does the region hold a grid that names every row its loose text names? Then the loose text (a page's
    text rendition of the table, the table copied into a section's prose) is a second copy, and the grid,
    whose cells' rows and columns are strong evidence, is read alone. Text inputs have no grid: no cost."""
    if not any(segs[i].row_id is not None for i in range(start, end)):
        return False
    in_grid: set[int] = set()
    loose: set[int] = set()
    for i in range(start, end):
        s = segs[i]
        if s.kind == "label" and not s.header:
            found = find_rows(s.norm[first_pos:] if i == start else s.norm, rows)
            (in_grid if s.row_id is not None else loose).update(found)
    return bool(in_grid) and bool(loose) and loose <= in_grid and len(in_grid) >= max(2, len(rows) // 2)


def _piece_toks(p: Piece) -> list[tuple[Tok, tuple[int, int]]]:
    """The atoms of one value piece, each token with its span in the piece's text."""
    toks = tokenize([p])
    if len(toks) == 1:
        return [(toks[0], (0, len(p.text)))]
    out: list[tuple[Tok, tuple[int, int]]] = []
    cursor = 0
    for t in toks:
        if t.kind == "gap":
            continue
        if t.kind == "num":
            a = t.offset  # a number token keeps its piece's source and its offset in it
        else:
            a = p.text.find(t.text, cursor) if t.text else cursor
            a = cursor if a < 0 else a
        cursor = a + len(t.text)
        out.append((t, (a, cursor)))
    return out


def _is_prose(text: str) -> bool:
    """A sentence of running text, not a label or header of a table."""
    t = text.strip()
    if "勾稽" in t:
        return False  # 表三's note, repeated with its header after a page break
    prose = len(t) >= 16 and any(p in t for p in "。；;") or len(t) >= 30 and any(p in t for p in "，,")
    return prose and not _header_line(t)


def _header_line(text: str) -> bool:
    """Is the line made of the form's header texts, whole or in pieces (表三's note broken over lines, column
    titles beside it)? Each printed piece is covered by parts of header texts, of two characters at least
    unless the piece is one character (a title printed character by character)."""
    texts = header_texts()
    for piece in text.split():
        t = normalize_label(piece).strip("()")
        i = 0
        while i < len(t):
            j = len(t)
            while j > i and not any(t[i:j] in h for h in texts):
                j -= 1
            if j == i or (j - i < 2 and len(t) > 1):
                return False
            i = j
    return True


_HEAD_PART = 5  # a line this long may be part of a broken row label; a shorter one between is another column's


def _joined(pending: list[list], norm: str, rows: tuple[Row, ...]) -> tuple[int, list[tuple[int, int]], list[int]]:
    """The earlier lines a label continues: from which pending line (k) on, the rows named in them and the
    label joined, and the rows whose name begins in the earlier lines ("early"). Lines of another column read in
    between — a vertical 办/理, a merged label's piece 法提供 — are left out of the join where the whole run
    names nothing that begins in it; the first line that does is the label's head."""
    first = None
    for k in range(len(pending)):
        for skip_short in (False, True):
            if skip_short and not any(len(p[0]) < _HEAD_PART for p in pending[k + 1:]):
                continue  # nothing to leave out: the same join as above
            parts = pending[k:] if not skip_short else \
                [pending[k]] + [p for p in pending[k + 1:] if len(p[0]) >= _HEAD_PART]
            head = "".join(p[0] for p in parts)
            at = find_rows_at(head + norm, rows)
            # rows whose name begins in the earlier lines, or the first row named right after an earlier
            # line that opens like a row's label ("1.申请人无正当理由" + values + "逾期不补正…")
            early = [r for r, x in at if x < len(head)]
            line = k
            if early:
                # the label began on the pending line its name begins on, not on a line before it
                x = min(x for r, x in at if x < len(head))
                ends = 0
                for p in parts:
                    ends += len(p[0])
                    if x < ends:
                        line = pending.index(p)
                        break
            elif at and _ROW_START.match(head) and not _ROW_START.match(norm):
                early = [at[0][0]]  # (a label that opens with its own number is a row's label of its own)
            if first is None:
                first = (k, at, early)
            if early:
                return line, at, early
    return first


def _page_number_blocks(segs: list[Seg], start: int, end: int) -> set[int]:
    """Paragraphs that are a page number, or a table's rule line ("----- -------", pandoc's plain tables)."""
    out: set[int] = set()
    i = start
    while i < end:
        s = segs[i]
        j = i + 1
        if s.row_id is None:
            while j < end and segs[j].block == s.block:
                j += 1
            # a page number is short; a rule is all rule characters: anything else is quickly not either
            first = s.text.lstrip()[:1]
            if (j - i <= 3 and len(s.text) <= 16) or (first and first in "-—–=_+:|"):
                t = "".join(x.text for x in segs[i:j])
                if PAGE_NUMBER.fullmatch(t) or _RULE.fullmatch(t):
                    out.add(s.block)
        i = j
    return out


def _grid_page_number(segs: list[Seg], j: int) -> bool:
    """A grid row that is only a page number a converter drew into the table ("| | | - 3 | - |": markitdown
    puts the page's footer in the pipe row beside it). Only where a dash shares a cell with the digits: cells of
    a grid of the form's own hold one value each, a "-" placeholder and a number apart."""
    s = segs[j]
    if (j > 0 and segs[j - 1].row_id == s.row_id) or (j + 1 < len(segs) and segs[j + 1].row_id == s.row_id):
        return False  # the row has a label cell or more: a table row
    texts = [p.text for p in s.pieces if p.text.strip()]
    if not 1 <= len(texts) <= 3 or not any(_DASH_DIGIT.search(t) for t in texts):
        return False
    return bool(PAGE_NUMBER.fullmatch(" ".join(texts)))


_DASH_DIGIT = re.compile(r"[-—–－]\s*\d|\d\s*[-—–－]")


def _prose_count(segs: list[Seg], j: int) -> bool:
    """A number in running text followed by its count word ("3件", "2023 年") is prose, not a table cell."""
    s = segs[j]
    nxt = segs[j + 1] if j + 1 < len(segs) else None
    return (s.row_id is None and nxt is not None and nxt.kind == "label" and nxt.block == s.block
            and nxt.text.lstrip().startswith(_COUNT_UNIT))


def find_rows(norm: str, rows: tuple[Row, ...]) -> list[int]:
    """The form rows a label names, in the order it names them ("2.申请人逾期…申请3.其他（七）总计" names three).

    Any row of the table may be named anywhere (converters reorder labels); where several patterns
    match, the earliest wins. One regular expression of all the table's patterns: one search per row found.
    """
    return [r for r, _ in find_rows_at(norm, rows)]


def find_rows_at(norm: str, rows: tuple[Row, ...]) -> list[tuple[int, int]]:
    """As find_rows, with where in ``norm`` each row's name begins. Memoised: the official labels recur
    in every report of a batch."""
    key = (id(rows), norm)
    got = _FOUND.get(key)
    if got is None:
        got = _official(rows).get(norm)   # most labels are printed as the form prints them
        if got is None:
            if len(_FOUND) > 50000:
                _FOUND.clear()
            got = _FOUND[key] = _find_rows_at(norm, rows)
    return got


_FOUND: dict[tuple[int, str], list[tuple[int, int]]] = {}
_OFFICIAL: dict[int, tuple[tuple[Row, ...], dict[str, list[tuple[int, int]]]]] = {}


def _official(rows: tuple[Row, ...]) -> dict[str, list[tuple[int, int]]]:
    """The rows each of the form's own labels (and literal label patterns) names: format data, found
    once per process for the rows tuple (kept with it, so its id stays its own)."""
    got = _OFFICIAL.get(id(rows))
    if got is None or got[0] is not rows:
        texts = {normalize_label(r.label) for r in rows} | {p.literal for r in rows for p in r.patterns}
        texts.discard(None)
        got = _OFFICIAL[id(rows)] = (rows, {t: _find_rows_at(t, rows) for t in texts if t})
    return got[1]


def _find_rows_at(norm: str, rows: tuple[Row, ...]) -> list[tuple[int, int]]:
    rx, owner = _row_regex(rows)
    found: list[tuple[int, int]] = []
    pos = 0
    while pos <= len(norm):
        m = rx.search(norm, pos)
        if m is None:
            return found
        found.append((owner[m.lastgroup], m.start()))
        pos = max(m.end(), pos + 1)
    return found


# By the identity of the rows tuple (the formats are loaded once), kept with it so the id stays its own.
_ROW_REGEX: dict[int, tuple[tuple[Row, ...], re.Pattern[str], dict[str, int]]] = {}


def _row_regex(rows: tuple[Row, ...]) -> tuple[re.Pattern[str], dict[str, int]]:
    got = _ROW_REGEX.get(id(rows))
    if got is None or got[0] is not rows:
        parts, owner = [], {}
        for i, r in enumerate(rows):
            for j, p in enumerate(r.patterns):
                name = f"r{i}_{j}"
                owner[name] = i
                parts.append(f"(?P<{name}>{p.regex.pattern})")
        alternation = "|".join(parts)
        first = set()
        for r in rows:
            for q in r.patterns:
                chars = first_chars(q.regex.pattern)
                if chars is None:
                    first = None
                    break
                first |= chars
            if first is None:
                break
        if first:
            # the characters a row's name can begin with, as a lookahead: the engine skips to them instead of
            # trying every pattern at every character of a label (prose labels are long)
            alternation = f"(?=[{''.join(re.escape(c) for c in sorted(first))}])(?:{alternation})"
        got = _ROW_REGEX[id(rows)] = (rows, re.compile(alternation), owner)
    return got[1], got[2]


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can begin with, or None when that is not a short list (a class
    such as \\d, a negated or wide set, flags, or a pattern that may match the empty string)."""
    try:
        from re import _parser as sre_parse  # the standard library's own parser (3.11+)
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        tree = sre_parse.parse(pattern)
    except Exception:
        return None
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    got = _first_of(list(tree.data), sre_parse)
    if got is None or got[1]:
        return None  # unknown, or the pattern can match nothing at all
    return got[0]


def _first_of(items: list, sp) -> tuple[set[str], bool] | None:
    """(first characters, may be empty) of a parsed sequence; None when not known."""
    c = sp  # the parser module exposes the opcode constants
    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            out.add(chr(av))
            return out, False
        if op is c.IN:
            for kind, v in av:
                if kind is c.LITERAL:
                    out.add(chr(v))
                elif kind is c.RANGE and v[1] - v[0] < 64:
                    out.update(chr(x) for x in range(v[0], v[1] + 1))
                else:
                    return None
            return out, False
        if op is c.AT or op in (c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the next item begins the match
        if op is c.SUBPATTERN:
            got = _first_of(list(av[-1].data), sp)
        elif op is c.BRANCH:
            got = (set(), False)
            for alt in av[1]:
                one = _first_of(list(alt.data), sp)
                if one is None:
                    return None
                got = (got[0] | one[0], got[1] or one[1])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            one = _first_of(list(av[2].data), sp)
            got = None if one is None else (one[0], one[1] or av[0] == 0)
        else:
            return None
        if got is None:
            return None
        out |= got[0]
        if not got[1]:
            return out, False
    return out, True


# ---- step 2: the anchored alignment -----------------------------------------------------------
def _runs(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """Alternating label runs ("L": row labels, other labels inside ignored) and value runs ("A": atoms,
    other labels inside kept as group breaks)."""
    runs: list[tuple[str, list[Event]]] = []
    for e in events:
        kind = "L" if e.kind == "L" else ("A" if e.kind == "A" else None)
        if kind is None:
            if runs and runs[-1][0] == "A":
                runs[-1][1].append(e)
            continue
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(e)
        else:
            runs.append((kind, [e]))
    return runs


def _capacity(atoms: list[Atom]) -> int:
    """The most cells the atoms can give: run-together digits cut, a space inside a run read as a blank."""
    cap = sum(1 for x, y in zip(atoms, atoms[1:]) if x.piece == y.piece and not x.tok.explicit)
    for a in atoms:
        t = a.tok
        if t.kind == "num" and not t.explicit:
            cap += max(1, len(t.text.split(".")[0].lstrip("-").rstrip("万元% ")))
        else:
            cap += 1
    return cap


def _fits(atoms: list[Atom], width: int) -> float | None:
    """How well the atoms fill exactly ``width`` cells: 0 when they do (empty grid cells left out, digits
    run together cut), the count of cells they leave unfilled when fewer (a converter left blank cells out:
    which ones, the row's arithmetic or nothing says), None when they are more than a stray value or two
    beyond the row's cells (they are other rows' values then; within that, the row's sums pick the extra)."""
    printed = 0
    for a in atoms:
        if a.tok.kind != "blank":
            printed += 1
    if printed - max(1, width // 5) > width:
        return None
    if printed >= width:
        return 0.0
    return float(max(0, width - _capacity(atoms)))


def _groups(run: list[Event]) -> list[list[Atom]]:
    groups: list[list[Atom]] = [[]]
    for e in run:
        if e.kind == "A":
            groups[-1].append(e.atom)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _block(rows: list[int], run: list[Event], widths: list[int]) -> Block | None:
    """Values of a fragment printed labels first: each group of values (a sub-table between header
    labels) fills the next rows whose cells it exactly covers, row by row or column by column."""
    groups = _groups(run)
    # Groups (a sub-table's values between header labels; a page break may cut one in two) are merged
    # until they exactly cover the next rows.
    parts: list[tuple[list[int], list[Atom]]] = []
    k = 0
    chunk: list[Atom] = []
    for g in groups:
        chunk = chunk + g
        take: list[int] = []
        n = 0
        j = k
        while j < len(rows) and n < len(chunk):
            n += widths[rows[j]]
            j += 1
        if n == len(chunk):
            parts.append((list(rows[k:j]), chunk))
            k, chunk = j, []
    tentative = False
    if chunk or k != len(rows):
        atoms = [a for g in groups for a in g]
        if len(atoms) != sum(widths[r] for r in rows):
            return None
        parts = [(rows, atoms)]
        tentative = len(groups) > 1  # groups that fit no rows: the sub-tables are not what they seem
    orders: dict[str, dict[int, list[Atom]]] = {"row": {}, "col": {}}
    for take, g in parts:
        pos = 0
        for r in take:
            orders["row"][r] = g[pos:pos + widths[r]]
            pos += widths[r]
        # Column by column only where every value stands alone (one per line) and the rows are equally
        # wide; values printed several to a line or in grid rows are read row by row.
        ws = {widths[r] for r in take}
        lone = _seg_counts(tuple(a.seg for a in g))
        if len(take) > 1 and len(ws) == 1 and all(a.row_id is None and (a.seg, 1) in lone for a in g):
            w = ws.pop()
            for i, r in enumerate(take):
                orders["col"][r] = [g[c * len(take) + i] for c in range(w)]
        else:
            for r in take:
                orders["col"][r] = orders["row"][r]
    if all(orders["col"][r] == orders["row"][r] for r in rows):
        del orders["col"]
    return Block(list(rows), orders, tentative)


def _seg_counts(segs: tuple[int, ...]) -> set[tuple[int, int]]:
    counts: dict[int, int] = {}
    for s in segs:
        counts[s] = counts.get(s, 0) + 1
    return set(counts.items())


def _anchored(stream: Stream, widths: list[int], mode: str) -> Alignment | None:
    """The alignment in which every value run belongs to its label run, or None where one does not fit."""
    runs = _runs(stream.events)
    hits: dict[int, RowHit] = {}
    blocks: list[Block] = []
    cost = 0.0
    if mode == "after":
        runs = list(reversed(runs))
    prev_rows: list[int] | None = None
    label_run: list[Event] = []
    used: set[int] = set()

    def put(r: int, atoms: list[Atom], status: str) -> bool:
        seg = stream.labels.get(r)
        pieces = _pieces(stream, atoms)
        if r in hits:
            old = hits[r]
            if not pieces or old.status == "blank":
                if old.status == "blank":
                    hits[r] = RowHit(stream.rows[r].key, old.label, old.source, pieces, status)
                return True
            if [p.text for p in old.pieces] == [p.text for p in pieces]:
                old.repeated = True  # printed twice (a table repeated across a page): same values
                return True
            return False
        hits[r] = RowHit(stream.rows[r].key, seg.text if seg else "", seg.source if seg else Source(), pieces,
                         status if pieces else "blank")
        return True

    for kind, run in runs:
        if kind == "L":
            if prev_rows is not None:
                for r in prev_rows:
                    if not put(r, [], "blank"):
                        return None
            prev_rows = _increasing([e.row for e in run], latest=mode == "before")
            label_run = run
            continue
        atoms = [e.atom for e in run if e.kind == "A"]
        if prev_rows is None:
            if all(a.tok.kind in ("blank", "ph") for a in atoms):
                continue  # "-" or empty stubs of a header, before any row
            return None  # values before any label (labels first) or after the last (labels after)
        rows = prev_rows
        prev_rows = None
        # the row the values stand next to: the last label before them, the first label after them
        near = rows[-1] if mode == "before" else rows[0]
        others = rows[:-1] if mode == "before" else rows[1:]
        if len(rows) > 1 and len(atoms) == sum(widths[r] for r in rows):
            b = _block(rows, run, widths)
            if b is None:
                return None
            if "col" in b.orders:
                blocks.append(b)
            status = "block" if "col" in b.orders else ("uncertain" if b.tentative else "anchored")
            for r in rows:
                if not put(r, b.orders["row"][r], status):
                    return None
            continue
        short = _fits(atoms, widths[near])
        if short is None:
            return None
        cost += short * COST_SKIP
        for r in others:
            if not put(r, [], "blank"):
                return None
        # Values of one row broken up by other labels outside a grid (header words among them: a scrambled
        # text layer) are in an order nothing vouches for.
        scrambled = len(_groups(run)) > 1 and any(a.row_id is None for a in atoms)
        seg = stream.labels.get(near)
        if seg is not None and seg.row_id is not None and atoms and atoms[0].row_id == seg.row_id:
            atoms = _label_columns_dropped(atoms, widths[near])
        if _beyond_own_grid_row(stream, label_run, near, atoms):
            return None
        if not put(near, atoms, "uncertain" if scrambled else "anchored"):
            return None
        used.add(near)
    if prev_rows is not None:
        for r in prev_rows:
            if not put(r, [], "blank"):
                return None
    cost += sum(COST_BLANK_ROW for h in hits.values() if h.status == "blank")
    return Alignment(hits, mode, blocks, [], cost)


def _beyond_own_grid_row(stream: Stream, label_run: list[Event], row: int, atoms: list[Atom]) -> bool:
    """Would a row take values a grid row binds to another row's label, or, its label sharing a grid row with
    values, also values from another grid row or line? A grid row holds its label's values; the others belong
    to a label beside them (markitdown prints a row's label above or below its values' pipe row): such a
    reading is not the one the labels support."""
    if not atoms or (atoms[-1].row_id is None and atoms[0].row_id is None):
        return False  # loose text: no grid row binds anything
    bound = stream.bound()
    if any(a.row_id in bound and row not in bound[a.row_id] for a in atoms):
        return True
    if atoms[-1].row_id == atoms[0].row_id:
        return False  # the usual run: one grid row's values
    own = {stream.segs[e.seg].row_id for e in label_run if e.kind == "L" and e.row == row} - {None}
    return bool(own) and any(a.row_id in own for a in atoms) and any(a.row_id not in own for a in atoms)


def _label_columns_dropped(atoms: list[Atom], width: int) -> list[Atom]:
    """A grid row with more cells than the form's row: the empty cells between its label and its first value
    are the label's merged columns, not blank values (corpus 016 through markitdown: "| label | | 8 | 1 | …").
    Only as many as the row has too many; anything else is the readings' and the arithmetic's to decide."""
    excess = len(atoms) - width
    if excess <= 0 or atoms[0].row_id is None or any(a.row_id != atoms[0].row_id for a in atoms):
        return atoms
    k = 0
    while k < excess and atoms[k].tok.kind == "blank":
        k += 1
    return atoms[k:]


def _increasing(rows: list[int], latest: bool = True) -> list[int]:
    """The rows of a label run in official order: the longest increasing subsequence that ends with the
    label nearest the values (the last when they follow, the first when they come before), so that a
    header word that is also a row's short label ("其他", "总计" above the columns) does not join the run."""
    if len(rows) <= 1:
        return rows
    if not latest:
        return [-r for r in reversed(_increasing([-r for r in reversed(rows)]))]
    best: list[list[int]] = []
    for r in rows:
        cands = [seq for seq in best if seq[-1] < r]
        best.append((max(cands, key=len) if cands else []) + [r])
    return best[-1]


def _longest_increasing(rows: list[int]) -> list[int]:
    """The longest increasing subsequence of the rows a fragment names, wherever it ends: a fragment's
    labels may be followed by header words of its columns ("总计" above the last column's numbers)."""
    best: list[list[int]] = []
    for r in rows:
        cands = [seq for seq in best if seq[-1] < r]
        best.append((max(cands, key=len) if cands else []) + [r])
    return max(best, key=len) if best else []


def _pieces(stream: Stream, atoms: list[Atom]) -> list[Piece]:
    """The pieces of a row's atoms, in order: a piece whose atoms all went to this row is given whole
    (its white space is still there to be read), the part of a piece shared with other rows is cut out."""
    out: list[Piece] = []
    k = 0
    while k < len(atoms):
        j = k
        while j + 1 < len(atoms) and atoms[j + 1].piece == atoms[k].piece:
            j += 1
        p = stream.pieces[atoms[k].piece]
        a, b = atoms[k].span[0], atoms[j].span[1]
        if a == 0 and b >= len(p.text.rstrip()) or stream.whole(atoms[k].piece, j - k + 1):
            out.append(p)
        else:
            out.append(Piece(p.text[a:b], p.source.sub(a, b), p.explicit))
        k = j + 1
    return out


# ---- step 3: the search -----------------------------------------------------------------------
def _search(stream: Stream, widths: list[int], mode: str) -> Alignment:
    """Row-major alignment of the atoms to the cells with the fewest departures (see the module text).

    D[c] is the least cost of a prefix of the stream that fills the first c cells. Every event updates D
    once (O(events × cells × cuts)): polynomial in the size of the table by construction.
    """
    n_rows = len(widths)
    starts = [0]
    for w in widths:
        starts.append(starts[-1] + w)
    C = starts[-1]
    row_of = [0] * (C + 1)
    for r in range(n_rows):
        for c in range(starts[r], starts[r + 1]):
            row_of[c] = r
    row_of[C] = n_rows
    INF = float("inf")
    D = [0.0 if c == 0 else INF for c in range(C + 1)]

    def closure(D: list[float]) -> list[tuple]:
        back = [None] * (C + 1)
        for c in range(1, C + 1):
            if D[c - 1] + COST_SKIP < D[c]:
                D[c] = D[c - 1] + COST_SKIP
                back[c] = ("skip", c - 1)
        return back

    trace: list[tuple[str, list]] = [("skip", closure(D))]
    for e in stream.events:
        if e.kind in ("N", "P"):
            continue
        new = list(D)
        back: list = [None] * (C + 1)
        if e.kind == "L":
            r = e.row
            anchor = starts[r] if mode == "before" else starts[r + 1]
            for c in range(C + 1):
                if D[c] < INF and c != anchor:
                    new[c] = D[c] + COST_LABEL
                    back[c] = ("off", c)
            if D[starts[r]] + COST_BLANK_ROW < new[starts[r + 1]] and mode == "before":
                new[starts[r + 1]] = D[starts[r]] + COST_BLANK_ROW
                back[starts[r + 1]] = ("blank", starts[r])
        else:
            t = e.atom.tok
            drop = COST_DROP_BLANK if t.kind == "blank" else COST_DROP
            for c in range(C + 1):
                new[c] = D[c] + drop
                back[c] = ("drop", c)
            most = 1
            if t.kind == "num" and not t.explicit:
                most = max(1, len(t.text.split(".")[0].lstrip("-").rstrip("万元% ")))
            for c in range(C):
                if D[c] == INF:
                    continue
                r = row_of[c]
                for m in range(1, min(most, starts[r + 1] - c) + 1):
                    v = D[c] + COST_CUT * (m - 1)
                    if v < new[c + m]:
                        new[c + m] = v
                        back[c + m] = ("fill", c, m)
        sb = closure(new)
        trace.append((e.kind, [sb[c] or back[c] for c in range(C + 1)], back, sb))
        D = new
    # Backtrack from the full table.
    c = C
    assign: dict[int, list[Atom]] = {}
    dropped: list[Atom] = []
    departures: list[int] = []      # cell positions where the path departs (skip or drop)
    anchors: list[int] = [0, C]     # cell positions the path agrees with a label at
    misplaced: list[int] = []       # cell positions where a label stands that names another row
    kept: set[int] = set()          # rows whose own label the path keeps at its row
    events = [e for e in stream.events if e.kind not in ("N", "P")]
    blank_rows: set[int] = set()
    for k in range(len(trace) - 1, 0, -1):
        _kind, _, back, sb = trace[k]
        e = events[k - 1]
        while sb[c] is not None:
            departures.append(c)
            c = sb[c][1]
        step = back[c]
        if e.kind == "L":
            if step is not None and step[0] == "off":
                misplaced.append(c)
            if step is None:
                anchors.append(c)
                kept.add(e.row)
            elif step[0] == "blank":
                blank_rows.add(e.row)
                anchors.append(step[1])
                anchors.append(c)
                c = step[1]
        else:
            if step[0] == "drop":
                if e.atom.tok.kind != "blank":  # an empty grid cell left out is no departure
                    dropped.append(e.atom)
                    departures.append(c)
            else:
                _, c0, _m = step
                assign.setdefault(row_of[c0], []).insert(0, e.atom)
                c = c0
    sb0 = trace[0][1]
    while c > 0 and sb0[c] is not None:
        departures.append(c)
        c = sb0[c][1]
    anchors = sorted(set(anchors))
    hits: dict[int, RowHit] = {}
    for r in range(n_rows):
        atoms = _whole_grid_row(stream, assign.get(r, []), widths[r], r)
        if not atoms and r not in blank_rows and r not in stream.labels:
            continue
        lo = max(a for a in anchors if a <= starts[r])
        hi = min(a for a in anchors if a >= starts[r + 1])
        # Decided only where the labels vouch for it: the row's own label kept at its first cell (or, values
        # first, at its last) and the neighbour's on its other side, nothing left out or unfilled between,
        # no label there naming another row. A row placed by the count alone is not decided.
        other = (r + 1 if r + 1 < n_rows else None) if mode == "before" else (r - 1 if r > 0 else None)
        bounded = other in kept or (other is None and not any(d >= starts[r] for d in departures)
                                     if mode == "before" else other is None)
        sure = (r in kept and bounded and not any(lo <= d <= hi for d in departures)
                and not any(lo < m < hi for m in misplaced)) if atoms else r in blank_rows
        seg = stream.labels.get(r)
        status = ("forced" if sure else "uncertain") if atoms else ("blank" if r in blank_rows else "uncertain")
        hits[r] = RowHit(stream.rows[r].key, seg.text if seg else "", seg.source if seg else Source(),
                         _pieces(stream, atoms), status)
    # A row the search calls printed blank is so only where a decided row with values follows it: labels
    # bunched after all the values (pdftotext) are no evidence of empty rows.
    for r, h in hits.items():
        if h.status == "blank" and not any(h2.status == "forced" and h2.pieces for r2, h2 in hits.items() if r2 > r):
            h.status = "uncertain"
    return Alignment(hits, "search", [], list(reversed(dropped)), D[C])


def _whole_grid_row(stream: Stream, atoms: list[Atom], width: int, row: int) -> list[Atom]:
    """A row the search filled from one grid row gets that grid row's cells whole: which of its empty cells are
    the label's merged columns and which are blank values is the row reading's to weigh (with the arithmetic),
    not a free choice of the search (it would leave out any one of them at the same cost)."""
    if not atoms or atoms[0].row_id is None or any(a.row_id != atoms[0].row_id for a in atoms):
        return atoms
    rid = atoms[0].row_id
    full = [e.atom for e in stream.events if e.kind == "A" and e.atom.row_id == rid]
    if len(full) == len(atoms) or {id(a) for a in atoms if a.tok.kind != "blank"} != \
            {id(a) for a in full if a.tok.kind != "blank"}:
        return atoms  # nothing left out, or the grid row's values shared with another row: as the search placed
    seg = stream.labels.get(row)
    return _label_columns_dropped(full, width) if seg is not None and seg.row_id == rid else full


def _fragments(stream: Stream, widths: list[int]) -> Alignment | None:
    """Each page's part of the table as one fragment whose values fill the rows its labels name, in
    reading order row by row or column by column (the arithmetic chooses): the alignment of a text
    whose labels are not next to their values at all (pdfminer's labels first, then the numbers
    column by column; the first value of a column left beside the first label). None unless every
    fragment has exactly as many values as its rows have cells."""
    frags: list[list[Event]] = [[]]
    for e in stream.events:
        if e.kind == "P":
            if frags[-1]:
                frags.append([])
        else:
            frags[-1].append(e)
    hits: dict[int, RowHit] = {}
    blocks: list[Block] = []
    for frag in frags:
        rows = _longest_increasing([e.row for e in frag if e.kind == "L"])
        run = [e for e in frag if e.kind != "L"]
        atoms = [e.atom for e in run if e.kind == "A"]
        if not atoms and not rows:
            continue
        need = sum(widths[r] for r in rows)
        if rows and len(atoms) != need and atoms:
            # empty grid rows among the values are rows printed blank
            first = next(k for k, e in enumerate(run) if e.kind == "A")
            with_empty = run[:first] + [Atom(e.tok, e.piece, e.seg, e.row_id, e.span) if e.kind == "E" else e
                                        for e in run[first:]]
            if sum(1 for e in with_empty if e.kind == "A") == need:
                run = with_empty
                atoms = [e.atom for e in run if e.kind == "A"]
        if not rows or any(r in hits for r in rows) or len(atoms) != need:
            return None
        b = _block(rows, run, widths)
        if b is None:
            return None
        # Labels first, then the values: their order is the form's. Values among the labels (a scrambled
        # text layer) are placed by reading order only where the arithmetic confirms it.
        last_label = max(k for k, e in enumerate(frag) if e.kind == "L")
        # Each row filled by exactly one printed line (or grid row) of its own: the text's lines are the
        # form's rows in order, wherever their labels stand (pdfplumber centres a label beside its line).
        by_line = "col" not in b.orders and all(
            len({a.seg for a in b.orders["row"][r]}) == 1 for r in rows) and \
            len({b.orders["row"][r][0].seg for r in rows}) == len(rows)
        b.tentative = b.tentative or (any(e.kind == "A" for e in frag[:last_label]) and not by_line)
        if "col" in b.orders:
            blocks.append(b)
        status = "block" if "col" in b.orders else ("uncertain" if b.tentative else "forced")
        for r in rows:
            seg = stream.labels.get(r)
            hits[r] = RowHit(stream.rows[r].key, seg.text if seg else "", seg.source if seg else Source(),
                             _pieces(stream, b.orders["row"][r]), status)
    if not hits:
        return None
    return Alignment(hits, "fragments", blocks)


def align_stream(stream: Stream, widths: list[int]) -> Alignment:
    """The anchored alignment where one exists (labels first, else labels after), else the page fragments
    filled in reading order, else the search. A grid whose cells merged the form's columns is read as its
    labels and printed values in reading order (merged.py)."""
    if stream.grid:
        if merged_grid(stream, widths):
            drop_empty_cells(stream)
        drop_label_pieces(stream, widths)
    before = _anchored(stream, widths, "before")
    if before is not None and before.cost == 0:
        return before  # every row's values right after its label: nothing could fit better
    found = [a for a in (before, _anchored(stream, widths, "after")) if a is not None]
    best = min(found, key=lambda a: a.cost) if found else None
    if stream.grid:
        # A grid cut by where text stands (labels on either side of their rows): taken where it fills every row
        # exactly with no more rows left blank than the best anchored reading (which may also have let a row
        # take a neighbour's values beyond its cells). Only here, never on the common path.
        from .either_side import either_side
        if drop_label_columns(stream):
            found = [a for a in (_anchored(stream, widths, "before"), _anchored(stream, widths, "after"))
                     if a is not None]
            best = min(found, key=lambda a: a.cost) if found else None
        es = either_side(stream, widths)
        if es is not None and (best is None or es.cost <= best.cost):
            return es
    if best is not None:
        return best
    if not stream.atoms():
        return Alignment({}, "before")
    frag = _fragments(stream, widths)
    if frag is not None:
        return frag
    return min((_search(stream, widths, m) for m in ("before", "after")), key=lambda a: a.cost)
