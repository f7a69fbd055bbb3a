"""OCR'd labels read against the official forms' own words, between reading and matching.

A scan can break one stroke of a label (举 read as 半, 一 as ·), and then the label no longer names
its row. The vocabulary is the formats' data — every table label, column and group label, header and
section heading of every format — never a list in code. A table label cell or a short paragraph of an
OCR'd document that differs from exactly one entry of the vocabulary in one character (two in a label
of 12 or more), and from every other entry in more, is read as that entry; each such reading is
recorded (``Document.meta['ocr']['labels']``) and becomes an ``ocr.label-read`` note. Values are
never touched: a number cell is never compared with words.
"""
from __future__ import annotations

from functools import lru_cache

from .blocks import Document, Paragraph, Table
from .formats import all_formats
from .match.stream import is_value_text
from .text import normalize_label

MIN_LENGTH = 4          # shorter labels (规章, 其他) are too close to each other to be snapped
MAX_PARAGRAPH = 40      # longer paragraphs are prose, not headings


@lru_cache(maxsize=1)
def vocabulary() -> dict[int, list[tuple[str, str]]]:
    """Official words by length of their normalised form: (normalised, as printed in the form)."""
    words: set[str] = set()
    for fmt in all_formats():
        for r in fmt.table2:
            words.add(r.label)
            words.update(c.label for c in r.columns)
        t3 = fmt.table3
        words.update(r.label for r in t3.rows)
        words.update(c.label for c in t3.columns)
        words.update(g.label for g in t3.groups)
        words.update(v for _, v in t3.headers)
        words.add(t3.note)
        t4 = fmt.table4
        words.update(c.label for c in t4.columns)
        for g in t4.groups:
            words.update(g.label.split(" "))
        words.update(f"{s.number}、{s.title}" for s in fmt.sections)
    out: dict[int, list[tuple[str, str]]] = {}
    for w in words:
        n = normalize_label(w)
        if len(n) >= MIN_LENGTH:
            out.setdefault(len(n), []).append((n, w))
    return out


def _distance(a: str, b: str, cap: int) -> int:
    d = 0
    for x, y in zip(a, b):
        if x != y:
            d += 1
            if d > cap:
                break
    return d


def snap(text: str) -> str | None:
    """The official word an OCR'd label stands for, when it is the only one that close; else None."""
    n = normalize_label(text)
    entries = vocabulary().get(len(n))
    if not entries or len(n) < MIN_LENGTH:
        return None
    cap = 2 if len(n) >= 12 else 1
    scored = sorted((_distance(n, e, cap + 1), e, w) for e, w in entries)
    best = scored[0]
    if best[0] == 0 or best[0] > cap:
        return None
    if len(scored) > 1 and scored[1][0] <= best[0] + 1:
        return None  # another official word nearly as close: not decided
    return best[2]


def read_labels(doc: Document) -> None:
    """Snap the OCR'd labels of ``doc`` in place (only documents read by OCR; texts keep their length
    where the printed form has the same length, so recorded offsets stay valid)."""
    run = doc.meta.get("ocr")
    if not run:
        return
    pages = set(run.get("pages") or [])
    done = run.setdefault("labels", [])
    for block in doc.blocks:
        cells = []
        if isinstance(block, Table):
            cells = [c for row in block.rows for c in row if c.source.page in pages and not is_value_text(c.text)]
        elif isinstance(block, Paragraph) and block.source.page in pages and len(block.text) <= MAX_PARAGRAPH:
            cells = [block]
        for c in cells:
            word = snap(c.text)
            if word is None or len(word) != len(c.text):
                continue  # only like-for-like: offsets into the text stay as they are
            done.append({"page": c.source.page, "bbox": list(c.source.bbox) if c.source.bbox else None,
                         "read": c.text, "as": word})
            if doc.text and c.source.start is not None:
                doc.text = doc.text[:c.source.start] + word + doc.text[c.source.start + len(word):]
            c.text = word
