"""Check reports: read → match → rules, for one file or a batch. Never raises on bad input.

This is the library entry point the CLI, the store and the web app share.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .findings import Finding, Severity
from .match import NotAnnualReport, match_document
from .model import Report
from .read import SUPPORTED_SUFFIXES, ReadError, ReadOptions, read_document
from .rules import run_rules

# Extra checks registered by other parts of gongkai (e.g. prose vs. tables), run after the rules.
EXTRA_CHECKS: list[Callable[[Report], Iterable[Finding]]] = []


@dataclass
class CheckResult:
    path: str
    status: str                      # "ok" | "not-report" | "error"
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error_code: str | None = None
    error: str | None = None
    sha256: str = ""
    ocr: dict | None = None          # pages read by OCR: {pages, seconds, cpu_seconds, load_seconds, dpi}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def to_dict(self) -> dict:
        return {
            "path": self.path, "status": self.status, "sha256": self.sha256, "error_code": self.error_code,
            "error": self.error, "report": self.report.to_dict(with_findings=False) if self.report else None,
            "findings": [f.to_dict() for f in self.findings], "ocr": self.ocr,
        }


def _extra_checks() -> list[Callable[[Report], Iterable[Finding]]]:
    checks = list(EXTRA_CHECKS)
    try:  # prose vs. tables lives in its own package; absent in minimal installs
        from .prose import prose_findings  # type: ignore
        checks.append(prose_findings)
    except ImportError:
        pass
    return checks


def validate(report: Report) -> list[Finding]:
    """Rules over a report (matching findings already on it are kept first)."""
    parse = [f for f in report.findings]
    out = parse + run_rules(report, _extra_checks())
    report.findings = out
    return out


def check_path(path: str | Path, *, ocr: bool = True,
               progress: Callable[[int, int], None] | None = None) -> CheckResult:
    """Read, match and validate one file. Scanned pages and images are read by OCR unless ``ocr`` is
    False; ``progress(pages_done, pages_to_read)`` is called after each page OCR reads."""
    p = Path(path)
    digest = ""
    try:
        if p.is_file():
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
        doc = read_document(p, ReadOptions(ocr=ocr, progress=progress))
    except ReadError as e:
        return CheckResult(str(p), "error", error_code=e.code, error=e.reason, sha256=digest)
    run = doc.meta.get("ocr")
    if run:
        from .ocr_labels import read_labels

        read_labels(doc)  # a label a scan broke by one stroke, read as the form's own word (noted)
    summary = {k: v for k, v in run.items() if k not in ("doubts", "labels")} if run else None
    try:
        report = match_document(doc)
    except NotAnnualReport as e:
        return CheckResult(str(p), "not-report", error_code="report.not-annual-report", error=e.reason, sha256=digest,
                           ocr=summary)
    except Exception as e:  # a matcher bug must not stop a batch: report it on this file
        return CheckResult(str(p), "error", error_code="match.internal", sha256=digest, ocr=summary,
                           error=f"内部错误，无法解析：{type(e).__name__}: {e} (internal error while matching)")
    if run:
        from .rules.ocr import ocr_findings

        report.findings.extend(ocr_findings(report, run, doc.text))
    findings = validate(report)
    return CheckResult(str(p), "ok", report, findings, sha256=digest, ocr=summary)


def ocr_summary(ocr: dict) -> str:
    """One line on what OCR did for a file: which pages, how long (and the recogniser's load, if it was
    loaded for this file)."""
    from .rules.ocr import page_list

    pages = ocr.get("pages") or []
    if ocr.get("images"):
        line = f"文中 {ocr['images']} 张图片已 OCR 识别，用时 {ocr.get('seconds', 0):.1f} 秒"
    else:
        line = f"第 {page_list(pages)} 页为扫描图像，已 OCR 识别，用时 {ocr.get('seconds', 0):.1f} 秒"
    if pages:
        line += f"（每页 {ocr.get('seconds', 0) / len(pages):.1f} 秒）"
    if ocr.get("load_seconds"):
        line += f"；首次加载识别模型 {ocr['load_seconds']:.1f} 秒"
    return line


def iter_report_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to check: the files given, and supported files found under given folders (sorted)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            out.append(p)
    return out


def check_many(paths: Iterable[str | Path]) -> Iterator[CheckResult]:
    for p in iter_report_files(paths):
        yield check_path(p)
