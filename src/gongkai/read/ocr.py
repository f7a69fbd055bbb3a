"""A page image → the same blocks the PDF reader makes: ruled tables as grids, the rest as paragraphs.

Scanned reports (image-only PDF pages, PNG/JPEG/TIFF files, page images in HTML and DOCX) go
through here. The page is analysed with OpenCV, and only the text found is recognised
(ocr_engine.py), in one batch per page:

1. ``binarize``: Otsu's threshold on the lightly blurred page (grey paper, photocopies and JPEG
   noise all separate from the ink), specks smaller than a full stop removed.
2. ``estimate_skew``: the angle that makes the rows of ink sharpest (table rules and text lines
   alike), searched on a reduced copy; the page is turned back by it.
3. ``ruling_lines``: morphological opening with long horizontal and vertical kernels keeps only
   table rules; they become ``pdf.Rule``s in points and go through the PDF reader's own
   ``merge_rulings``/``find_grids``, so a scanned table becomes the same grid, with the same merged
   cells, that its text-layer original gives.
4. Cells: rules are erased, an empty cell stays empty (blank, not 0, and not sent to the
   recogniser), a cell's ink is cut into text lines; one character per line (vertical labels such
   as 三、本年度办理结果) is set side by side and read as one line.
5. Text outside tables: rows of ink → lines → the PDF reader's ``paragraphs``.

Coordinates are PDF points (``px × 72 / dpi``), as for PDF input. Every character keeps its
confidence; doubtful characters (low confidence, a confusable runner-up such as 6/8, a letter read
where a digit stands, a character the blank may have swallowed) are returned as ``Doubt``s with
their place in the block's text, for the ``ocr.*`` findings (rules/ocr.py).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..blocks import Block, Paragraph, Source, Table, TableCell
from . import pdf as pdf_reader
from .ocr_engine import LineText, engine

LOW_CONF = 0.90          # a character below this probability is doubtful
CONFUSABLE_ALT = 0.05    # a confusable runner-up at least this probable makes a character doubtful
# Characters OCR confuses with digits, and the digit each stands for where a number is printed.
LETTER_DIGITS = {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                 "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9"}
LETTER_DIGITS.update({c: "0" for c in "óòôõöøÓÒÔÕÖØθ°"})  # an o with a speck or an accent
CONFUSABLE = {frozenset(p) for p in ("0O", "0o", "0D", "08", "06", "09", "1l", "1I", "1|", "17", "1i", "68", "69",
                                     "38", "35", "58", "5S", "2Z", "2z", "8B", "49", "47", "71", "96", "98", "0Q",
                                     "36", "23", "13")}
DASHES = {"一", "—", "－", "_", "–", "~", "〜"}  # a lone stroke in a value cell: the "-" placeholder


@dataclass
class Doubt:
    """A doubtful character of the text of a block (offset into that paragraph's or cell's text)."""

    offset: int
    kind: str                   # "low-confidence" | "confusable" | "letter-digit" | "dropped" | "unreadable"
    char: str                   # as it stands in the text
    conf: float
    read: str = ""              # what the recogniser printed, where gongkai read it as another character
    alternatives: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "char": self.char, "conf": round(self.conf, 4)}
        if self.read:
            d["read"] = self.read
        if self.alternatives:
            d["alternatives"] = [[c, round(p, 4)] for c, p in self.alternatives]
        return d


@dataclass
class PageOCR:
    blocks: list[Block]
    doubts: list[tuple[object, Doubt]]  # (the Paragraph or TableCell, doubt in its text)
    skew: float                          # degrees the page was turned back
    seconds: float
    lines: int                           # text lines recognised
    unplaced: list[tuple[float, float, float, float]] = field(default_factory=list)  # ink in a table, in no cell


# ---------------------------------------------------------------- 1. ink


def flatten(gray: np.ndarray) -> np.ndarray:
    """The page divided by its paper: uneven grey paper or lighting becomes white, ink stays dark.

    The paper is the page with the ink closed over, on a copy reduced 8×: cheap, and smooth enough
    that Otsu's one threshold then fits the whole page."""
    import cv2

    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    paper = cv2.GaussianBlur(paper, (0, 0), 3)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.clip(gray.astype(np.float32) * 255.0 / np.maximum(paper, 1.0), 0, 255).astype(np.uint8)


