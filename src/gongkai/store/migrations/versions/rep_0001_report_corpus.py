"""Report corpus: agencies, reports, versions, cells, findings (branch ``reports``).

Revision ID: rep_0001
Revises:
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gongkai.store.reports_tables  # noqa: F401  (registers the tables on Base.metadata for autogenerate)

revision = "rep_0001"
down_revision = None
branch_labels = ("reports",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rep_agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("rep_agencies.id", name="fk_rep_agencies_parent_id_rep_agencies"),
                  nullable=True),
        sa.Column("parent_basis", sa.String(20), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rep_agencies"),
        sa.UniqueConstraint("name", name="uq_rep_agencies_name"),
    )
    op.create_index("ix_rep_agencies_place", "rep_agencies", ["place"])
    op.create_index("ix_rep_agencies_parent_id", "rep_agencies", ["parent_id"])
    op.create_table(
        "rep_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("rep_agencies.id", name="fk_rep_reports_agency_id_rep_agencies"),
                  nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rep_reports"),
        sa.UniqueConstraint("agency_id", "year", name="uq_rep_reports_agency_id_year"),
    )
    op.create_index("ix_rep_reports_agency_id", "rep_reports", ["agency_id"])
    op.create_index("ix_rep_reports_year", "rep_reports", ["year"])
    op.create_table(
        "rep_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("rep_reports.id", name="fk_rep_versions_report_id_rep_reports"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("agency_printed", sa.String(500), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("table3_variant", sa.String(10), nullable=False),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("source_kind", sa.String(40), nullable=True),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("n_errors", sa.Integer, nullable=False),
        sa.Column("n_warnings", sa.Integer, nullable=False),
        sa.Column("n_info", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rep_versions"),
        sa.UniqueConstraint("report_id", "version", name="uq_rep_versions_report_id_version"),
        sa.UniqueConstraint("sha256", name="uq_rep_versions_sha256"),
    )
    op.create_index("ix_rep_versions_report_id", "rep_versions", ["report_id"])
    op.create_table(
        "rep_cells",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("rep_versions.id", name="fk_rep_cells_version_id_rep_versions"),
                  nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value_text", sa.String(60), nullable=True),
        sa.Column("value_num", sa.Float, nullable=True),
        sa.Column("printed", sa.Text, nullable=False),
        sa.Column("unit", sa.String(20), nullable=True),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("alternatives", sa.JSON, nullable=True),
        sa.Column("source", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rep_cells"),
        sa.UniqueConstraint("version_id", "key", name="uq_rep_cells_version_id_key"),
    )
    op.create_index("ix_rep_cells_key", "rep_cells", ["key"])
    op.create_table(
        "rep_findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer,
                  sa.ForeignKey("rep_versions.id", name="fk_rep_findings_version_id_rep_versions"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("gloss", sa.Text, nullable=False),
        sa.Column("cells", sa.JSON, nullable=False),
        sa.Column("positions", sa.JSON, nullable=False),
        sa.Column("numbers", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rep_findings"),
    )
    op.create_index("ix_rep_findings_version_id", "rep_findings", ["version_id"])
    op.create_index("ix_rep_findings_code", "rep_findings", ["code"])


def downgrade() -> None:
    for table in ("rep_findings", "rep_cells", "rep_versions", "rep_reports", "rep_agencies"):
        op.drop_table(table)
