"""Word (.docx) → paragraphs and tables in document order.

python-docx opens the package; the body is then read straight from its XML, because python-docx's
``Document.paragraphs`` and ``.tables`` lose the order between them, and its ``cell`` API repeats a
merged cell once per grid slot. From the XML:

* ``w:p`` → a paragraph (``w:br`` a line break; deleted text and field codes left out); its style
  (``Heading n`` / ``标题 n``, or an outline level) gives ``heading_level``.
* ``w:tbl`` → a grid: ``w:gridSpan`` is a colspan, ``w:vMerge`` a rowspan (the cell that says
  ``restart`` holds the text, the continuing cells below are not repeated), ``w:gridBefore``
  shifts a row's first cell. A cell's paragraphs are joined without spaces between CJK characters.
  Tables nested in a cell are emitted as their own tables after the one holding them.
* ``w:sdt`` content controls and ``w:customXml`` wrappers are looked through.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from ..blocks import Block, Document, Paragraph, Source, Table, TableCell
from ._shared import clean_space, finish, join_lines

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
W_T, W_TAB, W_BR, W_CR, W_NOBREAK_HYPHEN = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
W_VAL = qn("w:val")
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)


def _val(parent, tag: str) -> str | None:
    el = parent.find(qn(tag)) if parent is not None else None
    return None if el is None else el.get(W_VAL)


def _container_children(el):
    """Block-level children, looking through content controls and custom-XML wrappers."""
    for child in el:
        if child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _container_children(content)
        elif child.tag == W_CUSTOM_XML:
            yield from _container_children(child)
        else:
            yield child


# ---------------------------------------------------------------- paragraphs


def paragraph_lines(p) -> list[str]:
    """A paragraph's text split at line breaks (w:br, w:cr). Tables nested inside are not included."""
    lines: list[str] = []
    cur: list[str] = []
    for el in p.iter(W_T, W_TAB, W_BR, W_CR, W_NOBREAK_HYPHEN):
        tag = el.tag
        if tag == W_T:
            cur.append(el.text or "")
        elif tag == W_TAB:
            cur.append("\t")
        elif tag == W_NOBREAK_HYPHEN:
            cur.append("-")
        elif tag == W_BR and el.get(qn("w:type")) in ("page", "column"):
            cur.append(" ")  # a page break inside a paragraph does not end its line of text
        else:
            lines.append("".join(cur))
            cur = []
    lines.append("".join(cur))
    return [clean_space(ln) for ln in lines]


class StyleLevels:
    """Heading level of a paragraph style id: from its name (Heading n, 标题 n) or outline level."""

    def __init__(self, document) -> None:
        self.levels: dict[str, int] = {}
        styles_el = document.styles.element
        for st in styles_el.findall(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            name = _val(st, "w:name") or ""
            level = None
            m = _HEADING_NAME.match(name.strip())
            if m:
                level = int(m.group(1))
            else:
                outline = _val(st.find(qn("w:pPr")), "w:outlineLvl")
                if outline is not None and outline.isdigit() and int(outline) < 9:
                    level = int(outline) + 1
            if sid and level:
                self.levels[sid] = level

    def of(self, p) -> int | None:
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            return None
        outline = _val(ppr, "w:outlineLvl")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        sid = _val(ppr, "w:pStyle")
        return self.levels.get(sid) if sid else None


# ---------------------------------------------------------------- tables


def cell_text(tc) -> str:
    lines = [ln for p in tc.iter(W_P) if not _in_nested_table(p, tc) for ln in paragraph_lines(p)]
    return join_lines(lines)


def _in_nested_table(p, tc) -> bool:
    parent = p.getparent()
    while parent is not None and parent is not tc:
        if parent.tag == W_TBL:
            return True
        parent = parent.getparent()
    return False


def _int(v: str | None, default: int) -> int:
    try:
        return max(int(v), 0) if v is not None else default
    except ValueError:
        return default


def table_grid(tbl) -> tuple[Table, list]:
    """The grid of one w:tbl, and the tables nested in its cells (to be emitted after it)."""
    rows: list[list[TableCell]] = []
    # column → the cell currently open for vertical merging in that column
    open_v: dict[int, TableCell] = {}
    nested: list = []
    r = 0
    for tr in _container_children(tbl):
        if tr.tag != W_TR:
            continue
        trpr = tr.find(qn("w:trPr"))
        col = _int(_val(trpr, "w:gridBefore"), 0)
        row: list[TableCell] = []
        for tc in _container_children(tr):
            if tc.tag != W_TC:
                continue
            tcpr = tc.find(qn("w:tcPr"))
            span = max(_int(_val(tcpr, "w:gridSpan"), 1), 1)
            vmerge_el = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            hmerge = _val(tcpr, "w:hMerge")
            nested.extend(t for t in tc.iter(W_TBL) if t is not tc)
            if vmerge_el is not None and vmerge_el.get(W_VAL) in (None, "continue") and col in open_v:
                above = open_v[col]
                above.rowspan = r - above.row + 1
            elif hmerge == "continue" and row:
                row[-1].colspan += span  # legacy horizontal merge: widen the cell to the left
            else:
                cell = TableCell(cell_text(tc), r, col, 1, span, Source(row=r, col=col))
                row.append(cell)
                for c in range(col, col + span):
                    open_v.pop(c, None)
                if vmerge_el is not None:  # restart: cells below may continue it
                    open_v[col] = cell
            col += span
        rows.append(row)
        r += 1
    # Only the outermost nested tables: deeper ones are found when those are read.
    top_nested = [t for t in nested if not any(o is not t and t in set(o.iter(W_TBL)) for o in nested)]
    return Table(rows), top_nested


# ---------------------------------------------------------------- document


def blocks_from_body(body, levels: StyleLevels) -> list[Block]:
    blocks: list[Block] = []

    def emit_table(tbl) -> None:
        table, nested = table_grid(tbl)
        if any(table.rows):
            blocks.append(table)
        for t in nested:
            emit_table(t)

    for el in _container_children(body):
        if el.tag == W_P:
            text = "\n".join(ln for ln in paragraph_lines(el) if ln)
            if text:
                blocks.append(Paragraph(text, Source(), levels.of(el)))
        elif el.tag == W_TBL:
            emit_table(el)
    return blocks


def read(path: Path, data: bytes) -> Document:
    from . import ReadError
    from .limits import check_zip

    check_zip(data, path)  # python-docx inflates every member whole: sizes are checked first
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError) as e:
        raise ReadError(path, f"DOCX 文件损坏或不是 Word 文档 (corrupt or not a Word document: {e})", "read.corrupt") from e
    except ValueError as e:  # python-docx: a zip that is not a WordprocessingML package (e.g. .xlsx)
        raise ReadError(path, f"不是 Word 文档 (not a Word document: {e})", "read.unsupported-type") from e
    blocks = blocks_from_body(document.element.body, StyleLevels(document))
    text = finish(blocks)
    return Document(str(path), blocks, "docx", text=text)
