"""Grid rows whose cells are not the form's columns: a converter merged neighbouring columns.

markitdown turns a PDF's ruled table into pipe rows by where the text stands, not by the rules: one pipe
cell may hold two printed numbers ("| 71 3 | 0 0 |" for 自然人, 商业企业, 科研机构, 社会公益组织) and an
empty pipe cell may be a label's merged column or stand for several blank cells at once. A form cell holds
one value, so a grid cell holding several is the evidence: in such a row the cell boundaries say nothing
about the form's columns, and the row is its values in reading order. Its empty cells are dropped — which
form cells they stood for the cells cannot say; where the values then are fewer than the row's cells,
their placement is the arithmetic's (``parse.cells-missing``), never the empty cell's. A grid whose every
cell holds one value (the form's own grid, or one with a text value such as "无" or "/") is read by its
cells as before.
"""
from __future__ import annotations

from .split import tokenize
from .stream import Piece

_VALUE_TOKENS = frozenset(("num", "ph", "text"))


def holds_several(p: Piece) -> bool:
    """Does one grid cell hold more than one printed value ("71 3", "0 0")?"""
    if not p.explicit or " " not in p.text.strip():
        return False  # the usual cell: one value, no white space inside (checked before tokenizing)
    return sum(1 for t in tokenize([p]) if t.kind in _VALUE_TOKENS) > 1


def values_in_order(pieces: list[Piece]) -> list[Piece]:
    """A row's pieces as its values in reading order where a grid cell merged several columns (its empty
    cells left out); the pieces themselves otherwise."""
    if not any(holds_several(p) for p in pieces):
        return pieces
    return [p for p in pieces if not (p.explicit and not p.text.strip())]
