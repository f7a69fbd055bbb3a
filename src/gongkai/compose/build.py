"""One composition, end to end: figures → validated → prose → documents → read back and compared.

``compose`` refuses figures that break an identity (the verdict carries the rule's findings) and
otherwise returns the report with its generated sections, the prompts for what the office still has
to write, and any disagreement gongkai's own prose reader finds in the text. ``write_outputs``
renders the documents; ``verify_outputs`` reads each one back with gongkai's readers and compares
every cell with the figures it was composed from — the "correct by construction" claim, tested on
every run rather than assumed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..check import check_path
from ..filenames import safe_filename
from ..findings import Finding, Severity
from ..model import Cell, Kind, Report
from .diff import ReportDiff, diff_reports, same_cell
from .prose import ComposedText, Disagreement, FeeFigures, composed_report, generate_sections, verify_composed
from .validate import FiguresVerdict, check_figures

# Output formats in the order they are written; "pdf" is converted from the DOCX by LibreOffice.
FORMATS = ("docx", "html", "md", "pdf")
SUFFIX = {"docx": ".docx", "html": ".html", "md": ".md", "pdf": ".pdf"}


@dataclass
class RoundTrip:
    """One composed document read back: cells that differ and error findings (both empty = exact)."""

    format: str
    path: Path
    differences: list[str] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    problem: str | None = None  # the document could not be read back at all

    @property
    def ok(self) -> bool:
        return not self.differences and not self.errors and self.problem is None

    def to_dict(self) -> dict:
        return {"format": self.format, "path": str(self.path), "ok": self.ok, "differences": self.differences,
                "errors": [f.to_dict() for f in self.errors], "problem": self.problem}


@dataclass
class Composition:
    verdict: FiguresVerdict
    report: Report                      # the validated figures with the composed sections
    text: ComposedText | None = None
    disagreements: list[Disagreement] = field(default_factory=list)
    diff: ReportDiff | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    output_errors: dict[str, str] = field(default_factory=dict)
    roundtrips: list[RoundTrip] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.verdict.refused

    @property
    def ok(self) -> bool:
        return (not self.refused and not self.disagreements and not self.output_errors
                and all(r.ok for r in self.roundtrips))

    def to_dict(self) -> dict:
        return {
            "refused": self.refused, "ok": self.ok,
            "findings": [f.to_dict() for f in self.verdict.findings],
            "prompts": [p.to_dict() for p in self.text.prompts] if self.text else [],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "diff": self.diff.to_dict() if self.diff else None,
            "outputs": {k: str(v) for k, v in self.outputs.items()},
            "output_errors": dict(self.output_errors),
            "roundtrips": [r.to_dict() for r in self.roundtrips],
            "report": self.report.to_dict(),
        }


def compose(figures: Report, *, last_year: Report | None = None, office_text: dict[str, str] | None = None,
            workplan_draft: str | None = None, fees: FeeFigures | None = None) -> Composition:
    """Validate the figures and, unless refused, generate the report's text from them.

    ``office_text`` defaults to the sections the figures file carries (the office's own 五 and 六 etc.).
    """
    verdict = check_figures(figures)
    if last_year is not None and not verdict.refused:
        # the same checks as `gongkai report` makes across the corpus: 上年结转 against last year's 结转下年度 …
        from ..corpus.crossyear import report_pair

        verdict.findings += report_pair(last_year, verdict.report)
    if verdict.refused:
        return Composition(verdict, verdict.report)
    report = verdict.report
    own = office_text if office_text is not None else {k: v for k, v in report.sections.items() if v.strip()}
    text = generate_sections(report, last_year=last_year, office_text=own, workplan_draft=workplan_draft, fees=fees)
    composed = composed_report(report, text)
    comp = Composition(verdict, composed, text, verify_composed(report, text))
    if last_year is not None:
        comp.diff = diff_reports(composed, last_year)
    return comp


def default_stem(report: Report) -> str:
    return f"{report.agency or '本机关'}{report.year or ''}年政府信息公开工作年度报告"


def write_outputs(comp: Composition, out_dir: str | Path, formats: Iterable[str] = FORMATS,
                  stem: str | None = None) -> dict[str, Path]:
    """Write the composed report in each format; a format that cannot be written is noted, not fatal."""
    from .render import PdfConversionError, write_docx, write_html, write_markdown, write_pdf

    if comp.refused:
        raise ValueError("refused figures are not composed into documents")
    wanted = [f for f in FORMATS if f in set(formats)]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"未知的输出格式：{'、'.join(unknown)}（可用：{'、'.join(FORMATS)}） (unknown output format)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # The stem comes from the document's agency name: one file name component, never a path (issue 12 item 1).
    base = out / safe_filename(stem or default_stem(comp.report), "report")
    writers = {"docx": write_docx, "html": write_html, "md": write_markdown, "pdf": write_pdf}
    for fmt in wanted:
        path = base.with_name(base.name + SUFFIX[fmt])
        try:
            if fmt == "pdf" and "docx" in comp.outputs:  # the PDF of exactly the DOCX just written
                comp.outputs[fmt] = _pdf_of(comp.outputs["docx"], path)
            else:
                comp.outputs[fmt] = writers[fmt](comp.report, path)
        except (PdfConversionError, OSError) as e:
            comp.output_errors[fmt] = str(e)
    return comp.outputs


def _pdf_of(docx: Path, path: Path) -> Path:
    import shutil
    import tempfile

    from .render.pdf import convert_docx

    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        (pdf,) = convert_docx([docx], tmp)
        shutil.move(str(pdf), path)
    return path


def compare_cells(expected: Report, actual: Report) -> list[str]:
    """Every cell of ``expected`` that ``actual`` does not hold the same (key: expected ≠ actual)."""
    out = []
    for key, cell in expected.cells():
        got = actual.cell(key) if actual.format == expected.format else Cell.missing()
        if not same_cell(cell, got):
            out.append(f"{key}: {_show(cell)} ≠ {_show(got)}")
    return out


def _show(cell: Cell) -> str:
    if cell.kind is Kind.NUMBER:
        return cell.text or str(cell.value)
    return cell.text or cell.kind.value


def verify_outputs(comp: Composition) -> list[RoundTrip]:
    """Read every written document back with gongkai's readers and compare it with the figures."""
    comp.roundtrips = []
    for fmt, path in comp.outputs.items():
        result = check_path(path)
        rt = RoundTrip(fmt, path)
        if result.report is None:
            rt.problem = result.error or result.status
        else:
            rt.differences = compare_cells(comp.report, result.report)
            rt.errors = [f for f in result.findings if f.severity is Severity.ERROR]
        comp.roundtrips.append(rt)
    return comp.roundtrips


# ---- inputs -------------------------------------------------------------------------------------
FIGURE_SUFFIXES = (".xlsx", ".yaml", ".yml", ".json")


def load_report(path: str | Path) -> Report:
    """A report's figures from a figures file (template, YAML/JSON) or from a published report in any
    format gongkai reads. Raises FiguresError naming the file when neither works."""
    from .figures import FiguresError, load_figures

    p = Path(path)
    if p.suffix.lower() in FIGURE_SUFFIXES:
        return load_figures(p)
    result = check_path(p)
    if result.report is None:
        raise FiguresError(f"无法作为年度报告读取：{result.error or result.status} (cannot be read as an annual report)", p)
    return result.report


def gather_figures(figures: str | Path | None = None, *, register: str | None = None, agency: str | None = None,
                   year: int | None = None) -> Report:
    """The year's figures: a figures file, the request register's 表三/表四, or 表二 (and sections) from the
    file with 表三/表四 from the register."""
    from .figures import FiguresError, figures_from_register, merge_figures

    base = load_report(figures) if figures is not None else None
    if register is None:
        if base is None:
            raise FiguresError("未提供数据：请给出数据文件或 --register 请求登记库 (no figures given)")
        return base
    agency = agency or (base.agency if base else None)
    year = year or (base.year if base else None)
    if not agency or not year:
        raise FiguresError("从请求登记库取数须指明机关和年度 (--agency, --year) (agency and year needed for the register)")
    from ..store.db import connect

    from_register = figures_from_register(connect(register), agency, year)
    if base is None:
        return from_register
    return merge_figures(base, table3=from_register, table4=from_register)


def last_year_report(report: Report, *, path: str | Path | None = None, store: str | None = None) -> Report | None:
    """Last year's report, from a file or from the corpus store (the agency's latest version of year − 1)."""
    if path is not None:
        return load_report(path)
    if store is None or not report.agency or not report.year:
        return None
    from ..store.reports import ReportStore
    from .figures import last_year_from_store

    with ReportStore(store) as s:
        return last_year_from_store(s, report.agency, report.year)


def report_from_store(store: str, agency: str, year: int) -> Report | None:
    """An ingested report: the agency's latest stored version for ``year``."""
    from ..store.reports import ReportStore
    from .figures import stored_report

    with ReportStore(store) as s:
        return stored_report(s, agency, year)


def workplan_draft(plan_file: str | Path, year: int | None, subject: str = "本机关") -> str:
    """Section 六's draft from the tracked 工作要点 of the report year, as of its 31 December; a plan of another
    year is refused (``PlanYearError``)."""
    from ..workplan import JsonWorkPlanRepository, PlanYearError, draft_for_report

    plan = JsonWorkPlanRepository(Path(plan_file)).load()
    if year is None:
        raise PlanYearError("报告年度未知，无法对照工作要点起草第六部分 (the report's year is unknown)")
    return draft_for_report(plan, year, subject)


def register_fees(register: str, agency: str, year: int) -> FeeFigures:
    from ..requests.yearend import fees_collected
    from ..store.db import connect

    f = fees_collected(connect(register), agency, year)
    return FeeFigures(f.charged, f.amount_yuan, f.notices)


def load_office_text(path: str | Path, report: Report) -> dict[str, str]:
    """The office's own text per section: a YAML/JSON mapping (keys: section keys such as ``problems``,
    their numbers 一…六, or their titles), or a text/Markdown file with the official headings
    (五、存在的主要问题及改进情况 …), each section's body running to the next heading."""
    import yaml

    from ..match.meta import find_sections
    from .figures import FiguresError

    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise FiguresError(f"无法读取文字文件：{e} (cannot read the text file)", p) from e
    spec = report.spec
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        try:
            data = yaml.safe_load(raw) or {}
        except yaml.YAMLError as e:
            raise FiguresError(f"YAML/JSON 格式错误：{e} (malformed YAML/JSON)", p) from e
        if not isinstance(data, dict):
            raise FiguresError("应为“章节: 文字”的映射 (expected a mapping of section to text)", p)
        names = {}
        for s in spec.sections:
            names.update({s.key: s.key, s.number: s.key, s.title: s.key, f"{s.number}、{s.title}": s.key})
        out = {}
        for k, v in data.items():
            key = names.get(str(k).strip())
            if key is None:
                raise FiguresError(f"未知的章节“{k}”（可用：{'、'.join(s.key for s in spec.sections)} 或 一…六） "
                                   f"(unknown section)", p)
            out[key] = "" if v is None else str(v).strip()
        return out
    spans = find_sections(raw, spec)
    if not spans:
        raise FiguresError("未找到“一、总体情况”等章节标题 (no section headings found)", p)
    out = {}
    for key, (a, b) in spans.items():
        body = raw[a:b].split("\n", 1)
        out[key] = body[1].strip() if len(body) > 1 else ""
    return out
