"""Regenerate the converter-output fixtures of tests/fixtures/layouts from the invented figures there.

    PYTHONPATH=src python -m benchmarks.conversions.fixtures   (or: python benchmarks/conversions/fixtures.py)

Each invented figures file (``<name>.yaml``: no real agency, no real report) is composed as PDF, DOCX and HTML by
gongkai's composer and converted by the tools of ``converters``; the outputs chosen in ``OUTPUTS`` are written
as ``<name>.<converter>.txt|md``. They are real converter output of invented reports, so the arrangement tests
run on a machine without LibreOffice or the converters. Rerun after a change to the composer's layout.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
FIXTURES = HERE.parents[2] / "tests" / "fixtures" / "layouts"

# (figures, converter): one output per arrangement a real tool produces.
OUTPUTS = (
    ("qinghe-2024", "pypdfium2"),          # a row's label, then its numbers; labels broken around the numbers
    ("qinghe-2024", "pdfminer"),           # all labels first, then the numbers column by column
    ("qinghe-2024", "pdfplumber"),         # vertical label one character per line, interleaved with rows
    ("qinghe-2024", "pdftotext"),          # one cell per line
    ("qinghe-2024", "mammoth"),            # one cell per paragraph, Markdown escapes (1\.)
    ("qinghe-2023-blanks", "pdftotext-layout"),  # columns kept as spaces: blank cells visible
    ("qinghe-2023-blanks", "markitdown-docx"),   # pipe tables with merged cells repeated
    ("qinghe-2023-blanks", "lxml-cells"),  # HTML one cell per line, blank cells gone
    ("heyang-2020", "pdfplumber-layout"),
    ("heyang-2020", "pandoc"),
    ("songxi-2025-columns", "pdftotext-layout"),   # a column blank in every row: placed by the header's titles
    ("songxi-2025-columns", "pdfplumber-layout"),
    ("songxi-2025-columns", "pandoc"),             # the same, by the dashes of pandoc's rule
    ("qinghe-2024", "markitdown-pdf"),     # pipe cells holding two columns, label pieces beside and between rows
    ("heyang-2020", "markitdown-pdf"),     # the same in the 2019 format
)


def figures_report(path: Path):
    import yaml

    from gongkai.compose.figures import report_from_compact

    return report_from_compact(yaml.safe_load(path.read_text(encoding="utf-8")), origin=str(path))


def make(out: Path = FIXTURES) -> list[Path]:
    sys.path.insert(0, str(HERE.parents[1]))
    from conversions.converters import BY_NAME
    from gongkai.compose.render.docx import write_docx
    from gongkai.compose.render.html import write_html
    from gongkai.compose.render.pdf import write_pdfs

    written = []
    with tempfile.TemporaryDirectory(prefix="gongkai-fixtures-") as tmp:
        docs: dict[tuple[str, str], Path] = {}
        names = sorted({f for f, _ in OUTPUTS})
        reports = {n: figures_report(out / f"{n}.yaml") for n in names}
        for n, r in reports.items():
            docs[n, "docx"] = write_docx(r, Path(tmp) / f"{n}.docx")
            docs[n, "html"] = write_html(r, Path(tmp) / f"{n}.html")
        for n, p in zip(names, write_pdfs([(reports[n], Path(tmp) / f"{n}.pdf") for n in names])):
            docs[n, "pdf"] = p
        for name, conv_name in OUTPUTS:
            conv = BY_NAME[conv_name]
            target = out / f"{name}.{conv_name}{conv.suffix}"
            target.write_text(conv.convert(docs[name, conv.kind]), encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":
    for p in make():
        print(p)
