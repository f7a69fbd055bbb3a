"""Full-text search over every stored report's sections, table cells and findings.

Chinese has no spaces, so text is cut into words by jieba (its dictionary ships in the wheel: no
network) in search mode, which also yields the shorter words inside long ones (行政复议 → 行政, 复议,
行政复议). The words are stored space-separated; SQLite indexes them with FTS5, PostgreSQL with a GIN
index on ``to_tsvector('simple', words)``. A query is cut the same way and every word must match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, delete, insert, select, text

from ..model import Report
from ..store.reports_tables import ReportVersion
from ..store.web_tables import SearchEntry

S = SearchEntry.__table__
_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
MAX_QUERY_WORDS = 12


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def words(text_: str) -> list[str]:
    """The words of a text, in order, without punctuation; digits and Latin kept as words."""
    out = []
    for w in _jieba().cut_for_search(text_):
        w = w.strip().lower()
        if w and _WORD.search(w):
            out.append(w)
    return out


@dataclass(frozen=True)
class Hit:
    version_id: int
    kind: str          # section | cell | finding
    ref: str           # section key, cell key, or the finding's position in the report
    text: str          # the piece as printed


def _pieces(report: Report) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for key, body in report.sections.items():
        for i, para in enumerate(p for p in body.split("\n") if p.strip()):
            out.append(("section", f"{key}#{i}", para.strip()))
    for key, cell in report.cells():
        if cell.text:
            out.append(("cell", key, cell.text))
    for i, f in enumerate(report.findings):
        out.append(("finding", str(i), f"{f.code} {f.message}"))
    return out


def index_version(engine: Engine, version_id: int, report: Report) -> int:
    """(Re)index one stored version; returns the number of pieces indexed."""
    rows = [{"version_id": version_id, "kind": k, "ref": r, "text": t[:2000], "words": " ".join(words(t))}
            for k, r, t in _pieces(report)]
    with engine.begin() as conn:
        conn.execute(delete(S).where(S.c.version_id == version_id))
        if rows:
            conn.execute(insert(S), rows)
    return len(rows)


def ensure_indexed(engine: Engine, store) -> int:
    """Index every stored version that is not in the index yet (e.g. ingested with the CLI), loading
    them a batch at a time; returns how many were indexed. A report with no text still gets a row, so
    it is not looked at again."""
    V = ReportVersion.__table__
    with engine.connect() as conn:
        have = set(conn.execute(select(S.c.version_id).distinct()).scalars())
        ids = {i for i in conn.execute(select(V.c.id)).scalars() if i not in have}
    if not ids:
        return 0
    infos = [v for v in store.versions(latest_only=False) if v.version_id in ids]
    for view in store.iter_reports(infos):
        if not index_version(engine, view.info.version_id, view.report):
            with engine.begin() as conn:
                conn.execute(insert(S).values(version_id=view.info.version_id, kind="none", ref="", text="", words=""))
    return len(infos)


def search(engine: Engine, query: str, *, limit: int = 50, offset: int = 0) -> tuple[list[Hit], int]:
    """Pieces containing every word of the query, newest versions first; and how many there are."""
    terms = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    if not terms:
        return [], 0
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Each word quoted as an FTS5 string (a quote inside doubled): no query syntax from the user.
            match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
            where = "id IN (SELECT rowid FROM web_search_fts WHERE web_search_fts MATCH :q)"
        else:
            match = " ".join(terms)
            where = "to_tsvector('simple', words) @@ plainto_tsquery('simple', :q)"
        total = conn.execute(text(f"SELECT count(*) FROM web_search WHERE {where}"), {"q": match}).scalar_one()
        rows = conn.execute(text(f"SELECT version_id, kind, ref, text FROM web_search WHERE {where} "
                                 "ORDER BY version_id DESC, id LIMIT :lim OFFSET :off"),
                            {"q": match, "lim": limit, "off": offset}).all()
    return [Hit(*r) for r in rows], int(total)
