"""Statements the prose makes about the tables' numbers: 共收到申请70件, 办结69件, 占54.3% …

Each statement keeps its section, its sentence (text and span within the section), the span of the
number, the words that decided what it counts, and whose number it is (scope.py).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator

from .numbers import QUANTITY_TAIL_RE, WIDTH, Percent, Quantity, find_percents, find_quantities
from .scope import Agency, Scope, markers, scope_at
from .vocab import CLAUSE_MARKS, CUES, SENTENCE_END, SHARE_BETWEEN, YOY_BEFORE, ZERO_CUES, Cue

MONEY_UNITS = frozenset({"元", "万元"})
_CUE_RES = tuple((c, re.compile(c.before) if c.before else None, re.compile(c.after) if c.after else None,
                  re.compile(c.not_with) if c.not_with else None) for c in CUES)
_ZERO_RES = tuple((z, re.compile(z.pattern)) for z in ZERO_CUES)
# Any zero cue at all: one search per sentence instead of one per cue (most sentences have none).
_ANY_ZERO = re.compile("|".join(f"(?:{z.pattern})" for z in ZERO_CUES))
# Where a zero cue may be, for whole sections: the words every cue starts with (when they all do),
# much cheaper to search for than the cues.
_ZERO_LEAD = "(?:未|没有)"
_ZERO_FILTER = re.compile(_ZERO_LEAD) if all(z.pattern.startswith(_ZERO_LEAD) for z in ZERO_CUES) else _ANY_ZERO
_SHARE_RE = re.compile(SHARE_BETWEEN)
_YOY_RE = re.compile(YOY_BEFORE)


@dataclass(frozen=True)
class Sentence:
    section: str
    text: str
    start: int   # offsets in the section's text
    end: int


@dataclass
class Statement:
    kind: str                  # a key of vocab.KINDS
    value: int | Decimal
    unit: str
    sentence: Sentence
    number_start: int          # offsets in the section's text
    number_end: int
    cue: str                   # the words that decided the kind
    scope: Scope
    ambiguous: bool = False
    percent: Percent | None = None       # the share stated right after the count (offsets in the sentence)
    percents_unchecked: list[Percent] = field(default_factory=list)  # 同比… : not a share of this count

    @property
    def section(self) -> str:
        return self.sentence.section

    def position(self) -> dict:
        s = self.sentence
        return {"section": s.section, "start": s.start, "end": s.end, "text": s.text}


def split_sentences(section: str, text: str) -> Iterator[Sentence]:
    """Sentences of a section, with spans; leading and trailing white space trimmed."""
    for a, b in sentence_spans(text):
        yield Sentence(section, text[a:b], a, b)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The spans of split_sentences, without building the sentences."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
    out: list[tuple[int, int]] = []
    a = 0
    for b in ends:
        chunk = text[a:b]
        body = chunk.strip()
        if body:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((a + lead, a + lead + len(body)))
        a = b
    return out


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_MARKS:
        i -= 1
    return i


def _clause_end(text: str, pos: int) -> int:
    i = pos
    while i < len(text) and text[i] not in CLAUSE_MARKS:
        i += 1
    return i


def _choose_cue(prefix: str, suffix: str, unit: str) -> tuple[Cue, str] | None:
    """The cue nearest the number; on a tie the longer one (see vocab's conventions)."""
    best: tuple[tuple[int, int], Cue, str] | None = None
    excluded: dict[int, bool] = {}  # most cues share one not_with pattern: search the prefix once
    for cue, before, after, not_with in _CUE_RES:
        if unit not in cue.units:
            continue
        if not_with is not None:
            hit = excluded.get(id(not_with))
            if hit is None:
                hit = excluded[id(not_with)] = not_with.search(prefix) is not None
            if hit:
                continue
        words = ""
        if after is not None:
            ma = after.match(suffix)
            if ma is None:
                continue
            words = ma.group().strip()
            distance, length = ma.start(), len(ma.group())
        if before is not None:
            last = None
            for mb in before.finditer(prefix):
                if last is None or mb.end() >= last.end():
                    last = mb
            if last is None:
                continue
            words = last.group().strip() + ("…" + words if words else "")
            distance, length = len(prefix) - last.end(), last.end() - last.start()
        key = (-distance, length)
        if best is None or key > best[0]:
            best = (key, cue, words)
    return (best[1], best[2]) if best else None


def sentence_statements(sentence: Sentence, agency: Agency, may_count: bool = True) -> list[Statement]:
    """The statements of one sentence. ``may_count=False``: the caller knows it holds no quantity."""
    text = sentence.text
    quantities = find_quantities(text) if may_count else []
    out: list[Statement] = []
    by_quantity: dict[int, Statement] = {}
    scope_words: list[tuple[int, int, Scope]] | None = None  # found for the first statement
    for i, q in enumerate(quantities):
        if q.unit in MONEY_UNITS:
            continue  # money is read for boundaries only: no statement kind counts yuan
        lo = max(quantities[i - 1].end if i else 0, _clause_start(text, q.start))
        hi = min(quantities[i + 1].start if i + 1 < len(quantities) else len(text), _clause_end(text, q.end))
        chosen = _choose_cue(text[lo:q.start], text[q.end:hi], q.unit)
        if chosen is None:
            continue
        cue, words = chosen
        if scope_words is None:
            scope_words = markers(text, agency)
        st = Statement(cue.kind, q.value, q.unit, sentence, sentence.start + q.start, sentence.start + q.end,
                       words, scope_at(text, q.start, agency, scope_words), cue.ambiguous)
        out.append(st)
        by_quantity[i] = st
    if by_quantity:  # a percentage is only ever attached to a counted quantity
        _attach_percents(text, quantities, find_percents(text), by_quantity)
    out.extend(_zero_statements(sentence, agency, {s.kind for s in out}))
    return out


def _attach_percents(text: str, quantities: list[Quantity], percents: list[Percent],
                     by_quantity: dict[int, Statement]) -> None:
    """A percentage right after a count (…215件，占54.3%) is that count's share."""
    for p in percents:
        idx = max((i for i, q in enumerate(quantities) if q.end <= p.start), default=None)
        if idx is None or idx not in by_quantity:
            continue
        st = by_quantity[idx]
        between = text[quantities[idx].end:p.start]
        if _YOY_RE.search(between):
            st.percents_unchecked.append(p)
        elif _SHARE_RE.match(between) and st.percent is None:
            st.percent = p


def _zero_statements(sentence: Sentence, agency: Agency, stated: set[str]) -> Iterator[Statement]:
    """未收到…申请 / 未发生…行政复议和行政诉讼: a zero stated in words."""
    if not _ANY_ZERO.search(sentence.text):
        return
    seen: set[str] = set()
    for zc, rx in _ZERO_RES:
        for m in rx.finditer(sentence.text):
            for kind in zc.kinds:
                if kind in stated or kind in seen:
                    continue
                seen.add(kind)
                yield Statement(kind, 0, "", sentence, sentence.start + m.start(), sentence.start + m.end(),
                                m.group(), scope_at(sentence.text, m.start(), agency))


def extract_statements(sections: dict[str, str], agency: str | None) -> list[Statement]:
    """All statements of a report's prose, in section and text order."""
    ag = Agency.of(agency)
    out: list[Statement] = []
    for key, text in sections.items():
        if not text:
            continue
        counts = _Matches(QUANTITY_TAIL_RE, WIDTH(text))
        zeros = _Matches(_ZERO_FILTER, text)
        for a, b in sentence_spans(text):
            may_count = counts.overlap(a, b)
            if may_count or zeros.overlap(a, b):  # any other sentence states nothing
                out.extend(sentence_statements(Sentence(key, text[a:b], a, b), ag, may_count))
    return out


class _Matches:
    """Where a filter pattern matches in a whole section, found in one pass, to ask of each sentence.

    Most sentences state no number: searching the section once and looking sentences up costs
    less than searching every sentence. The filters (QUANTITY_TAIL_RE, _ZERO_FILTER) match inside
    every match of what they stand for and read no character outside it, so a sentence holding a
    quantity or zero cue holds a filter match, and the section's search finds it or an earlier
    match running into it: a sentence that no section match overlaps has none of its own.
    """

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        spans = [m.span() for m in pattern.finditer(text)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]  # matches do not overlap: sorted like the starts

    def overlap(self, start: int, end: int) -> bool:
        i = bisect_right(self.ends, start)  # the first match ending after ``start``
        return i < len(self.starts) and self.starts[i] < end


def statements_of_kind(statements: Iterable[Statement], *kinds: str) -> list[Statement]:
    return [s for s in statements if s.kind in kinds]
