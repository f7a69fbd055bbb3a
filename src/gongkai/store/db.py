"""Engine, metadata and migrations shared by every area of the store."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def default_url() -> str:
    """``GONGKAI_DB`` if set, else ``gongkai.db`` in the working directory."""
    return os.environ.get("GONGKAI_DB", "sqlite:///gongkai.db")


def normalise_url(url: str) -> str:
    """Accept a bare file path or ``postgresql://`` and return a SQLAlchemy URL."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_bulk(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
    dbapi_conn.execute("PRAGMA synchronous=NORMAL")


def make_engine(url: str | None = None, *, bulk: bool = False) -> Engine:
    """``bulk``: commits without fsync on SQLite (WAL, synchronous=NORMAL; see ``ReportStore``)."""
    url = normalise_url(url or default_url())
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if bulk:
            event.listen(engine, "connect", _sqlite_bulk)
    return engine


def upgrade(url: str | None = None) -> None:
    """Bring the database at ``url`` to the newest schema (every Alembic branch head)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url or default_url()))
    command.upgrade(cfg, "heads")


def connect(url: str | None = None, *, migrate: bool = True) -> Engine:
    """An engine on an up-to-date database."""
    if migrate:
        upgrade(url)
    return make_engine(url)
