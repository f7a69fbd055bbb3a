"""PDF with a text layer → paragraphs and ruled tables, page by page, in reading order.

Everything comes from pdfium (pypdfium2), in small pure stages:

1. ``page_chars``: the page's characters with boxes, in pdfium's text order, each tagged with the
   pdfium text line it belongs to (pdfium's own line breaks: the cheap part, ≈ the text floor).
2. ``page_rulings``: the visible horizontal/vertical strokes of the page's vector paths. Invisible
   paths do not count: Word exports paint every text line on a white, unstroked background
   rectangle, and a ruling-based finder (pdfplumber's included) takes those for a table.
3. ``merge_rulings`` / ``find_grids``: snap and join the strokes, group touching strokes into
   tables, and turn each table into a grid: the distinct x and y of its strokes give the columns
   and rows; two neighbouring grid squares with no stroke between them belong to one merged cell
   (→ rowspan/colspan). This is pdfplumber's "lines" lattice idea, done on pdfium's objects so the
   page need not be parsed a second time by pdfminer (pdfplumber costs ≈ 25× the text floor).
4. ``place_chars``: every character goes to the cell containing its centre, or stays outside.
5. Cell text: the cell's lines joined without spaces between CJK characters (vertical labels
   printed one character per line come out as one word). Outside text: lines → paragraphs
   (a new paragraph at an indent, after a short line, or after a gap), page numbers dropped.

Tables split over pages are separate Table blocks; joining them is the matcher's business.
"""
from __future__ import annotations

import bisect
import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..blocks import Block, Document, Paragraph, Source, Table, TableCell
from ._shared import clean_space, finish, join_lines

SNAP = 3.0        # strokes this close (pt) are one ruling (pdfplumber's snap/join default)
MIN_RULE = 3.0    # shorter strokes are ticks or glyph parts, not table rules
THIN = 3.0        # a filled shape thinner than this is a drawn line
WHITE = 250       # colour component at or above this (0–255) is paper-white: invisible on the page
MAX_SEGMENTS = 20000  # paths with more segments are drawings (seals, logos), not table rules

_PAGE_NO = re.compile(r"^[-—–－_\s]*(第\s*)?\d{1,4}\s*(页)?\s*([/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?[-—–－_\s]*$")


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    line: int          # index of the pdfium text line
    boxed: bool        # False for characters pdfium generates (spaces, line breaks): no real box

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Rule:
    """A horizontal (``h``: at y=pos from a to b along x) or vertical (``v``) stroke, top-down coordinates."""

    orient: str
    pos: float
    a: float
    b: float


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float]
    chars: list[Char] = field(default_factory=list)


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    atom: dict[tuple[int, int], int]   # (row, col) of a grid square → index into cells

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    em: float   # typical character width: a CJK glyph is about one font size wide


# ---------------------------------------------------------------- 0. open


def open_pdf(path: Path, data: bytes) -> pdfium.PdfDocument:
    from . import ReadError

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if e.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(path, "PDF 已加密，需要密码才能打开，请提供未加密的文件 (encrypted PDF: password required)",
                            "read.encrypted") from e
        if e.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(path, "PDF 使用了不支持的加密方式 (PDF uses an unsupported security handler)",
                            "read.encrypted") from e
        raise ReadError(path, f"PDF 文件损坏或不完整，无法打开 (corrupt or truncated PDF: {e})", "read.corrupt") from e


# ---------------------------------------------------------------- 1. characters


