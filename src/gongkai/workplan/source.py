"""Turn a notice file (text, DOCX, PDF with a text layer) into clean paragraphs.

Text and PDF sources lose paragraph structure at page and line breaks ("…历史公文公开属性重新认" /
"定工作。"), so their fragments are rejoined; DOCX paragraphs are the author's own and kept as they are.
"""
from __future__ import annotations

import re
from pathlib import Path

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

TEXT_SUFFIXES = (".txt", ".md", ".text")

# Spaces between two CJK characters are artefacts of extraction ("社会保障 政务公开"), never meaning.
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
_CJK_GAP = re.compile(rf"(?<={_CJK})[ \t\u3000\u00a0]+(?={_CJK})")


def read_paragraphs(path: Path) -> list[str]:
    """Paragraphs of the file at `path`, normalised and (for text and PDF) rejoined."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return join_fragments(_read_text(path).splitlines())
    if suffix == ".docx":
        return [p for p in (normalise(t) for t in _docx_lines(path)) if p]
    if suffix == ".pdf":
        return join_fragments(_pdf_lines(path))
    raise UnsupportedFileError(f"不支持的文件类型“{path.suffix or path.name}”：请提供 .txt、.docx 或带文字层的 .pdf 文件")


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


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    # Offices save text as UTF-8 or, from older Windows tools, GB18030.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnsupportedFileError(f"无法识别文件“{path.name}”的文字编码：请另存为 UTF-8 文本")


def _docx_lines(path: Path) -> list[str]:
    import docx  # imported here so text-only use does not pay for python-docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a damaged package
        raise UnsupportedFileError(f"无法打开 DOCX 文件“{path.name}”：{exc}") from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        # A soft line break inside a paragraph is layout, not structure.
        lines.append(paragraph.text.replace("\n", ""))
    return lines


def _pdf_lines(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pypdfium2 raises PdfiumError, but a missing file is OSError
        raise UnsupportedFileError(f"无法打开 PDF 文件“{path.name}”：{exc}") from exc
    lines: list[str] = []
    try:
        for page in pdf:
            textpage = page.get_textpage()
            lines.extend(textpage.get_text_bounded().splitlines())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    if not any(line.strip() for line in lines):
        raise UnsupportedFileError(f"PDF 文件“{path.name}”没有文字层（可能是扫描件）：请提供可复制文字的 PDF 或 DOCX")
    return lines
