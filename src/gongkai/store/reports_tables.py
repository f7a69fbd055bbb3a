"""Tables of the report corpus (Alembic branch ``reports``, migration ``rep_0001``).

An agency has one row per normalised name and an optional parent. A report is one agency's report
for one year; each distinct source file (by SHA-256) for it is a version, numbered 1, 2, ... — a
changed file adds a version and never replaces the old one. Cells and findings belong to a version.

A cell keeps its kind (number/blank/slash/dash/text/unknown/missing) so blank never reads as 0. A
number is stored twice: ``value_text`` is the exact decimal as read (24252.311082 stays that), and
``value_num`` is the same number as a float, for sorting and sums in SQL queries.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class Agency(Base):
    __tablename__ = "rep_agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)   # normalised (gongkai.corpus.agencies)
    place: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)  # set for governments
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("rep_agencies.id"), nullable=True, index=True)
    parent_basis: Mapped[str | None] = mapped_column(String(20), nullable=True)  # "name" (inferred) | "manual"
    created_at: Mapped[datetime] = mapped_column(DateTime)


class StoredReport(Base):
    __tablename__ = "rep_reports"
    __table_args__ = (UniqueConstraint("agency_id", "year", name="uq_rep_reports_agency_id_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("rep_agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)


class ReportVersion(Base):
    __tablename__ = "rep_versions"
    __table_args__ = (UniqueConstraint("report_id", "version", name="uq_rep_versions_report_id_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("rep_reports.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    agency_printed: Mapped[str] = mapped_column(String(500))   # the name as the report gave it
    format: Mapped[str] = mapped_column(String(10))
    table3_variant: Mapped[str] = mapped_column(String(10))
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    sections: Mapped[dict] = mapped_column(JSON)
    n_errors: Mapped[int] = mapped_column(Integer)
    n_warnings: Mapped[int] = mapped_column(Integer)
    n_info: Mapped[int] = mapped_column(Integer)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class StoredCell(Base):
    __tablename__ = "rep_cells"
    __table_args__ = (UniqueConstraint("version_id", "key", name="uq_rep_cells_version_id_key"),
                      Index("ix_rep_cells_key", "key"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("rep_versions.id"))
    key: Mapped[str] = mapped_column(String(80))           # t3.granted.natural
    kind: Mapped[str] = mapped_column(String(10))
    value_text: Mapped[str | None] = mapped_column(String(60), nullable=True)
    value_num: Mapped[float | None] = mapped_column(Float, nullable=True)
    printed: Mapped[str] = mapped_column(Text)             # the cell text as printed
    unit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    basis: Mapped[str] = mapped_column(String(20))
    alternatives: Mapped[list | None] = mapped_column(JSON, nullable=True)
    source: Mapped[dict | None] = mapped_column(JSON, nullable=True)   # provenance (gongkai.blocks.Source)


class StoredFinding(Base):
    __tablename__ = "rep_findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("rep_versions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)               # order within the report
    code: Mapped[str] = mapped_column(String(80), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    gloss: Mapped[str] = mapped_column(Text)
    cells: Mapped[list] = mapped_column(JSON)
    positions: Mapped[list] = mapped_column(JSON)
    numbers: Mapped[dict] = mapped_column(JSON)


class StoredIndicators(Base):
    """A version's key indicators (``gongkai.corpus.compare.indicators``), written with the version at ingest
    (migration ``rep_0002`` backfills older versions), so ``report`` and ``export`` rank, page and list
    a large corpus in SQL instead of rebuilding every cell. ``values`` holds the counts as printed
    (exact: a Decimal as its string) and the rates; ``received`` and ``disclosure_rate`` are repeated as
    columns for ranking among siblings."""

    __tablename__ = "rep_indicators"
    version_id: Mapped[int] = mapped_column(ForeignKey("rep_versions.id"), primary_key=True)
    received: Mapped[float | None] = mapped_column(Float, nullable=True)
    disclosure_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    values: Mapped[dict] = mapped_column(JSON)
