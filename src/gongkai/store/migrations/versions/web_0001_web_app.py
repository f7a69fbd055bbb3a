"""Web app: uploaded sources, finding reviews, work plans, full-text search (branch ``web``).

Revision ID: web_0001
Revises:
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gongkai.store.web_tables  # noqa: F401  (registers the tables on Base.metadata for autogenerate)

revision = "web_0001"
down_revision = None
branch_labels = ("web",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sources",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("stored_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_web_sources"),
    )
    op.create_table(
        "rep_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rep_reviews"),
    )
    op.create_index("ix_rep_reviews_sha256_fingerprint", "rep_reviews", ["sha256", "fingerprint"])
    op.create_table(
        "web_workplans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_workplans"),
        sa.UniqueConstraint("agency", "year", name="uq_web_workplans_agency_year"),
    )
    op.create_table(
        "web_search",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(120), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_search"),
    )
    op.create_index("ix_web_search_version_id", "web_search", ["version_id"])
    if op.get_bind().dialect.name == "sqlite":
        # FTS5 over the tokenized words, kept in step with web_search by triggers.
        op.execute("CREATE VIRTUAL TABLE web_search_fts USING fts5(words, content='web_search', content_rowid='id')")
        op.execute("CREATE TRIGGER web_search_ai AFTER INSERT ON web_search BEGIN "
                   "INSERT INTO web_search_fts(rowid, words) VALUES (new.id, new.words); END")
        op.execute("CREATE TRIGGER web_search_ad AFTER DELETE ON web_search BEGIN "
                   "INSERT INTO web_search_fts(web_search_fts, rowid, words) VALUES('delete', old.id, old.words); END")
    else:
        op.execute("CREATE INDEX ix_web_search_tsv ON web_search USING gin (to_tsvector('simple', words))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS web_search_fts")
    op.drop_table("web_search")
    op.drop_table("web_workplans")
    op.drop_table("rep_reviews")
    op.drop_table("web_sources")
