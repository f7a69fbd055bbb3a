"""HTML as saved from government sites → paragraphs and tables in document order.

Stages (each a plain function):

1. ``decode``: bytes → str ourselves (BOM, then the declared ``<meta charset>``, then UTF-8, then
   GB18030, which also covers GBK/GB2312 pages), so a wrong or missing declaration cannot garble
   Chinese text.
2. ``parse``: lxml.html tree with page machinery removed (script, style, forms, navigation, hidden
   elements, comments). Other chrome (menus, footers) stays as text, in document order: we cannot
   know a site's layout, and the matcher ignores text it does not recognise.
3. ``walk``: block-level elements become one paragraph each (``<br>`` a line break, headings keep
   their level). A table that holds other tables is page layout: its inner tables are emitted, its
   own text becomes paragraphs. Any other table becomes a Table block whose grid follows the HTML
   table model (rowspan/colspan occupy the slots below and to the right).

Cell text: whitespace-only cells (``&nbsp;``, Word's ``<o:p>&nbsp;</o:p>``) are blank (""), never 0.
A cell's lines (several ``<p>``, ``<br>``) are joined without spaces between CJK characters.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from ..blocks import Block, Document, Paragraph, Source, Table, TableCell
from ._shared import BLANK_CHAR, clean_space, finish, join_lines
from .decode import decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CAN_HIDE = re.compile(r"hidden|display\s*:\s*none", re.I)  # cheap test of the whole page first
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Whitespace that contains a line break: in CJK text it is source formatting, not a space.
_BREAK_SPACE = re.compile(r"[ \t\r\f\u00a0]*\n[\s\u00a0]*")

DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas",
        "select", "option", "button", "input", "textarea", "nav", "head", "title", "meta", "link", "map"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
         "pre", "section", "article", "aside", "header", "footer", "main", "address", "figure", "figcaption",
         "form", "fieldset", "legend", "hr", "center", "caption", "tr", "td", "th", "thead", "tbody", "tfoot",
         "table", "body", "html", "details", "summary"}
_BREAKS = BLOCK | {"br"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Browsers treat these labels of legacy Chinese encodings as GB18030's subsets.
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "hz-gb-2312"}


# ---------------------------------------------------------------- 1. decode


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:16384])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> str:
    """The page's text: BOM, UTF-16 without one, then the declared charset checked against the bytes,
    UTF-8, GB18030 — by evidence (read/decode.py)."""
    return decode_text(data, declared_charset(data)).text


# ---------------------------------------------------------------- 2. parse


def _tag(el) -> str:
    # Word's namespaced tags (o:p, st1:chsdate) are unknown inline elements: their text is kept.
    # lxml's HTML parser already gives tags in lower case; comments and entities have no str tag.
    tag = el.tag
    return tag if isinstance(tag, str) else ""


# huge_tree: libxml2 otherwise stops at 256 nested elements and drops the rest of the page (a report
# nested 238 <div>s deep inside the site's own wrappers lost its content). The file size limit
# (read/limits.py) bounds what huge_tree lets through; past 2,048 levels libxml2 still stops, and
# ``parse`` says so instead of returning half a page.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)


def parse(text: str):
    """The page as a plain lxml tree (no lxml.html element classes: they cost a lookup per node)."""
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    if not text.strip():
        return None
    root = etree.fromstring(text, _PARSER)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
        from . import ReadError
        raise ReadError("", "HTML 页面嵌套层数超过 2048 层，无法完整读取 (HTML nested deeper than 2,048 elements)",
                        "read.too-deep")
    if root is None:
        return None
    # Tags to drop are compared lower-case; strip_elements keeps each element's tail text.
    etree.strip_elements(root, *DROP, with_tail=False)
    if _CAN_HIDE.search(text):  # only pages that can hide anything at all
        for el in _hidden(root):
            if el.getparent() is not None:
                _remove(el)
    return root


def _hidden(root) -> list:
    """Elements hidden by their style or the ``hidden`` attribute, in document order of each kind.

    Word pages carry a style on nearly every element and seldom hide any: all style strings are
    first fetched as plain strings and tested as one for the words the test below needs (a word
    cannot cross the NUL between them); elements are fetched only when one is there.
    """
    out = []
    styles = "\x00".join(root.xpath("//@style", smart_strings=False)).lower()
    if "none" in styles or "hidden" in styles:
        # test the style strings (C string ops) before the regex
        out = [st.getparent() for st in root.xpath("//@style")
               if ("none" in st.lower() or "hidden" in st.lower()) and _HIDDEN.search(st)]
    if root.xpath("//@hidden", smart_strings=False):
        out += root.xpath("//*[@hidden]")
    return out


def _remove(el) -> None:
    """Remove an element but keep the text that follows it (its tail belongs to the parent)."""
    parent = el.getparent()
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# ---------------------------------------------------------------- 3. walk


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _squash(text: str) -> str:
    """Collapse HTML whitespace; a line break between two CJK characters disappears entirely."""
    core = text.strip()
    if not BLANK_CHAR.search(core):
        # White space only around the text (a Word cell's source line breaks): the rules below
        # turn it into spaces or nothing, and the final strip drops them.
        return core
    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        before = text[s - 1] if s else ""
        after = text[e] if e < len(text) else ""
        if "\u00a0" in m.group():
            return " "  # &nbsp; is a space the author typed
        return "" if before and after and _is_cjk(before) and _is_cjk(after) else " "
    return clean_space(_BREAK_SPACE.sub(repl, text)) if "\n" in text else clean_space(text)


class _Lines:
    """Inline text being gathered; ``<br>`` and block boundaries end a line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.line_no: int | None = None

    def add(self, s: str | None, line_no: int | None) -> None:
        if s:
            if self.line_no is None and s.strip():
                self.line_no = line_no
            self.cur.append(s)

    def newline(self) -> None:
        self.lines.append(_squash("".join(self.cur)))
        self.cur = []

    def take(self) -> tuple[list[str], int | None]:
        self.newline()
        lines = [ln for ln in self.lines if ln]
        line_no = self.line_no
        self.lines, self.line_no = [], None
        return lines, line_no


