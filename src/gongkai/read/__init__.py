"""Readers: bytes of a file → a Document of blocks. Pluggable by file type.

A reader is a module with ``read(path: Path, data: bytes) -> Document``. The type is sniffed
from the content first (a PDF is a PDF whatever its name) and from the extension second.
Every problem with the input becomes a ``ReadError`` naming the file and the reason.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import lazy
from ..blocks import Document
from . import limits

MAX_BYTES = limits.MAX_FILE  # a file larger than this is refused whatever its kind (limits.py)

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
# A filled Excel template (``gongkai compose template``): not a reader's kind — ``check`` hands it to the
# composer's template reader — but a file that a folder of reports may hold and that is checked.
TEMPLATE_SUFFIXES = (".xlsx",)


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
    if b"\x00" in low:  # UTF-16 without a byte-order mark: its ASCII letters are interleaved with zero bytes
        low = head[:4096].replace(b"\x00", b"").lower()
    if b"<html" in low or b"<!doctype html" in low:
        return "html"
    if b"<table" in low and (EXTENSIONS.get(path.suffix.lower()) != "text" or low.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")):
        return "html"  # a fragment of a page; a Markdown text may hold a raw HTML table (pandoc) and stays text
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind:
        return kind
    return None


def read_bytes(path: str | Path) -> tuple[bytes, str | None]:
    """The file's bytes and its reader kind, or ReadError — checked before the file is read whole: a file
    larger than its kind's limit (``limits.py``) is refused from its size and its first bytes."""
    p = Path(path)
    try:
        st = p.stat()  # follows links: a dangling link is "not found"
    except FileNotFoundError:
        raise ReadError(p, "文件不存在 (file not found)", "read.not-found") from None
    except OSError as e:  # a link loop, a name too long, no permission on a folder
        raise ReadError(p, f"无法访问：{e.strerror or e} (cannot access)", "read.unreadable") from None
    # From the stat already made (is_dir() and is_file() would each make another, following links the same way).
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(p, "是目录而不是文件 (a directory, not a file)", "read.not-a-file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(p, "不是普通文件（设备、管道或套接字）(not a regular file)", "read.not-a-file")
    size = st.st_size
    if size == 0:
        raise ReadError(p, "空文件 (empty file)", "read.empty")
    if size > limits.MAX_FILE:
        raise ReadError(p, limits.too_large(size, limits.MAX_FILE), "read.too-large")
    try:
        with p.open("rb") as fh:
            head = fh.read(8192)
            kind = sniff(p, head)
            limit = limits.file_limit(kind)
            if size > limit:
                raise ReadError(p, limits.too_large(size, limit), "read.too-large")
            # what stat said, and one byte more to see growth: never more than the limit (read(n) allocates n)
            data = head + fh.read(max(0, size + 1 - len(head)))
    except PermissionError:
        raise ReadError(p, "没有读取权限 (permission denied)", "read.unreadable") from None
    except IsADirectoryError:
        raise ReadError(p, "是目录而不是文件 (a directory, not a file)", "read.not-a-file") from None
    except OSError as e:
        raise ReadError(p, f"无法读取：{e.strerror or e} (cannot read)", "read.unreadable") from None
    if len(data) > limit:  # the file grew while it was read
        raise ReadError(p, limits.too_large(len(data), limit), "read.too-large")
    return data, kind


def read_data(path: str | Path, data: bytes, kind: str | None = None, options: ReadOptions | None = None) -> Document:
    """Blocks from bytes already read (``read_bytes``): the reader for the kind, or ReadError. Scanned PDF
    pages and image files are read by OCR unless ``options.ocr`` is off; then an image-only PDF or an image
    gets a ``read.needs-ocr`` error."""
    options = options or ReadOptions()
    p = Path(path)
    if kind is None:
        kind = sniff(p, data[:8192])
    if kind == "ole":
        raise ReadError(p, "旧版 Office 二进制文件（.doc/.xls）或加密的 Office 文件，请另存为 .docx 或 PDF "
                           "(legacy or encrypted Office file: save as .docx or PDF)", "read.unsupported-type")
    if kind is None or kind not in READERS:
        raise ReadError(p, f"不支持的文件类型 '{p.suffix or '?'}' (unsupported file type)", "read.unsupported-type")
    try:
        module = lazy.module(READERS[kind])
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
    except (ReadError, MemoryError):  # MemoryError: the per-file memory budget (gongkai.limits) reports it
        raise
    except RecursionError as e:  # nesting deeper than any reader walks: one clear error, not a crash
        raise ReadError(p, f"{kind} 文件嵌套过深，无法读取 (nested too deeply)", "read.too-deep") from e
    except Exception as e:  # a reader bug or a broken file: one clear error, the batch goes on
        raise ReadError(p, f"无法读取 {kind} 文件：{type(e).__name__}: {e} (cannot read file)", "read.corrupt") from e


def read_document(path: str | Path, options: ReadOptions | None = None) -> Document:
    """Read any supported file into blocks, or raise ReadError with a clear reason."""
    data, kind = read_bytes(path)
    return read_data(path, data, kind, options)
