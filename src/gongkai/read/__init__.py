"""Readers: bytes of a file → a Document of blocks. Pluggable by file type.

A reader is a module with ``read(path: Path, data: bytes) -> Document``. The type is sniffed
from the content first (a PDF is a PDF whatever its name) and from the extension second.
Every problem with the input becomes a ``ReadError`` naming the file and the reason.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..blocks import Document

MAX_BYTES = 200 * 1024 * 1024  # a report larger than this is not a report we should read whole

# kind -> module implementing read(); new input formats are added here and nowhere else.
READERS: dict[str, str] = {
    "text": "gongkai.read.text",
    "html": "gongkai.read.html",
    "docx": "gongkai.read.docx",
    "pdf": "gongkai.read.pdf",
    "image": "gongkai.read.image",
}

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx", ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}

SUPPORTED_SUFFIXES = tuple(EXTENSIONS)


@dataclass(frozen=True)
class ReadOptions:
    """How to read: OCR for scanned pages and images (on unless turned off), and a progress callback
    ``progress(pages_done, pages_to_read)`` called after each page read by OCR."""

    ocr: bool = True
    progress: Callable[[int, int], None] | None = None


class ReadError(Exception):
    """The file cannot be read as a report. ``str()`` names the file and the reason."""

    def __init__(self, path: str | Path, reason: str, code: str = "read.error"):
        self.path = str(path)
        self.reason = reason
        self.code = code
        super().__init__(f"{self.path}: {reason}")


def sniff(path: Path, head: bytes) -> str | None:
    """The reader kind for a file, from its first bytes, else its extension."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        # A zip: Word if it says so; .xlsx/.pptx and other zips are not reports we read.
        return "docx" if (b"word/" in head or path.suffix.lower() == ".docx") else None
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"  # PNG, JPEG, TIFF: a scanned page or a photographed report
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .doc / .xls, or an encrypted Office file
    low = head[:2048].lower()
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low:
        return "html"
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind:
        return kind
    return None


def read_document(path: str | Path, options: ReadOptions | None = None) -> Document:
    """Read any supported file into blocks, or raise ReadError with a clear reason.

    Scanned PDF pages and image files are read by OCR unless ``options.ocr`` is off; then an
    image-only PDF or an image gets a ``read.needs-ocr`` error."""
    options = options or ReadOptions()
    p = Path(path)
    if not p.exists():
        raise ReadError(p, "文件不存在 (file not found)", "read.not-found")
    if p.is_dir():
        raise ReadError(p, "是目录而不是文件 (a directory, not a file)", "read.not-a-file")
    size = p.stat().st_size
    if size == 0:
        raise ReadError(p, "空文件 (empty file)", "read.empty")
    if size > MAX_BYTES:
        raise ReadError(p, f"文件过大：{size / 1024 / 1024:.0f} MB，上限 {MAX_BYTES // 1024 // 1024} MB (file too large)",
                        "read.too-large")
    data = p.read_bytes()
    kind = sniff(p, data[:8192])
    if kind == "ole":
        raise ReadError(p, "旧版 Office 二进制文件（.doc/.xls）或加密的 Office 文件，请另存为 .docx 或 PDF "
                           "(legacy or encrypted Office file: save as .docx or PDF)", "read.unsupported-type")
    if kind is None or kind not in READERS:
        raise ReadError(p, f"不支持的文件类型 '{p.suffix or '?'}' (unsupported file type)", "read.unsupported-type")
    try:
        module = importlib.import_module(READERS[kind])
    except ImportError as e:  # a reader whose library is missing: say so rather than crash
        raise ReadError(p, f"缺少读取 {kind} 的组件：{e} (reader unavailable)", "read.reader-unavailable") from e
    try:
        if getattr(module, "TAKES_OPTIONS", False):
            return module.read(p, data, options)
        doc = module.read(p, data)
        if options.ocr and kind in ("html", "docx"):
            from .embedded import with_ocr  # pictures of tables or pages, when the document has no table

            doc = with_ocr(doc, p, data, options)
        return doc
    except ReadError:
        raise
    except Exception as e:  # a reader bug or a broken file: one clear error, the batch goes on
        raise ReadError(p, f"无法读取 {kind} 文件：{type(e).__name__}: {e} (cannot read file)", "read.corrupt") from e
