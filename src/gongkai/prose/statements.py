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

from .numbers import (WIDTH, Percent, Quantity, _quantity_matches, find_percents, find_quantities, positions,
                      quantities_of)
from .scope import Agency, Scope, markers, scope_at
from .vocab import (CLAUSE_MARKS, COUNT_UNITS, CUES, SENTENCE_END_BREAK, SENTENCE_END_MARKS, SHARE_BETWEEN,
                    YOY_BEFORE, ZERO_CUES, Cue)

MONEY_UNITS = frozenset({"元", "万元"})
_CUE_RES = tuple((c, re.compile(c.before) if c.before else None, re.compile(c.after) if c.after else None,
                  re.compile(c.not_with) if c.not_with else None) for c in CUES)
# The cues that count in each unit, bound once: most numbers the prose states are in 条 (information
# items), which no cue reads.
_CUES_BY_UNIT = {u: tuple(e for e in _CUE_RES if u in e[0].units) for u in COUNT_UNITS}
_ZERO_RES = tuple((z, re.compile(z.pattern)) for z in ZERO_CUES)
# The words every zero cue starts with: a cue matches only where one of them stands, and finding
# them with ``str.find`` costs far less than searching for the cues (most sentences have none).
_ZERO_LEAD_WORDS = ("未", "没有")
_ZERO_LEAD = "(?:" + "|".join(_ZERO_LEAD_WORDS) + ")"


