"""The security log: logins, account changes and calendar loads, one hash chain over every entry.

Entries are appended in their own short transaction (retried when a concurrent writer took the next ``seq``), so
a log entry never makes the action it records fail for a race, and the chain stays one unbroken line.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from .auth_tables import AuditEntry
from .chain import link_hash

CONTENT_FIELDS = ("seq", "at", "actor", "action", "target", "details")
_ATTEMPTS = 20


def _content(e: AuditEntry) -> dict[str, Any]:
    return {k: getattr(e, k) for k in CONTENT_FIELDS}


def record(engine: Engine, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None) -> int:
    """Append one entry; returns its sequence number."""
    for attempt in range(_ATTEMPTS):
        try:
            with Session(engine) as s, s.begin():
                last = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())
                                 .limit(1)).first()
                e = AuditEntry(seq=(last.seq + 1) if last else 1, at=datetime.now(), actor=actor[:100],
                               action=action[:60], target=target[:300], details=details or {},
                               prev_hash=last.hash if last else "")
                e.hash = link_hash(e.prev_hash or None, _content(e))
                s.add(e)
                return e.seq
        except (IntegrityError, OperationalError):
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]


def entries(engine: Engine, action: str | None = None, limit: int = 200) -> list[LogEntry]:
    with Session(engine) as s:
        q = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
        if action:
            q = q.where(AuditEntry.action == action)
        return [LogEntry(e.seq, e.at, e.actor, e.action, e.target, dict(e.details or {})) for e in s.scalars(q)]


@dataclass(frozen=True)
class LogBreak:
    seq: int
    entry_id: int
    reason: str     # Chinese

    def text(self) -> str:
        return f"安全日志第 {self.seq} 条（id {self.entry_id}）{self.reason}"


def verify(engine: Engine) -> tuple[int, LogBreak | None]:
    """(entries checked, the first entry that does not follow from the ones before it, or None)."""
    n = 0
    prev = None
    with Session(engine) as s:
        for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            n += 1
            if e.seq != n:
                return n, LogBreak(e.seq, e.id, f"的序号应为 {n}：之前的记录被删除或插入了伪造的记录")
            if (e.prev_hash or None) != prev:
                return n, LogBreak(e.seq, e.id, "记录的前一条哈希与实际不符：之前的记录被改动或删除")
            if e.hash != link_hash(prev, _content(e)):
                return n, LogBreak(e.seq, e.id, "的内容与其哈希不符：该记录被改动")
            prev = e.hash
    return n, None
