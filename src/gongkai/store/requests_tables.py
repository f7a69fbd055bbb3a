"""Tables of the request register (依申请公开) and of the working-day calendar.

The register's rows are changed only through ``gongkai.requests.register`` (version-checked); ``req_events`` is
append-only (database triggers refuse UPDATE, DELETE, REPLACE and TRUNCATE, see the ``req_0001`` and ``req_0002``
migrations) and hash-chained per request (``gongkai.requests.audit``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (JSON, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class CalendarVersion(Base):
    __tablename__ = "cal_versions"
    __table_args__ = (UniqueConstraint("year", "version", name="year_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))
    notice_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class CalendarDay(Base):
    __tablename__ = "cal_days"
    __table_args__ = (UniqueConstraint("version_id", "day", name="version_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("cal_versions.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # "holiday" | "makeup"
    name: Mapped[str] = mapped_column(String(100))


class RequestCounter(Base):
    """Last number handed out per agency and year; bumped inside the intake transaction."""
    __tablename__ = "req_counters"
    agency: Mapped[str] = mapped_column(String(200), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class RequestRow(Base):
    __tablename__ = "req_requests"
    __table_args__ = (
        UniqueConstraint("agency", "number", name="agency_number"),
        Index("ix_req_requests_due", "agency", "state", "due_date"),
        Index("ix_req_requests_received", "agency", "received_date"),
        Index("ix_req_requests_applicant", "agency", "applicant_key", "received_date"),
        Index("ix_req_requests_concluded", "agency", "concluded_date"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    received_date: Mapped[date] = mapped_column(Date)
    receipt_basis: Mapped[str] = mapped_column(Text)
    applicant_type: Mapped[str] = mapped_column(String(30))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_key: Mapped[str] = mapped_column(String(200))
    id_type: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(100))
    delivery: Mapped[str] = mapped_column(String(100))
    attachments: Mapped[list] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str | None] = mapped_column(String(60), nullable=True)
    concluded_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_warning: Mapped[str | None] = mapped_column(Text, nullable=True)
    wait_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # what the history shows was late (requests.findings), None when nothing; migration req_0002_findings
    findings: Mapped[list | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class RequestEvent(Base):
    """One step of a request's audit trail, hash-chained to the request's previous step (``requests/audit.py``)."""
    __tablename__ = "req_events"
    __table_args__ = (Index("uq_req_events_request_id_version", "request_id", "version", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("req_requests.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime)
    on_date: Mapped[date] = mapped_column(Date)
    before_state: Mapped[str | None] = mapped_column(String(30), nullable=True)
    after_state: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict] = mapped_column(JSON)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RequestLetter(Base):
    __tablename__ = "req_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("req_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class ReviewCase(Base):
    """表四: an administrative reconsideration (复议) or lawsuit (诉讼) about a disclosure decision."""
    __tablename__ = "req_cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("req_requests.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(30))       # review | litigation | litigation_after_review
    filed_date: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))     # upheld | corrected | other | pending
    result_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
