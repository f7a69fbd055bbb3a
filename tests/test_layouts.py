"""Tables in the reading orders real conversions produce (issue 11): what the aligner must read.

Three sets of invented figures (tests/fixtures/layouts/*.yaml: no real agency or report; 2021 format, 2021 with
blank cells, 2019 format) are printed in every arrangement of benchmarks/conversions/layouts.py — labels on a
line before their values or after them, all labels first, numbers column by column, a table split by a page with
its header repeated, a row printed twice, page numbers between rows, labels broken over two lines, the vertical 三、本年度办理结果
interleaved with rows, Markdown pipe tables whose labels were lost, HTML one cell per line — and the same
arrangements are applied to every truth file of ../shared/corpus (reports nobody looked at while writing them).
Real converter output of the invented reports is kept as fixtures too (``<figures>.<converter>.txt|md``, made by
benchmarks/conversions/fixtures.py), so these run without LibreOffice or the converters.

Each case is checked as ``gongkai check`` checks a text file. Where nothing was lost (every printed cell kept in
place, or no blank cell to drop) every cell must be exactly right; a row printed without blanks in a row-by-row
arrangement must be exactly right even where other rows are ambiguous; everywhere, a wrong cell needs a finding
naming it and an `unknown` cell needs a finding (no silent errors). Cases failing on today's matcher are listed
in tests/pending_aligner.py.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO, SHARED, shared_path
from pending_aligner import pending

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import converters as C  # noqa: E402
from conversions import layouts  # noqa: E402
from conversions.documents import Source  # noqa: E402
from conversions.scoring import Outcome, score, score_text  # noqa: E402

HERE = FIXTURES / "layouts"
FIGURES = sorted(p.stem for p in HERE.glob("*.yaml"))
TRUTH = SHARED / "corpus" / "truth"
# Arrangements that print each table row on its own (its values together): a row with no blank is unambiguous.
ROW_BY_ROW = {"rows", "values-next-line", "labels-after", "labels-first", "page-split", "row-twice", "page-number", "label-broken",
              "vertical-label", "md-lost-labels", "html-cells"}


def _figures(name: str) -> dict:
    return yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))


def _report(name: str):
    from gongkai.compose.figures import report_from_compact

    return report_from_compact(_figures(name), origin=f"{name}.yaml")


def _unambiguous_misses(o: Outcome, truth: dict) -> list:
    """Misses in 表二/表三 rows printed with no blank cell (their values stand together, nothing dropped)."""
    full = {f"t3.{k}" for k, v in truth["table3"].items() if None not in v}
    full |= {f"t2.{k}" for k, v in truth.get("table2", {}).items() if None not in v.values()}
    return [m for m in o.misses if m[0].rsplit(".", 1)[0] in full]


def _assert_meets(o: Outcome, truth: dict, arrangement: str) -> None:
    assert o.status == "ok", (o.status, o.error)
    assert not o.problems(), (o.problems(), o.text, o.misses[:12])
    if arrangement in ROW_BY_ROW:
        assert not _unambiguous_misses(o, truth), (o.text, _unambiguous_misses(o, truth)[:12])


# ---------------------------------------------------------------- invented figures × every arrangement


def _fixture_cases():
    for name in FIGURES:
        for a in layouts.ARRANGEMENTS:
            case = f"{name}-{a.name}"
            yield pytest.param(name, a.name, id=case, marks=pending(case))


@pytest.mark.parametrize(("figures", "arrangement"), list(_fixture_cases()))
def test_arrangement_of_invented_report(tmp_path: Path, figures: str, arrangement: str) -> None:
    a = layouts.BY_NAME[arrangement]
    path = tmp_path / f"{figures}.{arrangement}{a.suffix}"
    path.write_text(layouts.render(_report(figures), a), encoding="utf-8")
    truth = _figures(figures)
    o = score_text(path, truth, Outcome(path.name, figures, "fixture", "text", f"layout:{arrangement}", "ok", None,
                                        keeps_cells=a.keeps_cells))
    _assert_meets(o, truth, arrangement)


def test_arrangements_print_every_number_and_label() -> None:
    """The mutations change the order only: every printed value and every row label appears in each of them,
    and only the page numbers and the repeated row add any."""
    import re
    from collections import Counter

    report = _report("qinghe-2024")
    want = Counter(re.findall(r"\d+", layouts.render(report, "rows")))
    for a in layouts.ARRANGEMENTS:
        text = layouts.render(report, a)
        got = Counter(re.findall(r"\d+", text))
        assert not want - got, (a.name, want - got)
        if a.name not in ("page-split", "row-twice", "page-number", "md-merged", "column-pages"):
            assert got == want, (a.name, got - want)
        squashed = re.sub(r"\s+", "", text)
        for row in report.spec.table3.rows_for(report.table3_variant):
            assert re.sub(r"\s+", "", row.label) in squashed or a.name in ("label-broken", "vertical-label", "fixed-width", "fixed-width-3", "md-merged"), (
                a.name, row.label)


# ---------------------------------------------------------------- real converter output of the invented reports


def _converter_fixture_cases():
    for p in sorted(HERE.glob("*.*.*")):
        figures, converter = p.name.split(".")[:2]
        case = p.name
        yield pytest.param(p.name, figures, converter, id=case, marks=pending(case))


@pytest.mark.parametrize(("filename", "figures", "converter"), list(_converter_fixture_cases()))
def test_converter_output_of_invented_report(filename: str, figures: str, converter: str) -> None:
    conv = C.BY_NAME[converter]
    truth = _figures(figures)
    o = score_text(HERE / filename, truth, Outcome(filename, figures, "fixture", conv.kind, converter, "ok", None,
                                                   keeps_cells=conv.keeps_cells))
    assert o.status == "ok", (o.status, o.error)
    assert not o.problems(), (o.problems(), o.misses[:12])


# ---------------------------------------------------------------- every truth file × every arrangement


def _truth_cases():
    if not TRUTH.is_dir():
        yield pytest.param(None, None, id="shared-absent")
        return
    for t in sorted(TRUTH.glob("*.json")):
        for a in layouts.ARRANGEMENTS:
            case = f"{t.stem}.truth.figures-layout:{a.name}"
            yield pytest.param(t.stem, a.name, id=case, marks=pending(case))


@pytest.mark.parametrize(("ident", "arrangement"), list(_truth_cases()))
def test_arrangement_of_corpus_report(ident: str, arrangement: str) -> None:
    truth_path = shared_path("corpus", "truth") / f"{ident}.json"
    conv = next(c for c in layouts.converters() if c.name == f"layout:{arrangement}")
    o = score(Source(ident, "truth", "figures", truth_path, truth_path), conv)
    _assert_meets(o, json.loads(truth_path.read_text(encoding="utf-8")), arrangement)
