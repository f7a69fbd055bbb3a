"""Find a table's rows in the segment stream, in the official order.

Rows are looked for in order: a label is tried against the next few expected rows (so a short
label such as 其他 or 总计 is only taken where it can be that row), and one label may hold several
rows with nothing between them ("2.申请人逾期…申请3.其他（七）总计", where rows were printed without
values): each row found gets the values that follow its own label, which may be none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..blocks import Source
from ..formats import Row
from .stream import Piece, Seg

WINDOW = 6


@dataclass
class RowHit:
    key: str
    label: str
    source: Source
    pieces: list[Piece] = field(default_factory=list)
    row_id: int | None = None
    seg_index: int = 0


def find_in_label(norm: str, rows: tuple[Row, ...], start: int, again: int | None,
                  window: int = WINDOW) -> list[tuple[int, int, int]]:
    """Rows found in one label, in order, as (row index, match start, match end)."""
    found: list[tuple[int, int, int]] = []
    pos = 0
    p = start
    # Each row's earliest match at or after the pos it was tried at is still its answer at a later
    # pos when there was none or it starts at or after that pos: the window after a found row
    # overlaps the one before, and those rows need not be tried again.
    tried: dict[int, re.Match[str] | None] = {}
    while True:
        cand = list(range(p, min(len(rows), p + window)))
        if again is not None and not found:
            cand = [again] + cand
        best = None
        for idx in cand:
            if idx in tried and (tried[idx] is None or tried[idx].start() >= pos):
                m = tried[idx]
            else:
                m = tried[idx] = rows[idx].match(norm, pos)
            if m and (best is None or m.start() < best[1] or (m.start() == best[1] and idx < best[0])):
                best = (idx, m.start(), m.end())
        if best is None:
            return found
        found.append(best)
        pos = best[2]
        p = best[0] + 1
        again = None


def match_rows(segs: list[Seg], start: int, end: int, rows: tuple[Row, ...],
               stop_after: str | None = None, window: int = WINDOW, first_pos: int = 0) -> tuple[dict[str, RowHit], int]:
    """Rows found between segments [start, end), and the index after the last one used.

    ``first_pos`` skips the beginning of the first label, where crawler text runs the prose
    before a table into the table's first label.
    """
    hits: dict[str, RowHit] = {}
    p = 0
    current: RowHit | None = None
    last_idx: int | None = None
    i = start
    stop = end
    while i < end:
        s = segs[i]
        if s.kind == "label":
            if s.header:
                i += 1
                continue
            again = last_idx if (current is not None and not current.pieces and last_idx is not None) else None
            norm = s.norm[first_pos:] if i == start else s.norm
            found = find_in_label(norm, rows, p, again, window)
            if found:
                for idx, _a, _b in found:
                    key = rows[idx].key
                    current = RowHit(key, s.text, s.source, row_id=s.row_id, seg_index=i)
                    if key not in hits or not hits[key].pieces:
                        hits[key] = current
                    else:
                        current = hits[key]  # a label repeated (heading + table row): keep the first values
                    p = idx + 1
                    last_idx = idx
            else:
                current = None
        else:
            if current is not None:
                same_row = s.row_id is not None and s.row_id == current.row_id
                if not current.pieces or same_row:
                    current.pieces.extend(s.pieces)
                    if stop_after and current.key == stop_after:
                        stop = i + 1
                        return hits, stop
                    if s.row_id is None:
                        current = None  # a paragraph run belongs to the label right before it only
        i += 1
    return hits, stop
