"""Check reports: read → match → rules, for one file or a batch. Never raises on bad input.

This is the library entry point the CLI, the store and the web app share.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import lazy
from .findings import Finding, Severity
from .gcpause import collector_paused
from .model import Report
from .read import MAX_BYTES, TEMPLATE_SUFFIXES, ReadError, ReadOptions, read_bytes, read_data

# match/ and rules/ are imported when a file is first checked, not with this module: the CLI's start and a
# batch driver that only hands files to workers do not pay for them.

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
    prose = lazy.module("gongkai.prose", optional=True)  # prose vs. tables lives in its own package; absent in minimal installs
    if prose is not None:
        checks.append(prose.prose_findings)
    return checks


def validate(report: Report) -> list[Finding]:
    """Rules over a report (matching findings already on it are kept first)."""
    parse = [f for f in report.findings]
    out = parse + lazy.module("gongkai.rules").run_rules(report, _extra_checks())
    report.findings = out
    return out


def file_sha256(p: Path) -> str:
    """SHA-256 of a file read in chunks: hashing never holds the whole file."""
    with p.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# A filled Excel template (``gongkai compose template``) is read by the composer's template reader, which gives
# the figures as a Report with the template's own findings (typed-over totals, text in a figure cell); the
# rules then run on it as on any report, so a supervisor checks and stores offices' submissions the same way.


# A filled template is a few hundred kB unpacked; more than this is not one, and is not unpacked to find out.
TEMPLATE_MAX_UNPACKED = 50 * 1024 * 1024


def _check_template(p: Path, digest: str) -> CheckResult:
    import zipfile

    from .compose.figures import FiguresError
    from .compose.template import is_template, read_template
    from .read import MAX_BYTES

    try:
        size = p.stat().st_size
        unpacked = sum(i.file_size for i in zipfile.ZipFile(p).infolist()) if zipfile.is_zipfile(p) else 0
    except (OSError, zipfile.BadZipFile) as e:
        return CheckResult(str(p), "error", error_code="read.error", error=f"无法读取：{e} (cannot read)",
                           sha256=digest)
    if size > MAX_BYTES or unpacked > TEMPLATE_MAX_UNPACKED:
        return CheckResult(str(p), "error", error_code="read.too-large", sha256=digest,
                           error=f"Excel 文件过大（解压后 {unpacked // 1024 // 1024} MB），不是填报模板 (file too large)")
    if not is_template(p):
        return CheckResult(str(p), "not-report", error_code="report.not-annual-report", sha256=digest,
                           error="Excel 文件不是 gongkai 填报模板（gongkai compose template），也不是年度报告 "
                                 "(an .xlsx that is not a gongkai figures template)")
    try:
        report = read_template(p)
    except FiguresError as e:
        return CheckResult(str(p), "error", error_code="read.template", error=e.reason, sha256=digest)
    return CheckResult(str(p), "ok", report, validate(report), sha256=digest)


def check_path(path: str | Path, *, ocr: bool = True,
               progress: Callable[[int, int], None] | None = None) -> CheckResult:
    """Read, match and validate one file. Scanned pages and images are read by OCR unless ``ocr`` is
    False; ``progress(pages_done, pages_to_read)`` is called after each page OCR reads."""
    with collector_paused():  # one file's objects are not walked over and over while it is read (gcpause.py)
        return _check_path(path, ocr=ocr, progress=progress)


def _check_path(path: str | Path, *, ocr: bool, progress: Callable[[int, int], None] | None) -> CheckResult:
    match = lazy.module("gongkai.match")
    p = Path(path)
    try:
        if p.suffix.lower() in TEMPLATE_SUFFIXES and p.is_file() and p.stat().st_size <= MAX_BYTES:
            return _check_template(p, file_sha256(p))
        data, kind = read_bytes(p)  # a file too large for its kind is refused here, before it is hashed
    except ReadError as e:
        return CheckResult(str(p), "error", error_code=e.code, error=e.reason)
    except OSError as e:  # unreadable (permissions, vanished mid-batch): this file's error, not the batch's
        return CheckResult(str(p), "error", error_code="read.os-error", error=f"无法读取文件：{e.strerror or e} "
                           "(cannot read file)")
    digest = hashlib.sha256(data).hexdigest()
    try:
        doc = read_data(p, data, kind, ReadOptions(ocr=ocr, progress=progress))
    except ReadError as e:
        return CheckResult(str(p), "error", error_code=e.code, error=e.reason, sha256=digest)
    del data
    run = doc.meta.get("ocr")
    if run:
        from .ocr_labels import read_labels

        read_labels(doc)  # a label a scan broke by one stroke, read as the form's own word (noted)
    summary = {k: v for k, v in run.items() if k not in ("doubts", "labels")} if run else None
    try:
        report = match.match_document(doc)
    except match.NotAnnualReport as e:
        if e.evidence:  # it looks like a report: an error that says why it cannot be read, never "not a report"
            from .rules.catalog import make_finding

            f = make_finding("read.report-not-matched", **e.evidence)
            return CheckResult(str(p), "error", error_code=f.code, error=f"{f.message} ({f.gloss})",
                               findings=doc.findings, sha256=digest, ocr=summary)
        return CheckResult(str(p), "not-report", error_code="report.not-annual-report", error=e.reason, sha256=digest,
                           ocr=summary)
    except MemoryError:  # the per-file memory budget (gongkai.limits) names this file, not the matcher
        raise
    except Exception as e:  # a matcher bug must not stop a batch: report it on this file
        return CheckResult(str(p), "error", error_code="match.internal", sha256=digest, ocr=summary,
                           error=f"内部错误，无法解析：{type(e).__name__}: {e} (internal error while matching)")
    report.findings[:0] = doc.findings  # how the file was read comes first
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
    """Files to check: the files given, and supported files found under given folders (sorted). What a
    folder holds that is not read is in ``discover.discover(paths).skipped``, with its reason."""
    from .discover import discover

    return discover(paths).files


def check_many(paths: Iterable[str | Path]) -> Iterator[CheckResult]:
    for p in iter_report_files(paths):
        yield check_path(p)
