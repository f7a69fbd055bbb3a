"""Tables whose values are printed in a reading order of their own, decided by the table's arithmetic.

PDF text layers often print all the labels of a table first and then its numbers in the order the text
boxes happen to come in: one column after the other (pdfminer), a block of rows column by column between
rows read row by row (pdftotext), the 总计 column before 其他, the last rows of the first columns after the
other labels, a column continued after a page break under its header ("总计"), one value left beside its
row's label among the labels. The cheap alignment (align.py) leaves such a table undecided; this module
looks for the reading that explains the text:

- the values are consumed in printed order by *segments*: a column from the row it has reached down to the end
  of a band (where a run of labels in official order begins or ends, or as tall as the run of values it starts
  fills), or one whole row (a row-major step, or one with its 总计 first). Every column is filled top to bottom,
  down separate lines; a segment never crosses a label, a header or a page break between values. This covers
  row-major, column-major, columns in any order, row bands read either way, and tables split by pages.
- a reading costs one for each segment that does not continue the one before it (another column of the same
  band, the next row) or does not start where the label or lone column header before it says. A band's first
  column is the one beside the labels; the order of its other columns is no evidence (pdfminer writes them as
  its boxes come), so readings differing only there cost the same and only the arithmetic tells them apart;
- a short run of values between labels (the first value of a row printed beside its label) is *pinned* to
  that row's first cells;
- a reading is accepted only when every identity of the table holds (``row_ok``, ``col_ok``, checked as
  soon as a row or a column is complete, which prunes the search), and among those the cheapest wins.
  Cheapest readings that put different values in a cell leave the rows that differ undecided, with the
  alternatives. A report whose own sums are wrong has no such reading: the cheap alignment's result stands.

The search is bounded (cost, states visited) and only runs where the cheap path left rows undecided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Callable

from ..text import normalize_label
from .align import Atom, Stream

MAX_COST = 4         # segments out of the printed order a reading may have
MAX_MISSING = 3      # blank cells a converter may have left out of a table read row by row (their line is short)
MAX_STATES = 50000   # states the search may visit before it gives up (the table is then left undecided)

RowOk = Callable[[int, list], bool]   # (row, values of the row) → do its identities hold
ColOk = Callable[[int, list], bool]   # (column, values of the column, None where not a number)


@dataclass
class _Run:
    atoms: list[int]                    # indices into the table's atoms
    rows: list[int] = field(default_factory=list)  # rows the labels right before it name
    col: int | None = None              # the column a header right before it names


@dataclass
class Reading:
    """The cells' atoms, row → atoms in column order, and how the reading departs from the printed order."""

    rows: dict[int, list[Atom]]
    cost: int
    by_column: bool          # mostly read column by column (for 表二, read as 表三 was)
    alternatives: dict[int, list[list[Atom]]] = field(default_factory=dict)  # undecided rows
    in_order: bool = True    # the columns begin in their own order in print


def _value(a: Atom):
    t = a.tok.text
    if a.tok.kind == "num":
        try:
            return int(t)
        except ValueError:
            return None
    return None


def _runs(stream: Stream, n_cols: int, col_names: dict[str, int]) -> tuple[list[Atom], list[_Run]] | None:
    atoms: list[Atom] = []
    runs: list[_Run] = []
    rows: list[int] = []
    col: int | None = None
    named = 0  # column headers since the last run: only a lone one names the column the values run down
    cur: _Run | None = None
    for e in stream.events:
        if e.kind == "A":
            a = e.atom
            if a.row_id is not None or a.tok.kind in ("blank", "gap"):
                return None  # a grid's cells or blank cells: rows and columns are known, nothing to reorder
            if cur is None:
                cur = _Run([], rows, col if named == 1 else None)
                runs.append(cur)
                rows, col, named = [], None, 0
            cur.atoms.append(len(atoms))
            atoms.append(a)
            continue
        if e.kind == "E":
            continue
        cur = None
        if e.kind == "L":
            # a column header before the row labels heads the table, not the values after them; a label that
            # is also a column's header ("总计" over a column continued on the next page) names that column
            col = col_names.get(stream.segs[e.seg].norm)
            named += col is not None
            if col is None:
                rows.append(e.row)
        elif e.kind == "N":
            c = col_names.get(stream.segs[e.seg].norm)
            if c is not None:
                col, rows = c, []
                named += 1
    return atoms, runs


