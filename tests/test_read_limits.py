"""Sizes are checked before the work: a file too large for its kind is refused before it is read or
hashed whole, and a zip (DOCX, XLSX) before it is inflated — by its declared sizes, and by its real
ones while it is inflated in bounded chunks.

A 1.5 MB DOCX inflating to 1 GiB peaked at 7.8 GB; a 300 MB file was hashed whole before it was refused.
"""
from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest

from gongkai.check import check_path
from gongkai.read import ReadError, limits, read_document
from gongkai.read.limits import MB, check_zip

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"


def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)  # no data blocks: nothing heavy on disk
    return path


@pytest.mark.parametrize("name, size", [("big.txt", limits.MAX_BY_KIND["text"] + 1),
                                        ("big.html", limits.MAX_BY_KIND["html"] + 1),
                                        ("big.pdf", limits.MAX_FILE + 1)])
def test_oversized_file_is_refused_before_it_is_read_or_hashed(tmp_path: Path, name: str, size: int):
    p = _sparse(tmp_path / name, size, b"%PDF-1.7\n" if name.endswith(".pdf") else "报告".encode())
    r = check_path(p)
    assert (r.status, r.error_code) == ("error", "read.too-large")
    assert r.sha256 == ""  # refused from its size: never hashed
    assert "MB" in r.error


def test_a_text_just_under_its_limit_is_still_read(tmp_path: Path):
    text = EXAMPLE.read_bytes()
    assert len(text) < limits.MAX_BY_KIND["text"]
    assert check_path(EXAMPLE).status == "ok"


def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("示例市交通运输局2024年政府信息公开工作年度报告")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _with_member(data: bytes, name: str, size: int) -> bytes:
    """``data`` (a zip) with one more member of ``size`` zero bytes, written in chunks (deflate: ~1/1000)."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            chunk = bytes(MB)
            for _ in range(size // MB):
                fh.write(chunk)
    return buf.getvalue()


def test_docx_that_declares_a_huge_inflated_size_is_refused_before_inflating(tmp_path: Path):
    data = _with_member(_docx_bytes(), "word/media/image1.bin", limits.MAX_MEMBER + MB)
    assert len(data) < 2 * MB  # small on disk
    p = tmp_path / "bomb.docx"
    p.write_bytes(data)
    tracemalloc.start()
    r = check_path(p)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (r.status, r.error_code) == ("error", "read.too-large") and "解压后过大" in r.error
    assert peak < 20 * MB


def _lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """The zip with ``name``'s uncompressed size in its central directory entry set to ``declared``
    (the size ``zipfile`` and every reader trust; a streamed member's local header holds none)."""
    out = bytearray(data)
    at = out.index(b"PK\x01\x02")
    while out[at + 46:at + 46 + len(name)] != name.encode():
        at = out.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", out, at + 24, declared)
    return bytes(out)


def test_zip_member_larger_than_it_declares_is_stopped_while_inflating(tmp_path: Path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as fh:
            for _ in range(64):
                fh.write(bytes(MB))
    lying = _lie_about_size(buf.getvalue(), "word/document.xml", 1000)
    tracemalloc.start()
    with pytest.raises(ReadError) as e:
        check_zip(lying, "lying.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert e.value.code == "read.corrupt"
    assert peak < 16 * MB  # inflated a chunk at a time, never 64 MB at once


def test_docx_reader_checks_the_zip_first(tmp_path: Path):
    p = tmp_path / "r.docx"
    p.write_bytes(_docx_bytes())
    assert read_document(p).kind == "docx"


def test_xlsx_template_and_register_import_refuse_a_zip_bomb(tmp_path: Path):
    from openpyxl import Workbook

    from gongkai.compose.figures import FiguresError
    from gongkai.compose.template import read_template
    from gongkai.requests.importer import read_rows

    wb = Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    bomb = _with_member(buf.getvalue(), "xl/media/big.bin", limits.MAX_MEMBER + MB)
    p = tmp_path / "t.xlsx"
    p.write_bytes(bomb)
    with pytest.raises(FiguresError) as e:
        read_template(p)
    assert "解压后过大" in str(e.value)
    rows, errors = read_rows(bomb)
    assert rows == [] and "解压后过大" in errors[0].reason
