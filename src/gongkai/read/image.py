"""Image files (PNG, JPEG, TIFF with any number of pages) → blocks, by OCR (ocr.py).

An image is a page: the resolution it declares is used, or, where it declares none (screenshots,
photographs), the one an A4 page of its width would have.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..blocks import Block, Document
from ._shared import finish

MAX_PIXELS = 80_000_000   # an A4 page at 600 dpi is 35 Mpx; more is not a page scan
MAX_FRAMES = 500
A4_WIDTH_INCHES = 8.27

TAKES_OPTIONS = True


def _open(path: Path, data: bytes):
    """The image and its number of frames (pages)."""
    from PIL import Image, UnidentifiedImageError

    from . import ReadError

    try:
        im = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as e:
        raise ReadError(path, f"图片文件损坏或格式不支持 (corrupt or unsupported image: {e})", "read.corrupt") from e
    n = getattr(im, "n_frames", 1)
    if n > MAX_FRAMES:
        raise ReadError(path, f"图片页数过多：{n} 页 (too many pages in the image)", "read.too-large")
    return im, n


def _frame(path: Path, im, k: int):
    """Frame k as a grey array, and its resolution in dots per inch."""
    import numpy as np

    from . import ReadError

    im.seek(k)
    w, h = im.size
    if w * h > MAX_PIXELS:
        raise ReadError(path, f"图片过大：{w}×{h} 像素 (image too large)", "read.too-large")
    dpi = im.info.get("dpi")
    x = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else 0.0
    if not 50 <= x <= 1200:
        x = min(w, h) / A4_WIDTH_INCHES
    return np.asarray(im.convert("L")), max(x, 50.0)


def read(path: Path, data: bytes, options=None) -> Document:
    from . import ReadError, ocr

    if not getattr(options, "ocr", True):
        raise ReadError(path, "图片文件需要 OCR 识别后才能读取（已关闭 OCR）(an image needs OCR, which is turned off)",
                        "read.needs-ocr")
    im, n = _open(path, data)
    run = ocr.OcrRun()
    run.load_seconds = ocr.recognizer_ready(path, n)
    progress = getattr(options, "progress", None)
    blocks: list[Block] = []
    for k in range(n):
        gray, dpi = _frame(path, im, k)
        blocks += ocr.ocr_gray(run, gray, dpi, k + 1)
        if progress is not None:
            progress(k + 1, n)
    text = finish(blocks)
    return Document(str(path), blocks, "image", text=text, pages=n, meta={"ocr": run.meta(blocks, text)})
