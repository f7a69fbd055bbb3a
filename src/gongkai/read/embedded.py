"""Page images inside HTML and Word reports, read by OCR.

Some offices publish the report's tables — or the whole report — as pictures in a web page or a
Word file. When such a document gives no table of its own, its pictures large enough to hold a
table or a page are read by OCR (ocr.py) and their blocks follow the document's own, in the order
the pictures appear. Pictures come only from inside the document: a DOCX's ``word/media`` parts it
references, and for HTML ``data:`` URIs and files in the HTML file's own folder (a picture path
naming anything outside it, or a web address, is not followed).
"""
from __future__ import annotations

import base64
import re
import zipfile
from io import BytesIO
from pathlib import Path

from ..blocks import Block, Document, Table
from ._shared import finish

MIN_SIDE = 300             # pixels: smaller pictures are logos, seals, icons
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGES = 60

_EMBED = re.compile(rb'r:embed="([^"]+)"')
_REL = re.compile(rb'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"|<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')


def docx_images(data: bytes) -> list[bytes]:
    """Pictures of a DOCX body in document order (each once)."""
    out: list[bytes] = []
    with zipfile.ZipFile(BytesIO(data)) as z:
        names = set(z.namelist())
        if "word/document.xml" not in names or "word/_rels/document.xml.rels" not in names:
            return []
        rels: dict[bytes, bytes] = {}
        for m in _REL.finditer(z.read("word/_rels/document.xml.rels")):
            rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            rels[rid] = target
        seen: set[str] = set()
        for m in _EMBED.finditer(z.read("word/document.xml")):
            target = rels.get(m.group(1))
            if not target:
                continue
            name = "word/" + target.decode("utf-8", "replace").lstrip("/").removeprefix("word/")
            if name in seen or name not in names:
                continue
            seen.add(name)
            if z.getinfo(name).file_size <= MAX_IMAGE_BYTES:
                out.append(z.read(name))
            if len(out) >= MAX_IMAGES:
                break
    return out


def html_images(path: Path, data: bytes) -> list[bytes]:
    """Pictures of an HTML page: data: URIs, and files inside the page's own folder."""
    import lxml.html

    try:
        root = lxml.html.fromstring(data)
    except Exception:
        return []
    base = path.resolve().parent
    out: list[bytes] = []
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if src.startswith("data:image/") and ";base64," in src:
            try:
                blob = base64.b64decode(src.split(",", 1)[1], validate=False)
            except ValueError:
                continue
        elif src and "://" not in src and not src.startswith(("/", "\\")):
            from urllib.parse import unquote

            target = (base / unquote(src.split("?", 1)[0])).resolve()
            if base not in target.parents or not target.is_file() or target.stat().st_size > MAX_IMAGE_BYTES:
                continue
            blob = target.read_bytes()
        else:
            continue
        out.append(blob)
        if len(out) >= MAX_IMAGES:
            break
    return out


def _large(blob: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(BytesIO(blob)) as im:
            return min(im.size) >= MIN_SIDE
    except Exception:
        return False


def with_ocr(doc: Document, path: Path, data: bytes, options) -> Document:
    """The document with its pictures read by OCR, when it has no table of its own."""
    from . import ocr
    from .image import _frame, _open

    if any(isinstance(b, Table) for b in doc.blocks):
        return doc
    try:
        blobs = docx_images(data) if doc.kind == "docx" else html_images(path, data)
    except (zipfile.BadZipFile, KeyError, OSError):
        return doc
    blobs = [b for b in blobs if _large(b)]
    if not blobs:
        return doc
    run = ocr.OcrRun()
    run.load_seconds = ocr.recognizer_ready(path, len(blobs))
    progress = getattr(options, "progress", None)
    blocks: list[Block] = list(doc.blocks)
    for k, blob in enumerate(blobs):
        im, _n = _open(path, blob)
        gray, dpi = _frame(path, im, 0)
        blocks += ocr.ocr_gray(run, gray, dpi, k + 1)
        if progress is not None:
            progress(k + 1, len(blobs))
    text = finish(blocks)
    meta = dict(doc.meta)
    meta["ocr"] = run.meta(blocks, text)
    meta["ocr"]["images"] = len(blobs)
    return Document(doc.path, blocks, doc.kind, text=text, pages=doc.pages, meta=meta)
