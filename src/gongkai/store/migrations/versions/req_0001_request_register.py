"""Request register and working-day calendar tables (branch ``requests``).

Revision ID: req_0001
Revises:
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gongkai.store.requests_tables  # noqa: F401  (registers the tables on Base.metadata for autogenerate)

revision = "req_0001"
down_revision = None
branch_labels = ("requests",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cal_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("notice_text", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("year", "version", name="uq_cal_versions_year_version"),
    )
    op.create_table(
        "cal_days",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("cal_versions.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.UniqueConstraint("version_id", "day", name="uq_cal_days_version_day"),
    )
    op.create_index("ix_cal_days_version_id", "cal_days", ["version_id"])
    op.create_table(
        "req_counters",
        sa.Column("agency", sa.String(200), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "req_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("receipt_basis", sa.Text, nullable=False),
        sa.Column("applicant_type", sa.String(30), nullable=False),
        sa.Column("applicant_name", sa.String(200), nullable=False),
        sa.Column("applicant_key", sa.String(200), nullable=False),
        sa.Column("id_type", sa.String(40), nullable=False),
        sa.Column("id_number", sa.String(60), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("form", sa.String(100), nullable=False),
        sa.Column("delivery", sa.String(100), nullable=False),
        sa.Column("attachments", sa.JSON, nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("outcome", sa.String(60), nullable=True),
        sa.Column("concluded_date", sa.Date, nullable=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("due_warning", sa.Text, nullable=True),
        sa.Column("wait_until", sa.Date, nullable=True),
        sa.Column("case_id", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("agency", "number", name="uq_req_requests_agency_number"),
    )
    op.create_index("ix_req_requests_due", "req_requests", ["agency", "state", "due_date"])
    op.create_index("ix_req_requests_received", "req_requests", ["agency", "received_date"])
    op.create_index("ix_req_requests_applicant", "req_requests", ["agency", "applicant_key", "received_date"])
    op.create_index("ix_req_requests_concluded", "req_requests", ["agency", "concluded_date"])
    op.create_table(
        "req_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("req_requests.id"), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("before_state", sa.String(30), nullable=True),
        sa.Column("after_state", sa.String(30), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_req_events_request_id", "req_events", ["request_id"])
    op.create_table(
        "req_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("req_requests.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_req_letters_request_id", "req_letters", ["request_id"])
    op.create_table(
        "req_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("req_requests.id"), nullable=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("filed_date", sa.Date, nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("result_date", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_req_cases_request_id", "req_cases", ["request_id"])

    # The audit trail and stored letters are append-only: the database itself refuses changes, so no code path
    # (nor a hand-typed SQL statement) can rewrite history.
    dialect = op.get_bind().dialect.name
    for table in ("req_events", "req_letters", "cal_days", "cal_versions"):
        if dialect == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    if dialect == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION req_append_only() RETURNS trigger AS $$ "
                   "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql")
        for table in ("req_events", "req_letters", "cal_days", "cal_versions"):
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION req_append_only()")
    # Requests themselves are never deleted either (withdrawal is a state).
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER req_requests_no_delete BEFORE DELETE ON req_requests "
                   "BEGIN SELECT RAISE(ABORT, 'req_requests rows are never deleted'); END")
    elif dialect == "postgresql":
        op.execute("CREATE TRIGGER req_requests_no_delete BEFORE DELETE ON req_requests "
                   "FOR EACH ROW EXECUTE FUNCTION req_append_only()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in ("req_events", "req_letters", "cal_days", "cal_versions"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP TRIGGER IF EXISTS req_requests_no_delete ON req_requests")
        op.execute("DROP FUNCTION IF EXISTS req_append_only()")
    for table in ("req_cases", "req_letters", "req_events", "req_requests", "req_counters", "cal_days",
                  "cal_versions"):
        op.drop_table(table)