def _has_top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` is an alternation at its top level (a ``|`` outside groups and classes)."""
    depth, in_class, escaped = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


def _starts_with_lead(pattern: str) -> bool:
    """Every match of ``pattern`` starts with one of _ZERO_LEAD_WORDS."""
    return (pattern.startswith(_ZERO_LEAD) and pattern[len(_ZERO_LEAD):len(_ZERO_LEAD) + 1] not in ("?", "*", "{", "+")
            and not _has_top_level_bar(pattern))


_LEADS_KNOWN = all(_starts_with_lead(z.pattern) for z in ZERO_CUES)  # else: search for the cues everywhere
_ANY_ZERO = re.compile("|".join(f"(?:{z.pattern})" for z in ZERO_CUES))
_BREAK_RE = re.compile(SENTENCE_END_BREAK)
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
    ends = _sentence_ends(text)
    out: list[tuple[int, int]] = []
    a = 0
    for b in ends:
        span = _trimmed(text, a, b)
        if span is not None:
            out.append(span)
        a = b
    return out


def _sentence_ends(text: str) -> list[int]:
    """``[m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]``, from its two patterns apart.

    A mark is one character that is not white space and a break holds white space only: the
    matches of the two never overlap, and SENTENCE_END's are those of both. The marks are found
    with ``str.find`` (C), which costs a fraction of a character class tried at every position.
    """
    ends = [m.end() for m in _BREAK_RE.finditer(text)]
    for ch in SENTENCE_END_MARKS:
        i = text.find(ch)
        while i >= 0:
            ends.append(i + 1)
            i = text.find(ch, i + 1)
    ends.sort()
    ends.append(len(text))
    return ends


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The span of ``text[a:b]`` without its leading and trailing white space; None if nothing is left."""
    chunk = text[a:b]
    body = chunk.strip()
    if not body:
        return None
    lead = len(chunk) - len(chunk.lstrip())
    return a + lead, a + lead + len(body)


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


def _cues_for(unit: str) -> tuple:
    """The entries of _CUE_RES whose cue counts in ``unit``."""
    entries = _CUES_BY_UNIT.get(unit)
    return entries if entries is not None else tuple(e for e in _CUE_RES if unit in e[0].units)


def _counted(unit: str) -> bool:
    """Whether a number in ``unit`` may be a statement (sentence_statements reads it against cues)."""
    return unit not in MONEY_UNITS and bool(_cues_for(unit))


def _last_match(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``rx.finditer(text)`` (the one ending last: their ends never decrease), or None.
    Most cues are not in a number's prefix: one ``search`` says so without building an iterator."""
    last = rx.search(text)
    if last is not None:
        for last in rx.finditer(text):
            pass
    return last


def _choose_cue(prefix: str, suffix: str, unit: str) -> tuple[Cue, str] | None:
    """The cue nearest the number; on a tie the longer one (see vocab's conventions)."""
    best: tuple[tuple[int, int], Cue, str] | None = None
    excluded: dict[int, bool] = {}  # most cues share one not_with pattern: search the prefix once
    for cue, before, after, not_with in _cues_for(unit):
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
            last = _last_match(before, prefix)
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
    quantities = find_quantities(sentence.text) if may_count else []
    return _statements(sentence, agency, quantities)


def _statements(sentence: Sentence, agency: Agency, quantities: list[Quantity], may_zero: bool = True,
                wide: str | None = None) -> list[Statement]:
    """sentence_statements with the sentence's quantities found. ``may_zero=False``: the caller knows
    the sentence holds none of the words zero cues start with. ``wide``: ``WIDTH(sentence.text)``."""
    text = sentence.text
    out: list[Statement] = []
    by_quantity: dict[int, Statement] = {}
    scope_words: list[tuple[int, int, Scope]] | None = None  # found for the first statement
    for i, q in enumerate(quantities):
        if not _counted(q.unit):
            continue  # money is read for boundaries only: no statement kind counts yuan (nor 条: no cue reads it)
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
        _attach_percents(text, quantities, find_percents(text, wide), by_quantity)
    if may_zero:
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
    text = sentence.text
    leads = _lead_positions(text) if _LEADS_KNOWN else None
    if leads == [] or leads is None and not _ANY_ZERO.search(text):
        return
    seen: set[str] = set()
    for zc, rx in _ZERO_RES:
        for m in (rx.finditer(text) if leads is None else _matches_at(rx, text, leads)):
            for kind in zc.kinds:
                if kind in stated or kind in seen:
                    continue
                seen.add(kind)
                yield Statement(kind, 0, "", sentence, sentence.start + m.start(), sentence.start + m.end(),
                                m.group(), scope_at(text, m.start(), agency))


def _lead_positions(text: str) -> list[int]:
    """Where the words every zero cue starts with stand in ``text``, in order."""
    return positions(text, _ZERO_LEAD_WORDS)


def _matches_at(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern that can only match at ``starts``: tried there alone."""
    pos = 0
    for start in starts:
        if start >= pos:
            m = rx.match(text, start)
            if m is not None:
                yield m
                pos = m.end()  # a cue never matches the empty string


def _zero_spans(text: str) -> list[tuple[int, int]]:
    """Where a zero cue may be in a whole section: its lead words, or (when the cues do not all start
    with them) the cues themselves."""
    if not _LEADS_KNOWN:
        return [m.span() for m in _ANY_ZERO.finditer(text)]
    return [(i, i + 1) for i in _lead_positions(text)]


def extract_statements(sections: dict[str, str], agency: str | None) -> list[Statement]:
    """All statements of a report's prose, in section and text order."""
    ag = Agency.of(agency)
    out: list[Statement] = []
    for key, text in sections.items():
        if text:
            out.extend(_section_statements(key, text, ag))
    return out


def _section_statements(key: str, text: str, agency: Agency) -> list[Statement]:
    """The statements of one section, sentence by sentence.

    Most sentences state no number: the quantities and zero-cue words of the whole section are found
    in one pass, and only the sentences holding them are read. A sentence's quantities are the
    section's matches within it: the unit-end scan (numbers.py) finds them in the sentence alone
    just the same, unless a match runs over a sentence's edge, and then every sentence a match
    touches is searched alone.
    """
    wide = WIDTH(text)  # one character for one: a sentence's slice of it is WIDTH of the sentence
    ends = _sentence_ends(text)
    matches = list(_quantity_matches(wide))
    zeros = _sentences_touched(ends, _zero_spans(text))
    by_sentence: dict[int, list[re.Match[str]]] = {}
    for m in matches:
        by_sentence.setdefault(bisect_right(ends, m.start()), []).append(m)
    spans = {i: _trimmed(text, ends[i - 1] if i else 0, ends[i]) for i in sorted(by_sentence.keys() | zeros)}
    alone = not all(_within(spans[i], found) for i, found in by_sentence.items())
    if alone:
        counts = _sentences_touched(ends, [m.span() for m in matches])
        spans.update((i, _trimmed(text, ends[i - 1] if i else 0, ends[i])) for i in counts - spans.keys())
    out: list[Statement] = []
    for i in sorted(spans):
        span = spans[i]
        if span is None:
            continue
        a, b = span
        if alone:
            quantities = find_quantities(text[a:b], wide[a:b]) if i in counts else []
        else:
            found = by_sentence.get(i, ())
            if i not in zeros and not any(_counted(m.group("unit")) for m in found):
                continue  # only money and 条: a sentence no cue reads states nothing
            quantities = quantities_of(text, wide, found, a)
        out.extend(_statements(Sentence(key, text[a:b], a, b), agency, quantities, i in zeros, wide[a:b]))
    return out


def _within(span: tuple[int, int] | None, matches: list[re.Match[str]]) -> bool:
    """Whether the matches (in order) all lie inside the span."""
    return span is not None and span[0] <= matches[0].start() and matches[-1].end() <= span[1]


def _sentences_touched(ends: list[int], spans: list[tuple[int, int]]) -> set[int]:
    """The sentences (by index: sentence i runs from ``ends[i - 1]`` to ``ends[i]``) the spans overlap.

    A sentence whose quantity (or zero cue) is found in the sentence alone is touched by a match in
    the whole section: that match starts where the sentence's does, or it covers that start. A span
    also touching the white space around a sentence costs a sentence read for nothing, never a miss.
    """
    touched: set[int] = set()
    for a, b in spans:
        i = bisect_right(ends, a)  # the sentence ``a`` is in
        touched.add(i)
        while b > ends[i]:  # a span running on into the next sentence (never past the text's end)
            i += 1
            touched.add(i)
    return touched


def statements_of_kind(statements: Iterable[Statement], *kinds: str) -> list[Statement]:
    return [s for s in statements if s.kind in kinds]
