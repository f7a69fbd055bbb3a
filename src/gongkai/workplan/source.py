"""Turn a notice file (text, DOCX, PDF with a text layer) into clean paragraphs.

Text and PDF sources lose paragraph structure at page and line breaks ("…历史公文公开属性重新认" /
"定工作。"), so their fragments are rejoined; DOCX paragraphs are the author's own and kept as they are.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..blocks import Paragraph
from .errors import UnsupportedFileError
from .patterns import (
    BARE_HEADING_MAX_CHARS,
    CLOSING_LINE,
    HEADING_STYLES,
    MARKUP_PREFIX,
    NOISE_LINE,
    OPEN_CLOSE_PAIRS,
    PARAGRAPH_END,
)

# Spaces between two CJK characters are artefacts of extraction ("社会保障 政务公开"), never meaning.
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
_CJK_GAP = re.compile(rf"(?<={_CJK})[ \t\u3000\u00a0]+(?={_CJK})")


def read_paragraphs(path: Path) -> list[str]:
    """Paragraphs of the file at `path`, normalised and (for text and PDF) rejoined.

    The file is read by gongkai's own readers (``gongkai.read``): the same decoding, DOCX and PDF
    handling and the same clear errors as for annual reports. A table's rows count as lines.
    """
    from ..read import ReadError, read_document

    try:
        doc = read_document(path)
    except ReadError as exc:
        raise UnsupportedFileError(_reason(path, exc)) from exc
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines += block.text.split("\n")
        else:
            lines += ["\t".join(cell.text for cell in row) for row in block.rows]
    if doc.kind == "docx":  # the author's own paragraphs: a soft line break inside one is layout
        return [p for p in (normalise(t) for t in lines) if p]
    return join_fragments(lines)


def _reason(path: Path, exc) -> str:
    if exc.code == "read.needs-ocr":
        return f"PDF 文件“{path.name}”没有文字层（可能是扫描件）：请提供可复制文字的 PDF 或 DOCX"
    if exc.code == "read.unsupported-type":
        return f"不支持的文件类型“{path.suffix or path.name}”：请提供 .txt、.docx 或带文字层的 .pdf 文件"
    return f"无法读取文件“{path.name}”：{exc.reason}"


def normalise(line: str) -> str:
    line = MARKUP_PREFIX.sub("", line.strip()).strip()
    return _CJK_GAP.sub("", line)


def join_fragments(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    in_body = False
    for raw in lines:
        fragment = normalise(raw)
        if not fragment or NOISE_LINE.match(fragment):
            continue
        found = heading_match(fragment)
        if found is not None and found[0] <= 1:
            in_body = True
        if paragraphs and _continues(paragraphs[-1], fragment, in_body):
            paragraphs[-1] += fragment
        else:
            paragraphs.append(fragment)
    return paragraphs


def _continues(previous: str, fragment: str, in_body: bool) -> bool:
    if heading_match(fragment) or CLOSING_LINE.match(fragment):
        return False
    if _unbalanced(previous):
        return True
    # Before the first heading the 公文 head is a column of short unpunctuated lines (issuer, 文号,
    # title, salutation) that must stay apart for the title to be found.
    if not in_body:
        return False
    if previous.endswith(PARAGRAPH_END):
        return False
    return not _is_bare_heading(previous)


def heading_match(text: str) -> tuple[int, str, str] | None:
    """(rank, normalised label, rest of the text) when `text` opens with a heading number."""
    for style in HEADING_STYLES:
        m = style.pattern.match(text)
        if m:
            return style.rank, style.label.format(n=m.group("n")), text[m.end():]
    return None


def _is_bare_heading(text: str) -> bool:
    found = heading_match(text)
    if found is None:
        return False
    rest = found[2]
    return len(rest) <= BARE_HEADING_MAX_CHARS and not re.search(r"[。！？；!?;]", rest)


def _unbalanced(text: str) -> bool:
    return any(text.count(o) > text.count(c) for o, c in OPEN_CLOSE_PAIRS)
