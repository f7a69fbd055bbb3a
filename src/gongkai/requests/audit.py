"""The register's audit trail: every event is appended here, chained to the request's previous event, and
``verify`` re-walks the chains.

An event's hash covers the previous event's hash (of the same request) and its own canonical content; the
versions of a request's events run 1, 2, … without a gap up to the request's current version. So an event
rewritten, deleted, re-ordered or forged shows up as the first event whose hash or version does not follow.
(The database also refuses UPDATE, DELETE, REPLACE and TRUNCATE on ``req_events``; see ``store/append_only.py``.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from gongkai.store.chain import link_hash
from gongkai.store.requests_tables import RequestEvent, RequestRow

CONTENT_FIELDS = ("request_id", "version", "action", "actor", "at", "on_date", "before_state", "after_state",
                  "payload", "before", "after")


def event_content(e: Mapping[str, Any] | RequestEvent) -> dict[str, Any]:
    get = e.get if isinstance(e, Mapping) else (lambda k: getattr(e, k))
    return {k: get(k) for k in CONTENT_FIELDS}


def _prev_hash(s: Session, request_id: int, version: int, pending: dict[tuple[int, int], str]) -> str | None:
    if version == 1:
        return None
    if (request_id, version - 1) in pending:
        return pending[(request_id, version - 1)]
    with s.no_autoflush:
        return s.scalar(select(RequestEvent.hash).where(RequestEvent.request_id == request_id,
                                                        RequestEvent.version == version - 1))


@event.listens_for(Session, "before_flush")
def _chain_new_events(s: Session, _ctx: Any, _instances: Any) -> None:
    """Any event added without going through ``append`` (a new code path, an import) is chained at flush, in
    version order, so no writer can leave a gap in the chain by forgetting to call ``append``."""
    new = sorted((o for o in s.new if isinstance(o, RequestEvent) and o.hash is None and o.request_id is not None),
                 key=lambda e: (e.request_id, e.version))
    pending = {(o.request_id, o.version): o.hash for o in s.new if isinstance(o, RequestEvent) and o.hash}
    for e in new:
        e.prev_hash = _prev_hash(s, e.request_id, e.version, pending)
        e.hash = link_hash(e.prev_hash, event_content(e))
        pending[(e.request_id, e.version)] = e.hash


def append(s: Session, ev: RequestEvent) -> RequestEvent:
    """Add ``ev`` chained to the request's latest event. Call inside the write transaction, after the
    version-checked update of the request row (which serialises writers of one request)."""
    # Version 1 opens the chain; any later version links to the one before it (one unique-index lookup).
    prev = _prev_hash(s, ev.request_id, ev.version, {})
    ev.prev_hash = prev
    ev.hash = link_hash(prev, event_content(ev))
    s.add(ev)
    return ev


@dataclass(frozen=True)
class Break:
    """The first event of a request's trail that does not follow from the ones before it."""
    agency: str
    number: str
    event_id: int | None
    version: int | None
    reason: str                 # Chinese

    def text(self) -> str:
        where = f"第 {self.version} 版事件（id {self.event_id}）" if self.event_id is not None else "事件记录"
        return f"{self.agency} {self.number}：{where}{self.reason}"


@dataclass
class AuditReport:
    requests: int = 0
    events: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def _check_request(row: Any, events: list[RequestEvent]) -> Break | None:
    prev = None
    for i, e in enumerate(events, start=1):
        if e.version != i:
            return Break(row.agency, row.number, e.id, e.version,
                         f"的版本号应为 {i}：之前的事件被删除或插入了伪造的事件")
        if e.prev_hash != prev:
            return Break(row.agency, row.number, e.id, e.version, "记录的前一事件哈希与实际不符：之前的事件被改动或删除")
        if e.hash != link_hash(prev, event_content(e)):
            return Break(row.agency, row.number, e.id, e.version, "的内容与其哈希不符：该事件被改动")
        prev = e.hash
    if len(events) != row.version:
        return Break(row.agency, row.number, events[-1].id if events else None, len(events) or None,
                     f"之后缺少事件：申请当前为第 {row.version} 版，记录只到第 {len(events)} 版")
    return None


def verify(engine: Engine, agency: str | None = None) -> AuditReport:
    """Walk every request's chain (or one agency's); the report names the first broken event of each request."""
    out = AuditReport()
    with Session(engine) as s:
        q = select(RequestRow.id, RequestRow.agency, RequestRow.number, RequestRow.version).order_by(RequestRow.id)
        if agency is not None:
            q = q.where(RequestRow.agency == agency)
        for row in s.execute(q).all():
            events = list(s.scalars(select(RequestEvent).where(RequestEvent.request_id == row.id)
                                    .order_by(RequestEvent.version, RequestEvent.id)))
            out.requests += 1
            out.events += len(events)
            b = _check_request(row, events)
            if b is not None:
                out.breaks.append(b)
            s.expunge_all()
    return out
