"""Findings on a request (late answer, late 补正 notice, late extension), stored with it (branch ``requests``).

Revision ID: req_0002_findings
Revises: req_0001
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "req_0002_findings"
down_revision = "req_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("req_requests") as b:
        b.add_column(sa.Column("findings", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("req_requests") as b:
        b.drop_column("findings")
