"""The register's audit trail made tamper-evident (branch ``requests``).

``req_events`` gets a unique (request, version) key and a hash chain per request (``prev_hash``, ``hash``; see
``gongkai.store.chain``); events already stored are chained in their order. The append-only triggers now also
refuse what ``req_0001`` let through: ``REPLACE INTO`` / ``INSERT OR REPLACE`` on SQLite (the delete of a replaced
row fires no delete trigger) and ``TRUNCATE`` on PostgreSQL (row triggers never fire on it).

Revision ID: req_0002
Revises: req_0002_findings (after the findings column: SQLite's batch rebuild of req_requests would drop triggers)
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gongkai.store import append_only

revision = "req_0002"
# After req_0002_findings, whose batch rebuild of req_requests on SQLite would drop the triggers made here.
down_revision = "req_0002_findings"
branch_labels = None
depends_on = None

# Append-only tables and their unique keys (a REPLACE on any of them would delete an existing row).
APPEND_ONLY = {
    "req_events": [["id"], ["request_id", "version"]],
    "req_letters": [["id"]],
    "cal_versions": [["id"], ["year", "version"]],
    "cal_days": [["id"], ["version_id", "day"]],
}


def upgrade() -> None:
    from gongkai.store.chain import link_hash

    bind = op.get_bind()
    dialect = bind.dialect.name
    dup = bind.execute(sa.text("SELECT request_id, version FROM req_events GROUP BY request_id, version "
                               "HAVING COUNT(*) > 1")).first()
    if dup is not None:
        raise RuntimeError(f"req_events holds two events for request {dup[0]} version {dup[1]}: the audit trail "
                           f"was tampered with before this migration; resolve by hand before upgrading")
    op.add_column("req_events", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("req_events", sa.Column("hash", sa.String(64), nullable=True))
    # Chain the events already stored: the append-only trigger is lifted for this one migration step.
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS req_events_no_update")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE req_events DISABLE TRIGGER req_events_append_only")
    from gongkai.requests.audit import event_content

    rows = bind.execute(sa.text(
        "SELECT id, request_id, action, actor, at, on_date, before_state, after_state, payload, before, after, "
        "version FROM req_events ORDER BY request_id, version, id")).mappings().all()
    prev: dict[int, str] = {}
    events = sa.table("req_events", sa.column("id"), sa.column("prev_hash"), sa.column("hash"))
    for r in rows:
        content = event_content(_decoded(dict(r)))
        p = prev.get(r["request_id"])
        h = link_hash(p, content)
        bind.execute(events.update().where(events.c.id == r["id"]).values(prev_hash=p, hash=h))
        prev[r["request_id"]] = h
    if dialect == "postgresql":
        op.execute("ALTER TABLE req_events ENABLE TRIGGER req_events_append_only")
    op.create_index("uq_req_events_request_id_version", "req_events", ["request_id", "version"], unique=True)
    for table, keys in APPEND_ONLY.items():
        for stmt in append_only.statements(dialect, table, keys):
            op.execute(stmt)
    # Requests are never deleted: REPLACE (SQLite) and TRUNCATE (PostgreSQL) would delete them too.
    if dialect == "sqlite":
        for stmt in append_only.sqlite_insert_guard("req_requests", [["id"], ["agency", "number"]]):
            op.execute(stmt)
    elif dialect == "postgresql":
        for stmt in append_only.pg_truncate("req_requests"):
            op.execute(stmt)


def _decoded(r: dict) -> dict:
    """Rows read with plain SQL: JSON columns may come back as text (SQLite), dates as strings."""
    import json
    from datetime import date, datetime

    for k in ("payload", "before", "after"):
        if isinstance(r[k], str):
            r[k] = json.loads(r[k])
    if isinstance(r["at"], str):
        r["at"] = datetime.fromisoformat(r["at"])
    if isinstance(r["on_date"], str):
        r["on_date"] = date.fromisoformat(r["on_date"])
    return r


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in list(APPEND_ONLY) + ["req_requests"]:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_index("uq_req_events_request_id_version", "req_events")
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS req_events_no_update")
    with op.batch_alter_table("req_events") as b:
        b.drop_column("hash")
        b.drop_column("prev_hash")
    if dialect == "sqlite":
        for stmt in append_only.sqlite_update_delete("req_events", ("UPDATE",)):
            op.execute(stmt)
