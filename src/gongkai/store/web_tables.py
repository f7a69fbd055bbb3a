"""Tables of the web app's own data (Alembic branch ``web``, migration ``web_0001``).

- ``web_sources``: the bytes of a file uploaded through the web app, keyed by its SHA-256 (the same
  key as ``rep_versions.sha256``), so a report page can show the page or excerpt a cell came from.
  The file's own name is kept as text for display only; it never becomes a path.
- ``rep_reviews``: an office user's decision on a finding (confirmed or dismissed, with a reason). A
  decision is keyed by the report file's SHA-256 and the finding's fingerprint (rule and cells), so it
  survives a re-check of the same file. Rows are only added; the newest row for a key is in force.
- ``web_workplans``: an agency's 工作要点 as the web app tracks it (``workplan.storage``'s JSON form), one
  per agency and plan year.
- ``web_search``: one row per searchable piece of a report (a section's text, a table cell, a
  finding), with the text already cut into words by the Chinese tokenizer (``corpus.search``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class WebSource(Base):
    __tablename__ = "web_sources"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime)


class Review(Base):
    __tablename__ = "rep_reviews"
    __table_args__ = (Index("ix_rep_reviews_sha256_fingerprint", "sha256", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(20))      # confirmed | dismissed
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime)


class SearchEntry(Base):
    __tablename__ = "web_search"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))          # section | cell | finding
    ref: Mapped[str] = mapped_column(String(120))          # section key, cell key, or finding index
    text: Mapped[str] = mapped_column(Text)                # as printed, for the result snippet
    words: Mapped[str] = mapped_column(Text)               # tokenized, space separated


class StoredWorkPlan(Base):
    __tablename__ = "web_workplans"
    __table_args__ = (UniqueConstraint("agency", "year", name="uq_web_workplans_agency_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200))
