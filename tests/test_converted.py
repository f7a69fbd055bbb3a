"""Every truth report as the tools people use convert it, checked by gongkai (issue 11, items 5–6).

Each case is one input document × one converter of benchmarks/converted.py (same code, same on-disk cache):
the corpus reports published as PDF/HTML, and every truth file composed by gongkai as PDF, DOCX and HTML,
converted by pypdfium2, pdfminer, pdfplumber, pdftotext, markitdown, mammoth, pandoc or lxml, then checked as
``gongkai check`` checks a .txt/.md file. Every case must have no silent error (a wrong cell no finding names)
and no unknown cell without a finding; where the converter keeps every printed cell (it keeps blank cells in
place, or the report has none), every cell must be exactly right.

By default the cases of a few reports chosen for their difficulties run (see FAST); set
GONGKAI_CONVERTED_ALL=1 to run every truth report (about a minute more on a fresh cache). Cases that wait for
the aligner of issue 11 are expected failures, listed in one place: tests/pending_aligner.py.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED, shared_path
from pending_aligner import pending

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import converters as C  # noqa: E402
from conversions.documents import COMPOSED_KINDS, Source, all_sources, published  # noqa: E402
from conversions.scoring import score  # noqa: E402

# Reports whose cases run by default, each for a difficulty: 002 (published PDF, 2021 format with the single
# （六） row, 表四 totals broken as printed), 016 (表三 identity broken as printed), 018 (blank cells), 032 (published
# HTML, mostly blank cells), 005 (2019 format), seed-002 (2019 format with a blank).
FAST = {"002", "016", "018", "032", "005", "seed-002"}
ALL = os.environ.get("GONGKAI_CONVERTED_ALL") == "1"
TRUTH = SHARED / "corpus" / "truth"


def _cases():
    if not TRUTH.is_dir():
        yield pytest.param(None, None, id="shared-absent")
        return
    names = [s.name for s in published(SHARED)]
    names += [f"{t.stem}.composed.{k}" for t in sorted(TRUTH.glob("*.json")) for k in COMPOSED_KINDS]
    for name in names:
        ident, _, kind = name.split(".")
        for conv in C.for_kind(kind):
            case = f"{name}-{conv.name}"
            marks = list(pending(case))
            if ident not in FAST:
                marks.append(pytest.mark.slow)
            yield pytest.param(name, conv.name, id=case, marks=marks)


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    shared_path("corpus", "truth")
    found, not_made = all_sources(SHARED, idents=None if ALL else FAST)
    out: dict = {s.name: s for s in found}
    out["_not_made"] = not_made
    return out


@pytest.mark.parametrize(("name", "converter"), list(_cases()))
def test_converted_report_has_no_silent_error(sources: dict, name: str, converter: str) -> None:
    ident, origin, kind = name.split(".")
    if not ALL and ident not in FAST:
        pytest.skip("only the FAST reports run by default: set GONGKAI_CONVERTED_ALL=1 for all")
    conv = C.BY_NAME[converter]
    why = conv.available()
    if why:
        pytest.skip(f"{converter} skipped: {why}")
    if name not in sources:
        pytest.skip(f"{name} not made: {sources['_not_made'].get(kind, 'no such input')}")
    o = score(sources[name], conv)
    assert not o.problems(), (o.problems(), o.text, o.misses[:12])