def _pins(runs: list[_Run], n_cols: int) -> dict[tuple[int, int], int]:
    """Short runs standing among labels that come back to earlier rows: the value(s) printed beside a row's
    label, pinned to that row's first cells."""
    pins: dict[tuple[int, int], int] = {}
    for k in range(len(runs) - 1):
        run, nxt = runs[k], runs[k + 1]
        if not run.rows or len(run.atoms) >= n_cols or not nxt.rows:
            continue
        r = run.rows[-1]
        if min(nxt.rows) < r:
            for c, i in enumerate(run.atoms):
                pins[(r, c)] = i
    return pins


def search(stream: Stream, n_rows: int, n_cols: int, row_ok: RowOk, col_ok: ColOk,
           col_names: dict[str, int], max_cost: int = MAX_COST) -> Reading | None:
    """The cheapest reading of the table's values that satisfies every identity, or None."""
    got = _runs(stream, n_cols, col_names)
    if got is None:
        return None
    atoms, runs = got
    if not runs:
        return None
    for pins in (_pins(runs, n_cols), {}):
        missing = n_rows * n_cols - len(atoms)
        if not 0 <= missing <= MAX_MISSING:
            return None
        if missing:
            per_line: dict[int, int] = {}
            for a in atoms:
                per_line[a.seg] = per_line.get(a.seg, 0) + 1
            if sum(n_cols - n for n in per_line.values() if 1 < n < n_cols) < missing:
                return None  # no short printed lines to hold the blank cells left out
        found = _search(atoms, runs, pins, n_rows, n_cols, row_ok, col_ok, max_cost, missing)
        if found is not None:
            return found
        if not pins:
            break
    return None


