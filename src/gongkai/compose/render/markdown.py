"""A composed report as Markdown: ``#`` title, ``##`` section headings, paragraphs, pipe tables.

Markdown tables cannot merge cells, so each table of ``layout`` is flattened:

* 表二: one table per 第二十条 block, under a line naming the item, as the form stacks them.
* 表三: one label column. A data row's label is the chain of row labels covering it on the form,
  joined by "：" (（三）不予公开：1.属于国家秘密); the vertical 三、本年度办理结果 is left out, the
  rows' own numbering already places them. One header row: the 勾稽 note over the labels, then
  the seven column labels; 申请人情况 and 法人或其他组织 above them are left out.
* 表四: one header row of the fifteen column labels with their parents (行政诉讼·复议后起诉·结果维持)
  and the data row under it.

An HTML comment at the top says the tables are flattened, so nobody takes them for the official
layout. gongkai's text reader reads the result back cell for cell (tests/test_compose_render.py).
"""
from __future__ import annotations

from pathlib import Path

from ...model import Report
from .layout import HEADER, LABEL, NOTE, VALUE, GridCell, TableLayout, document


def render_markdown(report: Report) -> str:
    out = document(report)
    lines = [FLATTENED, "", f"# {text_of(out.title)}", ""]
    for text in out.preamble:
        lines += [text_of(text), ""]
    for section in out.sections:
        lines += [f"## {text_of(section.heading)}", ""]
        for text in section.paragraphs:
            lines += [text_of(text), ""]
        if section.table is not None:
            lines += _table(section.table) + [""]
    return "\n".join(lines)


def write_markdown(report: Report, path: str | Path) -> Path:
    p = Path(path)
    p.write_text(render_markdown(report), encoding="utf-8")
    return p


# Said once, at the top and without figures or labels: gongkai's text reader has no notion of
# comments, and takes a comment's "--" near a table for dash cells.
FLATTENED = "<!-- Markdown 不能合并单元格：表格已展平，合并的行、列标题写入所覆盖的每一行、列；正式版式见 DOCX 或 PDF。 -->"


# Markdown passes raw HTML through (<script>, <img onerror=…>) and makes links of [..](..): document text (the
# title, the office's sections) must arrive as text. HTML's own specials become entities, Markdown's link and
# emphasis marks are backslash-escaped; both read as the same characters in any renderer.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKS = frozenset("\\`*_[]")


def text_of(text: str) -> str:
    """Document text as Markdown that renders to exactly that text, never to markup."""
    out = []
    for ch in text:
        out.append(_ENTITIES.get(ch) or ("\\" + ch if ch in _MARKS else ch))
    return "".join(out)


def _esc(text: str) -> str:
    return text_of(text).replace("|", "\\|")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_esc(c) for c in cells) + " |"


def _table(layout: TableLayout) -> list[str]:
    if layout.name == "table2":
        return _table2(layout)
    value_cols = sorted({c.col for c in layout.cells if c.role == VALUE})
    header = [_column_label(layout, col, len(value_cols)) for col in value_cols]
    if layout.name == "table4":  # one data row under the 15 column labels, as on the form
        rows = [[layout.at(r, col).text for col in value_cols] for r in range(layout.header_rows, layout.n_rows)]
        return [_row(header), _row(["---"] * len(header))] + [_row(r) for r in rows]
    note = next(c.text for c in layout.cells if c.role == NOTE)
    lines = [_row([note] + header), _row(["---"] * (1 + len(header)))]
    for r in range(layout.header_rows, layout.n_rows):
        labels = _dedupe([c.text for c in _row_labels(layout, r) if not c.vertical])
        lines.append(_row(["：".join(labels)] + [layout.at(r, col).text for col in value_cols]))
    return lines


def _column_label(layout: TableLayout, col: int, n_value_cols: int) -> str:
    """表三: the leaf label (自然人 … 总计). 表四: its header chain, 行政诉讼·复议后起诉·结果维持."""
    above = _dedupe([layout.at(r, col).text for r in range(layout.header_rows)
                     if layout.at(r, col).role == HEADER and layout.at(r, col).colspan < n_value_cols])
    return above[-1] if layout.name == "table3" else "·".join(above)


def _table2(layout: TableLayout) -> list[str]:
    """One pipe table per 第二十条 block: its item as a line, then 信息内容 + that block's columns."""
    lines: list[str] = []
    for r in range(layout.n_rows):
        cells = [c for c in layout.cells if c.row == r]
        if len(cells) == 1 and cells[0].role == HEADER:       # the block's 第二十条第（…）项 row
            lines += ([""] if lines else []) + [cells[0].text, ""]
        elif all(c.role == HEADER for c in cells):           # 信息内容 | column labels
            labels = [c.text for c in sorted(cells, key=lambda c: c.col)]
            lines += [_row(labels), _row(["---"] * len(labels))]
        else:
            lines.append(_row([c.text for c in sorted(cells, key=lambda c: c.col)]))
    return lines


def _row_labels(layout: TableLayout, r: int) -> list[GridCell]:
    """The label cells covering row ``r``, left to right (merged ones included)."""
    seen: list[GridCell] = []
    for col in range(layout.n_cols):
        c = layout.at(r, col)
        if c.role == LABEL and c not in seen:
            seen.append(c)
    return seen


def _dedupe(items: list[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if not out or out[-1] != x:
            out.append(x)
    return out


__all__ = ["render_markdown", "write_markdown"]