def _has_table(el) -> bool:
    return any(True for _ in el.iterdescendants("table"))


class Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf = _Lines()
        self.heading: int | None = None

    def flush(self) -> None:
        lines, line_no = self.buf.take()
        if lines:
            self.blocks.append(Paragraph("\n".join(lines), Source(line=line_no), self.heading))

    def walk(self, root) -> None:
        """Depth-first over ``root``, with an explicit stack: a page nested thousands of elements deep
        (lxml's huge_tree lifts its limit of 256) must not exhaust Python's call stack."""
        # entries: (element, after its children?, the heading level outside it)
        stack: list[tuple] = [(root, False, None)]
        while stack:
            el, after, outer = stack.pop()
            if after is None:  # a comment or entity inside el: only its tail is text
                self.buf.add(el.tail, outer)
                continue
            tag = _tag(el)
            if after:
                if tag in HEADINGS:
                    self.flush()
                    self.heading = outer
                elif tag in BLOCK:
                    self.flush()
                self.buf.add(el.tail, getattr(el, "sourceline", None))
                continue
            if tag == "br":
                self.buf.newline()
                self.buf.add(el.tail, getattr(el, "sourceline", None))
                continue
            if tag == "table" and not _has_table(el):
                self.flush()
                for caption in (c for c in el if _tag(c) == "caption"):
                    self.walk(caption)  # the caption is a paragraph before its table
                    self.flush()
                table = data_table(el)
                if table is not None:
                    self.blocks.append(table)
                self.buf.add(el.tail, getattr(el, "sourceline", None))
                continue
            if tag in HEADINGS:
                self.flush()
                stack.append((el, True, self.heading))
                self.heading = HEADINGS[tag]
            else:
                if tag in BLOCK:
                    self.flush()
                stack.append((el, True, None))
            self.buf.add(el.text, el.sourceline)
            line = el.sourceline
            for child in reversed(el):
                stack.append((child, False, None) if isinstance(child.tag, str) else (child, None, line))


