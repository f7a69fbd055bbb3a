"""A file uploaded by a person: checked, stored and indexed, with one clear result per file.

The uploaded name is shown, never used as a path: the bytes are written to a fresh temporary
directory under a generated name that keeps only a known suffix, read there by the same readers
as ``gongkai check``, and the temporary copy is removed. What type a file is, is decided by its
content (``read.sniff``); a name ending in .pdf that holds no PDF is not read as one.
"""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..check import check_path
from ..read import sniff
from ..store.reports import ReportStore
from . import search, sources
from .sources import suffix_for

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MEDIA = {"pdf": "application/pdf", "html": "text/html", "text": "text/plain",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
STATUS_ZH = {"stored": "已入库", "new-version": "已入库（新版本）", "unchanged": "已存在（文件未变）",
             "not-report": "不是政府信息公开年度报告", "error": "无法读取"}


@dataclass(frozen=True)
class UploadResult:
    name: str
    status: str                     # stored | new-version | unchanged | not-report | error | rejected
    summary: str                    # Chinese, for the person who uploaded
    version_id: int | None = None
    agency: str | None = None
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    error_code: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _display(name: str) -> str:
    return Path(name.replace("\\", "/")).name[:200] or "（无名文件）"


def ingest_upload(store: ReportStore, name: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES,
                  allowed: Callable[[str], bool] | None = None) -> UploadResult:
    """Check and store one uploaded file. Never raises for bad input: the result says what happened.
    ``allowed(agency)`` says whether the uploader may store a report of that agency (checked after
    reading, before anything is stored)."""
    shown = _display(name)
    if not data:
        return UploadResult(shown, "rejected", "空文件", error_code="upload.empty")
    if len(data) > max_bytes:
        return UploadResult(shown, "rejected", f"文件过大：{len(data) / 1048576:.1f} MB，上限 {max_bytes // 1048576} MB",
                            error_code="upload.too-large")
    suffix = suffix_for(shown)
    kind = sniff(Path("upload" + suffix), data[:8192])
    if kind in (None, "ole"):
        return UploadResult(shown, "rejected", "文件内容不是支持的格式（PDF、DOCX、HTML、文本、Excel 模板）",
                            error_code="upload.unsupported-type")
    sha = hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory(prefix="gongkai-upload-") as d:
        p = Path(d) / ("upload" + suffix)
        p.write_bytes(data)
        result = check_path(p)
    result.path = f"上传：{shown}"
    if result.report is not None:
        result.report.path = result.path
    if result.report is not None and allowed is not None and result.report.agency:
        agency = store.rules.normalise(result.report.agency)
        if not allowed(agency):
            return UploadResult(shown, "rejected", f"无权上传“{agency}”的报告（不在本账户的管辖范围内）",
                                agency=agency, year=result.report.year, error_code="upload.out-of-scope")
    outcome = store.ingest(result)
    if outcome.status in ("error", "not-report"):
        reason = outcome.reason or result.error or ""
        return UploadResult(shown, outcome.status, f"{STATUS_ZH[outcome.status]}：{reason}",
                            error_code=result.error_code)
    infos = [v for v in store.versions(agency=outcome.agency, year=outcome.year, latest_only=False)
             if v.sha256 == sha]
    info = infos[0] if infos else None
    sources.keep(store.engine, sha, shown, MEDIA.get(kind, "application/octet-stream"), data)
    if info is not None and outcome.status != "unchanged":
        search.index_version(store.engine, info.version_id, store.load(info.version_id))
    summary = f"{STATUS_ZH.get(outcome.status, outcome.status)}：{outcome.agency} {outcome.year} 年"
    if info is not None:
        summary += f"，错误 {info.n_errors}，警告 {info.n_warnings}"
    return UploadResult(shown, outcome.status, summary, info.version_id if info else None, outcome.agency,
                        outcome.year, info.n_errors if info else 0, info.n_warnings if info else 0)
