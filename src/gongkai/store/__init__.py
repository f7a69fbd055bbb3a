"""The store: the only part of gongkai that knows SQL.

SQLite file by default (``gongkai.db``), PostgreSQL when given a URL; one schema through
SQLAlchemy, migrated with Alembic. Each area (reports, requests, ...) keeps its tables in its
own module and its migrations on its own Alembic branch, so areas can evolve independently.
"""
from .db import Base, connect, default_url, upgrade

__all__ = ["Base", "connect", "default_url", "upgrade"]
