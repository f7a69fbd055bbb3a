"""The year's 工作要点 in the pages: import the notice (text, DOCX or PDF, read by gongkai's own readers), see
every task with its 责任部门 and status, update a task, and draft section 六 from the tracked tasks — the same
``gongkai.workplan`` functions as ``gongkai workplan import|status|update|draft-section6``."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from ..auth.accounts import Principal
from ..workplan import (TaskStatus, TaskUpdate, WorkPlanError, apply_update, draft_for_report, import_workplan,
                        parse_date, summarize)
from ..workplan.db_storage import DbWorkPlanRepository, plans_of
from .guard import need
from .render import page

router = APIRouter(include_in_schema=False)
MAX_NOTICE_BYTES = 10 * 1024 * 1024
NOTICE_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


def _here(agency: str) -> str:
    return "/plans/" + quote(agency, safe="")


@router.get("/plans")
def plans_home(request: Request, p: Principal = need("workplan.read")):
    return RedirectResponse(_here(p.agency), status_code=303)


@router.get("/plans/{agency}", response_class=HTMLResponse)
def plans(request: Request, agency: str, p: Principal = need("workplan.read")):
    return page(request, "plans/list.html", title="工作要点", agency=agency, here=_here(agency),
                plans=plans_of(request.app.state.engine, agency), can_write=p.has("workplan.write"), error=None)


@router.post("/plans/{agency}")
async def import_plan(request: Request, agency: str, file: UploadFile = File(...), p: Principal = need("workplan.write")):
    data = await file.read(MAX_NOTICE_BYTES + 1)
    name = Path((file.filename or "notice.txt").replace("\\", "/")).name[:200]
    suffix = Path(name).suffix.lower()
    error = None
    if len(data) > MAX_NOTICE_BYTES:
        error = f"文件过大（上限 {MAX_NOTICE_BYTES // 1048576} MB）"
    elif suffix not in NOTICE_SUFFIXES:
        error = f"请上传工作要点通知的文本、Word（.docx）或 PDF 文件（{'、'.join(NOTICE_SUFFIXES)}）"
    else:
        try:
            with tempfile.TemporaryDirectory(prefix="gongkai-plan-") as d:
                path = Path(d) / ("notice" + suffix)
                path.write_bytes(data)
                plan = import_workplan(path)
            plan.source = name                 # the uploaded name, not the server's temporary copy
            if not plan.year:
                raise WorkPlanError("通知中没有找到年度（如“2026年政务公开工作要点”），无法归入某一年")
            DbWorkPlanRepository(request.app.state.engine, agency, plan.year, p.username).save(plan)
        except WorkPlanError as e:
            error = str(e).replace(str(path), name) if "path" in locals() else str(e)
    if error:
        return page(request, "plans/list.html", status_code=422, title="工作要点", agency=agency, here=_here(agency),
                    plans=plans_of(request.app.state.engine, agency), can_write=True, error=error)
    return RedirectResponse(f"{_here(agency)}/{plan.year}", status_code=303)


def _plan(request: Request, agency: str, year: int, actor: str = "web"):
    repo = DbWorkPlanRepository(request.app.state.engine, agency, year, actor)
    try:
        return repo, repo.load()
    except WorkPlanError as e:
        raise HTTPException(404, str(e)) from e


@router.get("/plans/{agency}/{year}", response_class=HTMLResponse)
def plan_page(request: Request, agency: str, year: int, p: Principal = need("workplan.read")):
    _, plan = _plan(request, agency, year)
    as_of = min(date.today(), date(year, 12, 31))
    return page(request, "plans/plan.html", title=plan.title, agency=agency, here=_here(agency), year=year,
                plan=plan, progress=summarize(plan, as_of), as_of=as_of, statuses=[s.value for s in TaskStatus],
                can_write=p.has("workplan.write"), draft=draft_for_report(plan, year, agency))


@router.post("/plans/{agency}/{year}/tasks/{path}")
def update_task(request: Request, agency: str, year: int, path: str, status: str = Form(""), owner: str = Form(""),
                due: str = Form(""), notes: str = Form(""), p: Principal = need("workplan.write")):
    repo, plan = _plan(request, agency, year, p.username)
    try:
        upd = TaskUpdate(owner=owner or None, status=TaskStatus(status) if status else None,
                         due=parse_date(due) if due else None, notes=notes or None)
        apply_update(plan, path, upd)
    except (WorkPlanError, ValueError) as e:
        raise HTTPException(422, str(e)) from e
    repo.save(plan)
    return RedirectResponse(f"{_here(agency)}/{year}#task-{quote(path, safe='')}", status_code=303)
