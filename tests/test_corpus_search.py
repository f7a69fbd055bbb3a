"""Full-text search: Chinese words found in sections, cells and findings; query text is never query syntax.
On SQLite (FTS5) and on PostgreSQL (to_tsvector over the jieba words)."""
from __future__ import annotations

import pytest

from gongkai.check import check_path
from gongkai.corpus import search
from gongkai.store.reports import ReportStore

from truth_helpers import backends, fresh_url
from web_helpers import EXAMPLES


@pytest.fixture(params=backends())
def store(request, tmp_path):
    url, drop = fresh_url(request.param, tmp_path)
    s = ReportStore(url)
    for p in sorted(EXAMPLES.glob("*.txt")):
        s.ingest(check_path(p))
    yield s
    s.close()
    drop()


def test_reports_ingested_elsewhere_are_indexed_once_and_found_by_chinese_words(store):
    assert search.ensure_indexed(store.engine, store) == 2
    assert search.ensure_indexed(store.engine, store) == 0
    hits, total = search.search(store.engine, "依申请公开")
    assert total >= 1 and all(h.text for h in hits)
    kinds = {h.kind for h in search.search(store.engine, "t3.identity", limit=100)[0]}
    assert "finding" in kinds                     # the 2020 example's deliberate 表三 slip


def test_query_syntax_and_punctuation_are_plain_text(store):
    search.ensure_indexed(store.engine, store)
    for q in ('" OR 1=1 --', "NEAR(a b)", "行政*", "'; DROP TABLE web_search; --", "（）、。", ""):
        hits, total = search.search(store.engine, q)
        assert isinstance(total, int)
    assert search.search(store.engine, "依申请公开")[1] >= 1   # the index is still there


def test_every_word_must_match_and_pages_are_counted(store):
    search.ensure_indexed(store.engine, store)
    one, n_one = search.search(store.engine, "政府信息")
    both, n_both = search.search(store.engine, "政府信息 申请", limit=100)
    assert 1 <= n_both < n_one
    assert all("政府信息" in h.text and "申请" in h.text for h in both)
    assert search.search(store.engine, "政府信息 不存在的词语甲乙丙")[1] == 0
    first, total = search.search(store.engine, "政府信息", limit=1)
    second, _ = search.search(store.engine, "政府信息", limit=1, offset=1)
    assert total == n_one >= 2 and len(first) == len(second) == 1 and first != second
