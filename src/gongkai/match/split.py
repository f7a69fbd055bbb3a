"""Value pieces → exactly n cells, listing every reading the printed text allows.

A row's values arrive as grid cells or as one run of characters. Runs from crawler text lose
the cell borders ("640020470" is 64|0|0|2|0|4|70), grid rows carry stray empty cells, and a
white space may be an &nbsp; blank cell or mere padding. This module does not choose: it
enumerates the readings of a row into exactly n cells, each with a cost (how much it departs
from the printed cells: a dropped cell, a white space read as a blank), and the caller picks the
one the table's arithmetic and the report's own prose support.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Callable, NamedTuple

from ..blocks import Source
from ..model import Basis, Cell, Kind
from .stream import ATOM, PLACEHOLDER_TEXT, Piece, _same_length_ascii

MAX_READINGS = 20000

# Enum members bound once: looking ``Kind.NUMBER`` up on the enum class costs about 60 ns, and this
# module does it for every cell.
_NUMBER, _SPLIT, _PRINTED = Kind.NUMBER, Basis.SPLIT, Basis.PRINTED

# Costs of departing from the printed cells.
COST_DROP_BLANK = 1      # an empty grid cell that is not a column of this row
COST_GAP_BLANK = 2       # a white space inside a run read as a blank cell (an &nbsp; cell)
COST_DROP_VALUE = 3      # a printed value that does not belong to the row's columns
COST_SPLIT_CELL = 1      # a grid cell holding several values run together


class Tok(NamedTuple):  # a tuple: built for every value a row prints, cheaper than a frozen dataclass
    kind: str                 # "num", "blank", "gap", "ph", "text"
    text: str
    source: Source            # of a "num" token: its piece's, the number starting at ``offset`` in it
    explicit: bool
    offset: int = 0           # (a number's own Source is only needed for the cells cut from it)


def tokenize(pieces: list[Piece]) -> list[Tok]:
    """The tokens of value pieces, in order. Each piece is read once and its tokens kept with it (a Piece's
    text and source never change)."""
    toks: list[Tok] = []
    for p in pieces:
        got = p.toks
        if got is None:
            got = p.toks = _piece_tokens(p)
        toks += got
    return toks


def _piece_tokens(p: Piece) -> list[Tok]:
    if p.text.isdigit() and p.text.isascii():
        # Most pieces are one plain digit run ("0", "640020470"): one number token, as below.
        return [Tok("num", p.text, p.source, p.explicit)]
    s = p.text.strip()
    if p.explicit and not s:
        return [Tok("blank", "", p.source, True)]
    if p.explicit and s in PLACEHOLDER_TEXT and not re.fullmatch(r"[/\-—–－／]+", s):
        return [Tok("text", s, p.source, True)]
    toks: list[Tok] = []
    t = _same_length_ascii(p.text)
    last = None
    for m in ATOM.finditer(t):
        a, b = m.span()
        if last is not None and t[last:a].strip() == "" and a > last:
            toks.append(Tok("gap", "", p.source.sub(last, a), p.explicit))
        if m.group("ph"):
            toks.append(Tok("ph", p.text[a:b], p.source.sub(a, b), p.explicit))
        else:
            toks.append(Tok("num", p.text[a:b], p.source, p.explicit, a))
        last = b
    if last is None and s:
        toks.append(Tok("text", s, p.source, p.explicit))
    return toks


@lru_cache(maxsize=8192)
def _number(text: str) -> tuple[int | Decimal, str | None]:
    t = _same_length_ascii(text).replace("\\", "")  # Markdown's escaped decimal point
    unit = None
    for u in ("万元", "元", "%"):
        if t.endswith(u):
            unit, t = u, t[: -len(u)].rstrip()
            break
    return (Decimal(t) if "." in t else int(t)), unit


def printed_number(text: str) -> tuple[int | Decimal, str | None, str] | None:
    """A whole cell's text read as one number the way the matcher reads a printed cell: value, unit and the
    text as a cell keeps it ("75394432.52 元" → (Decimal("75394432.52"), "元", "75394432.52元")); None when
    the text is not one number. Figures typed by an office go through this too, so both agree."""
    t = text.strip()
    m = ATOM.fullmatch(_same_length_ascii(t))
    if m is None or m.group("num") is None:
        return None
    value, unit = _number(t)
    if unit and t[-len(unit) - 1] == " ":
        t = t[: -len(unit) - 1] + unit
    return value, unit, t


def _valid_part(part: str, first: bool) -> bool:
    digits = part.lstrip("-")
    if part.startswith("-") and not first:
        return False
    if not digits or not digits[0].isdigit():
        return False
    whole = digits.split(".")[0]
    return whole == "0" or not whole.startswith("0")


MAX_CUTS = 5000          # ways to cut one run listed at most; more make the run undecidable
MAX_RUN_DIGITS = 60      # no cell of the forms holds a number this long: a longer run is not cut at all


def _cut_frame(text: str) -> tuple[int, int, int]:
    """(end of the digits before a unit, last position a cut may fall at + 1, sign length)."""
    unit_len = 0
    for u in ("万元", "元", "%"):
        if text.endswith(u):
            unit_len = len(u)
            break
    core_end = len(text) - unit_len
    while unit_len and core_end > 0 and text[core_end - 1] == " ":
        core_end -= 1  # the space a PDF text layer puts between an amount and its unit
    dot = text.find(".")
    cut_limit = dot if dot >= 0 else core_end  # cuts only in the integer part
    return core_end, cut_limit, 1 if text.startswith("-") else 0


@lru_cache(maxsize=4096)
def count_splits(text: str, k: int) -> int:
    """How many ways ``text`` cuts into k valid numbers: a dynamic programme over cut positions,
    O(len² · k), so the count is known before anything is listed (issue 12, item 4: listing the cuts
    of a 30-digit run into 7 cells was exponential)."""
    if len(text) == k and text.isdigit() and text.isascii():
        return 1   # as many digits as cells (crawler text's usual row, "0000000"): one digit each
    core_end, _, sign = _cut_frame(text)
    if core_end - sign > MAX_RUN_DIGITS:
        return MAX_CUTS + 1
    if text.isdigit() and text.isascii():
        return min(_digit_counts(text, k)[k][0], MAX_CUTS + 1)
    return _ways(text)(0, k)


@lru_cache(maxsize=4096)  # asked by count_splits and again by _splits for the same run
def _digit_counts(text: str, k: int) -> list[list[int]]:
    """For a run of ASCII digits only (crawler text's rows): counts[left][start], how many ways text[start:]
    cuts into ``left`` numbers without a leading zero, for left = 1..k.

    The general ``_ways`` tests each part's text; here a part text[a:b] is valid exactly when it is one
    digit or does not start with 0, so each count is a sum over a range of the counts one part shorter,
    read off running sums: O(len · k) integer steps instead of O(len² · k) string tests."""
    n = len(text)
    lead = [ch != "0" for ch in text]  # a part may start here and be longer than one digit
    counts: list[list[int]] = [[0] * (n + 1), [1 if (s == n - 1 or lead[s]) else 0 for s in range(n)] + [0]]
    for left in range(2, k + 1):
        prev = counts[-1]
        run = [0] * (n + 2)  # run[s] = prev[s] + prev[s + 1] + … + prev[n]
        for s in range(n, -1, -1):
            run[s] = run[s + 1] + prev[s]
        last = n - left + 1  # the last position this part may end at: each later part needs a digit
        cur = [0] * (n + 1)
        for s in range(n):
            if s + 1 > last:
                break
            cur[s] = run[s + 1] - run[last + 1] if lead[s] else prev[s + 1]
        counts.append(cur)
    return counts


def _digit_splits(text: str, k: int, counts: list[list[int]]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Every cut of an ASCII digit run into k numbers, in the order ``_splits``' depth-first search lists
    them (cut positions ascending), built from the counts: each suffix listed once and shared."""
    n = len(text)
    lead = [ch != "0" for ch in text]
    memo: dict[tuple[int, int], tuple[tuple[tuple[int, int], ...], ...]] = {}

    def suffix(start: int, left: int) -> tuple[tuple[tuple[int, int], ...], ...]:
        got = memo.get((start, left))
        if got is None:
            if left == 1:
                got = (((start, n),),) if counts[1][start] else ()
            else:
                out: list[tuple[tuple[int, int], ...]] = []
                last = (n - left + 1) if lead[start] else start + 1
                for cut in range(start + 1, min(last, n - left + 1) + 1):
                    if counts[left - 1][cut]:
                        head = (start, cut)
                        out += [(head, *tail) for tail in suffix(cut, left - 1)]
                got = tuple(out)
            memo[(start, left)] = got
        return got

    return suffix(0, k)


def _ways(text: str) -> Callable[[int, int], int]:
    """ways(start, left): how many ways text[start:] cuts into ``left`` valid numbers that follow the
    parts before ``start`` (capped above MAX_CUTS), memoised over (start, left) for the whole run."""
    core_end, cut_limit, sign = _cut_frame(text)
    memo: dict[tuple[int, int], int] = {}

    def ways(start: int, left: int) -> int:
        key = (start, left)
        got = memo.get(key)
        if got is not None:
            return got
        if left == 1:
            n = 1 if _valid_part(text[start:core_end], start == 0) else 0
        else:
            n = 0
            lo, hi = start + (sign if start == 0 else 0) + 1, min(cut_limit, core_end - (left - 1) + 1)
            if lo - 1 < len(text) and text[lo - 1] == "0":
                hi = min(hi, lo + 1)
            for cut in range(lo, hi):
                part = text[start:cut]
                if _valid_part(part, start == 0) and "." not in part:
                    n += ways(cut, left - 1)
                    if n > MAX_CUTS:
                        break
        memo[key] = n = min(n, MAX_CUTS + 1)
        return n

    return ways


@lru_cache(maxsize=4096)
def _splits(text: str, k: int) -> tuple[tuple[tuple[int, int], ...], ...] | None:
    """Ways to cut a digit run into k valid numbers, as (start, end) spans; None when there are more
    than MAX_CUTS (counted first, so a long run costs polynomial time, never an exponential listing)."""
    if len(text) == k and text.isdigit() and text.isascii():
        return (tuple((i, i + 1) for i in range(k)),)   # one digit each: the only cut
    if count_splits(text, k) > MAX_CUTS:
        return None
    if text.isdigit() and text.isascii():
        return _digit_splits(text, k, _digit_counts(text, k))
    core_end, cut_limit, sign = _cut_frame(text)
    ways = _ways(text)   # one table for every suffix, not a count per suffix
    out: list[list[tuple[int, int]]] = []

    def rec(start: int, left: int, acc: list[tuple[int, int]]) -> None:
        if left == 1:
            part = text[start:core_end]
            if _valid_part(part, start == 0):
                out.append(acc + [(start, len(text))])
            return
        # each of the left - 1 parts after this one needs at least one digit before the end
        lo, hi = start + (sign if start == 0 else 0) + 1, min(cut_limit, core_end - (left - 1) + 1)
        if text[lo - 1] == "0":
            hi = min(hi, lo + 1)  # a part whose first digit is 0 can only be "0": one cut to try
        for cut in range(lo, hi):
            part = text[start:cut]
            # only into cuts that can be completed: the listing costs what it lists, no dead ends
            if _valid_part(part, start == 0) and "." not in part and ways(cut, left - 1):
                rec(cut, left - 1, acc + [(start, cut)])

    rec(0, k, [])
    return tuple(tuple(x) for x in out)


@dataclass(slots=True)
class Reading:
    cells: list[Cell]
    cost: int


def _cell_from(tok: Tok, a: int, b: int, basis: Basis) -> Cell:
    part = tok.text[a:b].replace("\\", "")  # as printed, without Markdown's escape
    value, unit = _number(part)
    if unit and part[-len(unit) - 1] == " ":
        part = part[: -len(unit) - 1] + unit  # printed as one value: "75394432.52元"
    at = tok.offset  # sub keeps a source without offsets
    return Cell(_NUMBER, value, part, unit, tok.source.sub(at + a, at + b), basis)


def _placeholder(tok: Tok) -> Cell:
    kind = Kind.SLASH if tok.text in "/／" else Kind.DASH
    return Cell(kind, None, tok.text, source=tok.source)


def _as_printed(toks: list[Tok]) -> list[Reading]:
    """The one reading of a row that prints exactly as many items as it has columns.

    With no cut allowed (not fewer items than columns) and no value to drop (not more), every
    item gives one cell and a dropped blank could not be made up for: the general search below
    finds this reading alone, at cost 0, or none when a number cannot be read whole (``007``).
    Most grid rows are like this, so they skip the search.
    """
    cells: list[Cell] = []
    for t in toks:
        if t.kind == "num":
            spans = _splits(t.text, 1)
            if not spans:
                return []  # not a number as printed (007), or a run too long to be one
            (a, b), = spans[0]
            cells.append(_cell_from(t, a, b, _PRINTED))
        elif t.kind == "blank":
            cells.append(Cell.blank(t.source))
        elif t.kind == "ph":
            cells.append(_placeholder(t))
        elif t.kind == "text":
            cells.append(Cell(Kind.TEXT, None, t.text, source=t.source))
    return [Reading(cells, 0)]


def _one_run(tok: Tok, n: int, limit: int) -> tuple[list[Reading], bool]:
    """The readings of a single number token cut into ``n > 1`` cells (crawler text's usual row).

    What the general search gives for one token: every cut into exactly n numbers, in order,
    each at cost (n - 1) * COST_SPLIT_CELL when the token was one grid cell.
    """
    cost = (n - 1) * (COST_SPLIT_CELL if tok.explicit else 0)
    text = tok.text
    if len(text) == n and text.isdigit() and text.isascii():
        # one digit a cell, the only cut (crawler text's row of zeros): the cells without the general search
        src, at = tok.source, tok.offset
        return [Reading([Cell(_NUMBER, int(ch), ch, None, src.sub(at + i, at + i + 1), _SPLIT)
                         for i, ch in enumerate(text)], cost)], True
    all_spans = _splits(tok.text, n)
    if all_spans is None:
        return [], False  # too many cuts to list: undecidable, said so by the caller
    # The cuts repeat the same spans: one cell per span, shared between readings.
    shared: dict[tuple[int, int], Cell] = {}
    for spans in all_spans[:limit]:
        for span in spans:
            if span not in shared:
                shared[span] = _cell_from(tok, span[0], span[1], _SPLIT)
    out = [Reading([shared[span] for span in spans], cost) for spans in all_spans[:limit]]
    return out, len(all_spans) <= limit


def readings(pieces: list[Piece], n: int, limit: int = MAX_READINGS) -> tuple[list[Reading], bool]:
    """All readings of ``pieces`` as exactly ``n`` cells, and whether the list is complete."""
    toks = tokenize(pieces)
    printed = sum(1 for t in toks if t.kind != "gap")
    if printed == n:
        return _as_printed(toks), True
    if len(toks) == 1 and toks[0].kind == "num" and n > 1:
        return _one_run(toks[0], n, limit)
    # As printed first: cut digits or read a space as a blank only when the row has fewer items
    # than columns; leave a printed value out only when it has more. Cutting needs evidence that the
    # digits were written together (crawler text): a run no number is printed as ("00000"), or runs
    # at most half as many as the cells ("500000 5"). Numbers printed apart, nearly one per cell
    # ("3 0 0 4 7 0 0 0 0 0" for 15 cells: a converter left the blank cells out), are not cut:
    # which cells they fill is the placement's question.
    nums = [t for t in toks if t.kind == "num"]
    run_together = len(nums) * 2 <= n or any(not count_splits(t.text, 1) for t in nums)
    if printed < n and not run_together:
        return [], True
    may_cut = printed < n
    may_drop_value = printed > n
    # The most and the fewest cells each suffix of tokens can give: prunes the search early.
    digits = [len(t.text.split(".")[0].lstrip("-").rstrip("万元% ")) if t.kind == "num" else 1 for t in toks]
    cap = [0] * (len(toks) + 1)
    floor = [0] * (len(toks) + 1)
    for i in range(len(toks) - 1, -1, -1):
        t = toks[i]
        cap[i] = cap[i + 1] + max(digits[i], 1)
        # a printed value gives a cell unless values may be left out; blanks and gaps need not
        floor[i] = floor[i + 1] + (1 if t.kind in ("num", "ph", "text") and not may_drop_value else 0)

    # The cells a number token gives when cut into k parts, built once per token.
    # Cells are shared between readings (nothing changes a cell after matching builds it): the
    # cuts of a long run repeat the same spans many times over.
    cut_cells: dict[tuple[int, int], list[tuple[Cell, ...]]] = {}
    span_cells: dict[tuple[int, int, int, bool], Cell] = {}

    def cell(i: int, a: int, b: int, split: bool) -> Cell:
        got = span_cells.get((i, a, b, split))
        if got is None:
            got = span_cells[(i, a, b, split)] = _cell_from(toks[i], a, b, _SPLIT if split else _PRINTED)
        return got

    def cuts(i: int, k: int) -> list[tuple[Cell, ...]]:
        nonlocal truncated
        got = cut_cells.get((i, k))
        if got is None:
            spans_k = _splits(toks[i].text, k)
            if spans_k is None:
                truncated = True  # too many cuts of this run to list: the row is not decided
                spans_k = ()
            got = cut_cells[(i, k)] = [tuple(cell(i, a, b, k > 1) for a, b in spans) for spans in spans_k]
        return got

    # Readings of the tokens from i on as exactly ``room`` cells, in the order a depth-first search
    # would list them. Memoised on (i, room): the suffix does not depend on how the prefix was
    # read, so dead ends are explored once instead of once per prefix.
    memo: dict[tuple[int, int], list[tuple[tuple[Cell, ...], int]]] = {}
    truncated = False

    def suffix(i: int, room: int) -> list[tuple[tuple[Cell, ...], int]]:
        if not floor[i] <= room <= cap[i]:
            return []  # no reading fills exactly ``room`` cells from here
        key = (i, room)
        got = memo.get(key)
        if got is not None:
            return got
        out: list[tuple[tuple[Cell, ...], int]] = []

        def add(head: tuple[Cell, ...], extra: int, rest: list[tuple[tuple[Cell, ...], int]]) -> None:
            nonlocal truncated
            for cells, cost in rest:
                if len(out) >= limit:
                    truncated = True
                    return
                out.append((head + cells, cost + extra))

        if i == len(toks):
            out.append(((), 0))  # room is 0 here
        else:
            t = toks[i]
            if t.kind == "num":
                # the tokens after this one give at most cap[i + 1] cells: cut at least the rest here
                lowest = max(1, room - cap[i + 1])
                extra = COST_SPLIT_CELL if t.explicit else 0
                for k in range(lowest, (min(room, digits[i]) if may_cut else min(room, 1)) + 1):
                    rest = suffix(i + 1, room - k)
                    if rest:
                        for cells in cuts(i, k):
                            add(cells, (k - 1) * extra, rest)
                if may_drop_value:
                    add((), COST_DROP_VALUE, suffix(i + 1, room))
            elif t.kind == "blank":
                if room:
                    add((Cell.blank(t.source),), 0, suffix(i + 1, room - 1))
                add((), COST_DROP_BLANK, suffix(i + 1, room))
            elif t.kind == "gap":
                add((), 0, suffix(i + 1, room))
                if room and may_cut:
                    add((Cell.blank(t.source),), COST_GAP_BLANK, suffix(i + 1, room - 1))
            else:  # placeholder or text
                if room:
                    cell = _placeholder(t) if t.kind == "ph" else Cell(Kind.TEXT, None, t.text, source=t.source)
                    add((cell,), 0, suffix(i + 1, room - 1))
                if may_drop_value:
                    add((), COST_DROP_VALUE, suffix(i + 1, room))
        memo[key] = out
        return out

    result = suffix(0, n)
    # suffix calls itself through its closure, a cycle only the collector would free, with every memoised
    # reading in it; unbound here, the reference counts free them now (gcpause.py)
    suffix = None  # noqa: F841
    return [Reading(list(cells), cost) for cells, cost in result], not truncated


def values_key(cells: list[Cell]) -> tuple:
    # the Kind member itself: equal exactly when its value is, without the enum's slow .value
    return tuple((c.kind, c.value, c.unit) for c in cells)


def printed_count(pieces: list[Piece]) -> int:
    return sum(1 for t in tokenize(pieces) if t.kind != "gap")
