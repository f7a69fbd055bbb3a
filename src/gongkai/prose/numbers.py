"""Numbers in report prose: Chinese and Arabic numerals with their units, and percentages.

Positions are offsets into the text as given (no normalisation that changes lengths), so a
finding can point at the exact characters of a section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator

from ..text import CharMap
from .vocab import CN_DIGITS, CN_NOT_COUNT_BEFORE, CN_NUMERAL_CHARS, COUNT_UNITS, QUOTE_OPEN

_CN_DIGIT_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
# Full-width digits and signs, one character for one: offsets stay valid.
WIDTH = CharMap("０１２３４５６７８９．％，", "0123456789.%,")

_UNITS = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# 1.2万条 is 12000 items; in 万元 the 万 belongs to the unit (the lookahead keeps it there).
QUANTITY_RE = re.compile(
    rf"(?P<num>{_ARABIC}(?:万(?!元))?|[{CN_NUMERAL_CHARS}]+)\s*(?P<unit>{_UNITS})"
)
PERCENT_RE = re.compile(rf"(?P<num>{_ARABIC})\s*%")


def parse_chinese(text: str) -> int | None:
    """一百二十三 → 123, 两 → 2, 十五 → 15, 一〇五 → 105, 三万二千 → 32000; None if not a numeral."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text) or not any(ch in CN_DIGITS + "十" for ch in text):
        return None
    if all(ch in _CN_DIGIT_VALUE for ch in text) and len(text) > 1:
        # Digit by digit, as in 二〇二三 or 一〇五.
        return int("".join(str(_CN_DIGIT_VALUE[ch]) for ch in text))
    total = 0      # completed 万/亿 groups
    section = 0    # the current group below 万
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGIT_VALUE:
            if digit is not None and _CN_DIGIT_VALUE[ch] != 0:
                return None  # two digits in a row inside a positional numeral: not a numeral
            digit = _CN_DIGIT_VALUE[ch] if _CN_DIGIT_VALUE[ch] != 0 else None
        elif ch in _CN_SMALL_UNIT:
            # 十五: a unit without a digit before it counts once.
            section += (digit if digit is not None else 1) * _CN_SMALL_UNIT[ch]
            digit = None
        else:
            big = _CN_BIG_UNIT[ch]
            section += digit or 0
            total = (total + section) * big if big > 10_000 else total + section * big
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_arabic(text: str) -> int | Decimal:
    t = WIDTH(text).replace(",", "")
    mult = 1
    if t.endswith("万"):
        t, mult = t[:-1], 10_000
    value = Decimal(t) * mult
    # 12.0 stays a Decimal (it was printed with a point); 1.2万 is the whole number 12000.
    if value == value.to_integral_value() and ("." not in t or mult > 1):
        return int(value)
    return value


def parse_number(text: str) -> int | Decimal | None:
    """A number as printed, Arabic (half- or full-width, 1,234, 1.5万) or Chinese."""
    t = WIDTH(text.strip())
    if not t:
        return None
    if t.isascii() and t.isdigit():
        return int(t)  # plain digits, most numbers: what parse_arabic gives, without a Decimal
    if t[0].isdigit():
        try:
            return parse_arabic(t)
        except ArithmeticError:
            return None
    return parse_chinese(t)


@dataclass(frozen=True)
class Quantity:
    value: int | Decimal
    unit: str
    start: int        # offset of the number
    end: int          # offset just after the unit
    num_end: int      # offset just after the number (before the unit)
    text: str


@dataclass(frozen=True)
class Percent:
    value: Decimal
    decimals: int     # places printed after the point: the rounding the report applied
    start: int
    end: int
    text: str


def find_quantities(text: str, wide: str | None = None) -> list[Quantity]:
    """Every number with a count or money unit, in order of position. ``wide``: ``WIDTH(text)``, when
    the caller has it."""
    t = WIDTH(text) if wide is None else wide
    return quantities_of(text, t, _quantity_matches(t))


