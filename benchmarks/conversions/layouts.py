"""Arrangement mutations: a report's tables printed in the reading orders real conversions produce.

From any figures (a truth file, an invented fixture) this writes the report as text the way a converter or a
crawler would leave it: the title, the six sections with their paragraphs, and the three tables laid out by the
composer's own grids (``compose.render.layout``: every label from the format data), then read off in one of the
``ARRANGEMENTS``. Each arrangement is one class of real output:

- ``rows``            label and its values on one line (what a careful copy gives; the control)
- ``values-next-line`` a row's label on one line, its values on the next (pypdfium2 on ruled tables)
- ``labels-after``    a row's values on one line, its label on the next
- ``labels-first``    all labels of a table, then its numbers row by row
- ``column-major``    all labels, then the numbers column by column, one per line (pdfminer)
- ``total-before-other`` labels first, then the numbers column by column with the 总计 column before 其他
- ``rows-total-first`` 表三 labels first, then the numbers row by row with each row's 总计 first
- ``column-pages``    表三 labels first, some columns top to bottom, a page break, the header again, the other
                      columns (how many on the first page follows from the figures)
- ``page-split``      表三 broken by a page: page number, then its header rows printed again
- ``row-twice``       a row printed twice (repeated at a page break)
- ``page-number``     page numbers such as "- 4 -" and "— 3 —" between rows
- ``label-broken``    long labels broken over two lines with the numbers between the halves (pdfplumber)
- ``vertical-label``  三、本年度办理结果 one character per line, interleaved with the rows it spans
- ``md-lost-labels``  Markdown pipe tables whose label column was lost: labels as loose lines before the value
                      rows (表二 too: the rows follow the lines naming them); a blank cell stays an empty cell
- ``html-cells``      one cell per line as a crawler strips HTML: a blank cell leaves no line at all
- ``fixed-width``     each table in fixed-width columns under its header (pdftotext -layout, pdfplumber
                      layout=True, pandoc's plain tables): a blank cell is empty space; column widths, gaps,
                      indent, alignment and the lines long titles and labels break over are random (seeded by
                      the table's text), positions counted in characters or in display columns (CJK as two)
- ``fixed-width-3``   as ``fixed-width``, the label column so narrow that the longest labels break over three
                      lines, a row's values level with the middle one (pdftotext -layout, a cell centred top to
                      bottom)
- ``md-merged``       markitdown's pipe tables of a ruled PDF: neighbouring columns in one pipe cell ("| 71 3 |"),
                      long labels line by line around their row, short ones beside it or just above or below,
                      merged labels in pieces (a piece in the first cell of the row beside it, the rest loose
                      lines), the table cut at every loose line

A blank cell prints as nothing: in a stream arrangement it leaves no trace (``keeps_cells`` False), as in the
real converters, so such a row is ambiguous unless the arithmetic decides it. Every label, number and paragraph
of the report is printed; only the order and the line breaks change.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Callable

from gongkai.compose.render.layout import HEADER, LABEL, NOTE, VALUE, DocumentOut, GridCell, TableLayout, document
from gongkai.match.titles import width as _display_width
from gongkai.model import Report


@dataclass
class Row:
    """One data row of a table as printed: its label parts left to right and its value cells."""
    labels: list[str]
    values: list[str]                      # "" for a blank cell
    vertical: str | None = None            # the vertical label this row is part of (表三's outcome rows)
    first_of: list[str] = field(default_factory=list)  # merged labels that start at this row
    spans: list[int] = field(default_factory=list)     # how many rows each of them spans


@dataclass
class Block:
    """A run of a table under one set of header lines (表二 has one block per 第二十条 item)."""
    headers: list[str]
    rows: list[Row]


def _blocks(t: TableLayout) -> list[Block]:
    """The table's grid as header lines and rows; merged labels printed once, at the row they start in."""
    by_row = t.rows()
    blocks: list[Block] = []
    headers: list[str] = []
    for r, cells in enumerate(by_row):
        values = [c for c in cells if c.role == VALUE]
        if not values:
            headers += [c.text for c in cells if c.role in (HEADER, NOTE)]
            continue
        if headers or not blocks:
            blocks.append(Block(headers, []))
            headers = []
        labels, vertical, starts = [], None, []
        for col in range(t.n_cols):
            c = t.at(r, col)
            if c.role != LABEL or (labels and labels[-1] is c):
                continue
            if c.vertical:
                vertical = c.text
                continue
            labels.append(c)
        parts, spans = [], []
        for c in labels:
            if c.row == r:
                parts.append(c.text)
                if c.rowspan > 1:
                    starts.append(c.text)
                    spans.append(c.rowspan)
        blocks[-1].rows.append(Row(parts, [c.text for c in values], vertical, starts, spans))
    return blocks


