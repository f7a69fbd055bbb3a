"""Grids whose cells are not the form's columns: a converter merged neighbouring columns.

markitdown turns a PDF's ruled table into pipe rows by where the text stands, not by the rules: one pipe
cell may hold two printed numbers ("| 71 3 | 0 0 |" for 自然人, 商业企业, 科研机构, 社会公益组织), and an
empty pipe cell may be a label's merged column or stand for several blank cells at once. Two signs show a
table's grid is such a converter's and not the form's:

- a grid cell holds several printed values (a form cell holds one);
- rows that carry their own label have fewer cells after it than the form's row has columns (the form's
  own grid, as DOCX, HTML, a PDF's rules or a faithful Markdown export give it, has every column; a merged
  label's columns only ever add empty cells).

In such a table an empty cell says nothing about which form cells were printed blank, so the table is read
as its labels and its printed values in reading order: the empty cells are left out. A row whose values
fill its columns is then exact; one with fewer values is placed by the arithmetic or left unknown
(``parse.cells-missing``), never given a blank the grid only seemed to show. A grid whose cells are the
form's (a text value such as "无" or "/" in one included) is read by its cells as before.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .split import tokenize
from .stream import Piece

if TYPE_CHECKING:  # align imports this module
    from .align import Stream

_VALUE_TOKENS = frozenset(("num", "ph", "text"))


def holds_several(p: Piece) -> bool:
    """Does one grid cell hold more than one printed value ("71 3", "0 0")?"""
    if not p.explicit or " " not in p.text.strip():
        return False  # the usual cell: one value, no white space inside (checked before tokenizing)
    return sum(1 for t in tokenize([p]) if t.kind in _VALUE_TOKENS) > 1


def merged_grid(stream: "Stream", widths: list[int]) -> bool:
    """Is the table's grid a converter's whose cells merged the form's columns (see the module text)?"""
    cells: dict[int, int] = {}      # grid row → value cells after its row label
    labelled: dict[int, int] = {}   # grid row → the form row its label names
    for e in stream.events:
        if e.kind == "L":
            rid = stream.segs[e.seg].row_id
            if rid is not None:
                labelled.setdefault(rid, e.row)
        elif e.kind == "A":
            a = e.atom
            if a.row_id is None:
                continue
            if holds_several(stream.pieces[a.piece]):
                return True
            if a.row_id in labelled:
                cells[a.row_id] = cells.get(a.row_id, 0) + 1
    short = sum(1 for rid, n in cells.items() if n < widths[labelled[rid]])
    return short >= 2 and short * 2 >= len(cells)


def drop_empty_cells(stream: "Stream") -> None:
    """Leave the empty grid cells out of the stream: in a merged grid they stand for no column."""
    stream.events[:] = [e for e in stream.events
                        if not (e.kind in ("A", "E") and e.atom.row_id is not None and e.atom.tok.kind == "blank")]


def drop_label_pieces(stream: "Stream", widths: list[int]) -> None:
    """A label cell right of a row's label taken for a text value ("| 4.无正当理由大量反复 | | 申请 | 0 | …|": the
    label's second line in a cell of its own) is left out where the row's printed values fill its cells without
    it. A text value of the row ("不详" among six numbers) is needed to fill them and stays."""
    segs = stream.segs
    events = stream.events
    if not any(e.kind == "A" and e.atom.tok.kind == "text" and e.atom.row_id is not None for e in events):
        return
    row_of: dict[int, int] = {}
    values: dict[int, int] = {}
    for e in events:
        if e.kind == "L" and segs[e.seg].row_id is not None:
            row_of.setdefault(segs[e.seg].row_id, e.row)
        elif e.kind == "A" and e.atom.row_id is not None and segs[e.atom.seg].kind != "label" \
                and e.atom.tok.kind != "blank":
            values[e.atom.row_id] = values.get(e.atom.row_id, 0) + 1

    def label_piece(e) -> bool:
        a = e.atom
        return (a.tok.kind == "text" and segs[a.seg].kind == "label" and a.row_id in row_of
                and values.get(a.row_id, 0) == widths[row_of[a.row_id]])

    stream.events[:] = [e for e in events if not (e.kind == "A" and label_piece(e))]


def drop_label_columns(stream: "Stream") -> bool:
    """Leave out the empty cells a grid row has, left of its first printed value, in the columns other rows hold
    their row labels in ("| | | 1333 |" under "| | 行政许可 | 315 |": the row's label stood on a line of its own;
    "| 7.属于行政执法案卷 | | 12 |" beside "| | 6.属于四类过程性信息 | 7 |"). They are label columns, not blank
    values: a form's value columns never hold a label. A grid no row of which holds a row label (labels lost:
    every cell a value) is left as it is. Whether anything was left out."""
    segs = stream.segs
    last_label_col = -1
    for e in stream.events:
        if e.kind == "L":
            s = segs[e.seg]
            if s.row_id is not None and s.source.col is not None:
                last_label_col = max(last_label_col, s.source.col)
    if last_label_col < 0:
        return False
    drop: set[int] = set()
    seen_value: set[int] = set()
    for e in stream.events:
        if e.kind not in ("A", "E"):
            continue
        a = e.atom
        if a.row_id is None or a.row_id in seen_value:
            continue
        col = a.tok.source.col
        if a.tok.kind == "blank" and col is not None and col <= last_label_col:
            drop.add(id(e))
        else:
            seen_value.add(a.row_id)
    if drop:
        stream.events[:] = [e for e in stream.events if id(e) not in drop]
    return bool(drop)
