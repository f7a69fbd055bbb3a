"""A table printed with every cell blank: found by its own header words, since no value anchors it.

A 表四 whose cells are all empty (a grid of empty cells, layout text whose value lines are empty) leaves the
aligner nothing to place; the table is there all the same when its header is printed: the form's column titles
(结果维持, 结果纠正 …) and group titles (行政复议, 行政诉讼 …) on lines of their own, not in running text
(section 四's sentences name 行政复议 too). Then its cells are blank, said so by the row's finding — never 0.
Only asked when the table has no value at all: ordinary reports pay nothing.
"""
from __future__ import annotations

import re

from ..formats import Table4Spec
from ..text import normalize_label
from .align import _prose_count
from .stream import Seg

_SENTENCE = re.compile(r"[。，；;,]")  # punctuation of running text, not of a table's header
MIN_COLUMNS = 2  # distinct column titles printed (each is printed once per group: a broken one has others)
MIN_GROUPS = 2   # distinct group titles printed (行政复议 and 行政诉讼, or its two parts)


def blank_table_header(segs: list[Seg], start: int, end: int, spec: Table4Spec) -> Seg | None:
    """The first header line of a 表四 printed in [start, end) with no values, or None where its header is not
    printed (the section's prose only) or a value stands anywhere in the section (before the header, say:
    a value the table's stream did not take is no evidence of a blank table)."""
    columns = {normalize_label(c.label) for c in spec.columns}
    groups = {normalize_label(p) for g in spec.groups for p in g.label.split()}
    seen_cols: set[str] = set()
    seen_groups: set[str] = set()
    first: Seg | None = None
    for k in range(start, end):
        s = segs[k]
        if s.kind != "label":
            if any(any(ch.isdigit() for ch in p.text) for p in s.pieces) and not _prose_count(segs, k):
                return None
            continue
        if _SENTENCE.search(s.text):
            continue
        cols = {w for w in columns if w in s.norm}
        grps = {w for w in groups if w in s.norm}
        if (cols or grps) and first is None:
            first = s
        seen_cols |= cols
        seen_groups |= grps
    if len(seen_cols) >= MIN_COLUMNS and len(seen_groups) >= MIN_GROUPS:
        return first
    return None
