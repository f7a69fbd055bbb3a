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

A blank cell prints as nothing: in a stream arrangement it leaves no trace (``keeps_cells`` False), as in the
real converters, so such a row is ambiguous unless the arithmetic decides it. Every label, number and paragraph
of the report is printed; only the order and the line breaks change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from gongkai.compose.render.layout import HEADER, LABEL, NOTE, VALUE, DocumentOut, TableLayout, document
from gongkai.model import Report


@dataclass
class Row:
    """One data row of a table as printed: its label parts left to right and its value cells."""
    labels: list[str]
    values: list[str]                      # "" for a blank cell
    vertical: str | None = None            # the vertical label this row is part of (表三's outcome rows)
    first_of: list[str] = field(default_factory=list)  # merged labels that start at this row


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
        parts = []
        for c in labels:
            if c.row == r:
                parts.append(c.text)
                if c.rowspan > 1:
                    starts.append(c.text)
        blocks[-1].rows.append(Row(parts, [c.text for c in values], vertical, starts))
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


def _html_cells(t: TableLayout, blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        out += b.headers
        for r in b.rows:
            out += [*r.labels, *(v for v in r.values if v)]
    return out


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
