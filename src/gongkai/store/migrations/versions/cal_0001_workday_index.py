"""Working-day prefix index for O(1) working-day arithmetic in SQL (branch ``workdays``).

Revision ID: cal_0001
Revises:
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gongkai.store.workday_tables  # noqa: F401

revision = "cal_0001"
down_revision = None
branch_labels = ("workdays",)
depends_on = "req_0001"


def upgrade() -> None:
    # filled on first use from the calendar in force (gongkai.workdays.index.ensure_index)
    op.create_table(
        "cal_workday_index",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("built_from", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_cal_workday_index"),
    )
    op.create_index("ix_cal_workday_index_n", "cal_workday_index", ["n"])


def downgrade() -> None:
    op.drop_table("cal_workday_index")
