"""Report corpus: a table of key indicators per version, backfilled from the stored cells.

Revision ID: rep_0002
Revises: rep_0001
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rep_0002"
down_revision = "rep_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rep_indicators",
        sa.Column("version_id", sa.Integer,
                  sa.ForeignKey("rep_versions.id", name="fk_rep_indicators_version_id_rep_versions"), nullable=False),
        sa.Column("received", sa.Float, nullable=True),
        sa.Column("disclosure_rate", sa.Float, nullable=True),
        sa.Column("values", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("version_id", name="pk_rep_indicators"),
    )
    from gongkai.store.indicators import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("rep_indicators")
