"""The versioned JSON API (``/api/v1``) for everything the pages show: the dashboard, reports with
their cells and findings, scorecards, comparison, search, reviews, uploads.

Every route declares its permission; lists are paged (``page``, ``per_page``, answered with
``{"data": [...], "page": {...}}``); every error is one envelope ``{"error": {"code", "message",
"details"}}`` (see ``app.py``).
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Body, File, HTTPException, Query, Request, UploadFile

from ..auth.accounts import Principal
from ..corpus import dashboard as dash
from ..corpus import report_view, reviews, scorecard, search, sources, uploads, views
from .guard import loaded_report, may, need, visible

router = APIRouter(prefix="/api/v1", tags=["v1"])
MAX_PER_PAGE = 200
RANKED = 50          # the top of each year's ranking (the page shows the same)
UPLOAD_CHUNK = 1 << 20


def _store(request: Request):
    return request.app.state.store


def _plain(v: Any) -> Any:
    from decimal import Decimal

    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else str(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _paged(items: list, page: int, per_page: int) -> dict:
    start = (page - 1) * per_page
    return {"data": items[start:start + per_page], "page": _page_meta(page, per_page, len(items))}


def _page_meta(page: int, per_page: int, total: int) -> dict:
    return {"page": page, "per_page": per_page, "total": total, "pages": (total + per_page - 1) // per_page}


def _info(v) -> dict:
    return _plain(asdict(v))


@router.get("/dashboard")
def dashboard(request: Request, root: str | None = None, year_from: int | None = None, year_to: int | None = None,
              status: str | None = None, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
              user: Principal = need("reports.read")) -> dict:
    store = _store(request)
    seen = visible(store.engine, user, "reports.read")
    if seen is not None and root not in seen:
        root = user.agency
    d = dash.build(store, root=root, year_from=year_from, year_to=year_to, status=status)
    visible_nodes = [n for n in d.nodes if seen is None or n.agency in seen]
    paged = _paged(visible_nodes, page, per_page)   # the agency tree a page at a time; charts cover all of it
    nodes = paged["data"]
    return {"page": paged["page"], "data": _plain({
        "years": d.years, "counts": d.counts, "charts": d.charts,
        "agencies": [{"agency": n.agency, "parent": n.parent, "depth": n.depth,
                      "years": {y: {"status": s.status, "version_id": s.version_id, "errors": s.errors,
                                    "warnings": s.warnings, "published": s.published, "late": s.late}
                                for y, s in n.slots.items()}} for n in nodes],
        "rankings": {y: [{"agency": r.agency, "disclosure_rate": r.disclosure_rate, "received": r.received}
                         for r in rows if seen is None or r.agency in seen][:RANKED]
                     for y, rows in d.rankings.items()}})}


@router.get("/agencies")
def agencies(request: Request, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
             user: Principal = need("reports.read")) -> dict:
    store = _store(request)
    seen = visible(store.engine, user, "reports.read")
    rows = [_plain(asdict(a)) for a in store.agencies() if seen is None or a.name in seen]
    return _paged(rows, page, per_page)


@router.get("/reports")
def list_reports(request: Request, agency: str | None = None, year: int | None = None,
                 page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                 user: Principal = need("reports.read")) -> dict:
    store = _store(request)
    seen = visible(store.engine, user, "reports.read")
    infos, total = store.versions_page(agency=agency, year=year, agencies=seen, limit=per_page,
                                       offset=(page - 1) * per_page)
    return {"data": [_info(v) for v in infos], "page": _page_meta(page, per_page, total)}


@router.get("/reports/{version_id}")
def get_report(request: Request, version_id: int, user: Principal = need("reports.read")) -> dict:
    x = loaded_report(request, user, version_id)
    return {"data": {"info": _info(x.info), "report": x.report.to_dict(with_findings=False),
                     "findings": _findings(x), "has_source": x.has_source}}


def _findings(x: views.Loaded) -> list[dict]:
    pg = report_view.build(x.report, x.findings, x.decisions)
    out = []
    for f in pg.findings:
        d = x.findings[f.index].to_dict()
        d.update(index=f.index, severity_zh=f.severity_zh, cell_names=f.cell_names, fingerprint=f.fingerprint,
                 review=None if f.decision is None else _plain(asdict(f.decision)))
        out.append(d)
    return out


@router.get("/reports/{version_id}/findings")
def get_findings(request: Request, version_id: int, page: int = Query(1, ge=1),
                 per_page: int = Query(50, ge=1, le=MAX_PER_PAGE), user: Principal = need("reports.read")) -> dict:
    return _paged(_findings(loaded_report(request, user, version_id)), page, per_page)


@router.post("/reports/{version_id}/findings/{index}/review")
def review(request: Request, version_id: int, index: int, body: dict = Body(...),
           user: Principal = need("reports.review")) -> dict:
    x = loaded_report(request, user, version_id, "reports.review")
    if not 0 <= index < len(x.findings):
        raise HTTPException(404, "没有这条发现")
    try:
        d = reviews.decide(_store(request).engine, x.info.sha256, x.findings[index], str(body.get("decision", "")),
                           str(body.get("reason", "")), user.username)
    except reviews.ReviewError as e:
        raise HTTPException(422, str(e)) from e
    return {"data": _plain(asdict(d))}


@router.get("/reports/{version_id}/scorecard")
def get_scorecard(request: Request, version_id: int, user: Principal = need("reports.read")) -> dict:
    x = loaded_report(request, user, version_id)
    card = scorecard.score(x.report, x.findings, previous=x.previous)
    return {"data": {"total": card.total, "assessed_weight": card.assessed_weight,
                     "points": [dict(asdict(p), score=p.score) for p in card.points]}}


@router.get("/reports/{version_id}/source")
def cell_source(request: Request, version_id: int, cell: str = Query(..., max_length=80),
                user: Principal = need("reports.read")) -> dict:
    """Where a cell was printed: a page image URL (PDF) or the text around it."""
    x = loaded_report(request, user, version_id)
    try:
        c = x.report.cell(cell)
    except (KeyError, ValueError) as e:
        raise HTTPException(404, f"没有单元格 {cell}") from e
    src = c.source.to_dict() if c.source else None
    out: dict[str, Any] = {"cell": cell, "source": src, "image": None, "excerpt": None}
    f = sources.get(_store(request).engine, x.info.sha256) if src else None
    if f is not None:
        if f.media_type == "application/pdf" and src.get("page"):
            out["image"] = f"/reports/{version_id}/page/{int(src['page'])}.png?cell={cell}"
        else:
            try:
                out["excerpt"] = sources.excerpt(sources.reread(f), src)
            except Exception:  # a file that no longer reads: the position alone still helps
                out["excerpt"] = None
    return {"data": out} | out


@router.get("/compare")
def compare(request: Request, a: int, b: int | None = None, user: Principal = need("reports.read")) -> dict:
    loaded_report(request, user, a)
    if b is not None:
        loaded_report(request, user, b)
    try:
        cmp = views.compare_two(_store(request), a, b)
    except views.NotFound as e:
        raise HTTPException(404, str(e)) from e
    return {"data": {"a": _info(cmp.a), "b": _info(cmp.b), "diff": cmp.diff.to_dict(),
                     "indicators": [{"name": n, "a": _plain(x), "b": _plain(y), "change": _plain(d)}
                                    for n, x, y, d in cmp.indicators]}}


def scoped_search(request: Request, user: Principal, q: str, limit: int, offset: int):
    """Search hits within the agencies the user reaches, with each hit's report name."""
    store = _store(request)
    search.ensure_indexed(store.engine, store)
    seen = visible(store.engine, user, "reports.read")
    infos = {v.version_id: v for v in store.versions(latest_only=False)}
    hits, total = search.search(store.engine, q, limit=10_000, offset=0)
    hits = [h for h in hits if h.version_id in infos and (seen is None or infos[h.version_id].agency in seen)]
    names = {h.version_id: f"{infos[h.version_id].agency} {infos[h.version_id].year}" for h in hits}
    return hits[offset:offset + limit], len(hits), names