def page_chars(textpage: pdfium.PdfTextPage, height: float) -> list[Char]:
    """All characters of a page in pdfium's order; boxes flipped to top-down coordinates."""
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP take two UTF-16 units: fall back to one call per char
        text_at = [chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n)]
    else:
        text_at = text  # type: ignore[assignment]
    # The glyph box places a character exactly. Fonts without metrics (not embedded) give a box of
    # no height or width: then the loose box (font ascent to descent) stands in, unless pdfium
    # generated the character itself (spaces and line breaks it infers have no place of their own).
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = pdfium_c.FS_RECTF()
    get_box = pdfium_c.FPDFText_GetCharBox
    raw = textpage.raw
    chars: list[Char] = []
    line = 0
    for i in range(n):
        ch = text_at[i]
        if ch == "\n":
            line += 1
            continue
        if ch == "\r":
            continue
        get_box(raw, i, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        boxed = x1 - x0 > 0.05 and y1 - y0 > 0.5
        if not boxed and not pdfium_c.FPDFText_IsGenerated(raw, i) \
                and pdfium_c.FPDFText_GetLooseCharBox(raw, i, loose):
            x0, x1 = min(x0, loose.left), max(x1, loose.right)
            y0, y1 = loose.bottom, loose.top
            boxed = x1 > x0 and y1 > y0
        chars.append(Char(ch, x0, height - y1, x1, height - y0, line, boxed))
    return chars


# ---------------------------------------------------------------- 2. rulings


def _visible(r: ctypes.c_uint, g: ctypes.c_uint, b: ctypes.c_uint, a: ctypes.c_uint) -> bool:
    return a.value > 0 and min(r.value, g.value, b.value) < WHITE


def _box_rules(x0: float, top: float, x1: float, bottom: float, outline: bool) -> list[Rule]:
    """Rules of an axis-aligned shape: a thin one is one line; a stroked box gives its four sides."""
    w, h = x1 - x0, bottom - top
    if w <= THIN and h > w:
        return [Rule("v", (x0 + x1) / 2, top, bottom)]
    if h <= THIN:
        return [Rule("h", (top + bottom) / 2, x0, x1)]
    if not outline:
        return []  # a filled, unstroked area (cell shading, background): not a rule
    return [Rule("h", top, x0, x1), Rule("h", bottom, x0, x1), Rule("v", x0, top, bottom), Rule("v", x1, top, bottom)]


def _path_segments_rules(obj, matrix: tuple[float, ...], height: float, stroked: bool) -> list[Rule]:
    """Rules from a general path: each axis-aligned straight segment, and thin closed boxes."""
    a, b, c, d, e, f = matrix
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or n > MAX_SEGMENTS:
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    rules: list[Rule] = []
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    sub: list[tuple[float, float]] = []

    def flush_sub() -> None:
        # A closed subpath that is a thin box (a line drawn as a filled rectangle).
        if len(sub) >= 4 and not stroked:
            xs = [p[0] for p in sub]
            ys = [p[1] for p in sub]
            rules.extend(_box_rules(min(xs), min(ys), max(xs), max(ys), outline=False))

    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        pt = (px, height - py)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            flush_sub()
            sub = [pt]
            start = prev = pt
            continue
        sub.append(pt)
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None and stroked:
            rules.extend(_segment_rule(prev, pt))
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and stroked:
            rules.extend(_segment_rule(pt, start))
        prev = pt
    flush_sub()
    return rules


def _segment_rule(p: tuple[float, float], q: tuple[float, float]) -> list[Rule]:
    if abs(p[1] - q[1]) < 0.5 and abs(p[0] - q[0]) >= MIN_RULE:
        return [Rule("h", (p[1] + q[1]) / 2, min(p[0], q[0]), max(p[0], q[0]))]
    if abs(p[0] - q[0]) < 0.5 and abs(p[1] - q[1]) >= MIN_RULE:
        return [Rule("v", (p[0] + q[0]) / 2, min(p[1], q[1]), max(p[1], q[1]))]
    return []


def _matrix(obj) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(m: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def page_rulings(page: pdfium.PdfPage, height: float) -> list[Rule]:
    """The visible straight horizontal and vertical strokes of a page (top-down coordinates)."""
    rules: list[Rule] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    l, bo, ri, t = (ctypes.c_float() for _ in range(4))

    def visit(obj, outer: tuple[float, ...] | None) -> None:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            m = _matrix(obj)
            inner = m if outer is None else _compose(m, outer)
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                visit(pdfium_c.FPDFFormObj_GetObject(obj, i), inner)
            return
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            return
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
            return
        stroked = bool(stroke.value) and bool(pdfium_c.FPDFPageObj_GetStrokeColor(obj, r, g, b, a)) and _visible(r, g, b, a)
        filled = bool(fill.value) and bool(pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a)) and _visible(r, g, b, a)
        if not (stroked or filled):
            return  # clipping paths, white backgrounds: nothing visible
        n = pdfium_c.FPDFPath_CountSegments(obj)
        if outer is None and n <= 5:
            # Fast path for the usual single line or rectangle: its page-space bounds say it all.
            # (Bounds include half the stroke width on each side; snapping absorbs that.)
            pdfium_c.FPDFPageObj_GetBounds(obj, l, bo, ri, t)
            x0, x1, top, bottom = l.value, ri.value, height - t.value, height - bo.value
            if n <= 2:
                if min(x1 - x0, bottom - top) <= THIN:
                    rules.extend(_box_rules(x0, top, x1, bottom, outline=False))
                return
            rules.extend(_box_rules(x0, top, x1, bottom, outline=stroked))
            return
        m = _matrix(obj)
        rules.extend(_path_segments_rules(obj, m if outer is None else _compose(m, outer), height, stroked))

    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        visit(pdfium_c.FPDFPage_GetObject(raw, i), None)
    return rules


# ---------------------------------------------------------------- 3. grids


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted cluster centres of values: neighbours within tol are one value."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def merge_rulings(rules: list[Rule]) -> list[Rule]:
    """Snap strokes at nearly the same position to one position, and join collinear pieces that touch."""
    merged: list[Rule] = []
    for orient in ("h", "v"):
        group = [r for r in rules if r.orient == orient]
        if not group:
            continue
        centres = _cluster([r.pos for r in group], SNAP)
        by_pos: dict[int, list[Rule]] = {}
        for r in group:
            k = min(range(len(centres)), key=lambda i: abs(centres[i] - r.pos))
            by_pos.setdefault(k, []).append(r)
        for k, items in by_pos.items():
            items.sort(key=lambda r: r.a)
            cur = Rule(orient, centres[k], items[0].a, items[0].b)
            for r in items[1:]:
                if r.a <= cur.b + SNAP:
                    cur.b = max(cur.b, r.b)
                else:
                    merged.append(cur)
                    cur = Rule(orient, centres[k], r.a, r.b)
            merged.append(cur)
    return [r for r in merged if r.b - r.a >= MIN_RULE]


def _crosses(h: Rule, v: Rule) -> bool:
    return h.a - SNAP <= v.pos <= h.b + SNAP and v.a - SNAP <= h.pos <= v.b + SNAP


def find_grids(rules: list[Rule]) -> list[Grid]:
    """Tables as grids: rules that touch form one table; squares not separated by a rule merge."""
    hs = [r for r in rules if r.orient == "h"]
    vs = [r for r in rules if r.orient == "v"]
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _crosses(h, v):
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, list[Rule]] = {}
    for i, r in enumerate(hs + vs):
        groups.setdefault(root(i), []).append(r)
    grids = [g for g in (_grid([r for r in rs if r.orient == "h"], [r for r in rs if r.orient == "v"]) for rs in groups.values()) if g]
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def _covered(spans: list[tuple[float, float]], at: float) -> bool:
    return any(a - SNAP <= at <= b + SNAP for a, b in spans)


