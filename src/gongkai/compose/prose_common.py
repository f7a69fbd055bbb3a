"""What every part of the composed prose shares: the phrases, numbers as printed, shares, claims.

A generated sentence states only numbers read from number cells. A blank, "/", "-" or text cell is
never turned into 0: the sentence leaves it out and a prompt tells the office (see prose.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from ..model import Kind, Number, Report

HERE = Path(__file__).resolve().parent
ONE_DECIMAL = Decimal("0.1")


@lru_cache(maxsize=None)
def phrases() -> dict:
    """The sentence templates (phrases.yaml)."""
    return yaml.safe_load((HERE / "phrases.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Claim:
    """One figure a generated sentence states, and the table cells it comes from.

    ``kind`` is the gongkai.prose statement kind the sentence is written to be read as (None for
    figures the prose reader has no cue for, e.g. 行政许可处理决定); ``percent`` the share printed
    right after the count, if any.
    """

    section: str
    kind: str | None
    value: Number
    cells: tuple[str, ...]
    percent: Decimal | None = None

    def to_dict(self) -> dict:
        return {"section": self.section, "kind": self.kind, "value": fmt_number(self.value),
                "cells": list(self.cells), "percent": None if self.percent is None else str(self.percent)}


@dataclass(frozen=True)
class Prompt:
    """Something the office still has to write or check, with the section it belongs to."""

    section: str
    code: str
    message: str   # Chinese, for the office
    gloss: str     # short English gloss

    def to_dict(self) -> dict:
        return {"section": self.section, "code": self.code, "message": self.message, "gloss": self.gloss}


def fmt_number(value: Number) -> str:
    """A number as an office prints it: 12, 7730.28 (never 7.73028E+3 or a float's 7730.2800001)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)


def share(count: Number, base: Number) -> Decimal | None:
    """count / base in percent, one decimal, half up (54.25 → 54.3); None when base is not positive."""
    if base <= 0:
        return None
    return (Decimal(count) * 100 / Decimal(base)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def number_at(report: Report, key: str) -> Number | None:
    """The cell's value when it holds a number; None for blank, "/", "-", text, unknown, missing."""
    try:
        cell = report.cell(key)
    except (KeyError, ValueError, IndexError, StopIteration):
        return None  # a row or column this format does not have
    return cell.value if cell.kind is Kind.NUMBER else None


def group_keys(report: Report, group: str, column: str = "total") -> list[str]:
    """Printed 表三 cells of an outcome group: the row itself (（一）, single （六）) or its sub-rows."""
    return [f"t3.{r}.{column}" for r in report.table3 if r == group or r.startswith(group + ".")]


def group_total(report: Report, group: str) -> tuple[Number | None, tuple[str, ...]]:
    """Sum of the group's printed numbers and the cells summed; None when no cell holds a number.

    A blank sub-row adds nothing, as in gongkai's own checks (prose/checks.py ``_value``), so the
    stated figure is exactly what the prose check compares it with.
    """
    total: Number = 0
    used: list[str] = []
    for key in group_keys(report, group):
        v = number_at(report, key)
        if v is not None:
            total += v
            used.append(key)
    return (total if used else None), tuple(used)