def _line(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _numbers(row: Row) -> str:
    return _line(*row.values)


# ---- the arrangements: (document, table, block) → lines -----------------------------------------------------
Arrange = Callable[[TableLayout, list[Block]], list[str]]


def _rows(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        out += [_line(*r.labels, _numbers(r)) for r in b.rows]
    return out


def _values_next_line(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        for r in b.rows:
            out += [x for x in (_line(*r.labels), _numbers(r)) if x]
    return out


def _labels_after(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        for r in b.rows:
            out += [x for x in (_numbers(r), _line(*r.labels)) if x]
    return out


def _labels_first(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        out += [_line(*r.labels) for r in b.rows]
        out += [x for x in (_numbers(r) for r in b.rows) if x]
    return out


def _column_major(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        out += [_line(*r.labels) for r in b.rows]
        width = max(len(r.values) for r in b.rows)
        for col in range(width):
            out += [r.values[col] for r in b.rows if col < len(r.values) and r.values[col]]
    return out


def _columns(rows: list[Row], order: list[int]) -> list[str]:
    """The rows' values column by column, one per line, the columns in ``order``; a blank cell leaves nothing."""
    return [r.values[col] for col in order for r in rows if col < len(r.values) and r.values[col]]


def _total_before_other(t: TableLayout, blocks: list[Block]) -> list[str]:
    """Labels first, then the numbers column by column with the 总计 column before 其他 (a PDF text layer whose
    boxes come in an order of their own). 表二 and 表四 have no such column: they are printed column by column."""
    if t.name != "table3":
        return _column_major(t, blocks)
    out = []
    for b in blocks:
        width = max(len(r.values) for r in b.rows)
        out += b.headers
        out += [_line(*r.labels) for r in b.rows]
        out += _columns(b.rows, [*range(width - 2), width - 1, width - 2])
    return out


def _rows_total_first(t: TableLayout, blocks: list[Block]) -> list[str]:
    """表三 labels first, then its numbers row by row with each row's 总计 first (a table whose 总计 column is
    printed at its left)."""
    if t.name != "table3":
        return _labels_first(t, blocks)
    out = []
    for b in blocks:
        out += b.headers
        out += [_line(*r.labels) for r in b.rows]
        out += [x for x in (_line(*r.values[-1:], *r.values[:-1]) for r in b.rows) if x]
    return out


def _column_pages(t: TableLayout, blocks: list[Block]) -> list[str]:
    """表三 labels first, its first columns top to bottom, then a page break, the header printed again and the
    other columns top to bottom (pdfminer on a table whose right part runs onto the next page). How many columns
    the first page holds follows from the figures, so different reports break it differently."""
    if t.name != "table3":
        return _column_major(t, blocks)
    (b,) = blocks
    width = max(len(r.values) for r in b.rows)
    digits = sum(int(v) for r in b.rows for v in r.values if v.isdigit())
    cut = 2 + digits % (width - 2)
    out = b.headers + [_line(*r.labels) for r in b.rows] + _columns(b.rows, list(range(cut)))
    return out + ["", "— 3 —", ""] + b.headers + _columns(b.rows, list(range(cut, width)))


def _page_split(t: TableLayout, blocks: list[Block]) -> list[str]:
    if t.name != "table3":
        return _rows(t, blocks)
    (b,) = blocks
    cut = len(b.rows) // 2
    first = _rows(t, [Block(b.headers, b.rows[:cut])])
    rest = [_line(*r.labels, _numbers(r)) for r in b.rows[cut:]]
    return first + ["", "- 3 -", ""] + b.headers + rest


def _row_twice(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = _rows(t, blocks)
    if t.name == "table3":  # the row before the middle printed again, as at a page break
        b = blocks[0]
        r = b.rows[len(b.rows) // 2 - 1]
        line = _line(*r.labels, _numbers(r))
        i = out.index(line)
        out.insert(i + 1, line)
    return out


def _page_number(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = _rows(t, blocks)
    if t.name == "table3":
        n = len(blocks[0].headers)
        out.insert(n + 2, "- 4 -")
        out.insert(len(out) - 3, "— 5 —")
    elif t.name == "table2" and len(out) > 4:
        out.insert(len(out) // 2, "— 3 —")
    return out


LONG = 12  # a label longer than this is broken in a narrow column


def _halves(label: str) -> tuple[str, str]:
    cut = min(LONG, (len(label) + 1) // 2 + 2)
    return label[:cut], label[cut:]


def _label_broken(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        for r in b.rows:
            *lead, last = r.labels or [""]
            if len(last) > LONG:
                head, tail = _halves(last)
                out += [x for x in (_line(*lead, head), _numbers(r), tail) if x]
            else:
                out.append(_line(*r.labels, _numbers(r)))
    return out


def _vertical_label(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        spanned = [i for i, r in enumerate(b.rows) if r.vertical]
        chars = list(next((b.rows[i].vertical for i in spanned), "") or "")
        # The characters stand centred on the rows they span: one before each row from the middle outwards.
        start = spanned[0] + max(0, (len(spanned) - len(chars)) // 2) if spanned else 0
        for i, r in enumerate(b.rows):
            if chars and i >= start and i in spanned:
                out.append(chars.pop(0))
            out.append(_line(*r.labels, _numbers(r)))
        out += chars
    return out


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _md_lost_labels(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        width = max(len(r.values) for r in b.rows)
        out += [h for h in b.headers]
        out.append("")
        out += [_line(*r.labels) for r in b.rows]
        out += ["", _pipe([""] * width), _pipe(["---"] * width)]
        out += [_pipe(r.values + [""] * (width - len(r.values))) for r in b.rows]
        out.append("")
    return out


# ---- markitdown's pipe tables of a ruled PDF table -----------------------------------------------------------
# markitdown (pdfminer under it) makes pipe rows by where the text stands, not by the table's rules: neighbouring
# value columns share one pipe cell ("| 71 3 | 0 0 |"; a blank beside a number leaves no trace), a label too long
# for its column is printed line by line around its row's values (the values' row centred on the label's lines,
# its label cell empty or holding one of the lines), merged labels — （三）不予公开 over its items, the vertical
# 三、本年度办理结果 — come in pieces: a piece in the first cell of the row beside it, the rest as loose lines, and
# a one-line label may stand on a line of its own just above or below its values' row, a page's footer number
# may land in a pipe row of its own ("| | | - 3 | - |"), and every loose line
# cuts the table into a new pipe table under its own "| --- |" rule.

def _partition(rng, n: int, most: int = 2) -> list[int]:
    """Widths of the pipe cells n value columns fall into: runs of 1..most neighbouring columns."""
    out: list[int] = []
    while sum(out) < n:
        out.append(min(rng.randint(1, most), n - sum(out)))
    return out


def _merged_cells(values: list[str], part: list[int]) -> list[str]:
    cells, k = [], 0
    for w in part:
        cells.append(" ".join(v for v in values[k:k + w] if v))  # a blank beside a number leaves nothing
        k += w
    return cells


def _chunks(text: str, width: int) -> list[str]:
    return [text[k:k + width] for k in range(0, len(text), width)] or [""]


def _header_lines(rng, headers: list[str], width: int) -> list[list[str]]:
    """Header words as markitdown prints them: each word wrapped in its column, neighbouring words' lines side
    by side in one cell ("结果 结果" over "维持 纠正"); long notes as loose lines."""
    rows: list[list[str]] = []
    words = []
    for h in headers:
        if "第二十条" in h:
            rows.append([h])  # the item a 表二 block is for: a line above its table
        elif len(h) > width:
            lines = _chunks(h, width + 4)
            rows.append(["", lines[0]])
            rows += [[x] for x in lines[1:]]  # loose lines (one item: not a pipe row)
        else:
            words.append(h)
    if words:
        # a header over several columns (行政复议, 未经复议直接起诉) is wide enough to stand on one line
        wrapped = [[w] if "行政" in w or "起诉" in w or len(w) > 6 else _chunks(w, rng.choice((2, 4))) for w in words]
        part = _partition(rng, len(words))
        depth = max(len(w) for w in wrapped)
        for line in range(depth):
            cells, k = ["", ""], 0
            for w in part:
                cells.append(" ".join(x[line] for x in wrapped[k:k + w] if line < len(x)))
                k += w
            rows.append(cells)
    return rows


def _md_merged(t: TableLayout, blocks: list[Block]) -> list[str]:
    import random
    import zlib

    rng = random.Random(zlib.crc32(repr([(r.labels, r.values) for b in blocks for r in b.rows]).encode()))
    width = rng.randint(10, 16)  # characters of the label column per line
    items: list[list[str]] = []  # a pipe row (several cells) or a loose line (one item)
    for b in blocks:
        items += _header_lines(rng, b.headers, width)
        n = max(len(r.values) for r in b.rows)
        part = _partition(rng, n, 3 if n > 7 else 2)
        # pieces of merged labels placed at the rows they stand beside: row index → (cell piece, loose after)
        beside: dict[int, list[tuple[str, str]]] = {}
        vertical = [i for i, r in enumerate(b.rows) if r.vertical]
        if vertical:
            chars = list(b.rows[vertical[0]].vertical or "")
            start = vertical[0] + max(0, (len(vertical) - len(chars)) // 2)
            for k, ch in enumerate(chars):
                beside.setdefault(min(start + k, vertical[-1]), []).append((ch, "") if rng.random() < 0.5 else ("", ch))
        for i, r in enumerate(b.rows):
            for text, span in zip(r.first_of, r.spans):
                cut = max(1, (len(text) + 1) // 2)
                mid = i + (span - 1) // 2
                beside.setdefault(mid, []).append((text[:cut], text[cut:]))
        page_at = rng.randrange(2, len(b.rows)) if t.name == "table3" and len(b.rows) > 4 else -1
        for i, r in enumerate(b.rows):
            if i == page_at and rng.random() < 0.5:
                items.append(["", "", "", f"- {rng.randint(2, 9)}", "-"])  # the page's footer drawn into a pipe row
            own = [x for x in r.labels if x not in r.first_of]
            label = own[-1] if own else ""
            lines = _chunks(label, width) if label else []
            cells = _merged_cells(r.values + [""] * (n - len(r.values)), part)
            if t.name == "table2" and rng.random() < 0.3:
                cells.append("")  # under a header wider than the values (表二's): an empty cell at the end
            pieces = beside.get(i, [])
            first = " ".join(p for p, _ in pieces if p)
            after = [x for _, x in pieces if x]
            m = (len(lines) - 1) // 2 if len(lines) > 2 else rng.randint(0, max(0, len(lines) - 1))
            if len(lines) >= 2 and rng.random() < 0.5:
                m = -1  # the values' row between the label's lines, its label cell empty
            if not lines:
                before, at, rest = [], "", []
            elif m >= 0:
                before, at, rest = lines[:m], lines[m], lines[m + 1:]
            else:
                before, at, rest = lines[:1], "", lines[1:]
            if len(before) >= 2 and rng.random() < 0.5:
                items.append(["", before[0]] + [""] * len(cells))  # a line in a row of empty cells
                before = before[1:]
            side = rng.random()
            if len(lines) == 1 and side < 0.4:
                # a one-line label centred a little above or below its values' line: a loose line before or
                # after the values' row (002 through markitdown)
                before, at, rest = (lines, "", []) if side < 0.15 else ([], "", lines)
            items += [[x] for x in before]
            if not first and at and not before and rng.random() < 0.5:
                items.append([at, ""] + cells)  # the label in the first cell, an empty one after it
            else:
                items.append([first, at] + cells)
            items += [[x] for x in rest + after]
    out: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if table:
            w = max(len(x) for x in table)
            rows = [x + [""] * (w - len(x)) for x in table]
            out.extend([_pipe(rows[0]), _pipe(["---"] * w)] + [_pipe(x) for x in rows[1:]])
            table.clear()

    for item in items:
        if len(item) == 1:
            flush()
            out.append(item[0])
        else:
            table.append(item)
    flush()
    return out


def _html_cells(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        for r in b.rows:
            out += [*r.labels, *(v for v in r.values if v)]
    return out


def _wrap(text: str, width: int, size) -> list[str]:
    """``text`` cut into lines no wider than ``width`` (at least one character a line)."""
    out, cur = [], ""
    for ch in text:
        if cur and size(cur + ch) > width:
            out.append(cur)
            cur = ""
        cur += ch
    return out + [cur] if cur else out


class _Canvas:
    """Lines of text with pieces put at columns, counted in characters or in display columns."""

    def __init__(self, size):
        self.size = size
        self.lines: list[list[tuple[int, str]]] = []

    def put(self, line: int, x: int, text: str) -> None:
        while len(self.lines) <= line:
            self.lines.append([])
        self.lines[line].append((x, text))

    def put_in(self, line: int, a: int, b: int, text: str, align: str) -> None:
        """``text`` within columns [a, b), aligned left, centred or right."""
        room = b - a - self.size(text)
        assert room >= 0, (text, a, b)
        self.put(line, a + {"left": 0, "centre": room // 2, "right": room}[align], text)

    def text(self) -> list[str]:
        out = []
        for parts in self.lines:
            s, at = "", 0
            for x, t in sorted(parts):
                assert x >= at, (parts, x, at)  # nothing printed over anything else
                s += " " * (x - at) + t
                at = x + self.size(t)
            out.append(s.rstrip())
        return out


def fixed_width(seed: int | None = None, lines: int = 2) -> Arrange:
    """The ``fixed-width`` arrangement; its random choices from ``seed`` (else from each table's text). The
    longest label breaks over at most ``lines`` lines (2), or over exactly ``lines`` lines (3 or more: the
    values of a long label on its middle line, between its pieces)."""
    def arrange(t: TableLayout, blocks: list[Block]) -> list[str]:
        key = seed if seed is not None else hashlib.sha256("|".join(
            [t.name, *(c.text for c in t.cells)]).encode()).digest()
        return _fixed_width(t, blocks, random.Random(key), lines)
    return arrange


def _fixed_width(t: TableLayout, blocks: list[Block], rng: random.Random, lines: int = 2) -> list[str]:
    size = _display_width if rng.random() < 0.5 else len  # display columns (pandoc) or characters (pdftotext)
    unit = size("字")
    align = rng.choice(("left", "centre", "right"))
    gap = rng.randint(1, 4)
    indent = rng.randint(0, 6)
    first_value = min(c.col for c in t.cells if c.role == VALUE)
    # a label breaks over two lines at most, or (lines >= 3) the longest over exactly that many lines
    longest = max((len(_line(*r.labels)) for b in blocks for r in b.rows), default=0)
    if lines <= 2:
        low, high = (longest + 1) // 2 + 1, longest + 4
    else:
        low = -(-longest // lines)
        high = max(low, -(-longest // (lines - 1)) - 1)
    label_w = unit * rng.randint(low, high) if first_value else 0

    def label_area(c: GridCell) -> bool:
        return c.col < first_value

    # a title broken over lines where its column is narrow: chunks of k characters, stacked
    lines_of: dict[GridCell, list[str]] = {}
    for c in t.cells:
        if c.role not in (HEADER, NOTE):
            continue
        if label_area(c):
            lines_of[c] = _wrap(c.text, label_w, size) if c.text else []
        elif c.colspan == 1 and len(c.text) > 1:
            k = rng.randint(max(1, (len(c.text) + 2) // 3), len(c.text))
            lines_of[c] = [c.text[i:i + k] for i in range(0, len(c.text), k)]
        else:
            lines_of[c] = [c.text] if c.text else []
    widths = [0] * t.n_cols
    for c in t.cells:
        if c.colspan == 1 and not label_area(c):
            need = max([size(x) for x in lines_of.get(c, [])] + [size(c.text) if c.role == VALUE else 0])
            widths[c.col] = max(widths[c.col], need)
    for k in range(first_value, t.n_cols):
        widths[k] += rng.randint(0, 3) * unit // 2 * 2
    for c in sorted((c for c in t.cells if c.colspan > 1 and not label_area(c)), key=lambda c: c.colspan):
        need = max([size(x) for x in lines_of.get(c, [])] + [size(c.text) if c.role == VALUE else 0])
        have = sum(widths[c.col:c.col + c.colspan]) + gap * (c.colspan - 1)
        widths[c.col + c.colspan - 1] += max(0, need - have)
    starts, x = [0] * t.n_cols, indent + (label_w + gap if first_value else 0)
    for k in range(first_value, t.n_cols):
        starts[k] = x
        x += max(widths[k], 1) + gap

    def span(c: GridCell) -> tuple[int, int]:
        if label_area(c):
            return indent, indent + label_w
        last = c.col + c.colspan - 1
        return starts[c.col], starts[last] + max(widths[last], 1)

    canvas = _Canvas(size)
    by_row = t.rows()
    data = iter(r for b in blocks for r in b.rows)
    line = 0
    r = 0
    while r < len(by_row):
        cells = by_row[r]
        if any(c.role == VALUE for c in cells):
            row = next(data)
            label = _wrap(_line(*row.labels), label_w, size) if first_value else []
            # the values stand level with the middle of the label, as in a cell centred top to bottom: on
            # its middle line, or on a line of their own between its halves
            at = len(label) // 2
            if len(label) % 2 == 0 and label:
                label.insert(at, "")
            for k, part in enumerate(label):
                if part:
                    canvas.put(line + k, indent, part)
            for c in cells:
                if c.role == VALUE and c.text:
                    canvas.put_in(line + at, *span(c), c.text, align)
            line += max(1, len(label))
            r += 1
            continue
        # a run of header rows: each cell's lines from its row's first line down
        head = [r]
        while head[-1] + 1 < len(by_row) and not any(c.role == VALUE for c in by_row[head[-1] + 1]):
            head.append(head[-1] + 1)
        top = {}
        for hr in head:
            top[hr] = line
            anchored = [c for c in by_row[hr] if c.role in (HEADER, NOTE)]
            for c in anchored:
                for k, part in enumerate(lines_of.get(c, [])):
                    canvas.put_in(top[hr] + k, *span(c), part, align)
            # the next header row starts below every cell of this one that spans no further rows
            line = max([top[hr] + len(lines_of.get(c, [])) for c in anchored if c.rowspan == 1] + [top[hr] + 1])
        # a cell spanning rows down may still run on: the rows below start after it
        line = max([line] + [top[c.row] + len(lines_of.get(c, [])) for hr in head for c in by_row[hr]
                             if c.role in (HEADER, NOTE)])
        r = head[-1] + 1
    return canvas.text()

@dataclass(frozen=True)
class Arrangement:
    name: str
    arrange: Arrange
    keeps_cells: bool      # a blank cell stays visible in its place
    suffix: str = ".txt"


ARRANGEMENTS: tuple[Arrangement, ...] = (
    Arrangement("rows", _rows, False),
    Arrangement("values-next-line", _values_next_line, False),
    Arrangement("labels-after", _labels_after, False),
    Arrangement("labels-first", _labels_first, False),
    Arrangement("column-major", _column_major, False),
    Arrangement("total-before-other", _total_before_other, False),
    Arrangement("rows-total-first", _rows_total_first, False),
    Arrangement("column-pages", _column_pages, False),
    Arrangement("page-split", _page_split, False),
    Arrangement("row-twice", _row_twice, False),
    Arrangement("page-number", _page_number, False),
    Arrangement("label-broken", _label_broken, False),
    Arrangement("vertical-label", _vertical_label, False),
    Arrangement("md-lost-labels", _md_lost_labels, True, ".md"),
    Arrangement("html-cells", _html_cells, False),
    Arrangement("fixed-width", fixed_width(), True),
    Arrangement("fixed-width-3", fixed_width(lines=3), True),
    Arrangement("md-merged", _md_merged, False, ".md"),
)
BY_NAME = {a.name: a for a in ARRANGEMENTS}


def render(report: Report, arrangement: str | Arrangement) -> str:
    """The report as text with its tables in ``arrangement``."""
    a = BY_NAME[arrangement] if isinstance(arrangement, str) else arrangement
    doc: DocumentOut = document(report)
    md = a.suffix == ".md"
    lines = [f"# {doc.title}" if md else doc.title, ""]
    for s in doc.sections:
        lines += [f"## {s.heading}" if md else s.heading, ""]
        for p in s.paragraphs:
            lines += [p, ""]
        if s.table is not None:
            lines += a.arrange(s.table, _blocks(s.table)) + [""]
    return "\n".join(lines) + "\n"


# ---- as converters of the benchmark: a truth file in, the report in an arrangement out ------------------------
def _version() -> str:
    from pathlib import Path

    from . import cache
    from .documents import composer_digest

    return "layouts " + cache.digest(Path(__file__).read_bytes(), composer_digest())[:16]


def _converter(a: Arrangement):
    import json
    from pathlib import Path

    from .converters import Converter
    from .documents import composed_report

    def convert(path: Path) -> str:
        return render(composed_report(json.loads(path.read_text(encoding="utf-8"))), a)

    return Converter(f"layout:{a.name}", "figures", a.suffix, a.keeps_cells, convert, _version,
                     f"benchmarks/conversions/layouts.py {a.name}")


def converters() -> list:
    """One benchmark converter per arrangement, taking a truth (figures) file."""
    return [_converter(a) for a in ARRANGEMENTS]
