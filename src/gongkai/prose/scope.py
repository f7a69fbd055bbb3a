"""Whose numbers a sentence states: the reporting organ's, a whole territory's, or one sub-unit's.

A report's tables are the reporting organ's. A district government's report usually covers the
whole district (全区), so there 全区 *is* the report's scope; in a district bureau's report 全区 is
a wider scope than the table. A sentence about one office (其中民政局1件, 区政府办公室) is never the
table's scope. Without any scope word the prose speaks for the reporting organ: that is the
default subject of a report's sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .vocab import (ALL_UNITS_PATTERN, GENERIC_NAME_TAILS, GOVERNMENT_SUFFIXES, LEVEL_CHARS, OWN_WORDS,
                    REGION_PATTERN, SUB_UNIT_PATTERNS)


class ScopeKind(str, Enum):
    OWN = "own"                  # 我局, 本机关, the agency's own name
    IMPLICIT = "implicit"        # no scope word: the report's own voice
    REGION_OWN = "region_own"    # 全区 in the district government's own report
    REGION_OTHER = "region_other"  # 全区/全市 in a department's report, or another level
    ALL_UNITS = "all_units"      # 各部门/各单位 where the report is not a government's
    SUB_UNIT = "sub_unit"        # 其中民政局…, 区政府办公室
    UNCERTAIN = "uncertain"      # a territory word and no agency to compare it with

    @property
    def is_own(self) -> bool:
        return self in (ScopeKind.OWN, ScopeKind.IMPLICIT, ScopeKind.REGION_OWN)


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    word: str = ""

    @property
    def is_own(self) -> bool:
        return self.kind.is_own

    def to_dict(self) -> dict:
        return {"kind": self.kind.value, "word": self.word}


@dataclass(frozen=True)
class Agency:
    """What scope reading needs to know about the reporting organ."""

    name: str | None
    government_level: str | None  # 区 for 洪泽区人民政府 / 平潭综合实验区管委会; None for a department
    names: tuple[str, ...]        # the name and its shorter forms the prose may use

    @classmethod
    def of(cls, name: str | None) -> "Agency":
        if not name:
            return cls(None, None, ())
        level = None
        for suffix in GOVERNMENT_SUFFIXES:
            if name.endswith(suffix):
                head = name[: -len(suffix)]
                # 人民政府办公室 is an office, not a government: it ends in 办公室, never here.
                level = next((ch for ch in reversed(head) if ch in LEVEL_CHARS), None) if head else None
                if level is None:
                    level = ""  # a government whose level the name does not show
                break
        if level is None and name[-1] in LEVEL_CHARS:
            # A bare territory (平潭综合实验区, as readers sometimes give the organ) is its government.
            level = name[-1]
        names = [name]
        # Shorter forms: drop leading place names up to a level character (上海市长宁区X → 长宁区X → X).
        for i, ch in enumerate(name[:-1]):
            if ch in LEVEL_CHARS:
                tail = name[i + 1:]
                if len(tail) >= 4 and tail not in GENERIC_NAME_TAILS:
                    names.append(tail)
        return cls(name, level, tuple(dict.fromkeys(names)))

    @property
    def is_government(self) -> bool:
        return self.government_level is not None


_OWN_RE = re.compile("|".join(map(re.escape, sorted(OWN_WORDS, key=len, reverse=True))))
_REGION_RE = re.compile(REGION_PATTERN)
_ALL_UNITS_RE = re.compile(ALL_UNITS_PATTERN)
_SUB_UNIT_RES = tuple(re.compile(p) for p in SUB_UNIT_PATTERNS)


def markers(text: str, agency: Agency) -> list[tuple[int, int, Scope]]:
    """Every scope word in ``text`` with its span and what it means for this agency."""
    out: list[tuple[int, int, Scope]] = []
    for m in _OWN_RE.finditer(text):
        out.append((m.start(), m.end(), Scope(ScopeKind.OWN, m.group())))
    for n in agency.names:
        for m in re.finditer(re.escape(n), text):
            out.append((m.start(), m.end(), Scope(ScopeKind.OWN, n)))
    for m in _ALL_UNITS_RE.finditer(text):
        if agency.name is None:
            kind = ScopeKind.UNCERTAIN
        else:
            kind = ScopeKind.REGION_OWN if agency.is_government else ScopeKind.ALL_UNITS
        out.append((m.start(), m.end(), Scope(kind, m.group())))
    for m in _REGION_RE.finditer(text):
        level = m.group("level")
        if agency.name is None:
            kind = ScopeKind.UNCERTAIN
        elif agency.is_government and agency.government_level in (level, ""):
            kind = ScopeKind.REGION_OWN
        else:
            kind = ScopeKind.REGION_OTHER
        out.append((m.start(), m.end(), Scope(kind, m.group())))
    for rx in _SUB_UNIT_RES:
        for m in rx.finditer(text):
            out.append((m.start(), m.end(), Scope(ScopeKind.SUB_UNIT, m.group())))
    return out


def scope_at(sentence: str, pos: int, agency: Agency,
             found: list[tuple[int, int, Scope]] | None = None) -> Scope:
    """The scope of a number at ``pos`` in ``sentence``: the nearest scope word before it.

    A sub-unit named after a territory (全县…，其中民政局1件) is nearer the number and wins; a
    scope word that starts before another and covers it (区政府办公室 vs 区) wins by length.
    ``found``: ``markers(sentence, agency)`` when the caller has them (one sentence, several numbers).
    """
    best: tuple[int, int, Scope] | None = None
    for start, end, scope in (found if found is not None else markers(sentence, agency)):
        if end > pos:
            continue  # words after the number do not set its scope
        key = (min(end, pos), end - start)
        if best is None or key > (min(best[1], pos), best[1] - best[0]):
            best = (start, end, scope)
    return best[2] if best else Scope(ScopeKind.IMPLICIT)
