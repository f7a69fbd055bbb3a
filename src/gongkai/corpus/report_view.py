"""What a report page shows, built once from a stored report: the three tables laid out as printed
(the composer's layout, from the format data), each value cell with its kind, its findings and where
it came from; the findings with their review decisions; the prose with its stated numbers marked.

The page templates only draw this; no rule or lookup lives in a template.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..compose.render.layout import GridCell, TableLayout, cell_text, table2_layout, table3_layout, table4_layout
from ..findings import Finding, Severity
from ..model import Cell, Report
from .reviews import Decision, fingerprint

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_ZH = {"number": "数字", "blank": "空白", "slash": "“/”", "dash": "“-”", "text": "文字", "unknown": "无法确定",
           "missing": "缺失"}
TABLE_TITLES = {"table2": "表二 主动公开政府信息情况", "table3": "表三 收到和处理政府信息公开申请情况",
                "table4": "表四 政府信息公开行政复议、行政诉讼情况"}


@dataclass
class CellView:
    key: str
    text: str
    kind: str
    kind_zh: str
    severity: str | None                 # the worst severity among its findings
    findings: list[int]
    source: dict | None
    basis: str
    alternatives: list[str]


@dataclass
class GridView:
    cell: GridCell
    value: CellView | None


@dataclass
class TableView:
    name: str
    title: str
    rows: list[list[GridView]]
    widths: tuple[float, ...]


@dataclass
class FindingView:
    index: int
    code: str
    severity: str
    severity_zh: str
    message: str
    gloss: str
    cells: list[str]
    cell_names: list[str]
    numbers: dict
    fingerprint: str
    decision: Decision | None


@dataclass
class Span:
    text: str
    cell_keys: list[str] = field(default_factory=list)   # a stated number linked to its cells
    finding: int | None = None


@dataclass
class SectionView:
    key: str
    heading: str
    paragraphs: list[list[Span]]


@dataclass
class ReportPage:
    report: Report
    tables: list[TableView]
    findings: list[FindingView]
    sections: list[SectionView]
    counts: dict[str, int]


def _covers(finding_cell: str, key: str) -> bool:
    """A finding names a cell (t3.granted.natural) or a whole row or group (t3.granted, t4.all)."""
    return key == finding_cell or key.startswith(finding_cell + ".") or finding_cell.endswith(".all") and \
        key.startswith(finding_cell[:-4] + ".")


def _cell_view(key: str, cell: Cell, findings: list[Finding]) -> CellView:
    hits = [i for i, f in enumerate(findings) if any(_covers(c, key) for c in f.cells)]
    worst = min((findings[i].severity for i in hits), key=lambda s: s.rank, default=None)
    return CellView(key, cell_text(cell), cell.kind.value, KIND_ZH.get(cell.kind.value, cell.kind.value),
                    worst.value if worst else None, hits, cell.source.to_dict() if cell.source else None,
                    cell.basis.value, [("空白" if a is None else str(a)) for a in cell.alternatives])


def _table(name: str, layout: TableLayout, report: Report, findings: list[Finding]) -> TableView:
    rows = []
    for row in layout.rows():
        out = []
        for gc in row:
            value = None
            if gc.key:
                value = _cell_view(gc.key, report.cell(gc.key), findings)
            out.append(GridView(gc, value))
        rows.append(out)
    return TableView(name, TABLE_TITLES[name], rows, layout.widths)


def _statement_spans(report: Report) -> dict[str, list[tuple[int, int, list[str]]]]:
    """Per section, the spans of numbers the prose states about the tables, with the cells they concern."""
    from ..prose.checks import COMPARISONS, _expand
    from ..prose.statements import extract_statements

    out: dict[str, list[tuple[int, int, list[str]]]] = {}
    for st in extract_statements(report.sections, report.agency):
        comp = COMPARISONS.get(st.kind)
        keys = [k for c in comp.readings[0].cells for k in _expand(report, c)] if comp else []
        out.setdefault(st.section, []).append((st.number_start, st.number_end, keys))
    return out


def _spans(text: str, marks: list[tuple[int, int, list[str]]]) -> list[list[Span]]:
    """Cut a section's text into paragraphs of plain and marked spans (offsets are the section's)."""
    paras: list[list[Span]] = []
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        spans: list[Span] = []
        cur = a
        for s, e, keys in sorted(m for m in marks if a <= m[0] < b):
            if s < cur:
                continue
            if s > cur:
                spans.append(Span(text[cur:s]))
            spans.append(Span(text[s:min(e, b)], keys))
            cur = min(e, b)
        if cur < b:
            spans.append(Span(text[cur:b]))
        paras.append(spans)
    return paras


def build(report: Report, findings: list[Finding] | None = None,
          decisions: dict[str, Decision] | None = None) -> ReportPage:
    findings = list(report.findings if findings is None else findings)
    decisions = decisions or {}
    spec = report.spec
    tables = [_table("table2", table2_layout(report), report, findings),
              _table("table3", table3_layout(report), report, findings),
              _table("table4", table4_layout(report), report, findings)]
    fviews = []
    for i, f in enumerate(findings):
        fp = fingerprint(f)
        names = []
        for c in f.cells:
            try:
                names.append(spec.cell_words(c))
            except ValueError:
                names.append(c)
        fviews.append(FindingView(i, f.code, f.severity.value, SEVERITY_ZH[f.severity.value], f.message, f.gloss,
                                  list(f.cells), names, dict(f.numbers), fp, decisions.get(fp)))
    marks = _statement_spans(report)
    sections = [SectionView(s.key, f"{s.number}、{s.title}", _spans(report.sections.get(s.key) or "",
                                                                    marks.get(s.key, [])))
                for s in spec.sections]
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    return ReportPage(report, tables, fviews, sections, counts)
