"""An office's decisions on findings: confirmed (the report is wrong) or dismissed (a false alarm),
with a reason, a user and a time.

A decision belongs to one report file (its SHA-256) and one finding, named by a fingerprint of the
rule's code and the cells it names (its numbers when it names no cell). Re-checking the same file
yields the same fingerprints, so decisions survive a re-check and a re-ingest; a changed file is a
new version whose findings are judged afresh.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, insert, select

from ..findings import Finding
from ..store.web_tables import Review

RV = Review.__table__
DECISIONS = {"confirmed": "确认", "dismissed": "驳回（误报）"}
MAX_REASON = 2000


class ReviewError(ValueError):
    """A decision that cannot be recorded (unknown decision, no reason, unknown finding)."""


def fingerprint(f: Finding) -> str:
    basis = {"code": f.code, "cells": sorted(f.cells)}
    if not f.cells:
        basis["numbers"] = f.numbers
    return hashlib.sha256(json.dumps(basis, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Decision:
    fingerprint: str
    code: str
    decision: str
    reason: str
    user: str
    decided_at: datetime

    @property
    def label(self) -> str:
        return DECISIONS.get(self.decision, self.decision)


def decide(engine: Engine, sha256: str, finding: Finding, decision: str, reason: str, user: str) -> Decision:
    if decision not in DECISIONS:
        raise ReviewError(f"未知的审核结论：{decision}（可选：{'、'.join(DECISIONS)}）")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写理由 (a reason is required)")
    if len(reason) > MAX_REASON:
        raise ReviewError(f"理由过长（最多 {MAX_REASON} 字）")
    d = Decision(fingerprint(finding), finding.code, decision, reason, user, datetime.now(timezone.utc).replace(tzinfo=None))
    with engine.begin() as conn:
        conn.execute(insert(RV).values(sha256=sha256, fingerprint=d.fingerprint, code=d.code, decision=d.decision,
                                       reason=d.reason, user=d.user, decided_at=d.decided_at))
    return d


def decisions(engine: Engine, sha256: str) -> dict[str, Decision]:
    """The decision in force for each fingerprint of this file (the newest one)."""
    out: dict[str, Decision] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(RV).where(RV.c.sha256 == sha256).order_by(RV.c.id)).mappings()
        for r in rows:
            out[r["fingerprint"]] = Decision(r["fingerprint"], r["code"], r["decision"], r["reason"], r["user"],
                                             r["decided_at"])
    return out
