"""Database triggers that make a table append-only on SQLite and PostgreSQL (used by the migrations).

SQLite: BEFORE UPDATE and BEFORE DELETE triggers, plus a BEFORE INSERT trigger that refuses a row whose key is
already taken — ``REPLACE INTO`` / ``INSERT OR REPLACE`` delete the old row without firing delete triggers (unless
``recursive_triggers`` is on), so the insert trigger is what stops them. ``INSERT … ON CONFLICT DO UPDATE`` fires the
update trigger.
PostgreSQL: a row trigger on UPDATE and DELETE and a statement trigger on TRUNCATE (row triggers never fire on
TRUNCATE); ``ON CONFLICT DO UPDATE`` fires the update trigger.
"""
from __future__ import annotations

PG_FUNCTION = ("CREATE OR REPLACE FUNCTION req_append_only() RETURNS trigger AS $$ "
               "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql")


def sqlite_insert_guard(table: str, keys: list[list[str]]) -> list[str]:
    """The BEFORE INSERT trigger refusing a row that would replace an existing one (any of the unique ``keys``)."""
    cond = " OR ".join("(" + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")" for key in keys)
    return [f"DROP TRIGGER IF EXISTS {table}_no_replace",
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {cond}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: a row would be replaced'); END"]


def sqlite_update_delete(table: str, verbs: tuple[str, ...] = ("UPDATE", "DELETE")) -> list[str]:
    out = []
    for verb in verbs:
        out += [f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}",
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"]
    return out


def pg_truncate(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION req_append_only()"]


def pg_update_delete(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION req_append_only()"]


def statements(dialect: str, table: str, keys: list[list[str]]) -> list[str]:
    """Everything that makes ``table`` append-only on ``dialect`` (idempotent)."""
    if dialect == "sqlite":
        return sqlite_update_delete(table) + sqlite_insert_guard(table, keys)
    if dialect == "postgresql":
        return [PG_FUNCTION] + pg_update_delete(table) + pg_truncate(table)
    return []
