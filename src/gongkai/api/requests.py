"""JSON API of the request register: a thin adapter over ``gongkai.requests``.

The agency is the path's ``{agency}`` (URL-encoded, so a Chinese name round-trips); the caller is the authenticated
user (``gongkai.auth``): their role must hold the route's permission for that agency, the audit trail records their
user name, and applicant personal data is shown only to a role with ``requests.personal`` for the agency (the
handling office itself). Letters, which carry the applicant's full name, likewise need ``letters.read``.
"""
from __future__ import annotations

import zipfile
from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from gongkai.auth import Principal, require
from gongkai.auth.scope import reaches
from gongkai.requests import duelists, importer, letters, register, yearend
from gongkai.requests.calendar_load import load_notice
from gongkai.workdays.notice import NoticeError, parse_notice
from gongkai.workdays.store import active_calendar

from .errors import attachment

router = APIRouter(prefix="/requests/{agency}", tags=["requests"])
calendar_router = APIRouter(prefix="/calendar", tags=["calendar"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def engine(request: Request) -> Engine:
    return request.app.state.engine


def _viewer(eng: Engine, user: Principal, agency: str) -> str | None:
    """The register's masking vocabulary: an office role sees personal data, anything else (None) is masked."""
    return "handler" if reaches(eng, user, "requests.personal", agency) else None


def _err(exc: Exception) -> HTTPException:
    if isinstance(exc, register.NotFound):
        return HTTPException(404, str(exc))
    if isinstance(exc, register.ConflictError):
        return HTTPException(409, str(exc))
    return HTTPException(422, str(exc))


def _d(v: Any) -> date | None:
    return date.fromisoformat(v) if v else None


def _json(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_json(x) for x in v]
    return v.isoformat() if hasattr(v, "isoformat") else v


READ = require("requests.read")
WRITE = require("requests.write")
STATS = require("requests.statistics")


@router.post("", status_code=201)
def intake(agency: str, body: dict[str, Any] = Body(...), eng: Engine = Depends(engine),
           user: Principal = Depends(WRITE)) -> dict[str, Any]:
    """Register a request. Body: channel, applicant {type, name, id_type, id_number, phone, email, address},
    content, form, delivery, attachments, and the receipt date field of the channel (submitted_on, signed_on,
    confirmed_on or received_on)."""
    try:
        a = body.get("applicant") or {}
        req = register.RequestIn(
            channel=body["channel"], content=body.get("content", ""), form=body.get("form", "纸质"),
            delivery=body.get("delivery", "邮寄"), attachments=list(body.get("attachments", [])),
            submitted_on=_d(body.get("submitted_on")), signed_on=_d(body.get("signed_on")),
            confirmed_on=_d(body.get("confirmed_on")), received_on=_d(body.get("received_on")),
            applicant=register.Applicant(**{k: a.get(k, "") for k in
                                            ("type", "name", "id_type", "id_number", "phone", "email", "address")}))
        return register.intake(eng, agency, req, user.username).to_dict(_viewer(eng, user, agency))
    except KeyError as exc:
        raise HTTPException(422, f"缺少字段 {exc}") from exc
    except (register.RegisterError, ValueError, TypeError) as exc:
        raise _err(exc) from exc


# The lists are paged in SQL (``limit``/``offset``; without ``limit`` the whole list, as before).
LIMIT = Query(None, ge=1, le=1000, description="最多返回几件（分页）")
OFFSET = Query(0, ge=0, description="跳过前几件（分页）")


@router.get("/due")
def due_list(agency: str, within: int = 5, today: str | None = None, limit: int | None = LIMIT,
             offset: int = OFFSET, eng: Engine = Depends(engine), _: Principal = Depends(READ)) -> list[dict[str, Any]]:
    return [_json(asdict(i)) for i in duelists.due_within(eng, agency, within, _d(today) or date.today(),
                                                          limit=limit, offset=offset)]


@router.get("/overdue")
def overdue_list(agency: str, today: str | None = None, limit: int | None = LIMIT, offset: int = OFFSET,
                 eng: Engine = Depends(engine), _: Principal = Depends(READ)):
    return [_json(asdict(i)) for i in duelists.overdue(eng, agency, _d(today) or date.today(), limit=limit,
                                                       offset=offset)]


@router.get("/paused")
def paused_list(agency: str, today: str | None = None, limit: int | None = LIMIT, offset: int = OFFSET,
                eng: Engine = Depends(engine), _: Principal = Depends(READ)):
    return [_json(asdict(i)) for i in duelists.paused(eng, agency, _d(today) or date.today(), limit=limit,
                                                      offset=offset)]


@router.get("/export/{kind}")
def export(agency: str, kind: str, within: int = 5, today: str | None = None, eng: Engine = Depends(engine),
           _: Principal = Depends(READ)) -> Response:
    day = _d(today) or date.today()
    lists = {"due": lambda: duelists.due_within(eng, agency, within, day),
             "overdue": lambda: duelists.overdue(eng, agency, day),
             "paused": lambda: duelists.paused(eng, agency, day)}
    if kind not in lists:
        raise HTTPException(404, "kind 应为 due、overdue 或 paused")
    return Response(duelists.export_xlsx(lists[kind](), kind), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{kind}.xlsx"'})


@router.get("/year-end/table3")
def table3(agency: str, year: int, eng: Engine = Depends(engine), _: Principal = Depends(STATS)) -> dict[str, Any]:
    t3 = yearend.table3(eng, agency, year)
    return {"year": year, "agency": agency, "table3": t3, "identity_errors": yearend.identities(t3),
            "late_answers": [_json(asdict(a)) for a in yearend.late_answers(eng, agency, year)]}


@router.get("/year-end/table4")
def table4(agency: str, year: int, eng: Engine = Depends(engine), _: Principal = Depends(STATS)) -> dict[str, Any]:
    return {"year": year, "columns": list(yearend.T4_COLUMNS), "table4": yearend.table4(eng, agency, year)}


@router.get("/year-end/candidates")
def candidates(agency: str, year: int, min_applicants: int = 2, eng: Engine = Depends(engine),
               _: Principal = Depends(STATS)):
    return [asdict(c) for c in yearend.proactive_candidates(eng, agency, year, min_applicants)]


@router.post("/cases", status_code=201)
def add_case(agency: str, body: dict[str, Any] = Body(...), eng: Engine = Depends(engine),
             _: Principal = Depends(WRITE)):
    try:
        cid = register.register_case(eng, agency, kind=body["kind"],
                                     filed_date=date.fromisoformat(body["filed_date"]),
                                     request_number=body.get("request_number"), result=body.get("result", "pending"),
                                     result_date=_d(body.get("result_date")), note=body.get("note", ""))
    except KeyError as exc:
        raise HTTPException(422, f"缺少字段 {exc}") from exc
    except (register.RegisterError, ValueError, TypeError) as exc:
        raise _err(exc) from exc
    return {"id": cid}


@router.post("/import")
async def import_register(agency: str, request: Request, eng: Engine = Depends(engine),
                          user: Principal = Depends(require("requests.import"))) -> Response:
    """Body: the .xlsx file itself. 200 with the numbers, or 422 with per-row errors (nothing imported)."""
    from starlette.concurrency import run_in_threadpool

    try:
        res = await run_in_threadpool(importer.import_register, eng, agency, await request.body(), user.username)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:   # not a workbook at all
        raise HTTPException(422, "请求体不是有效的 Excel（.xlsx）文件") from exc
    if res.errors:
        return JSONResponse({"imported": [], "errors": [asdict(e) for e in res.errors]}, status_code=422)
    return JSONResponse({"imported": res.imported, "errors": []})


@router.get("/{number}")
def show(agency: str, number: str, eng: Engine = Depends(engine), user: Principal = Depends(READ)) -> dict[str, Any]:
    try:
        return register.get(eng, agency, number).to_dict(_viewer(eng, user, agency))
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.get("/{number}/history")
def history(agency: str, number: str, eng: Engine = Depends(engine), user: Principal = Depends(READ)):
    try:
        return [_json(asdict(e)) for e in register.history(eng, agency, number, _viewer(eng, user, agency))]
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.post("/{number}/actions/{action}")
def act(agency: str, number: str, action: str, body: dict[str, Any] = Body(...), eng: Engine = Depends(engine),
        user: Principal = Depends(WRITE)) -> dict[str, Any]:
    """Body: {"version": N, "on": "YYYY-MM-DD", ...fields the action requires}. 409 when the version is stale."""
    if "version" not in body or "on" not in body:
        raise HTTPException(422, "须提供 version（您看到的版本号）和 on（办理日期）")
    payload = {k: v for k, v in body.items() if k not in ("version", "on")}
    try:
        return register.act(eng, agency, number, action, actor=user.username, on=date.fromisoformat(body["on"]),
                            version=int(body["version"]), payload=payload).to_dict(_viewer(eng, user, agency))
    except (register.RegisterError, ValueError, TypeError) as exc:
        raise _err(exc) from exc


@router.get("/{number}/due")
def due(agency: str, number: str, today: str | None = None, eng: Engine = Depends(engine),
        _: Principal = Depends(READ)):
    try:
        return _json(asdict(register.explain(eng, agency, number, _d(today) or date.today())))
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.get("/{number}/letters")
def list_letters(agency: str, number: str, eng: Engine = Depends(engine),
                 _: Principal = Depends(require("letters.read"))):
    try:
        return [_json(asdict(l)) for l in letters.list_letters(eng, agency, number)]
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.post("/{number}/letters/{kind}", status_code=201)
def make_letter(agency: str, number: str, kind: str, letter_date: str | None = Query(None, alias="date"),
                eng: Engine = Depends(engine), user: Principal = Depends(require("letters.write"))):
    try:
        return _json(asdict(letters.render(eng, agency, number, kind, actor=user.username,
                                           letter_date=_d(letter_date))))
    except (register.RegisterError, ValueError) as exc:
        raise _err(exc) from exc


@router.get("/{number}/letters/{letter_id}")
def get_letter(agency: str, number: str, letter_id: int, eng: Engine = Depends(engine),
               _: Principal = Depends(require("letters.read"))) -> Response:
    try:
        name, data = letters.letter_content(eng, agency, number, letter_id)
    except register.RegisterError as exc:
        raise _err(exc) from exc
    return Response(data, media_type=DOCX, headers={"Content-Disposition": attachment(name, "letter.docx")})


@calendar_router.get("/{year}")
def calendar_year(year: int, eng: Engine = Depends(engine),
                  _: Principal = Depends(require("calendar.read"))) -> dict[str, Any]:
    cal = active_calendar(eng)
    hol, mk = cal.year_days(year)
    return {"year": year, "known": year in cal.years,
            "holidays": {d.isoformat(): n for d, n in sorted(hol.items())},
            "makeup_workdays": {d.isoformat(): n for d, n in sorted(mk.items())}}


@calendar_router.post("/notice")
def calendar_notice(body: dict[str, Any] = Body(...), eng: Engine = Depends(engine),
                    user: Principal = Depends(require("calendar.write"))) -> dict[str, Any]:
    """Body: {"text": notice text, "year": optional, "confirm": false, "partial": false}. Without confirm only the
    parse is shown; a notice lacking festivals is stored only with partial (see ``load_notice``).
    Administrators only: the calendar moves every agency's deadlines. A confirmed load is in the security log."""
    if not isinstance(body.get("text"), str):
        raise HTTPException(422, "缺少字段 text")
    try:
        notice = parse_notice(body["text"], body.get("year"))
    except NoticeError as exc:
        raise HTTPException(422, str(exc)) from exc
    out: dict[str, Any] = {"year": notice.year, "summary": notice.summary(), "problems": notice.problems(),
                           "holidays": {d.isoformat(): n for d, n in sorted(notice.holidays.items())},
                           "makeup_workdays": {d.isoformat(): n for d, n in sorted(notice.makeup.items())}}
    if body.get("confirm"):
        try:
            res = load_notice(eng, body["text"], user.username, notice.year, partial=bool(body.get("partial")))
        except NoticeError as exc:
            raise HTTPException(422, str(exc)) from exc
        out["version"] = res.version
        out["moved"] = [_json(asdict(m)) for m in res.moved]
    return out
