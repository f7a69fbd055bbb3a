"""The collector is paused while one file is checked and always turned back on (gcpause.py)."""
from __future__ import annotations

import gc

import pytest

from gongkai.check import check_path
from gongkai.gcpause import collector_paused


def test_pause_restores_the_collector_after_an_error_and_when_nested():
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():  # an inner pause must not turn it back on early
                assert not gc.isenabled()
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled()


def test_pause_leaves_a_collector_the_caller_turned_off_alone():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_checking_a_file_pauses_the_collector_and_turns_it_back_on(tmp_path, monkeypatch):
    from gongkai import match

    seen = []
    real = match.match_document

    def spy(doc):
        seen.append(gc.isenabled())
        return real(doc)

    monkeypatch.setattr(match, "match_document", spy)
    p = tmp_path / "x.txt"
    p.write_text("这不是年度报告。", encoding="utf-8")
    assert check_path(p).status == "not-report"
    assert seen == [False] and gc.isenabled()


def test_checking_the_corpus_leaves_no_cyclic_garbage():
    # readings' memoised search once stayed alive in a closure cycle until the collector ran
    from conftest import shared_path

    paths = sorted(shared_path("corpus", "raw").glob("*.txt")) + sorted(shared_path("seeds").glob("*.txt"))
    for p in paths:
        check_path(p)  # first calls import modules and compile patterns: cycles of their own
    gc.collect()
    gc.disable()
    try:
        for p in paths:
            assert check_path(p).status in ("ok", "not-report")
        assert gc.collect() == 0
    finally:
        gc.enable()