def quantities_of(text: str, t: str, matches: Iterable[re.Match[str]], offset: int = 0) -> list[Quantity]:
    """The quantities of QUANTITY_RE matches in ``t`` (``WIDTH(text)``), with positions counted from
    ``offset``: what find_quantities gives for ``text[offset:]`` when the matches are its own (a caller
    that searched a whole section hands each sentence its matches)."""
    out: list[Quantity] = []
    for m in matches:
        raw = m.group("num")
        start = m.start("num")
        if not raw[0].isdigit():
            if start > offset and (t[start - 1] in CN_NOT_COUNT_BEFORE or t[start - 1] in QUOTE_OPEN):
                continue
            # Chinese numerals glued to an Arabic number (2022年) or a letter are not counts.
            if start > offset and (t[start - 1].isdigit() or t[start - 1].isascii() and t[start - 1].isalpha()):
                continue
        elif start > offset and (t[start - 1].isdigit() or t[start - 1] == "." or t[start - 1] == "第"):
            continue  # the tail of another number, or an ordinal (第2项)
        value = parse_number(raw)
        if value is None:
            continue
        end = m.end()
        out.append(Quantity(value, m.group("unit"), start - offset, end - offset, m.end("num") - offset,
                            text[start:end]))
    return out


# What may stand between a quantity's start and the last character of its unit: its number (digits,
# "," and ".", Chinese numerals), the white space before the unit, and a unit's leading characters
# (万 of 万元). ``str.isdecimal``/``isspace`` are what ``\d`` and ``\s`` match in a str pattern.
_NUMBER_CHARS = frozenset(",." + CN_NUMERAL_CHARS)


def _in_number(ch: str) -> bool:
    return ch in _NUMBER_CHARS or ch.isdecimal() or ch.isspace()


# The characters units end with (件, 元 of 万元 …), none of which a number or white space holds.
_UNIT_ENDS = tuple(sorted({u[-1] for u in COUNT_UNITS}))
_UNIT_SCAN = all(all(map(_in_number, u[:-1])) and not _in_number(u[-1]) for u in COUNT_UNITS)


def _quantity_matches(t: str) -> Iterator[re.Match[str]]:
    """``QUANTITY_RE.finditer(t)``, tried only just before the characters units end with.

    A QUANTITY_RE match is number, white space and unit: every character but its last is one
    ``_in_number`` accepts and its last is a unit's end, so a match ends at the first unit end after
    its start, and starts in the run of number characters just before that unit end. Finding the unit
    ends (``str.find``, a C scan) and trying QUANTITY_RE from the start of the run before each, one
    position after another, finds the same matches in the same order; scanning every position with
    a pattern that starts with a digit class costs several times more. Falls back to ``finditer`` where the
    units do not allow this (_UNIT_SCAN).
    """
    if not _UNIT_SCAN:
        yield from QUANTITY_RE.finditer(t)
        return
    for end in _unit_end_positions(t):
        run = end
        while run > 0 and _in_number(t[run - 1]):
            run -= 1
        for start in range(run, end):
            m = QUANTITY_RE.match(t, start)
            if m is not None:
                yield m
                break


def positions(text: str, words) -> list[int]:
    """Where in ``text`` any of ``words`` stands, in order (str.find per word: a C scan, no regex)."""
    out: list[int] = []
    for word in words:
        i = text.find(word)
        while i >= 0:
            out.append(i)
            i = text.find(word, i + 1)
    out.sort()
    return out


def _unit_end_positions(t: str) -> list[int]:
    """Where in ``t`` a character a unit ends with stands, in order."""
    return positions(t, _UNIT_ENDS)


def find_percents(text: str, wide: str | None = None) -> list[Percent]:
    """Every percentage, in order of position. ``wide``: ``WIDTH(text)``, when the caller has it."""
    t = WIDTH(text) if wide is None else wide
    out: list[Percent] = []
    if "%" not in t:  # PERCENT_RE ends in "%": a C scan spares the pattern's \d scan of every character
        return out
    for m in PERCENT_RE.finditer(t):
        if m.start() > 0 and (t[m.start() - 1].isdigit() or t[m.start() - 1] == "."):
            continue
        raw = m.group("num").replace(",", "")
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        out.append(Percent(Decimal(raw), decimals, m.start(), m.end(), text[m.start():m.end()]))
    return out
