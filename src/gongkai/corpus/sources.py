"""The file a stored report was read from, and where in it a cell was printed.

Files uploaded through the web app are kept by their SHA-256 (``web_sources``). A cell's source says
where it came from; this module turns that into something a person can look at: the PDF page with
the cell's box drawn, or the lines of the text around the cell, or the row of the HTML/Word table.
Files are re-read by gongkai's own readers, so offsets mean exactly what they meant when read.
"""
from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, insert, select

from ..blocks import Document, Table
from ..read import read_document
from ..store.web_tables import WebSource

WS = WebSource.__table__
CONTEXT = 80          # characters shown either side of a cell in a text excerpt
RENDER_SCALE = 1.5    # PDF page image: 108 dpi is enough to read a table cell


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    name: str
    media_type: str
    data: bytes


def keep(engine: Engine, sha256: str, name: str, media_type: str, data: bytes) -> None:
    """Keep a file's bytes once (a second upload of the same bytes changes nothing)."""
    with engine.begin() as conn:
        if conn.execute(select(WS.c.sha256).where(WS.c.sha256 == sha256)).first() is None:
            conn.execute(insert(WS).values(sha256=sha256, name=name[:500], media_type=media_type, size=len(data),
                                           data=data, stored_at=datetime.now(timezone.utc).replace(tzinfo=None)))


def get(engine: Engine, sha256: str) -> StoredFile | None:
    with engine.connect() as conn:
        r = conn.execute(select(WS).where(WS.c.sha256 == sha256)).first()
    return None if r is None else StoredFile(r.sha256, r.name, r.media_type, r.data)


def has(engine: Engine, sha256: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(WS.c.sha256).where(WS.c.sha256 == sha256)).first() is not None


def suffix_for(name: str) -> str:
    """The reader's suffix for a file name: only a known suffix, never the name itself."""
    from ..read import SUPPORTED_SUFFIXES

    suf = Path(name).suffix.lower()
    return suf if suf in SUPPORTED_SUFFIXES else ".bin"


def reread(f: StoredFile) -> Document:
    with tempfile.TemporaryDirectory(prefix="gongkai-src-") as d:
        p = Path(d) / ("source" + suffix_for(f.name))
        p.write_bytes(f.data)
        return read_document(p)


def page_png(f: StoredFile, page: int, bbox: tuple[float, float, float, float] | None) -> bytes:
    """A PDF page as PNG with the box (x0, top, x1, bottom in points from the top-left) drawn."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(f.data)
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"没有第 {page} 页")
        img = pdf[page - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    if bbox:
        x0, top, x1, bottom = (v * RENDER_SCALE for v in bbox)
        ImageDraw.Draw(img).rectangle([x0 - 3, top - 3, x1 + 3, bottom + 3], outline=(220, 0, 0), width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def excerpt(doc: Document, source: dict) -> dict | None:
    """The text around a cell: {before, text, after}, from offsets or from the table row."""
    if source.get("start") is not None and doc.text:
        a, b = int(source["start"]), int(source.get("end") or source["start"])
        t = doc.text
        return {"before": t[max(0, a - CONTEXT):a], "text": t[a:b], "after": t[b:b + CONTEXT]}
    if source.get("table") is not None and source.get("row") is not None:
        ti = int(source["table"])  # the table's block index (read._shared.finish)
        table = doc.blocks[ti] if 0 <= ti < len(doc.blocks) else None
        if not isinstance(table, Table):
            return None
        row = next((r for r in table.rows if r and r[0].row == int(source["row"])), None)
        if row is None:
            return None
        col = source.get("col")
        before = " | ".join(c.text for c in row if col is None or c.col < col)
        hit = " ".join(c.text for c in row if c.col == col)
        after = " | ".join(c.text for c in row if col is not None and c.col > col)
        return {"before": before + (" | " if before else ""), "text": hit, "after": (" | " if after else "") + after}
    return None
