"""Find the 责任部门 clauses of a task's text and split them into department names.

Clauses come in three shapes, all declared in `patterns`: a bracketed labelled clause
"（责任部门：办公室；相关处室、局属单位）", a bracketed role clause "（办公厅牵头，各部门按职责分工负责）",
and an unbracketed labelled clause opening a paragraph or following a full stop ("责任单位：信息中心").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import (
    DEPARTMENT_LABEL,
    DEPARTMENT_NAME_SEPARATOR,
    DEPARTMENT_NAME_TRIM,
    LEAD_GROUP_SEPARATOR,
    ROLE_SUFFIXES,
    SUPPORTING_LABEL_PREFIXES,
)

_OPENERS = {"（": "）", "(": ")", "【": "】", "[": "]", "［": "］"}


@dataclass
class Departments:
    """Departments named in a text, and the text with their clauses removed."""

    names: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    remaining_text: str = ""

    def add(self, name: str, leads: bool) -> None:
        if name not in self.names:
            self.names.append(name)
        if leads and name not in self.leads:
            self.leads.append(name)


def extract_departments(text: str) -> Departments:
    found = Departments()
    kept: list[str] = []
    i = 0
    while i < len(text):
        close = _OPENERS.get(text[i])
        if close is not None:
            end = _matching_close(text, i, close)
            if end is not None and _read_clause(text[i + 1:end], found):
                i = end + 1
                continue
        if _at_clause_start(text, i):
            m = DEPARTMENT_LABEL.match(text, i)
            if m is not None:
                # An unbracketed clause runs to the end of its sentence.
                stop = _sentence_end(text, m.end())
                if _read_labelled(text[i:stop], found):
                    i = stop + 1 if stop < len(text) else stop
                    continue
        kept.append(text[i])
        i += 1
    found.remaining_text = "".join(kept).strip()
    return found


def _read_clause(inner: str, found: Departments) -> bool:
    inner = inner.strip()
    if DEPARTMENT_LABEL.match(inner):
        return _read_labelled(inner, found)
    return _read_roles(inner, found)


def _read_labelled(clause: str, found: Departments) -> bool:
    labels = list(DEPARTMENT_LABEL.finditer(clause))
    if not labels or labels[0].start() != 0:
        return False
    for n, m in enumerate(labels):
        end = labels[n + 1].start() if n + 1 < len(labels) else len(clause)
        supporting_label = m.group("label").startswith(SUPPORTING_LABEL_PREFIXES)
        groups = [g for g in LEAD_GROUP_SEPARATOR.split(clause[m.end():end]) if g.strip()]
        for g_index, group in enumerate(groups):
            # "责任部门：A；B、C": the group after "；" assists the one before it.
            leads = not supporting_label and g_index == 0
            for name in split_names(group):
                found.add(name, leads)
    return True


def _read_roles(inner: str, found: Departments) -> bool:
    phrases = [p for p in re.split(r"[，,；;]", inner) if p.strip()]
    if not phrases:
        return False
    parsed: list[tuple[list[str], bool]] = []
    for phrase in phrases:
        phrase = phrase.strip()
        role = next(((s, leads) for s, leads in ROLE_SUFFIXES if phrase.endswith(s)), None)
        if role is None:
            return False  # an ordinary remark in brackets, not a clause of departments
        # "由办公厅负责": the preposition is not part of the name.
        names = split_names(phrase[: -len(role[0])].removeprefix("由"))
        if not names:
            return False
        parsed.append((names, role[1]))
    for names, leads in parsed:
        for name in names:
            found.add(name, leads)
    return True


def split_names(group: str) -> list[str]:
    names = []
    for part in DEPARTMENT_NAME_SEPARATOR.split(group):
        name = re.sub(r"\s+", "", part).strip(DEPARTMENT_NAME_TRIM)
        if name:
            names.append(name)
    return names


def _matching_close(text: str, start: int, close: str) -> int | None:
    depth = 0
    opener = text[start]
    for j in range(start, len(text)):
        if text[j] == opener:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j
    return None


def _at_clause_start(text: str, i: int) -> bool:
    before = text[:i].rstrip(" \t　")
    return not before or before.endswith(("\n", "。", "；", ";", "！", "？"))


def _sentence_end(text: str, start: int) -> int:
    m = re.compile(r"[。！？\n]").search(text, start)
    return m.start() if m else len(text)