@router.get("/search")
def search_reports(request: Request, q: str = Query(..., min_length=1, max_length=200), page: int = Query(1, ge=1),
                   per_page: int = Query(20, ge=1, le=MAX_PER_PAGE), user: Principal = need("reports.read")) -> dict:
    hits, total, names = scoped_search(request, user, q, per_page, (page - 1) * per_page)
    return {"data": [dict(asdict(h), report=names[h.version_id]) for h in hits],
            "page": {"page": page, "per_page": per_page, "total": total, "pages": (total + per_page - 1) // per_page}}


async def read_upload(f: UploadFile, limit: int = uploads.MAX_UPLOAD_BYTES) -> bytes:
    """The upload's bytes, reading at most one byte past the limit (a larger file is refused, not held)."""
    buf = bytearray()
    while len(buf) <= limit:
        chunk = await f.read(UPLOAD_CHUNK)
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def upload_one(request: Request, user: Principal, name: str, data: bytes) -> uploads.UploadResult:
    store = _store(request)
    return uploads.ingest_upload(store, name, data, allowed=lambda agency: may(store.engine, user, "reports.upload",
                                                                               agency))


@router.post("/uploads", status_code=201)
async def upload(request: Request, file: UploadFile = File(...), user: Principal = need("reports.upload")) -> dict:
    from starlette.concurrency import run_in_threadpool

    data = await read_upload(file)
    res = await run_in_threadpool(upload_one, request, user, file.filename or "", data)
    return {"data": res.to_dict()}
