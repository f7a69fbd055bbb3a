"""Where a table's columns stand, from the column titles printed over them (layout-keeping text).

pdftotext -layout and pdfplumber layout=True print a table's header as its column titles laid over the
columns, a long title broken over lines ("社会 / 公益 / 组织"), and a blank cell as empty space. When every row
leaves the same cells blank, no full row shows where the columns are (corpus 032's 表三: only 自然人 and 总计
printed); the titles still do. A column is found as the header words standing over one another (extents
that overlap) whose text, read top to bottom, is the column's title; the form's titles, left to right, must
be exactly the columns found, or nothing is decided. A value then belongs to the column it stands under, or
clearly nearest to; a value between two columns is not placed (the caller makes the row's cells unknown).

Positions are counted in characters (pdftotext, pdfplumber) or in display columns, a CJK character as two
(pandoc): the caller tries both and keeps what the header and every value row of the page agree on.
"""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?%?")
HEADER_LINES = 16  # a header is a few lines; this bounds the look upward from the first value line


def width(text: str) -> int:
    """How many columns ``text`` takes when printed: wide (CJK) characters two, others one."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def extent(text: str, line_start: int, start: int, end: int, wide: bool) -> tuple[int, int]:
    """Where text[start:end] stands on its line: first and past-last column."""
    if not wide:
        return start - line_start, end - line_start
    lead = width(text[line_start:start])
    return lead, lead + width(text[start:end])


def header_lines(text: str, first: int, floor: int) -> list[tuple[int, str]]:
    """The lines above the line starting at ``first`` (the table's first value line), not above ``floor``
    (its page's start): up to the first line of prose (a sentence's "。") or of another row's values."""
    out: list[tuple[int, str]] = []
    end = first - 1  # the line break ending the line above
    while end >= floor and len(out) < HEADER_LINES:
        start = max(text.rfind("\n", floor, end) + 1, floor)
        line = text[start:end]
        if "。" in line or any(_NUMBER.fullmatch(w) for w in line.split()):
            break
        out.append((start, line))
        end = start - 1
    out.reverse()
    return out


def title_columns(text: str, lines: list[tuple[int, str]], titles: tuple[str, ...],
                  wide: bool) -> list[tuple[int, int]] | None:
    """The extents of the columns ``titles`` names, left to right, from the header ``lines``; None unless
    the header's title words make up exactly these columns."""
    words: list[tuple[int, int, int, str]] = []  # (from, to, line, word)
    for k, (start, line) in enumerate(lines):
        for m in _WORD.finditer(line):
            w = unicodedata.normalize("NFKC", m.group().replace("\\", ""))
            if w and not any(ch.isdigit() for ch in w) and any(w in t for t in titles):
                a, b = extent(text, start, start + m.start(), start + m.end(), wide)
                words.append((a, b, k, w))
    if not words:
        return None
    words.sort()
    columns: list[list[tuple[int, int, int, str]]] = []
    reach = None
    for w in words:  # connected runs of overlapping extents: the words standing over one another
        if reach is not None and w[0] < reach:
            columns[-1].append(w)
            reach = max(reach, w[1])
        else:
            columns.append([w])
            reach = w[1]
    if len(columns) != len(titles):
        return None
    for col, title in zip(columns, titles):
        if "".join(w[3] for w in sorted(col, key=lambda w: (w[2], w[0]))) != title:
            return None
    return [(min(w[0] for w in col), max(w[1] for w in col)) for col in columns]


def column_of(extents: list[tuple[int, int]], c: float) -> int | None:
    """The column a value centred at ``c`` stands under: the one whose title spans it, else the one clearly
    nearest (less than half as far as the other neighbour, or beyond the outer columns by at most their
    title's width); None for a value between two columns."""
    left = right = None
    for k, (a, b) in enumerate(extents):
        if a <= c <= b:
            return k
        if b < c:
            left = k
        elif right is None:
            right = k
    if left is None and right is None:
        return None
    if left is None:
        a, b = extents[right]
        return right if a - c <= b - a else None
    if right is None:
        a, b = extents[left]
        return left if c - b <= b - a else None
    dl, dr = c - extents[left][1], extents[right][0] - c
    if 2 * dl < dr:
        return left
    if 2 * dr < dl:
        return right
    return None