def binarize(gray: np.ndarray, dpi: float, specks: list | None = None) -> np.ndarray:
    """Ink mask (uint8 0/1): Otsu on the lightly blurred page; specks smaller than a full stop removed
    (their mask is appended to ``specks`` when given, so that they can be whitened in the image too:
    a speck over a 0 reads as ò)."""
    import cv2

    blur = cv2.GaussianBlur(flatten(gray), (3, 3), 0)
    _, ink = cv2.threshold(blur, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    speck = max(2, int(round((dpi / 200.0) ** 2 * 5)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < speck
    small[0] = False
    if small.any():
        mask = small[labels]
        ink[mask] = 0
        if specks is not None:
            specks.append(mask)
    return ink


# ---------------------------------------------------------------- 2. skew


def _sharpness(mask: np.ndarray, angle: float) -> float:
    import cv2

    h, w = mask.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    prof = rot.sum(axis=1, dtype=np.float64)
    d = np.diff(prof)
    return float((d * d).sum())


def estimate_skew(ink: np.ndarray, limit: float = 5.0) -> float:
    """Degrees to turn the page (counter-clockwise positive, OpenCV's sense) so its rows of ink are level."""
    import cv2

    h, w = ink.shape
    scale = min(1.0, 700.0 / max(w, 1))
    small = cv2.resize(ink.astype(np.float32), (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA)
    if small.sum() < 50:
        return 0.0
    best, best_s = 0.0, _sharpness(small, 0.0)
    for step, span in ((0.5, limit), (0.1, 0.5), (0.025, 0.1)):
        centre = best
        for a in np.arange(centre - span, centre + span + 1e-9, step):
            if abs(a - centre) < 1e-9:
                continue
            s = _sharpness(small, float(a))
            if s > best_s:
                best, best_s = float(a), s
    return round(best, 3)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


# ---------------------------------------------------------------- 3. rules


def ruling_lines(ink: np.ndarray, dpi: float) -> tuple[list[pdf_reader.Rule], np.ndarray]:
    """Table rules as ``pdf.Rule``s in points, and the mask of their pixels (to erase them)."""
    import cv2

    h_len = max(15, int(dpi * 0.4))     # longer than any glyph stroke or a ——
    v_len = max(10, int(dpi * 0.22))    # longer than a body-text stroke, shorter than a table row
    thick = max(3, int(dpi * 0.045))    # thicker than this is a filled area, not a rule
    gap = max(2, int(dpi * 0.02))       # bridges breaks a photocopy leaves in a rule
    s = 72.0 / dpi
    rules: list[pdf_reader.Rule] = []
    mask = np.zeros_like(ink)
    for orient, kernel, bridge in (("h", (h_len, 1), (gap, 1)), ("v", (1, v_len), (1, gap))):
        k = cv2.getStructuringElement(cv2.MORPH_RECT, kernel)
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, k)
        lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        keep = np.zeros(n, dtype=np.uint8)
        for i in range(1, n):
            x, y, w, hgt, _area = stats[i]
            across, along = (hgt, w) if orient == "h" else (w, hgt)
            if across > thick or along < (h_len if orient == "h" else v_len):
                continue
            if orient == "h":
                rules.append(pdf_reader.Rule("h", (y + hgt / 2) * s, x * s, (x + w) * s))
            else:
                rules.append(pdf_reader.Rule("v", (x + w / 2) * s, y * s, (y + hgt) * s))
            keep[i] = 1
        mask |= keep[labels]
    return rules, mask


# ---------------------------------------------------------------- 4. text lines in a region


@dataclass
class Band:
    top: int
    bottom: int     # exclusive
    x0: int
    x1: int         # exclusive


def bands(ink: np.ndarray) -> list[Band]:
    """Text lines of a region (ink mask): runs of rows with ink, strokes of one line joined.

    A character such as 三 or 二 is several rows of ink with gaps; a band much thinner than the
    region's usual line is merged into its nearer neighbour while the gap between them is small.
    """
    rows = ink.any(axis=1)
    if not rows.any():
        return []
    idx = np.flatnonzero(np.diff(np.concatenate(([0], rows.view(np.int8), [0]))))
    spans = [(int(a), int(b)) for a, b in zip(idx[::2], idx[1::2])]
    heights = [b - a for a, b in spans]
    tallest = max(heights)
    # a line's height: the usual height of the bands that are whole lines, not strokes
    ref = float(np.median([x for x in heights if x >= 0.35 * tallest]))
    settled: set[tuple[int, int]] = set()  # thin marks standing alone (a dash): lines of their own
    while len(spans) > 1:
        thin = [i for i, (a, b) in enumerate(spans) if b - a < 0.55 * ref and spans[i] not in settled]
        if not thin:
            break
        k = min(thin, key=lambda i: spans[i][1] - spans[i][0])
        gaps = []
        if k > 0:
            gaps.append((spans[k][0] - spans[k - 1][1], k - 1))
        if k + 1 < len(spans):
            gaps.append((spans[k + 1][0] - spans[k][1], k + 1))
        g, other = min(gaps)
        if g > 0.6 * ref:
            settled.add(spans[k])
            continue
        lo, hi = sorted((k, other))
        spans[lo] = (spans[lo][0], spans[hi][1])
        del spans[hi]
    out = []
    for a, b in spans:
        cols = np.flatnonzero(ink[a:b].any(axis=0))
        out.append(Band(a, b, int(cols[0]), int(cols[-1]) + 1))
    return out


def _crop(gray: np.ndarray, band: Band, ox: int, oy: int, limit: tuple[int, int, int, int] | None = None,
          min_height: int = 0) -> np.ndarray:
    """The band's text with a white margin (band coordinates relative to (ox, oy) in the page).

    A band lower than ``min_height`` (a dash, a full stop) is given the margin of a line of text, so
    that the recogniser sees a small mark in a line and not one stroke blown up to its full height."""
    h = max(band.bottom - band.top, 1)
    pv, ph = max(2, int(h * 0.2)), max(3, int(h * 0.25))
    if h < min_height:
        pv += (min_height - h) // 2
        ph = max(ph, min_height // 4)
    top, bottom = oy + band.top, oy + band.bottom
    left, right = ox + band.x0, ox + band.x1
    H, W = gray.shape
    x0, y0, x1, y1 = limit if limit is not None else (0, 0, W, H)
    canvas = np.full((bottom - top + 2 * pv, right - left + 2 * ph), 255, dtype=np.uint8)
    a, b = max(y0, top - pv), min(y1, bottom + pv)
    c, d = max(x0, left - ph), min(x1, right + ph)
    if b > a and d > c:
        canvas[a - (top - pv):b - (top - pv), c - (left - ph):d - (left - ph)] = gray[a:b, c:d]
    return canvas


def _side_by_side(crops: list[np.ndarray]) -> np.ndarray:
    import cv2

    h = max(c.shape[0] for c in crops)
    parts = []
    for c in crops:
        if c.shape[0] != h:
            pad = h - c.shape[0]
            c = cv2.copyMakeBorder(c, pad // 2, pad - pad // 2, 0, 0, cv2.BORDER_CONSTANT, value=255)
        parts.append(c)
    return np.hstack(parts)


# ---------------------------------------------------------------- 5. text with doubts


@dataclass
class _Text:
    """Text assembled from recognised lines, with the doubtful characters' offsets."""

    text: str = ""
    doubts: list[Doubt] = field(default_factory=list)
    conf: float = 1.0

    def add_line(self, line: LineText) -> None:
        chars = line.chars
        while chars and chars[0].text.isspace():
            chars = chars[1:]
        while chars and chars[-1].text.isspace():
            chars = chars[:-1]
        if not chars:
            return
        if self.text and _word(self.text[-1]) and _word(chars[0].text):
            self.text += " "  # as read._shared.join_lines joins two Latin/digit runs
        base = len(self.text)
        out = []
        for i, ch in enumerate(chars):
            self.conf = min(self.conf, ch.conf)
            d = _doubt_of(ch, base + i)
            text = ch.text
            if d is not None and text in _DOTS and 0 < i < len(chars) - 1 \
                    and _cjk(chars[i - 1].text) and _cjk(chars[i + 1].text):
                # a dot inside a Chinese word is a thin stroke broken by the scan (一 of 三安全一稳定)
                alt = next((a for a, _ in ch.alternatives if _cjk(a)), None)
                if alt is not None:
                    d.read, d.char, text = text, alt, alt
            if d is not None:
                self.doubts.append(d)
            out.append(text)
        self.text += "".join(out)
        for x, ch, p in line.dropped:
            # where the blank may have swallowed a character: after the character left of x
            at = base + sum(1 for c in chars if c.x < x)
            self.doubts.append(Doubt(min(at, len(self.text) - 1), "dropped", ch, p))


_DOTS = set("·.-_—–、,")


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _doubt_of(ch, offset: int) -> Doubt | None:
    confusable = [(a, p) for a, p in ch.alternatives if p >= CONFUSABLE_ALT and frozenset((ch.text, a)) in CONFUSABLE]
    if confusable:
        return Doubt(offset, "confusable", ch.text, ch.conf, alternatives=tuple(confusable))
    if ch.conf < LOW_CONF:
        return Doubt(offset, "low-confidence", ch.text, ch.conf, alternatives=ch.alternatives)
    return None


def _as_value(t: _Text) -> _Text:
    """A value cell read with letters where digits stand ("1O" → "10", a lone 一 → "-"): each such
    character becomes a doubt, so the reading is never silent."""
    s = t.text.strip()
    if not s:
        return t
    if len(s) == 1 and s in DASHES:
        i = t.text.index(s)
        t.doubts = [d for d in t.doubts if d.offset != i] + [Doubt(i, "letter-digit", "-", t.conf, read=s)]
        t.text = t.text[:i] + "-" + t.text[i + 1:]
        return t
    body = s.replace(" ", "")
    odd = [c for c in body if not (c.isdigit() or c in LETTER_DIGITS or c in ".,")]
    doubtful = {t.text[d.offset] for d in t.doubts if d.offset < len(t.text)}
    if odd and not (len(odd) == 1 and odd[0] in doubtful and len(body) <= 6):
        return t
    if not any(c.isdigit() and c.isascii() for c in body) \
            and not (len(body) <= 2 and all(c in LETTER_DIGITS or c in odd for c in body)):
        return t
    chars = list(t.text)
    at = {d.offset: d for d in t.doubts}
    for i, c in enumerate(chars):
        d = at.get(i)
        if not (c.isdigit() or c in LETTER_DIGITS or c in ".,") and d is not None:
            # an odd glyph in a number (à for a specked 0): the most probable digit among its runner-ups,
            # kept as a doubt
            digit = next((LETTER_DIGITS.get(a, a) for a, _ in d.alternatives
                          if a.isdigit() and a.isascii() or a in LETTER_DIGITS), None)
            if digit is not None:
                chars[i], d.read, d.char = digit, c, digit
            continue
        if c in LETTER_DIGITS:
            chars[i] = LETTER_DIGITS[c]
            d = at.get(i)
            if d is not None:  # a doubt of its own (low confidence, a runner-up): it stays, with what was read
                d.char, d.read = chars[i], c
            else:
                t.doubts.append(Doubt(i, "letter-digit", chars[i], t.conf, read=c))
    t.text = "".join(chars)
    t.doubts = [d for d in t.doubts if not (d.kind == "confusable" and not _other_digit(d))
                and not (d.kind == "low-confidence" and _class_conf(d) >= LOW_CONF)]
    return t


def _class_conf(d: Doubt) -> float:
    """A digit's confidence with the glyphs that stand for the same digit counted in (0, O, ó …)."""
    own = LETTER_DIGITS.get(d.read or d.char, d.read or d.char)
    return d.conf + sum(p for a, p in d.alternatives if LETTER_DIGITS.get(a, a) == own and a != (d.read or d.char))


def _other_digit(d: Doubt) -> bool:
    """Does a runner-up of a digit stand for another value? (0 with runner-up O is still 0.)"""
    own = LETTER_DIGITS.get(d.char, d.char)
    return any(LETTER_DIGITS.get(a, a) != own for a, _ in d.alternatives)


# ---------------------------------------------------------------- the page


@dataclass
class _Job:
    """Line images of one piece of text (a cell or a line), read in the page's one batch."""

    images: list[np.ndarray]
    results: list[LineText] = field(default_factory=list)


def ocr_page(gray: np.ndarray, dpi: float, page_no: int) -> PageOCR:
    """Blocks of one page image (grey, uint8), in reading order, with their doubtful characters."""
    import cv2

    t0 = time.perf_counter()
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    specks: list = []
    ink = binarize(gray, dpi, specks)
    skew = estimate_skew(ink)
    if abs(skew) >= 0.05:
        gray = rotate(gray, skew)
        specks.clear()
        ink = binarize(gray, dpi, specks)
    H, W = gray.shape
    s = 72.0 / dpi
    rules, rule_mask = ruling_lines(ink, dpi)
    grids = pdf_reader.find_grids(pdf_reader.merge_rulings(rules)) if rules else []
    # Only the rules of tables are erased: a long stroke of a large title character is no rule.
    in_grid = np.zeros_like(ink)
    margin = max(3, int(dpi * 0.03))
    for g in grids:
        x0, y0, x1, y1 = (int(round(v / s)) for v in g.bbox)
        in_grid[max(0, y0 - margin):y1 + margin, max(0, x0 - margin):x1 + margin] = 1
    # (2 px around a rule too: a photocopied rule's ragged edge is not in the opened mask)
    erase = cv2.dilate(rule_mask & in_grid, np.ones((5, 5), np.uint8))
    clean = gray.copy()
    clean[erase.astype(bool)] = 255
    for m in specks:
        clean[m] = 255
    text_ink = ink & (1 - erase)

    jobs: list[_Job] = []
    # -- tables
    cell_jobs: list[list[tuple[pdf_reader.GridCell, _Job | None]]] = []
    min_ink = max(6, int((dpi / 200.0) ** 2 * 20))
    inset = max(2, int(dpi * 0.012))
    min_line = int(dpi * 0.11)  # about the height of 8-point text
    covered = np.zeros_like(ink)
    unplaced: list[tuple[float, float, float, float]] = []
    for g in grids:
        x0, y0, x1, y1 = (int(round(v / s)) for v in g.bbox)
        covered[max(0, y0 - inset):y1 + inset, max(0, x0 - inset):x1 + inset] = 1
        unplaced += _unplaced(g, text_ink, s, min_ink)
        per_grid = []
        for gc in g.cells:
            a, b, c, d = (int(round(v / s)) for v in gc.bbox)
            a, b, c, d = a + inset, b + inset, c - inset, d - inset
            if c <= a or d <= b:
                per_grid.append((gc, None))
                continue
            region = text_ink[b:d, a:c]
            if int(region.sum()) < min_ink:
                per_grid.append((gc, None))
                continue
            bs = bands(region)
            crops = [_crop(clean, bd, a, b, (a, b, c, d), min_line) for bd in bs]
            if len(bs) >= 3 and all((bd.x1 - bd.x0) <= 1.6 * (bd.bottom - bd.top) + 2 for bd in bs):
                crops = [_side_by_side(crops)]  # one character per line: a vertical label
            job = _Job(crops)
            jobs.append(job)
            per_grid.append((gc, job))
        cell_jobs.append(per_grid)
    # -- text outside tables
    outside = text_ink & (1 - covered)
    line_bands = bands(outside)
    line_jobs = []
    for bd in line_bands:
        job = _Job([_crop(clean, bd, 0, 0, None, min_line)])
        jobs.append(job)
        line_jobs.append((bd, job))

    images = [im for j in jobs for im in j.images]
    results = engine().recognize(images) if images else []
    k = 0
    for j in jobs:
        j.results = results[k:k + len(j.images)]
        k += len(j.images)

    doubts: list[tuple[object, Doubt]] = []
    items: list[tuple[float, Block]] = []
    for g, per_grid in zip(grids, cell_jobs):
        rows: list[list[TableCell]] = [[] for _ in range(len(g.ys) - 1)]
        for gc, job in sorted(per_grid, key=lambda it: (it[0].row, it[0].col)):
            t = _Text()
            conf = None
            if job is not None:
                for r in job.results:
                    t.add_line(r)
                if not t.text.strip():
                    t = _Text("?", [Doubt(0, "unreadable", "?", 0.0)], 0.0)
                t = _as_value(t)
                conf = round(t.conf, 4)
            cell = TableCell(t.text, gc.row, gc.col, gc.rowspan, gc.colspan,
                             Source(page=page_no, bbox=gc.bbox, row=gc.row, col=gc.col, conf=conf))
            rows[gc.row].append(cell)
            doubts += [(cell, d) for d in t.doubts]
        items.append((g.ys[0], Table(rows, Source(page=page_no, bbox=g.bbox))))

    lines: list[pdf_reader.Line] = []
    line_text: dict[int, _Text] = {}
    for bd, job in line_jobs:
        t = _Text()
        for r in job.results:
            t.add_line(r)
        if not t.text.strip() or (len(t.text.strip()) <= 1 and t.conf < 0.8):
            continue  # a speck or a seal fragment read as nothing
        h = (bd.bottom - bd.top) * s
        ln = pdf_reader.Line(t.text, bd.x0 * s, bd.top * s, bd.x1 * s, bd.bottom * s, h)
        lines.append(ln)
        line_text[id(ln)] = t
    paras = pdf_reader.paragraphs(lines, [g.ys[0] for g in grids], page_no, H * s)
    # Doubts of each line, at the line's place in its paragraph's text.
    li = 0
    for _top, p in paras:
        cursor = 0
        while li < len(lines) and lines[li].top <= p.source.bbox[3] + 0.01:
            ln = lines[li]
            t = line_text[id(ln)]
            at = p.text.find(t.text.strip(), cursor)
            if at >= 0:
                lead = len(t.text) - len(t.text.lstrip())
                doubts += [(p, Doubt(d.offset - lead + at, d.kind, d.char, d.conf, d.read, d.alternatives))
                           for d in t.doubts]
                cursor = at + len(t.text.strip())
            li += 1
        confs = [line_text[id(x)].conf for x in lines if p.source.bbox[1] - 0.01 <= x.top <= p.source.bbox[3]]
        if confs:
            p.source = Source(page=page_no, bbox=p.source.bbox, conf=round(min(confs), 4))
    items += paras
    items.sort(key=lambda it: it[0])
    return PageOCR([b for _, b in items], doubts, skew, time.perf_counter() - t0, len(images), unplaced)


def _unplaced(g: pdf_reader.Grid, ink: np.ndarray, s: float, min_ink: int) -> list[tuple[float, float, float, float]]:
    """Ink inside a table's frame that lies in no cell (squares outside the cells of a ragged table)."""
    out = []
    cells = set(g.atom)
    for r in range(len(g.ys) - 1):
        for c in range(len(g.xs) - 1):
            if (r, c) in cells:
                continue
            a, b = int(g.xs[c] / s) + 3, int(g.ys[r] / s) + 3
            cc, d = int(g.xs[c + 1] / s) - 3, int(g.ys[r + 1] / s) - 3
            if cc > a and d > b and int(ink[b:d, a:cc].sum()) >= min_ink:
                out.append((g.xs[c], g.ys[r], g.xs[c + 1], g.ys[r + 1]))
    return out


# ---------------------------------------------------------------- documents


DPI = 200  # page images are analysed at this resolution (see README: what suffices, and why)
MAX_PAGES = 80  # an annual report is a few pages; OCR of one file stays bounded in time (≈ 2 s a page)


@dataclass
class OcrRun:
    """What OCR did for one document: pages, time, and the doubtful characters found."""

    pages: list[int] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    load_seconds: float | None = None      # the recogniser was loaded for this document (first use)
    skew: dict[int, float] = field(default_factory=dict)
    doubts: list[tuple[object, Doubt, int]] = field(default_factory=list)  # (block or cell, doubt, page)
    unplaced: list[dict] = field(default_factory=list)                     # {page, bbox}: ink in no cell

    def add(self, page_no: int, res: PageOCR, cpu: float) -> None:
        self.pages.append(page_no)
        self.seconds += res.seconds
        self.cpu_seconds += cpu
        if res.skew:
            self.skew[page_no] = res.skew
        self.doubts += [(obj, d, page_no) for obj, d in res.doubts]
        self.unplaced += [{"page": page_no, "bbox": [round(v, 1) for v in box]} for box in res.unplaced]

    def meta(self, blocks: list[Block], text: str) -> dict:
        """The run as ``Document.meta['ocr']``, doubts placed in the document text (after ``finish``)."""
        present = {id(b) for b in blocks}
        for b in blocks:
            if isinstance(b, Table):
                present.update(id(c) for row in b.rows for c in row)
        doubts = []
        for obj, d, page in self.doubts:
            src = obj.source
            if id(obj) in present and src.start is not None:
                start = src.start + d.offset
            else:
                # a paragraph joined to the previous page's last one: find its text again
                at = text.find(obj.text) if isinstance(obj, Paragraph) else -1
                if at < 0:
                    continue
                start = at + d.offset
            entry = d.to_dict()
            entry.update(start=start, end=start + 1, page=page,
                         bbox=list(src.bbox) if src.bbox is not None else None)
            if isinstance(obj, TableCell):
                entry.update(table=src.table, row=src.row, col=src.col)
            doubts.append(entry)
        doubts.sort(key=lambda e: e["start"])
        return {"pages": list(self.pages), "seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
                "load_seconds": round(self.load_seconds, 3) if self.load_seconds is not None else None,
                "dpi": DPI, "skew": {str(k): v for k, v in self.skew.items()}, "doubts": doubts,
                "unplaced": list(self.unplaced)}


def recognizer_ready(path, pages: int = 1) -> float | None:
    """Load the recogniser if needed; its load time when loaded now. A missing OCR library, or more pages to
    read than ``MAX_PAGES``, is a ReadError."""
    from . import ReadError
    from . import ocr_engine

    if pages > MAX_PAGES:
        raise ReadError(path, f"需要 OCR 识别的页面过多：{pages} 页，上限 {MAX_PAGES} 页 "
                              f"(too many pages to OCR: {pages}, limit {MAX_PAGES})", "read.too-large")

    if ocr_engine.loaded():
        return None
    try:
        return ocr_engine.engine().load_seconds
    except ImportError as e:
        raise ReadError(path, f"需要 OCR 识别，但 OCR 组件（rapidocr、onnxruntime）不可用：{e} "
                              "(OCR needed but rapidocr/onnxruntime is not installed)", "read.needs-ocr") from e


def ocr_gray(run: OcrRun, gray: np.ndarray, dpi: float, page_no: int) -> list[Block]:
    """One page image through OCR at ``DPI`` (larger images are reduced first), recorded in ``run``."""
    import cv2

    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY if gray.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)
    if dpi > DPI * 1.25:
        f = DPI / dpi
        gray = cv2.resize(gray, (max(1, int(gray.shape[1] * f)), max(1, int(gray.shape[0] * f))),
                          interpolation=cv2.INTER_AREA)
        dpi = DPI
    c0 = time.process_time()
    res = ocr_page(gray, dpi, page_no)
    run.add(page_no, res, time.process_time() - c0)
    return res.blocks
