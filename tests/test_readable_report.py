"""`gongkai report` at any terminal width: 16 columns squashed into 1-character strips at 80 columns became
unreadable. The layout is chosen by width: every column, the key columns (the rest named), or one block per
report; a value is never split across lines."""
from __future__ import annotations

import re

import pytest
from rich.console import Console

from gongkai.corpus.compare import Placed, compare
from gongkai.corpus.export import CORE, SHOWN, _fmt, rich_table
from truth_helpers import truth_report

IDS = ("007", "008", "010", "014", "020", "022", "030")


@pytest.fixture(scope="module")
def rows():
    placed = []
    for i in IDS:
        r, _ = truth_report(i)
        placed.append(Placed(r.agency, r.year, r))
    return compare(placed)


def _render(rows, width: int) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))
    console.print(rich_table(rows, width=width))
    return console.export_text()


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_report_layout_by_width_keeps_every_value_whole(rows, width: int):
    out = _render(rows, width)
    lines = out.splitlines()
    assert all(len(line) <= width * 2 for line in lines)
    assert not any("…" in line for line in lines)
    # every figure shown stands whole on one line (no "54." / "3%" strips)
    for r in rows:
        d = r.as_row()
        for key in ("received", "disclosure_rate"):
            if d[key] is not None:
                assert re.search(rf"(?<![\d.]){re.escape(_fmt(key, d[key]))}(?![\d.%])", out), (width, key)
    header = next((line for line in lines if line.startswith("┃")), "")
    if width >= 200:
        assert header.count("┃") == len(SHOWN) + 1 and "未显示" not in out   # every column
    elif width >= 80:
        assert header.count("┃") == len(CORE) + 1 and "未显示" in out        # the key ones, the others named
    else:
        assert not header                                                    # one block per report


def test_narrow_terminal_gives_one_block_per_report(rows):
    out = _render(rows, 50)
    for r in rows:
        assert f"{r.agency} {r.year}年" in out
