"""Server-rendered pages. Each route checks a permission (``guard.need``), calls one library
function and draws its result; the templates only lay out what they are given."""
from __future__ import annotations

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..corpus import dashboard as dash
from ..corpus import report_view, reviews, scorecard, sources, uploads, views
from ..corpus.dashboard import STATUS_ZH
from ..formats import load_format
from ..model import Kind
from ..auth.accounts import Principal
from .guard import loaded_report, may, need, visible
from .render import page

router = APIRouter(include_in_schema=False)


def _store(request: Request):
    return request.app.state.store


NODES_PER_PAGE = 50


@router.get("/", response_class=HTMLResponse)
def home(request: Request, root: str | None = None, year_from: str | None = None, year_to: str | None = None,
         status: str | None = None, page_no: int = Query(1, ge=1, alias="page"), user: Principal = need("reports.read")):
    store = _store(request)
    seen = visible(store.engine, user, "reports.read")
    agencies = sorted(a.name for a in store.agencies() if seen is None or a.name in seen)
    if root and root not in agencies:
        root = None
    if root is None and seen is not None and user.agency in agencies:
        root = user.agency          # a supervisor starts at its own place in the tree
    yf = int(year_from) if (year_from or "").isdigit() else None
    yt = int(year_to) if (year_to or "").isdigit() else None
    d = dash.build(store, root=root, year_from=yf, year_to=yt, status=status or None)
    d.nodes = [n for n in d.nodes if n.agency in agencies]
    n_nodes = len(d.nodes)
    d.nodes = d.nodes[(page_no - 1) * NODES_PER_PAGE:page_no * NODES_PER_PAGE]   # the tree a page at a time
    chart_json = {"years": d.years, "series": d.charts}
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in {"root": root, "year_from": yf, "year_to": yt, "status": status}.items() if v})
    return page(request, "dashboard.html", title="总览", d=d, agencies=agencies, status_zh=STATUS_ZH,
                f={"root": root, "year_from": yf, "year_to": yt, "status": status}, chart_json=chart_json, query=query,
                page_no=page_no, n_nodes=n_nodes, per_page=NODES_PER_PAGE)


@router.get("/reports/{version_id}", response_class=HTMLResponse)
def report_page(request: Request, version_id: int, user: Principal = need("reports.read")):
    x = loaded_report(request, user, version_id)
    pg = report_view.build(x.report, x.findings, x.decisions)
    card = scorecard.score(x.report, x.findings, previous=x.previous)
    can_review = may(_store(request).engine, user, "reports.review", x.info.agency)
    return page(request, "report.html", title=f"{x.info.agency} {x.info.year}", page=pg, info=x.info, card=card,
                has_source=x.has_source, can_review=can_review)


@router.get("/reports/{version_id}/scorecard", response_class=HTMLResponse)
def scorecard_page(request: Request, version_id: int, user: Principal = need("reports.read")):
    x = loaded_report(request, user, version_id)
    card = scorecard.score(x.report, x.findings, previous=x.previous)
    return page(request, "scorecard.html", title="评分", info=x.info, card=card, findings=x.findings)


@router.post("/reports/{version_id}/findings/{index}/review")
def review(request: Request, version_id: int, index: int, decision: str = Form(...), reason: str = Form(""),
           user: Principal = need("reports.review")):
    x = loaded_report(request, user, version_id, "reports.review")
    if not 0 <= index < len(x.findings):
        raise HTTPException(404, "没有这条发现")
    try:
        reviews.decide(_store(request).engine, x.info.sha256, x.findings[index], decision, reason, user.username)
    except reviews.ReviewError as e:
        raise HTTPException(422, str(e)) from e
    return RedirectResponse(f"/reports/{version_id}#finding-{index}", status_code=303)


@router.get("/reports/{version_id}/source/view")
def source_view(request: Request, version_id: int, user: Principal = need("reports.read")):
    """The original file. HTML is served under a CSP that forbids every script and network load, and
    as a sandboxed document, so a report's own <script> or onerror never runs."""
    x = loaded_report(request, user, version_id)
    f = sources.get(_store(request).engine, x.info.sha256)
    if f is None:
        raise HTTPException(404, "原文件未保存（只有通过网页上传的文件保存原文）")
    media = f.media_type if f.media_type in ("application/pdf", "text/html", "text/plain") else "application/octet-stream"
    headers = {"Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
               "X-Content-Type-Options": "nosniff"}
    if media == "application/octet-stream":
        headers["Content-Disposition"] = "attachment; filename=\"source.bin\""
    return Response(f.data, media_type=media, headers=headers)