def _search(atoms: list[Atom], runs: list[_Run], pins: dict[tuple[int, int], int], R: int, W: int,
            row_ok: RowOk, col_ok: ColOk, max_cost: int, missing: int = 0) -> Reading | None:
    pinned = set(pins.values())
    seq: list[tuple[int, int]] = []  # (run index, atom) in printed order, pins left out
    for k, run in enumerate(runs):
        seq += [(k, i) for i in run.atoms if i not in pinned]
    # where a run starts in seq, and the runs as spans of seq
    spans: list[tuple[int, int]] = []
    pos = 0
    for run in runs:
        n = sum(1 for i in run.atoms if i not in pinned)
        spans.append((pos, pos + n))
        pos += n
    spans = [s for s in spans if s[1] > s[0]]
    run_of = [0] * len(seq)
    starts = {}
    for j, (a, b) in enumerate(spans):
        starts[a] = j
        for p in range(a, b):
            run_of[p] = j
    ctx = [run for run in runs if any(i not in pinned for i in run.atoms)]  # the runs of ``spans``
    # a column runs down lines: consecutive values on one printed line are never one column's cells
    joined = [0]
    for p in range(len(seq)):
        nxt = p + 1 < len(seq) and atoms[seq[p][1]].seg == atoms[seq[p + 1][1]].seg
        joined.append(joined[-1] + nxt)
    strong = {0, R}  # where a run of labels in official order begins or ends: a band of rows printed together
    for run in runs:
        seqs: list[list[int]] = []
        for r in run.rows:
            if 0 <= r < R:
                if seqs and r == seqs[-1][-1] + 1:
                    seqs[-1].append(r)
                else:
                    seqs.append([r])
        for q in seqs:
            if len(q) > 1:
                strong.update((q[0], q[-1] + 1))
    strong_sorted = sorted(strong)
    values = [_value(a) for a in atoms]
    vals: list[list] = [[None] * W for _ in range(R)]
    filled = [[False] * W for _ in range(R)]
    for (r, c), i in pins.items():
        if r >= R or c >= W:
            return None
        vals[r][c] = values[i]
        filled[r][c] = True
    pin_before = [[0] * (R + 1) for _ in range(W)]  # pins of a column above each row
    for c in range(W):
        for r in range(R):
            pin_before[c][r + 1] = pin_before[c][r] + ((r, c) in pins)
    row_left = [sum(1 for c in range(W) if not filled[r][c]) for r in range(R)]
    col_left = [sum(1 for r in range(R) if not filled[r][c]) for c in range(W)]
    cell_atom: dict[tuple[int, int], int] = {}

    def top(c: int, r: int) -> int:
        while r < R and filled[r][c]:
            r += 1
        return r

    H = [top(c, 0) for c in range(W)]
    results: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    visits = 0
    limit_cost = [0]
    total = len(seq)

    blanks = [missing]  # blank cells still to place

    def place(r: int, c: int, p: int, undo: list) -> bool:
        """Fill cell (r, c) with the p-th printed value (a blank for p < 0); False when a completed row or column
        breaks."""
        i = seq[p][1] if p >= 0 else -1
        vals[r][c] = values[i] if i >= 0 else None
        filled[r][c] = True
        cell_atom[(r, c)] = i
        undo.append((r, c))
        row_left[r] -= 1
        col_left[c] -= 1
        ok = True
        if row_left[r] == 0 and not row_ok(r, vals[r]):
            ok = False
        if ok and col_left[c] == 0 and not col_ok(c, [vals[x][c] for x in range(R)]):
            ok = False
        return ok

    def unplace(undo: list) -> None:
        for r, c in undo:
            filled[r][c] = False
            vals[r][c] = None
            del cell_atom[(r, c)]
            row_left[r] += 1
            col_left[c] += 1

    def moves(p: int, last):
        """(kind, column, r0, r1, count) of every segment that may start at printed position p."""
        a, b = spans[run_of[p]]
        room = b - p
        out = []
        h = min(H)
        level = h < R and all(H[c] == h or filled[h][c] for c in range(W))
        if level:
            n = sum(1 for c in range(W) if not filled[h][c])
            if 0 < n <= room:
                out.append(("row", -1, h, h + 1, n))
                if n == W > 2:
                    out.append(("rowt", -1, h, h + 1, n))  # the row with its last (总计) column first
            if blanks[0] and n == W:
                # a printed line shorter than the row: the converter left its blank cells out, anywhere in it
                seg = atoms[seq[p][1]].seg
                m = 1
                while p + m < b and atoms[seq[p + m][1]].seg == seg:
                    m += 1
                if (p == a or atoms[seq[p - 1][1]].seg != seg) and 0 < W - m <= blanks[0]:
                    for mask in combinations(range(W), W - m):
                        out.append(("rowb", mask, h, h + 1, m))
        for c in range(W):
            r0 = H[c]
            if r0 >= R:
                continue
            pc = pin_before[c]
            # a band ends where a run of labels in official order does, where the run's values end (a band as
            # tall as they fill), or where the band being continued ends
            ends = set(strong_sorted)
            if p == a and room % W == 0:
                ends.add(r0 + room // W)
            if last is not None and last[0] == "col" and last[2] == r0:
                ends.add(last[3])
            ends = sorted(ends)
            for r1 in ends:
                if r1 > R:
                    break
                if r1 <= r0:
                    continue
                # below the row a column has reached only pinned cells are filled
                n = (r1 - r0) - (pc[r1] - pc[r0])
                if n > room:
                    break
                if n > 1 and joined[p + n - 1] - joined[p]:
                    break  # the next values share a line: they are no column
                if n and not (level and r1 == r0 + 1):  # one cell of a row all columns have reached: a row step
                    out.append(("col", c, r0, r1, n))
        return out

    def natural(m, last) -> bool:
        kind, c, r0, r1, _ = m
        if last is None:
            return r0 == 0 and (kind == "row" or c == 0)
        if last[0] in ("row", "rowt", "rowb"):
            return kind == last[0] or {kind, last[0]} == {"row", "rowb"}
        if kind != "col":
            return False
        same = [x for x in range(W) if H[x] == last[2]]
        if same and last[3] - last[2] > 1:
            # the rest of a band's columns, one after the other: a converter (pdfminer) writes the columns
            # beside the labels first but the others in an order of its own, which is no evidence of which
            # column is which (only the arithmetic is)
            return c in same and r0 == last[2] and r1 == last[3]
        if same:
            return c == min(x for x in same if x > last[1]) if any(x > last[1] for x in same) else False
        low = min(H)
        return c == next(x for x in range(W) if H[x] == low)

    def step_cost(m, p: int, last) -> int:
        kind, c, r0, r1, _ = m
        if p in starts and kind == "col":
            a, b = spans[starts[p]]
            run = ctx[starts[p]]
            if r1 - r0 > 1 and (b - a) == (r1 - r0) * W and any(r0 <= r < r1 for r in run.rows) \
                    and c == next(x for x in range(W) if H[x] == r0):
                return 0  # the run is one band of rows column by column, its label among them (pdftotext)
        band = 0
        if kind == "col" and r1 not in strong and not (last is not None and last[0] == "col" and last[3] == r1):
            band = 1  # a band of rows no run of labels marks
        return band + _order_cost(m, p, last)

    def _order_cost(m, p: int, last) -> int:
        if p in starts:
            run = ctx[starts[p]]
            kind, c, r0, _, _ = m
            if run.col is not None and kind == "col" and c == run.col:
                return 0
            if run.rows:
                if r0 not in run.rows:
                    return 1
                if kind in ("row", "rowb"):
                    return 0
                if kind == "rowt":
                    return 0 if last is not None and last[0] == "rowt" else 1
                return 0 if c == next(x for x in range(W) if H[x] == r0) else 1
            if run.col is not None:
                return 1
        return 0 if natural(m, last) else 1

    def walk(p: int, last, cost: int, key: int) -> None:
        nonlocal visits
        if p == total:
            if all(H[c] >= R for c in range(W)) and not blanks[0]:
                results.append((cost, dict(cell_atom)))
            return
        visits += 1
        if visits > MAX_STATES:
            return
        state = (p, tuple(H), last, key)
        if seen.get(state, max_cost + 1) <= cost:
            return
        seen[state] = cost
        for m in moves(p, last):
            c2 = cost + step_cost(m, p, last)
            if c2 > limit_cost[0]:
                continue
            kind, c, r0, r1, n = m
            undo: list = []
            ok = True
            q = p
            saved = list(H)
            if kind == "rowb":
                for x in range(W):
                    blank = x in c
                    ok = place(r0, x, -1 if blank else q, undo)
                    q += not blank
                    if not ok:
                        break
                blanks[0] -= len(c)
                if ok:
                    for x in range(W):
                        H[x] = top(x, r0 + 1)
            elif kind in ("row", "rowt"):
                for x in (range(W) if kind == "row" else (W - 1, *range(W - 1))):
                    if not filled[r0][x]:
                        ok = place(r0, x, q, undo) and ok
                        q += 1
                        if not ok:
                            break
                if ok:
                    for x in range(W):
                        H[x] = top(x, r0 + 1)
            else:
                for r in range(r0, r1):
                    if not filled[r][c]:
                        ok = place(r, c, q, undo)
                        q += 1
                        if not ok:
                            break
                if ok:
                    H[c] = top(c, r1)
            if ok:
                k2 = key
                for (r, x) in undo:
                    k2 ^= hash((r, x, vals[r][x]))
                walk(q, (kind, c, r0, r1), c2, k2)
            unplace(undo)
            H[:] = saved
            if kind == "rowb":
                blanks[0] += len(c)

    for limit in range(max_cost + 1):
        limit_cost[0] = limit
        seen.clear()
        walk(0, None, 0, 0)
        if visits > MAX_STATES:
            return None
        if results:
            break
    if not results:
        return None
    best = min(c for c, _ in results)
    distinct: dict[tuple, dict] = {}
    for c, assign in results:
        if c != best:
            continue
        full = dict(assign)
        for cell, i in pins.items():
            full[cell] = i
        distinct.setdefault(tuple(_row_key(full, r, W, values) for r in range(R)), full)
    readings = list(distinct.values())
    first = readings[0]

    def printed(rd: dict, r: int) -> list[Atom]:  # a row's printed values in column order (blanks left out)
        return [atoms[rd[(r, x)]] for x in range(W) if rd[(r, x)] >= 0]

    rows = {r: printed(first, r) for r in range(R)}
    alts: dict[int, list[list[Atom]]] = {}
    for r in range(R):
        options: dict[tuple, list[Atom]] = {}
        for rd in readings:
            options.setdefault(_row_key(rd, r, W, values), printed(rd, r))
        if len(options) > 1:
            alts[r] = list(options.values())
    # column by column when most cells follow the one above them in print
    down = sum(1 for r in range(1, R) for x in range(W) if first[(r, x)] >= 0 and first[(r, x)] == first[(r - 1, x)] + 1)
    across = sum(1 for r in range(R) for x in range(1, W) if first[(r, x)] >= 0 and first[(r, x)] == first[(r, x - 1)] + 1)
    tops = [min((first[(r, x)] for r in range(R) if first[(r, x)] >= 0), default=-1) for x in range(W)]
    return Reading(rows, best, down > across, alts, in_order=tops == sorted(tops))


def _row_key(rd: dict, r: int, W: int, values: list) -> tuple:
    """What a reading puts in row r: its values, or for a row with blank cells its printed values (where the
    blanks stand is the row's own reading's to decide: split.placed)."""
    ids = [rd[(r, x)] for x in range(W)]
    if -1 in ids:
        return ("blanks", *(i for i in ids if i >= 0))
    return tuple(values[i] for i in ids)


def column_names(labels: list[str]) -> dict[str, int]:
    """Header words that name one column, as their normalised text appears on a line of its own."""
    return {normalize_label(t): k for k, t in enumerate(labels)}


def by_headers(stream: Stream, words: dict[str, int], n_cols: int, n_cells: int) -> list[Atom] | None:
    """A one-row table whose values stand among its column headers (表四 read by pdfminer: "结果维持 12"):
    each run of values starts at the cell a header before it names, and the values go to the following free
    cells (wrapping round to the row's first). Header words name a column; the first word (``words`` value 0)
    opens the next group of ``n_cols`` columns. A run of fewer values than the headers before it stands beside
    the last of them, else under the first. None unless every cell gets exactly one value."""
    import re

    rx = re.compile("|".join(map(re.escape, words)))
    group = -1
    named: list[int] = []   # cells the headers since the last run name
    cells: list[Atom | None] = [None] * n_cells
    cursor = 0
    run: list[Atom] = []

    def flush() -> bool:
        nonlocal cursor
        if not run:
            return True
        if named:
            cursor = named[-1] if len(run) < len(named) else named[0]
        for a in run:
            for k in range(n_cells):
                c = (cursor + k) % n_cells
                if cells[c] is None:
                    cells[c] = a
                    cursor = c + 1
                    break
            else:
                return False
        run.clear()
        named.clear()
        return True

    for e in stream.events:
        if e.kind == "A":
            run.append(e.atom)
            continue
        if e.kind != "N" and e.kind != "L":
            continue
        if run and not flush():
            return None
        for m in rx.finditer(stream.segs[e.seg].norm):
            col = words[m.group()]
            if col == 0:
                group += 1
            if 0 <= group and group * n_cols + col < n_cells:
                cell = group * n_cols + col
                if not named or named[-1] != cell:
                    named.append(cell)
    if not flush() or any(c is None for c in cells):
        return None
    return cells  # type: ignore[return-value]
