"""How much of a file gongkai reads: limits checked before the work, not after it.

A file is refused before it is read (or hashed) whole when it is larger than any report of its kind
can be; a zip (DOCX, XLSX) is refused before it is inflated when its members declare more than the
limits below, and while it is inflated when a member turns out larger than it declared. A 1.5 MB
DOCX that inflated to 1 GiB peaked at 7.8 GB; a 190 MB "text" ran out of memory after 161 s.

The limits are far above real reports (the largest in the corpus: a 111 KB page, a 1 MB PDF); the
memory one file may take is about ten times its limit (lxml's tree, the matcher's segments).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024
MAX_FILE = 200 * MB                 # any file, before its kind is known
MAX_BY_KIND = {                     # reader kind → largest file read
    "text": 20 * MB,                # a report's text is well under 1 MB
    "html": 20 * MB,                # also bounds lxml's huge_tree (no depth limit, see read/html.py)
    "docx": 50 * MB,                # compressed; embedded images make Word files large
    "pdf": 200 * MB,                # scanned pages
}
MAX_UNZIPPED = 200 * MB             # all members of a zip together, inflated
MAX_MEMBER = 100 * MB               # one member, inflated
MAX_MEMBERS = 10_000
_CHUNK = MB


def file_limit(kind: str | None) -> int:
    return MAX_BY_KIND.get(kind or "", MAX_FILE)


def too_large(size: int, limit: int) -> str:
    return f"文件过大：{size / MB:.1f} MB，上限 {limit // MB} MB (file too large: {size:,} bytes)"


def check_zip(source: str | Path | bytes | BinaryIO, path: str | Path | None = None) -> None:
    """Raise ReadError unless the zip's members, inflated, stay within the limits.

    The declared sizes are checked first (nothing inflated); then every member is inflated in 1 MB
    chunks and counted, so a member that lies about its size is stopped at its declared size plus
    one chunk — not after it has filled memory. (``zipfile`` itself inflates a member whole before it
    compares the size, and python-docx and openpyxl read members whole.)
    """
    from . import ReadError

    name = path if path is not None else (source if isinstance(source, (str, Path)) else "<zip>")
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        with zipfile.ZipFile(stream) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise ReadError(name, f"压缩包内文件过多：{len(members)} 个 (zip holds too many members)",
                                "read.too-large")
            declared = sum(m.file_size for m in members)
            big = max(members, key=lambda m: m.file_size, default=None)
            if declared > MAX_UNZIPPED or (big is not None and big.file_size > MAX_MEMBER):
                raise ReadError(name, f"解压后过大：声明 {declared / MB:.0f} MB，上限 {MAX_UNZIPPED // MB} MB，"
                                      f"单个文件上限 {MAX_MEMBER // MB} MB (zip inflates too large)", "read.too-large")
            total = 0
            for m in members:
                seen = 0
                with zf.open(m) as fh:
                    while chunk := fh.read(_CHUNK):
                        seen += len(chunk)
                        if seen > m.file_size or seen > MAX_MEMBER:
                            raise ReadError(name, f"压缩包成员 {m.filename} 实际大小超过声明的 {m.file_size} 字节 "
                                                  f"(zip member larger than declared)", "read.corrupt")
                total += seen
                if total > MAX_UNZIPPED:
                    raise ReadError(name, "解压后过大 (zip inflates too large)", "read.too-large")
    except zipfile.BadZipFile as e:
        raise ReadError(name, f"压缩包损坏：{e} (corrupt zip)", "read.corrupt") from e
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as e:
        raise ReadError(name, f"无法解压：{type(e).__name__}: {e} (cannot unzip)", "read.corrupt") from e
    finally:
        if not isinstance(source, (str, Path, bytes, bytearray)):
            source.seek(0)