@router.get("/reports/{version_id}/page/{page_no}.png")
def page_image(request: Request, version_id: int, page_no: int, cell: str | None = None,
               user: Principal = need("reports.read")):
    x = loaded_report(request, user, version_id)
    f = sources.get(_store(request).engine, x.info.sha256)
    if f is None or f.media_type != "application/pdf":
        raise HTTPException(404, "没有可显示的 PDF 页面")
    bbox = None
    if cell:
        c = x.report.cell(cell)
        if c.source and c.source.page == page_no:
            bbox = c.source.bbox
    try:
        png = sources.page_png(f, page_no, bbox)
    except ValueError as e:
        raise HTTPException(404, str(e)) from e
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.get("/reports/{version_id}/export.{fmt}")
def report_export(request: Request, version_id: int, fmt: str, user: Principal = need("reports.read")):
    """The report's cells and findings as ``gongkai check --format`` writes them (CSV: cells, with
    ``findings.csv`` beside; XLSX: both sheets)."""
    import tempfile
    from pathlib import Path

    from ..check import CheckResult
    from ..export import write_csv, write_xlsx

    x = loaded_report(request, user, version_id)
    if fmt not in ("csv", "xlsx", "findings.csv"):
        raise HTTPException(404, "格式应为 csv、findings.csv 或 xlsx")
    result = CheckResult(x.info.path, "ok", x.report, x.findings, sha256=x.info.sha256)
    with tempfile.TemporaryDirectory(prefix="gongkai-export-") as d:
        out = Path(d) / ("report.xlsx" if fmt == "xlsx" else "report.csv")
        paths = write_xlsx([result], out) if fmt == "xlsx" else write_csv([result], out)
        data = paths[-1 if fmt == "findings.csv" else 0].read_bytes()
    media = uploads.MEDIA["xlsx"] if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename=\"report-{version_id}.{fmt}\""})


@router.get("/export/indicators.{fmt}")
def indicators_export(request: Request, fmt: str, root: str | None = None,
                      user: Principal = need("reports.read")):
    import tempfile
    from pathlib import Path

    from ..corpus.export import export, load_corpus

    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, "格式应为 csv 或 xlsx")
    store = _store(request)
    seen = visible(store.engine, user, "reports.read")
    corpus = load_corpus(store)
    keep = lambda a: seen is None or a in seen  # noqa: E731
    corpus.views = [v for v in corpus.views if keep(v.info.agency)]
    corpus.rows = [r for r in corpus.rows if keep(r.agency)]
    corpus.cross = [c for c in corpus.cross if keep(c.agency)]
    with tempfile.TemporaryDirectory(prefix="gongkai-export-") as d:
        p = export(corpus, Path(d) / f"indicators.{fmt}", fmt, headers="zh")
        data = p.read_bytes()
    media = "text/csv; charset=utf-8" if fmt == "csv" else uploads.MEDIA["xlsx"]
    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename=\"indicators.{fmt}\""})


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, a: str | None = None, b: str | None = None,
                 user: Principal = need("reports.read")):
    store = _store(request)
    seen = visible(store.engine, user, "reports.read")
    versions = [v for v in store.versions() if seen is None or v.agency in seen]
    ctx: dict = {"versions": versions, "a": None, "b": None, "diff": None, "error": None}
    if a and a.isdigit():
        try:
            ia = loaded_report(request, user, int(a)).info
            ib = loaded_report(request, user, int(b)).info.version_id if b and b.isdigit() else None
            cmp = views.compare_two(store, ia.version_id, ib)
        except views.NotFound as e:
            ctx["error"] = str(e)
        else:
            fa = load_format(cmp.a.format)
            ctx.update(a=cmp.a, b=cmp.b, indicators=[(n, _v(x), _v(y), _v(d)) for n, x, y, d in cmp.indicators],
                       diff=_DiffView(cmp.diff))
            ctx["cell_name"] = lambda k: _cell_name(fa, k)
            names = {s.key: f"{s.number}、{s.title}" for s in fa.sections}
            ctx["section_name"] = lambda k: names.get(k, k)
    ctx.setdefault("cell_name", lambda k: k)
    ctx.setdefault("section_name", lambda k: k)
    ctx["show"] = _show
    return page(request, "compare.html", title="比较", **ctx)


class _DiffView:
    def __init__(self, d) -> None:
        self.changes = d.changed
        self.sections = list(d.reuse.values())


def _cell_name(fmt, key: str) -> str:
    try:
        return fmt.cell_words(key)
    except ValueError:
        return key


def _v(x):
    from .render import fmt

    return fmt(x)


def _show(c) -> str:
    from ..compose.render.layout import cell_text

    return {Kind.BLANK: "（空白）", Kind.MISSING: "（缺）", Kind.UNKNOWN: "（无法确定）"}.get(c.kind) or cell_text(c)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, user: Principal = need("reports.upload")):
    return page(request, "upload.html", title="上传", results=[], max_mb=uploads.MAX_UPLOAD_BYTES // 1048576)


@router.post("/upload", response_class=HTMLResponse)
async def upload_post(request: Request, files: list[UploadFile] = File(...),
                      user: Principal = need("reports.upload")):
    from .api_v1 import read_upload, upload_one

    results = []
    for f in files:
        data = await read_upload(f)
        results.append(upload_one(request, user, f.filename or "", data))
    return page(request, "upload.html", title="上传", results=results, max_mb=uploads.MAX_UPLOAD_BYTES // 1048576)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=200), offset: int = Query(0, ge=0),
                user: Principal = need("reports.read")):
    from .api_v1 import scoped_search

    hits, total, names = scoped_search(request, user, q, 20, offset) if q.strip() else ([], 0, {})
    where = {"section": "正文", "cell": "表格", "finding": "问题清单"}

    def anchor(h) -> str:
        if h.kind == "finding":
            return f"#finding-{h.ref}"
        if h.kind == "section":
            return f"#sec-{h.ref.split('#')[0]}"
        return f"#{h.ref.split('.')[0].replace('t', 'table')}"

    return page(request, "search.html", title="搜索", q=q, hits=hits, total=total, names=names, offset=offset,
                limit=20, where=lambda h: where.get(h.kind, h.kind), anchor=anchor)
