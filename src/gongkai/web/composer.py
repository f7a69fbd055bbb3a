"""Composing the office's own report from the pages: upload the filled Excel template (or a YAML/JSON
figures file), optionally take 表三/表四 from the register, see the refusal or the composed text and the
prompts, and download DOCX/HTML/Markdown/PDF — the same ``gongkai.compose`` functions as the CLI.

The uploaded figures are kept by their SHA-256 (``corpus.sources``), so the download links recompose
from exactly what was shown; they never name a server file.
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ..api.compose import MEDIA, STEM, _read_back_problem
from ..api.errors import attachment
from ..auth.accounts import Principal
from ..compose.build import FIGURE_SUFFIXES, compose, default_stem, write_outputs
from ..compose.figures import FiguresError, figures_from_register, load_figures, merge_figures
from ..corpus import sources
from .guard import need
from .render import page

router = APIRouter(include_in_schema=False)
MAX_FIGURES_BYTES = 10 * 1024 * 1024
FORMATS = ("docx", "html", "md", "pdf")


def _figures(request: Request, p: Principal, f: sources.StoredFile, use_register: bool):
    suffix = Path(f.name).suffix.lower()
    if suffix not in FIGURE_SUFFIXES:
        raise FiguresError(f"请上传填好的 Excel 模板或 YAML/JSON 数据文件（{'、'.join(FIGURE_SUFFIXES)}）", f.name)
    with tempfile.TemporaryDirectory(prefix="gongkai-figures-") as d:
        path = Path(d) / ("figures" + suffix)
        path.write_bytes(f.data)
        report = load_figures(path)
    if use_register:
        if not p.has("requests.statistics") or not report.year:
            raise FiguresError("从登记簿取表三、表四须有统计权限，且数据文件须写明年度", f.name)
        reg = figures_from_register(request.app.state.engine, p.agency, report.year)
        report = merge_figures(report, table3=reg, table4=reg)
    return report


@router.get("/compose-report", response_class=HTMLResponse)
def form(request: Request, p: Principal = need("compose.use")):
    return page(request, "compose.html", title="编制年度报告", comp=None, error=None, sha=None)


@router.post("/compose-report", response_class=HTMLResponse)
async def preview(request: Request, file: UploadFile = File(...), use_register: str = Form(""),
                  p: Principal = need("compose.use")):
    data = await file.read(MAX_FIGURES_BYTES + 1)
    if len(data) > MAX_FIGURES_BYTES:
        raise HTTPException(413, f"数据文件过大（上限 {MAX_FIGURES_BYTES // 1048576} MB）")
    name = Path((file.filename or "figures").replace("\\", "/")).name[:200]
    sha = hashlib.sha256(data).hexdigest()
    stored = sources.StoredFile(sha, name, "application/octet-stream", data)
    try:
        comp = compose(_figures(request, p, stored, bool(use_register)))
    except FiguresError as e:   # named by the uploaded file's name, never the server's temporary copy
        return page(request, "compose.html", status_code=422, title="编制年度报告", comp=None,
                    error=f"{name}：{e.reason}", sha=None)
    sources.keep(request.app.state.engine, sha, name, "application/octet-stream", data)
    return page(request, "compose.html", title="编制年度报告", comp=comp, error=None, sha=sha,
                use_register="1" if use_register else "", formats=FORMATS)


@router.get("/compose-report/{sha}.{fmt}")
def download(request: Request, sha: str, fmt: str, use_register: str = "", p: Principal = need("compose.use")):
    if fmt not in FORMATS:
        raise HTTPException(404, "格式应为 docx、html、md 或 pdf")
    f = sources.get(request.app.state.engine, sha)
    if f is None:
        raise HTTPException(404, "没有这份数据，请重新上传")
    try:
        comp = compose(_figures(request, p, f, bool(use_register)))
    except FiguresError as e:
        raise HTTPException(422, f"{f.name}：{e.reason}") from e
    if comp.refused:
        raise HTTPException(422, "数据未通过校验，不能生成文件")
    with tempfile.TemporaryDirectory(prefix="gongkai-compose-") as tmp:
        write_outputs(comp, tmp, (fmt,), stem=STEM)
        if fmt in comp.output_errors:
            raise HTTPException(503, f"无法生成 {fmt} 文件（服务器转换失败），请改用其他格式")
        problem = _read_back_problem(comp, fmt)
        if problem is not None:
            raise HTTPException(500, "生成的文件读回后与数据不一致")
        content = comp.outputs[fmt].read_bytes()
    return Response(content, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": attachment(default_stem(comp.report) + "." + fmt, "report." + fmt)})
