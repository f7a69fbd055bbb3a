"""Small helpers the layout readers (PDF, HTML, DOCX) share. Nothing here knows about reports.

* ``join_lines``: the lines of one cell or paragraph as one string. Chinese has no spaces between
  words, so a label wrapped (or printed one character per line) must be re-joined without inserting
  any; only two Latin/digit runs broken across lines get a space between them.
* ``finish``: give every table and cell its block index, and build the document's plain text with
  each paragraph's and cell's character offsets into it, so a value can be traced by offset too.
"""
from __future__ import annotations

import re
from ..blocks import Block, Paragraph, Source

# Everything that renders as blank space: ASCII whitespace, NBSP (&nbsp;), ideographic space, zero-width.
_BLANK = r"[\s\u00a0\u3000\u200b\ufeff]"
_SPACE_RUN = re.compile(_BLANK + "+")
BLANK_CHAR = re.compile(_BLANK)  # one character clean_space treats as blank


def clean_space(text: str) -> str:
    """One line of text with every run of blank characters as one space, ends stripped."""
    return _SPACE_RUN.sub(" ", text).strip()


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space between two Latin/digit words."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and _is_word_char(out[-1]) and _is_word_char(line[0]):
            out += " "
        out += line
    return out


def finish(blocks: list[Block]) -> str:
    """Number the tables (``Source.table`` = block index) and build the document text with offsets.

    The text is the paragraphs one per line and each table row as tab-separated cells, so the
    offsets of paragraphs and cells point into one string, as they do for the text reader.
    """
    parts: list[str] = []
    pos = 0  # where the next character of the text goes
    for i, block in enumerate(blocks):
        src = block.source  # Sources built directly: dataclasses.replace costs several times more
        if isinstance(block, Paragraph):
            end = pos + len(block.text)
            block.source = Source(pos, end, src.line, src.page, src.bbox, src.table, src.row, src.col, src.sheet, src.conf)
            parts += (block.text, "\n")
            pos = end + 1
            continue
        block.source = Source(src.start, src.end, src.line, src.page, src.bbox, i, src.row, src.col, src.sheet, src.conf)
        for row in block.rows:
            parts += ("\t".join([c.text for c in row]), "\n")
            for cell in row:
                end = pos + len(cell.text)
                src = cell.source
                cell.source = Source(pos, end, src.line, src.page, src.bbox, i, cell.row, cell.col, src.sheet, src.conf)
                pos = end + 1  # past the tab after the cell, or the row's line break after the last
            if not row:
                pos += 1  # an empty row is its line break alone
    return "".join(parts)