def _inner_text(el) -> str:
    """All text inside ``el``, not its tail: ``"".join(el.itertext())`` (comments and processing
    instructions are gone with parsing) from lxml's C text serialiser, several times faster on
    Word's cells, where each character run sits in its own nested <span>."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def cell_text(td) -> str:
    """A cell's text: its lines (paragraphs, ``<br>``) joined without spaces between CJK characters."""
    # Fast path for most cells: no line-breaking element inside, or one block (Word's <p>) that
    # holds the whole cell — one line, read with lxml's C text iterator.
    inner = [el for el in td.iterdescendants() if el.tag in _BREAKS]  # comments' tag is a function: never in
    if not inner:
        return _squash(_inner_text(td))
    if len(inner) == 1 and len(td) == 1 and inner[0] is td[0] and not (td.text or "").strip() \
            and not (td[0].tail or "").strip() and _tag(td[0]) != "br":
        return _squash(_inner_text(td[0]))
    lines: list[str] = []
    cur: list[str] = []
    for event, el in etree.iterwalk(td, events=("start", "end")):
        tag = _tag(el)
        if event == "start":
            if tag == "br" or tag in BLOCK:
                lines.append("".join(cur))
                cur = []
            if el.text:
                cur.append(el.text)
            continue
        if tag in BLOCK:
            lines.append("".join(cur))
            cur = []
        if el is not td and el.tail:
            cur.append(el.tail)
    lines.append("".join(cur))
    return join_lines([_squash(ln) for ln in lines])


def _rows(table) -> list:
    """The table's own rows (not those of tables nested in it), in order."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if _tag(c) == "tr")
    return rows


_NON_DIGIT = re.compile(r"[^0-9]")


def _span(el, name: str) -> int:
    raw = el.get(name)
    if raw is None:
        return 1
    if raw.isascii() and raw.isdigit():  # the usual rowspan="2": no clean-up needed
        return min(int(raw), 1000)
    try:
        return max(0, min(int(_NON_DIGIT.sub("", raw) or 1), 1000))
    except ValueError:
        return 1


def data_table(table) -> Table | None:
    """A grid from the HTML table model: a cell goes to the first free slot of its row."""
    trs = _rows(table)
    taken: set[tuple[int, int]] = set()
    rows: list[list[TableCell]] = []
    for r, tr in enumerate(trs):
        row: list[TableCell] = []
        c = 0
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan = _span(td, "rowspan") or (len(trs) - r)  # rowspan="0": to the end of the table
            rowspan = min(rowspan, len(trs) - r)
            colspan = _span(td, "colspan") or 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            src = Source(None, None, td.sourceline, None, None, None, r, c)  # positional: keywords cost more
            row.append(TableCell(cell_text(td), r, c, rowspan, colspan, src))
            c += colspan
        rows.append(row)
    if not any(rows):
        return None
    return Table(rows, Source(line=table.sourceline))


def blocks_from_html(text: str) -> list[Block]:
    root = parse(text)
    if root is None:
        return []
    w = Walker()
    body = root.find("body")
    w.walk(body if body is not None else root)
    w.flush()
    return w.blocks


def read(path: Path, data: bytes) -> Document:
    from . import ReadError

    decoded = decode_text(data, declared_charset(data))
    try:
        blocks = blocks_from_html(decoded.text)
    except ReadError as e:
        raise ReadError(path, e.reason, e.code) from None
    text = finish(blocks)
    return Document(str(path), blocks, "html", text=text, findings=decoded.findings)
