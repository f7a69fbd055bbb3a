"""Plain text and Markdown, as PDF-to-text converters and crawlers produce them.

Lines with ``|`` cells (Markdown pipe tables) or tabs become table rows; consecutive such lines
form one table; every other line is a paragraph (``#`` headings keep their level); comment lines
(``<!-- … -->``) are dropped. Nothing here
knows about annual reports: run-together digits, split fragments and broken labels are left for
the matcher, which handles them the same way for every input format.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..blocks import Document, Paragraph, Source, Table, TableCell
from .decode import decode_text

_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+")


def decode(data: bytes) -> str:
    """The text of ``data``, its encoding decided by evidence (read/decode.py)."""
    return decode_text(data).text


def _split_pipe(line: str, line_start: int) -> list[tuple[str, int, int]]:
    """Cells of a pipe row as (text, start, end) offsets into the document: the text between bars, and
    before the first and after the last bar where that is not only white space (a row without its
    outer bars)."""
    cells = _split_on(line, "|", line_start)
    first = 1 if len(cells) > 1 and not cells[0][0] else 0  # blank before the leading bar
    last = len(cells) - 1 if len(cells) > 1 and not cells[-1][0] else len(cells)  # after the closing bar
    return cells[first:last]


def _split_tabs(line: str, line_start: int) -> list[tuple[str, int, int]]:
    return _split_on(line, "\t", line_start)


def _split_on(line: str, sep: str, line_start: int) -> list[tuple[str, int, int]]:
    """The parts of ``line`` between ``sep``s, trimmed, as (text, start, end) offsets into the document."""
    cells = []
    pos = line_start
    for part in line.split(sep):
        text = part.strip()
        lead = part.find(text[0]) if text else len(part)  # where the trimmed text starts (its first character)
        cells.append((text, pos + lead, pos + lead + len(text)))
        pos += len(part) + 1
    return cells


def blocks_from_text(text: str) -> list:
    blocks: list = []
    table_rows: list[list[TableCell]] = []
    table_kind: str | None = None
    table_start: Source | None = None

    def flush() -> None:
        nonlocal table_rows, table_kind, table_start
        if table_rows:
            blocks.append(Table(table_rows, table_start or Source()))
        table_rows, table_kind, table_start = [], None, None

    offset = 0
    in_comment = False
    html_lines: list[str] = []  # a raw HTML table inside Markdown (pandoc writes complex tables so)
    html_line = 0
    for lineno, raw in enumerate(text.splitlines(keepends=True), start=1):
        line = raw.rstrip("\r\n")
        start = offset
        offset += len(raw)
        stripped = line.strip()
        if html_lines or stripped.startswith("<table"):
            if not html_lines:
                flush()
                html_line = lineno
            html_lines.append(line)
            if "</table>" in stripped:
                blocks.extend(_html_tables("\n".join(html_lines), html_line - 1, len(blocks)))
                html_lines = []
            continue
        # Markdown/HTML comments (<!-- … -->, possibly over several lines) are not text: their "--"
        # would otherwise read as dash cells.
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        kind = "pipe" if stripped.startswith("|") and stripped.count("|") >= 2 else ("tab" if "\t" in line and stripped else None)
        if kind == "pipe" and _PIPE_SEP.match(stripped):
            continue  # the |---|---| line under a Markdown header row
        if kind is None:
            flush()
            if not stripped:
                continue
            m = _HEADING.match(stripped)
            lead = len(line) - len(line.lstrip())
            level = len(m.group(1)) if m else None
            body = stripped[m.end():] if m else stripped
            b_start = start + lead + (m.end() if m else 0)
            blocks.append(Paragraph(body, Source.in_text(b_start, b_start + len(body), lineno), level))
            continue
        if table_kind is not None and kind != table_kind:
            flush()
        table_kind = kind
        if table_start is None:
            table_start = Source.in_text(start, None, lineno)
        cells = _split_pipe(line, start) if kind == "pipe" else _split_tabs(line, start)
        r = len(table_rows)
        t_index = len(blocks)  # nothing is added to blocks before this table is flushed: its index
        # positional arguments: keywords cost more, for every cell of every table
        sources = Source.row_cells(cells, lineno, t_index, r)
        table_rows.append([TableCell(t, r, c, 1, 1, sources[c]) for c, (t, _a, _b) in enumerate(cells)])
    flush()
    return blocks


def _html_tables(fragment: str, line_base: int, index: int) -> list:
    """The tables of an HTML fragment, read by the HTML reader, with lines counted in the whole text."""
    from .html import blocks_from_html

    out = []
    for b in blocks_from_html(fragment):
        if isinstance(b, Table):
            rows = [[TableCell(c.text, c.row, c.col, c.rowspan, c.colspan,
                               Source(None, None, (c.source.line or 1) + line_base, None, None, index + len(out),
                                      c.row, c.col)) for c in row] for row in b.rows]
            out.append(Table(rows, Source(line=(b.source.line or 1) + line_base)))
        elif isinstance(b, Paragraph) and b.text.strip():
            out.append(Paragraph(b.text, Source(line=line_base + 1)))
    return out


def read(path: Path, data: bytes) -> Document:
    decoded = decode_text(data)
    text = decoded.text
    if "\x00" in text[:4096]:
        from . import ReadError
        raise ReadError(path, "二进制文件，不是文本 (binary file, not text)", "read.unsupported-type")
    kind = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return Document(str(path), blocks_from_text(text), kind, text=text, findings=decoded.findings)
