"""Findings: what a check says about a report, as data.

A finding has a stable code (``t3.identity``), a severity, a message in Chinese with an English
gloss, the cells involved (keys such as ``t3.total.natural``), their positions, and the numbers
that make the point. Validation returns findings; it never raises on bad data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"      # the report breaks a rule of the format (arithmetic, type)
    WARNING = "warning"  # something is missing, doubtful, or was decided by gongkai
    INFO = "info"        # how a value was read; worth knowing, nothing wrong

    @property
    def zh(self) -> str:
        """The level as a person reads it: 错误, 警告, 提示 (the English value stays the key in JSON)."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass
class Finding:
    code: str
    severity: Severity
    message: str                      # Chinese, for the person who reads the report
    gloss: str                        # short English gloss
    cells: list[str] = field(default_factory=list)
    positions: list[dict] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "code": self.code, "severity": self.severity.value, "message": self.message, "gloss": self.gloss,
            "cells": list(self.cells), "positions": list(self.positions), "numbers": dict(self.numbers),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        return cls(d["code"], Severity(d["severity"]), d["message"], d.get("gloss", ""), list(d.get("cells", [])),
                   list(d.get("positions", [])), dict(d.get("numbers", {})))


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out
