"""Choosing among the readings of run-together values.

Order of evidence, strongest first: the table's own arithmetic (row sums, the column identities
of 表三, the group totals of 表四), then numbers the report's prose states, then — for 表二 only,
which has no arithmetic — a declared plausibility model. Whatever is not decided is marked
UNKNOWN with its alternatives; whatever is decided by anything but a unique cut gets a finding.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product
from typing import Callable

from ..model import Basis, Cell, Kind, part_sum
from .split import Reading, values_key

Violations = Callable[[list[Cell]], int]
# Enum members bound once: looking ``Kind.NUMBER`` up on the enum class costs about 60 ns, and this
# module does it for every cell.
_NUMBER = Kind.NUMBER


def sum_violations(cells: list[Cell], parts: slice, total: int) -> int:
    """1 when cells[total] differs from the sum of cells[parts] (blank total with zero parts is fine)."""
    s = part_sum(cells[parts])
    t = cells[total]
    if t.kind is not _NUMBER:
        return 0 if s == 0 else 1
    return 0 if t.value == s else 1


@dataclass
class Choice:
    """The candidates left for one row after its own checks."""

    candidates: list[list[Cell]]  # distinct value vectors, best first
    satisfied: bool               # does the best satisfy the row's own arithmetic
    cost: int
    complete: bool = True

    @property
    def unique(self) -> bool:
        return len(self.candidates) == 1


def shortlist(rs: list[Reading], violations: Violations | None, complete: bool = True) -> Choice:
    """Distinct value vectors among the best readings by (row violations, cost)."""
    if not rs:
        return Choice([], False, 0, complete)
    if len(rs) == 1:  # most rows: nothing to rank
        v = violations(rs[0].cells) if violations else 0
        return Choice([rs[0].cells], v == 0, rs[0].cost, complete)
    scored = sorted(((violations(r.cells) if violations else 0, r.cost, i) for i, r in enumerate(rs)))
    best_v, best_c = scored[0][0], scored[0][1]
    seen: dict[tuple, list[Cell]] = {}
    for v, c, i in scored:
        if v != best_v or c != best_c:
            break
        seen.setdefault(values_key(rs[i].cells), rs[i].cells)
    return Choice(list(seen.values()), best_v == 0, best_c, complete)


def resolve_jointly(choices: dict[str, Choice], objective: Callable[[dict[str, list[Cell]]], int],
                    max_product: int = 200000) -> dict[str, list[list[Cell]]]:
    """Pick, for the rows with several candidates, the combination breaking the fewest identities.

    Returns, per ambiguous row, the candidates that remain among the best combinations (one when
    decided). Rows with a single candidate are taken as they are.
    """
    fixed = {k: c.candidates[0] for k, c in choices.items() if len(c.candidates) == 1}
    open_keys = [k for k, c in choices.items() if len(c.candidates) > 1]
    if not open_keys:
        return {}
    size = math.prod(len(choices[k].candidates) for k in open_keys)
    if size > max_product:
        return {k: choices[k].candidates for k in open_keys}
    best = None
    winners: list[tuple[int, ...]] = []
    for combo in product(*(range(len(choices[k].candidates)) for k in open_keys)):
        rows = dict(fixed)
        rows.update({k: choices[k].candidates[i] for k, i in zip(open_keys, combo)})
        score = objective(rows)
        if best is None or score < best:
            best, winners = score, [combo]
        elif score == best:
            winners.append(combo)
    out: dict[str, list[list[Cell]]] = {}
    for j, k in enumerate(open_keys):
        idx = sorted({w[j] for w in winners})
        out[k] = [choices[k].candidates[i] for i in idx]
    return out


def merge_undecided(cands: list[list[Cell]]) -> list[Cell]:
    """One row from several candidate rows: agreed cells kept, the others UNKNOWN with alternatives."""
    first = cands[0]
    out: list[Cell] = []
    for i, c in enumerate(first):
        vals = []
        for cand in cands:
            v = cand[i].value if cand[i].kind is Kind.NUMBER else None
            if v not in vals:
                vals.append(v)
        same = all(values_key([cand[i]]) == values_key([c]) for cand in cands)
        if same:
            out.append(c)
        else:
            out.append(Cell(Kind.UNKNOWN, None, c.text, source=c.source, basis=Basis.SPLIT, alternatives=vals))
    return out


def with_basis(cells: list[Cell], basis: Basis, alternatives: list[list[Cell]] | None = None) -> list[Cell]:
    """Mark cells cut from run-together digits with how the cut was decided."""
    out = []
    for i, c in enumerate(cells):
        if c.basis is Basis.SPLIT or basis in (Basis.PROSE, Basis.PLAUSIBILITY):
            alts: list = []
            for cand in alternatives or []:
                v = cand[i].value if cand[i].kind is Kind.NUMBER else None
                if v != c.value and v not in alts:
                    alts.append(v)
            c = Cell(c.kind, c.value, c.text, c.unit, c.source, basis if c.kind is Kind.NUMBER else c.basis, alts)
        out.append(c)
    return out
