"""Labels on either side of their values, row by row: the alignment of a grid cut by where text stands.

A PDF's row label is centred in its cell: where the label is one line it may share its values' line, where it
wraps (or a merged label beside it pushes it down) its lines stand above or below the values' line. markitdown
(and any converter that makes rows by position) then prints, within one table, some rows as "label + values",
some as "values" then the label, some as the label then "values" — no one reading mode fits every row. Each
value group (a grid row's or a line's values) still belongs to the label next to it, before or after, and the
counts decide which: a label takes the value groups beside it that fill exactly its row's cells (empty grid cells
among them may be padding; or none: a row printed without values; or one group with fewer values than its cells,
a blank merged away, at the same cost as a row left blank), a grid row holding a label and values binds them. The alignment is taken only
where one assignment with the fewest rows left without values exists; otherwise nothing is decided here.
"""
from __future__ import annotations

from .align import Alignment, Atom, RowHit, Stream, _label_columns_dropped, _pieces
from ..blocks import Source

_MAX_SPLITS = 12  # value groups between two labels considered at most (a longer run is not this layout)


def _items(stream: Stream) -> list[list]:
    """Row labels ["L", row, grid row] and value groups ["V", atoms, grid row or line] in reading order."""
    items: list[list] = []
    for e in stream.events:
        if e.kind == "L":
            items.append(["L", e.row, stream.segs[e.seg].row_id])
        elif e.kind == "A":
            a = e.atom
            key = a.row_id if a.row_id is not None else ("line", a.seg)
            if items and items[-1][0] == "V" and items[-1][2] == key:
                items[-1][1].append(a)
            else:
                items.append(["V", [a], key])
    return items


def either_side(stream: Stream, widths: list[int]) -> Alignment | None:
    items = _items(stream)
    labels = [k for k, x in enumerate(items) if x[0] == "L"]
    if not labels:
        return None
    # blocks[j]: the value groups between label j and label j + 1 (blocks[-1] before the first: all its own)
    bounds = [-1] + labels + [len(items)]
    blocks = [[items[k] for k in range(bounds[j] + 1, bounds[j + 1])] for j in range(len(bounds) - 1)]
    if any(len(b) > _MAX_SPLITS for b in blocks):
        return None
    m = len(labels)

    def allowed(j: int, block: list[list], s: int) -> bool:
        """May the first s groups of the block after label j go to it and the rest to label j + 1?"""
        own, nxt = items[labels[j]][2], items[labels[j + 1]][2] if j + 1 < m else None
        for k, g in enumerate(block):
            if g[2] is None or isinstance(g[2], tuple):
                continue
            if k < s and g[2] == nxt and nxt is not None and g[2] != own:
                return False  # a grid row holding the next label and these values: they are its
            if k >= s and g[2] == own:
                return False  # a grid row holding this label and these values: they are its
        return True

    def size(groups: list[list]) -> tuple[int, int]:
        """(values printed, cells given): an empty grid cell may be a column of the row or padding."""
        return (sum(1 for g in groups for a in g[1] if a.tok.kind != "blank"), sum(len(g[1]) for g in groups))

    def fills(got: tuple[int, int], width: int) -> bool:
        return got == (0, 0) or 0 < got[0] <= width <= got[1]

    def only_own(j: int, before: list[list], taken: list[list]) -> bool:
        """Does the label take just the values its own grid row holds (fewer than its cells: a converter merged
        a blank away, which cell it was is the row reading's to say)?"""
        own = items[labels[j]][2]
        return own is not None and not before and len(taken) == 1 and taken[0][2] == own

    # states: s = how many groups of the block after label j went to label j; value (blank rows, ways, back)
    first = size(blocks[0])
    prev: dict[int, tuple[int, int, int | None]] = {-1: (0, 1, None)}
    trace: list[dict[int, tuple[int, int, int | None]]] = []
    for j in range(m):
        after = blocks[j + 1]
        choices = [len(after)] if j == m - 1 else range(len(after) + 1)
        cur: dict[int, tuple[int, int, int | None]] = {}
        for sp, (cost, ways, _) in prev.items():
            before = blocks[j] if j == 0 else blocks[j][sp:]
            got_before = first if j == 0 else size(before)
            for s in choices:
                if not allowed(j, after, s):
                    continue
                got_after = size(after[:s])
                n = (got_before[0] + got_after[0], got_before[1] + got_after[1])
                w = widths[items[labels[j]][1]]
                short = 0 < n[0] and n[1] < w and len(before) + s == 1  # one group, fewer cells than the row's
                if not fills(n, w) and not only_own(j, before, after[:s]) and not short:
                    continue
                c = cost + (n[1] == 0) + (short and not only_own(j, before, after[:s]))
                old = cur.get(s)
                if old is None or c < old[0]:
                    cur[s] = (c, ways, sp)
                elif c == old[0]:
                    cur[s] = (c, min(2, old[1] + ways), old[2])
        if not cur:
            return None
        trace.append(cur)
        prev = cur
    best = min(v[0] for v in prev.values())
    ends = [s for s, v in prev.items() if v[0] == best]
    if len(ends) != 1 or prev[ends[0]][1] != 1:
        return None  # more than one assignment fits as well: not decided here
    # back through the splits
    splits = [0] * m
    s = ends[0]
    for j in range(m - 1, -1, -1):
        splits[j] = s
        s = trace[j][s][2]
    hits: dict[int, RowHit] = {}
    for j in range(m):
        row = items[labels[j]][1]
        before = blocks[0] if j == 0 else blocks[j][splits[j - 1]:]
        atoms: list[Atom] = [a for g in before + blocks[j + 1][:splits[j]] for a in g[1]]
        if atoms and atoms[0].row_id is not None and atoms[0].row_id == items[labels[j]][2]:
            atoms = _label_columns_dropped(atoms, widths[row])  # as the anchored reading: a label's merged columns
        seg = stream.labels.get(row)
        old = hits.get(row)
        pieces = _pieces(stream, atoms)
        if old is not None and old.pieces:
            if pieces and [p.text for p in pieces] != [p.text for p in old.pieces]:
                return None  # a row given two different sets of values (the same twice: a row printed again)
            old.repeated = old.repeated or bool(pieces)
            continue
        hits[row] = RowHit(stream.rows[row].key, seg.text if seg else "", seg.source if seg else Source(), pieces,
                           "anchored" if pieces else "blank")
    return Alignment(hits, "either-side", [], [], float(best))
