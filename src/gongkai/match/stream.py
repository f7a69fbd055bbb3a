"""Blocks → a flat stream of label and value segments, the same for every input format.

A paragraph is cut into label text and value runs ("规范性文件898989" → label "规范性文件",
values "898989"); a table row into its label cells and its value cells (blank cells kept, since a
blank is not 0). Header rows of tables are marked so they never pass for data rows. Matching
then works on this stream only, so a table printed as a grid, as tab-separated lines or as
crawler text run together is matched by one piece of code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..blocks import Document, Paragraph, Source, Table
from ..text import CJK, CharMap, normalize_label

# One value atom: a (signed) number with optional decimals and unit, or a placeholder.
_DIGITS = "0123456789"
_FULLWIDTH = CharMap("０１２３４５６７８９．－／", "0123456789.-/")
# A PDF text layer may put a space between an amount and its unit ("75394432.52 元"): one atom.
# Markdown escapes the point of a decimal or list number ("75394432\.52元", "1\.属于国家秘密").
# The lookahead names the characters an atom can begin with: the regex engine then skips to the next of
# them instead of trying both branches at every character of a paragraph (half the time on prose).
ATOM = re.compile(r"(?=[-\d/—–])(?:(?P<num>-?\d+(?:\\?\.\d+)?)(?: ?(?P<unit>万元|元|%))?|(?P<ph>[/\-—–]))")
PLACEHOLDER_TEXT = {"无", "空", "暂无", "——", "—", "-", "/", "--", "－", "／"}


@dataclass(slots=True)
class Piece:
    """Value text as found: one grid cell (``explicit``) or one run cut from a paragraph."""

    text: str
    source: Source
    explicit: bool
    # its tokens, once split.tokenize has read them: a row's pieces are read again by every step that asks
    toks: list | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Seg:
    kind: str                      # "label" or "values"
    text: str = ""
    norm: str = ""
    source: Source = field(default_factory=Source)
    pieces: list[Piece] = field(default_factory=list)
    header: bool = False           # a table header row: never a data-row label
    row_id: int | None = None      # grid row identity (None for paragraph text)
    block: int = 0


def _same_length_ascii(text: str) -> str:
    """Full-width digits and signs as ASCII without changing offsets."""
    return _FULLWIDTH(text)


def value_spans(text: str) -> list[tuple[int, int]]:
    """Spans of value runs in a paragraph: atoms separated only by white space.

    A digit right before "." / "、" and a CJK character is a list number of the next label
    ("…00000002.其他法律…" → values "0000000", label "2.其他法律…"). A "/" or "-" touching CJK text
    is part of a label (本年增/减).
    """
    t = _same_length_ascii(text)
    runs: list[tuple[int, int]] = []
    cjk = _is_cjk
    for m in ATOM.finditer(t):
        a, b = m.span()
        last = m.lastgroup   # "num", "unit" (a number with its unit) or "ph"
        if last == "ph":
            before = t[a - 1] if a > 0 else " "
            after = t[b] if b < len(t) else " "
            if cjk(before) or cjk(after) or before.isdigit() or after.isdigit():
                continue
        else:
            prev = t[a - 1] if a > 0 else ""
            if prev.isascii() and prev.isalpha():
                continue  # part of a word such as H5, B站-like tokens
            after = t[b:b + 1]
            if after and after in ".、)）\\":  # perhaps a list number: "…0000002.其他", "（三）不予公开 1."
                nxt = t[b:b + 2]
                if nxt == "\\." or nxt == "\\、":
                    nxt = t[b + 1:b + 3]  # Markdown's escaped list number: 1\.属于…
                if (after in ".、" and b - a <= 2 and last != "unit" and not t[b + 1:].strip()
                        and CJK.search(t, 0, a)):
                    continue  # a row's list number ending a label's line ("（三）不予公开 1." + "属于国家秘密")
                if last != "unit" and len(nxt) == 2 and nxt[0] in ".、)）" and cjk(nxt[1]):
                    b -= 1  # the last digit is the next label's number
                    if b <= a or t[a:b] == "-":
                        continue
                elif prev and prev in "第(（":
                    continue  # 第1项, (1) — numbering, not values
            elif prev and prev in "第(（":
                continue
        # atoms separated only by white space make one run
        if runs and a >= runs[-1][1] and (a == runs[-1][1] or t[runs[-1][1]:a].isspace()):
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
    return runs


def _is_cjk(ch: str) -> bool:
    """``CJK.match(ch)`` for one character, without a regex call (asked for every value atom's neighbours)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def is_value_text(text: str) -> bool:
    """Does a whole grid cell hold a value (number(s), placeholder or blank)?"""
    if text.isdigit() and text.isascii():
        return True  # the usual value cell, one digit run: ATOM takes it whole
    s = _same_length_ascii(text).strip()
    if not s or s in PLACEHOLDER_TEXT:
        return True
    rest = ATOM.sub("", s)
    return rest.strip() == ""


def _paragraph_segments(p: Paragraph, block: int) -> list[Seg]:
    out: list[Seg] = []
    pos = 0
    text = p.text
    sub = p.source.sub
    for a, b in value_spans(text):
        if pos < a:
            lab = text[pos:a]
            if not lab.isspace():
                out.append(Seg("label", lab, normalize_label(lab), sub(pos, a), [], False, None, block))
        src = sub(a, b)
        run = text[a:b]
        out.append(Seg("values", run, "", src, [Piece(run, src, False)], False, None, block))  # fields in order
        pos = b
    lab = text[pos:]
    if lab and not lab.isspace():
        out.append(Seg("label", lab, normalize_label(lab), sub(pos, len(text)), [], False, None, block))
    return out


def _table_segments(t: Table, block: int, header_words: tuple[str, ...], row_base: int) -> list[Seg]:
    # Segs built with their fields in order (kind, text, norm, source, pieces, header, row_id,
    # block): keyword arguments cost more, and a report gives hundreds of segments.
    out: list[Seg] = []
    for r, row in enumerate(t.rows):
        rid = row_base + r
        is_value = [is_value_text(c.text) for c in row]
        labels = [c for c, v in zip(row, is_value) if not v]
        has_values = any(v and c.text.strip() for c, v in zip(row, is_value))
        header = False
        if not has_values and labels:
            header = len(labels) >= 3 or all(any(w in normalize_label(c.text) for w in header_words) for c in labels)
        first_label = is_value.index(False) if labels else len(row)
        i = 0
        while i < len(row):
            c = row[i]
            if not is_value[i]:
                out.append(Seg("label", c.text, normalize_label(c.text), c.source, [], header, rid, block))
                i += 1
                continue
            j = i
            while j < len(row) and is_value[j]:
                j += 1
            run = row[i:j]
            # Blank cells before a row's label are the empty label columns of merged cells (a row of only
            # blank cells is kept: the matcher decides whether it is a header's or a row printed blank).
            if i < first_label < len(row) and all(not x.text.strip() for x in run):
                i = j
                continue
            if not header:
                pieces = [Piece(x.text.strip(), x.source, True) for x in run]
                out.append(Seg("values", " | ".join(x.text for x in run), "", run[0].source, pieces, False, rid, block))
            i = j
    return out


def segments(doc: Document, header_words: tuple[str, ...] = ()) -> list[Seg]:
    out: list[Seg] = []
    row_base = 0
    for i, b in enumerate(doc.blocks):
        if isinstance(b, Table):
            out += _table_segments(b, i, header_words, row_base)
            row_base += len(b.rows)
        else:
            out += _paragraph_segments(b, i)
    return out
