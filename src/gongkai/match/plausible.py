"""A declared plausibility model for 表二 rows whose digits run together.

表二 has no arithmetic to decide "行政规范性文件693665" (69|3|665? 6|93|665?). When neither the
table nor the report's prose decides, gongkai shows the most plausible reading and says so in a
finding with the alternatives. The model is data: per column kind, how likely 0 is and how the
columns of a row relate (stock vs. yearly flow). Scores are log-likelihoods, higher is better.
"""
from __future__ import annotations

import math
from decimal import Decimal

from ..model import Cell, Kind

ZERO_BONUS = {"change": 3.0, "repealed": 1.5, "published": 1.0, "default": 1.0}
LONG_NUMBER_PENALTY = 0.7        # per digit beyond 4: counts of documents rarely run that long
# (column a, column b, centre of ln(b/a), spread): stock vs. flow ratios seen in real reports.
RATIOS = [
    ("made", "in_force", math.log(8.0), 1.2),
    ("made", "published", 0.0, 0.5),
    ("made", "total", math.log(3.0), 1.5),
    ("items", "amount", math.log(3e5), 2.0),   # yuan per procurement item
]
HARD_PENALTY = 4.0


def _v(c: Cell) -> float | None:
    if c.kind is not Kind.NUMBER or c.value is None:
        return None
    return float(c.value) if isinstance(c.value, Decimal) else c.value


def score(columns: list[str], cells: list[Cell]) -> float:
    vals = {k: _v(c) for k, c in zip(columns, cells)}
    s = 0.0
    for k, c in zip(columns, cells):
        v = vals[k]
        if v is None:
            continue
        if v == 0:
            s += ZERO_BONUS.get(k, ZERO_BONUS["default"])
        digits = len(c.text.split(".")[0].lstrip("-")) if c.text else 1
        s -= LONG_NUMBER_PENALTY * max(0, digits - 4)
    for a, b, centre, spread in RATIOS:
        va, vb = vals.get(a), vals.get(b)
        if va is None or vb is None or va <= 0:
            continue
        if vb <= 0:
            s -= HARD_PENALTY
            continue
        z = (math.log(vb / va) - centre) / spread
        s -= 0.5 * z * z
    rep, made, force = vals.get("repealed"), vals.get("made"), vals.get("in_force")
    if rep is not None and force is not None and made is not None and rep > made + force:
        s -= HARD_PENALTY
    prior, change = vals.get("prior_items"), vals.get("change")
    if prior is not None and change is not None and abs(change) > max(prior, 1):
        s -= HARD_PENALTY
    return s


def rank(columns: list[str], candidates: list[list[Cell]]) -> list[list[Cell]]:
    return sorted(candidates, key=lambda cells: -score(columns, cells))