def close_cut_edges(hs: list[Rule], vs: list[Rule]) -> list[Rule]:
    """Horizontal rules a table cut by a page break lacks.

    Word draws a table split over pages without the rule along the cut (or with only part of it),
    but its vertical rules still run to the cut. Where vertical rules reach beyond the outermost
    horizontal rule, or the outermost one does not span them, add the rule along their ends.
    """
    added: list[Rule] = []
    for end, outer in (("a", min(h.pos for h in hs)), ("b", max(h.pos for h in hs))):
        ends = [getattr(v, end) for v in vs]
        extreme = min(ends) if end == "a" else max(ends)
        reach = [v.pos for v in vs if abs(getattr(v, end) - extreme) <= SNAP]
        if len(reach) < 2:
            continue
        beyond = extreme < outer - SNAP if end == "a" else extreme > outer + SNAP
        edge_rules = [h for h in hs if abs(h.pos - extreme) <= SNAP]
        spanned = any(h.a - SNAP <= min(reach) and h.b + SNAP >= max(reach) for h in edge_rules)
        if beyond or (edge_rules and not spanned):
            pos = edge_rules[0].pos if edge_rules and not beyond else extreme
            added.append(Rule("h", pos, min(reach), max(reach)))
    return added


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    if len(hs) < 2 or len(vs) < 2:
        return None
    hs = hs + close_cut_edges(hs, vs)
    ys = sorted({h.pos for h in hs})
    xs = sorted({v.pos for v in vs})
    if len(ys) < 2 or len(xs) < 2:
        return None
    h_at: dict[float, list[tuple[float, float]]] = {}
    for h in hs:
        h_at.setdefault(h.pos, []).append((h.a, h.b))
    v_at: dict[float, list[tuple[float, float]]] = {}
    for v in vs:
        v_at.setdefault(v.pos, []).append((v.a, v.b))
    nr, nc = len(ys) - 1, len(xs) - 1

    # Is the border between two squares drawn? Test the middle of that border.
    def h_drawn(i: int, c: int) -> bool:   # the horizontal border at ys[i] over column c
        return _covered(h_at[ys[i]], (xs[c] + xs[c + 1]) / 2)

    def v_drawn(j: int, r: int) -> bool:   # the vertical border at xs[j] over row r
        return _covered(v_at[xs[j]], (ys[r] + ys[r + 1]) / 2)

    # Squares reachable from outside the table without crossing a rule are not part of it
    # (tables whose rows differ in width).
    outside: set[tuple[int, int]] = set()
    stack = []
    for r in range(nr):
        for c in range(nc):
            if (r == 0 and not h_drawn(0, c)) or (r == nr - 1 and not h_drawn(nr, c)) \
                    or (c == 0 and not v_drawn(0, r)) or (c == nc - 1 and not v_drawn(nc, r)):
                stack.append((r, c))
    while stack:
        r, c = stack.pop()
        if (r, c) in outside:
            continue
        outside.add((r, c))
        for (rr, cc), open_ in (((r - 1, c), r > 0 and not h_drawn(r, c)), ((r + 1, c), r < nr - 1 and not h_drawn(r + 1, c)),
                                ((r, c - 1), c > 0 and not v_drawn(c, r)), ((r, c + 1), c < nc - 1 and not v_drawn(c + 1, r))):
            if open_ and (rr, cc) not in outside:
                stack.append((rr, cc))

    # Merge squares with no rule between them into one cell.
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(p: tuple[int, int]) -> tuple[int, int]:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    inside = [(r, c) for r in range(nr) for c in range(nc) if (r, c) not in outside]
    for p in inside:
        parent[p] = p
    for r, c in inside:
        if c + 1 < nc and (r, c + 1) in parent and not v_drawn(c + 1, r):
            parent[root((r, c + 1))] = root((r, c))
        if r + 1 < nr and (r + 1, c) in parent and not h_drawn(r + 1, c):
            parent[root((r + 1, c))] = root((r, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in inside:
        members.setdefault(root(p), []).append(p)
    if len(members) < 2:
        return None  # a framed box of text is not a table
    cells: list[GridCell] = []
    atom: dict[tuple[int, int], int] = {}
    for group in sorted(members.values(), key=min):
        r0 = min(p[0] for p in group)
        r1 = max(p[0] for p in group)
        c0 = min(p[1] for p in group)
        c1 = max(p[1] for p in group)
        for p in group:
            atom[p] = len(cells)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return Grid(xs, ys, cells, atom)


# ---------------------------------------------------------------- 4. placing characters


def place_chars(chars: list[Char], grids: list[Grid]) -> list[Char]:
    """Put each character into the grid cell holding its centre; return those outside every table.

    Characters pdfium generated (spaces, no box of their own) follow the character before them.
    """
    outside: list[Char] = []
    last: list[Char] | None = None
    for ch in chars:
        if not ch.boxed:
            if last is not None:
                last.append(ch)
            continue
        target = outside
        cx, cy = ch.cx, ch.cy
        for g in grids:
            x0, top, x1, bottom = g.bbox
            if x0 < cx < x1 and top < cy < bottom:
                key = (bisect.bisect_right(g.ys, cy) - 1, bisect.bisect_right(g.xs, cx) - 1)
                k = g.atom.get(key)
                if k is not None:
                    target = g.cells[k].chars
                break
        target.append(ch)
        last = target
    return outside


def _lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped by pdfium text line, lines top to bottom."""
    lines: dict[int, list[Char]] = {}
    for ch in chars:
        lines.setdefault(ch.line, []).append(ch)
    out = [cs for cs in lines.values() if any(c.boxed for c in cs)]
    out.sort(key=lambda cs: min(c.top for c in cs if c.boxed))
    return out


def cell_text(chars: list[Char]) -> str:
    return join_lines([clean_space("".join(c.text for c in cs)) for cs in _lines_of(chars)])


def text_lines(chars: list[Char]) -> list[Line]:
    lines: list[Line] = []
    for cs in _lines_of(chars):
        text = clean_space("".join(c.text for c in cs))
        if not text:
            continue
        boxed = [c for c in cs if c.boxed]
        widths = [c.x1 - c.x0 for c in boxed if not c.text.isspace()]
        lines.append(Line(text, min(c.x0 for c in boxed), min(c.top for c in boxed), max(c.x1 for c in boxed),
                          max(c.bottom for c in boxed), max(widths) if widths else 10.0))
    return lines


# ---------------------------------------------------------------- 5. paragraphs


def paragraphs(lines: list[Line], breaks: list[float], page_no: int, page_height: float) -> list[tuple[float, Paragraph]]:
    """Lines → paragraphs (with their top, for ordering among tables).

    A line continues the paragraph when the previous line ran to the right margin, this one is not
    indented, the gap is at most about a line, and no table lies between them. ``breaks`` are the
    tops of the page's tables.
    """
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    out: list[tuple[float, Paragraph]] = []
    cur: list[Line] = []

    def flush() -> None:
        if not cur:
            return
        text = join_lines([ln.text for ln in cur])
        bbox = (min(ln.x0 for ln in cur), cur[0].top, max(ln.x1 for ln in cur), cur[-1].bottom)
        if not (len(cur) == 1 and _is_page_number(text, bbox, page_height)):
            out.append((bbox[1], Paragraph(text, Source(page=page_no, bbox=bbox))))
        cur.clear()

    for ln in lines:
        if cur:
            prev = cur[-1]
            em = max(prev.em, ln.em, 1.0)
            continues = (prev.x1 >= right - 2 * em
                         and ln.x0 <= left + em
                         and ln.top - prev.bottom <= 1.2 * em
                         and not any(prev.bottom <= b <= ln.top for b in breaks)
                         and not _ITEM_START.match(ln.text)
                         and not _PAGE_NO.match(ln.text) and not _PAGE_NO.match(prev.text))
            if not continues:
                flush()
        cur.append(ln)
    flush()
    return out


# A numbered heading or item opens a new paragraph even where the layout alone would run it on
# ("…各乡镇配合）" then "二、组织保障" on a full-width unindented line).
_ITEM_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[条章节])")


def _is_page_number(text: str, bbox: tuple[float, float, float, float], page_height: float) -> bool:
    """A lone page number ("- 4 -", "第4页", "4/12") in the top or bottom margin: page furniture."""
    in_margin = bbox[3] < page_height * 0.1 or bbox[1] > page_height * 0.88
    return in_margin and bool(_PAGE_NO.match(text))


# ---------------------------------------------------------------- page and document


def grid_table(grid: Grid, page_no: int) -> Table:
    rows: list[list[TableCell]] = [[] for _ in range(len(grid.ys) - 1)]
    for gc in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        rows[gc.row].append(TableCell(cell_text(gc.chars), gc.row, gc.col, gc.rowspan, gc.colspan,
                                      Source(page=page_no, bbox=gc.bbox, row=gc.row, col=gc.col)))
    return Table(rows, Source(page=page_no, bbox=grid.bbox))


def read_page(page: pdfium.PdfPage, page_no: int) -> tuple[list[Block], int]:
    """One page's blocks in reading order, and how many characters it has with real boxes."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        chars = page_chars(textpage, height)
    finally:
        textpage.close()
    n_text = sum(1 for c in chars if c.boxed and not c.text.isspace())
    grids = find_grids(merge_rulings(page_rulings(page, height))) if n_text else []
    outside = place_chars(chars, grids) if grids else chars
    items: list[tuple[float, Block]] = [(g.ys[0], grid_table(g, page_no)) for g in grids]
    items += paragraphs(text_lines(outside), [g.ys[0] for g in grids], page_no, height)
    items.sort(key=lambda it: it[0])
    return [b for _, b in items], n_text


_SENTENCE_END = "。！？；：!?;:"


def _runs_on(last: Block, first: Block) -> bool:
    """Does the next page's first paragraph continue the previous page's last one? Only text that stops
    mid-sentence runs on, and never into a numbered heading or item."""
    return (isinstance(last, Paragraph) and isinstance(first, Paragraph) and last.source.page != first.source.page
            and not last.text.rstrip().endswith(tuple(_SENTENCE_END))
            and not _ITEM_START.match(first.text) and not _PAGE_NO.match(first.text))


def _joined(last: Paragraph, first: Paragraph) -> Paragraph:
    # The source stays the first page's: a paragraph is traced to where it starts.
    return Paragraph(join_lines([last.text, first.text]), last.source, last.heading_level)


MIN_TEXT = 20          # a page with fewer characters than this and a page-sized image is a scan
SCAN_IMAGE_SHARE = 0.3  # … where images cover at least this share of the page


def _image_share(page: pdfium.PdfPage) -> float:
    """The share of the page that image objects cover (their bounds, summed; at most 1)."""
    w, h = page.get_width(), page.get_height()
    if w <= 0 or h <= 0:
        return 0.0
    l, bo, ri, t = (ctypes.c_float() for _ in range(4))
    area = 0.0
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_IMAGE \
                and pdfium_c.FPDFPageObj_GetBounds(obj, l, bo, ri, t):
            area += max(0.0, min(ri.value, w) - max(l.value, 0)) * max(0.0, min(t.value, h) - max(bo.value, 0))
    return min(1.0, area / (w * h))


def needs_ocr(page: pdfium.PdfPage, n_text: int) -> bool:
    """No text layer, or a few stray characters over a page-sized image: the page must be read by OCR."""
    if n_text >= MIN_TEXT:
        return False
    share = _image_share(page)
    return share >= SCAN_IMAGE_SHARE or (n_text == 0 and share > 0)


def _ocr_pages(path: Path, pdf: pdfium.PdfDocument, numbers: list[int], options) -> tuple[dict[int, list[Block]], "object"]:
    """The given pages (1-based) rendered at ocr.DPI and read by OCR."""
    from . import ocr

    run = ocr.OcrRun()
    run.load_seconds = ocr.recognizer_ready(path, len(numbers))
    out: dict[int, list[Block]] = {}
    progress = getattr(options, "progress", None)
    for k, n in enumerate(numbers):
        page = pdf[n - 1]
        try:
            gray = page.render(scale=ocr.DPI / 72, grayscale=True).to_numpy()
        finally:
            page.close()
        out[n] = ocr.ocr_gray(run, gray, ocr.DPI, n)
        if progress is not None:
            progress(k + 1, len(numbers))
    return out, run


TAKES_OPTIONS = True  # read_document passes its ReadOptions (OCR on or off, progress)


def read(path: Path, data: bytes, options=None) -> Document:
    from . import ReadError

    use_ocr = getattr(options, "ocr", False)
    pdf = open_pdf(path, data)
    run = None
    try:
        pages: list[list[Block]] = []
        empty_pages: list[int] = []
        scanned: list[int] = []
        n_pages = len(pdf)
        for i in range(n_pages):
            page = pdf[i]
            try:
                page_blocks, n_text = read_page(page, i + 1)
                if use_ocr and needs_ocr(page, n_text):
                    scanned.append(i + 1)
            finally:
                page.close()
            if not n_text:
                empty_pages.append(i + 1)
            pages.append(page_blocks)
        if scanned:
            read_by_ocr, run = _ocr_pages(path, pdf, scanned, options)
            for n, page_blocks in read_by_ocr.items():
                pages[n - 1] = page_blocks
    finally:
        pdf.close()
    if n_pages == 0:
        raise ReadError(path, "PDF 没有页面 (PDF has no pages)", "read.corrupt")
    if len(empty_pages) == n_pages and not scanned:
        raise ReadError(path, "PDF 没有文字层（扫描件或图片），需要 OCR 识别后才能读取 "
                              "(image-only PDF without a text layer: needs OCR)", "read.needs-ocr")
    blocks: list[Block] = []
    for page_blocks in pages:
        if blocks and page_blocks and _runs_on(blocks[-1], page_blocks[0]):
            blocks[-1] = _joined(blocks[-1], page_blocks.pop(0))
        blocks.extend(page_blocks)
    text = finish(blocks)
    meta: dict = {"pages_without_text": empty_pages}
    if run is not None:
        meta["ocr"] = run.meta(blocks, text)
    return Document(str(path), blocks, "pdf", text=text, pages=n_pages, meta=meta)
