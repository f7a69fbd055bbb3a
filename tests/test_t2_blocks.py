"""表二 printed block by block (第二十条 item headings), each block in a reading order of its own: one block's
labels before its values, the next one's after (pdftotext's text of a ruled PDF). The headings are walls: a
block is aligned on its own when it holds exactly its rows' labels and values; otherwise the table is one
stream as before. Invented figures (tests/fixtures/layouts); regression of corpus 002 through pdftotext."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import layouts  # noqa: E402

from gongkai.check import check_path  # noqa: E402
from gongkai.compose.figures import report_from_compact  # noqa: E402

HERE = FIXTURES / "layouts"
FIGURES = sorted(p.stem for p in HERE.glob("*.yaml") if yaml.safe_load(p.read_text(encoding="utf-8"))["template"] == "2021")
ROW = re.compile(r"^(规章|行政规范性文件|行政许可|行政处罚|行政强制|行政事业性收费)((?: \S+)+)$")


def _text(name: str) -> tuple[str, dict]:
    figures = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    text = layouts.render(report_from_compact(figures, origin=f"{name}.yaml"), layouts.BY_NAME["rows"])
    return text, figures


def _mixed(text: str, seed: int) -> str:
    """Each 表二 block's rows printed with their labels before or after their values (one value a line),
    the direction drawn per block."""
    rng = random.Random(seed)
    out, after = [], False
    for line in text.splitlines():
        if line.startswith("第二十条"):
            after = rng.random() < 0.5
        m = ROW.match(line)
        if m:
            values = m.group(2).split()
            out += ([*values, m.group(1)] if after else [m.group(1), *values])
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _t2(path: Path) -> dict[str, object]:
    r = check_path(path)
    assert r.status == "ok", r.error
    return {k: c.value for k, c in r.report.cells() if k.startswith("t2.")}


def _want(figures: dict) -> dict[str, object]:
    from decimal import Decimal

    out = {}
    for row, cols in figures["table2"].items():
        for col, v in cols.items():
            out[f"t2.{row}.{col}"] = Decimal(str(v)) if isinstance(v, float) else v
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", FIGURES)
def test_regression_t2_blocks_each_in_their_own_order(tmp_path, name, seed):
    text, figures = _text(name)
    path = tmp_path / "r.txt"
    path.write_text(_mixed(text, seed), encoding="utf-8")
    got = _t2(path)
    assert {k: got.get(k) for k in _want(figures)} == _want(figures)


def test_t2_without_headings_stays_one_stream(tmp_path):
    """No 第二十条 headings: nothing is split (a value after its label reads as before)."""
    text, figures = _text(FIGURES[0])
    path = tmp_path / "r.txt"
    path.write_text("\n".join(l for l in text.splitlines() if not l.startswith("第二十条")) + "\n", encoding="utf-8")
    got = _t2(path)
    assert {k: got.get(k) for k in _want(figures)} == _want(figures)


def test_regression_t4_values_with_a_title_left_among_them_read_as_printed(tmp_path):
    """表四's stacked header lines, its 15 values one a line with the last group's 总计 title left before the
    last value (pdftotext of corpus 002), and the report's own slip (a total that is not the sum): read in the
    order printed, the slip kept with its t4.total-sum error, never repaired by another order."""
    text, figures = _text("qinghe-2024")
    values = [v for g in ("review", "litigation_direct", "litigation_after_review") for v in figures["table4"][g]]
    values[4] += 7                                      # the report's own slip: the review total is off
    line = " ".join(str(v) for v in figures["table4"]["review"] + figures["table4"]["litigation_direct"]
                    + figures["table4"]["litigation_after_review"])
    assert line in text
    printed = "\n".join(str(v) for v in values[:14]) + "\n总计\n" + str(values[14])
    path = tmp_path / "r.txt"
    path.write_text(text.replace(line, printed), encoding="utf-8")
    r = check_path(path)
    cells = dict(r.report.cells())
    got = [cells[f"t4.{g}.{c}"].value for g in ("review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    assert got == values
    codes = [f.code for f in r.findings]
    assert "t4.total-sum" in codes and "parse.cells-as-printed" in codes
