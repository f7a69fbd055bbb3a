"""Modules the per-report paths import on first use (gongkai.lazy)."""
from __future__ import annotations

import pytest

from gongkai import lazy
from gongkai.check import check_path


def test_a_missing_module_raises_each_time_or_is_none_when_optional():
    for _ in range(2):
        with pytest.raises(ImportError):
            lazy.module("gongkai.no_such_module")
    assert lazy.module("gongkai.no_such_optional", optional=True) is None
    assert lazy.module("gongkai.match") is lazy.module("gongkai.match")


def test_a_reader_that_cannot_be_imported_is_this_files_error(tmp_path, monkeypatch):
    from gongkai import read

    monkeypatch.setitem(read.READERS, "text", "gongkai.read.no_such_reader")
    p = tmp_path / "报告.txt"
    p.write_text("政府信息公开工作年度报告\n", encoding="utf-8")
    r = check_path(p)
    assert r.status == "error" and r.error_code == "read.reader-unavailable"
    assert "缺少读取 text 的组件" in r.error
