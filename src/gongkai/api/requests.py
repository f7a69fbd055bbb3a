"""JSON API of the request register: a thin adapter over ``gongkai.requests``.

The viewer's role comes from the ``X-Gongkai-Role`` header; only the handling office's roles see personal data.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from gongkai.requests import duelists, importer, letters, register, yearend
from gongkai.requests.calendar_load import load_notice
from gongkai.workdays.notice import NoticeError, parse_notice
from gongkai.workdays.store import active_calendar

router = APIRouter(prefix="/requests", tags=["requests"])
calendar_router = APIRouter(prefix="/calendar", tags=["calendar"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def engine(request: Request) -> Engine:
    return request.app.state.engine


def agency(x_gongkai_agency: str | None = Header(None)) -> str:
    return x_gongkai_agency or "本机关"


def role(x_gongkai_role: str | None = Header(None)) -> str | None:
    return x_gongkai_role


def actor(x_gongkai_user: str | None = Header(None)) -> str:
    return x_gongkai_user or "api"


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


@router.post("", status_code=201)
def intake(body: dict[str, Any] = Body(...), eng: Engine = Depends(engine), ag: str = Depends(agency),
           who: str = Depends(actor), r: str | None = Depends(role)) -> dict[str, Any]:
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
        return register.intake(eng, ag, req, who).to_dict(r)
    except KeyError as exc:
        raise HTTPException(422, f"缺少字段 {exc}") from exc
    except (register.RegisterError, ValueError) as exc:
        raise _err(exc) from exc


@router.get("/due")
def due_list(within: int = 5, today: str | None = None, eng: Engine = Depends(engine),
             ag: str = Depends(agency)) -> list[dict[str, Any]]:
    return [_json(asdict(i)) for i in duelists.due_within(eng, ag, within, _d(today) or date.today())]


@router.get("/overdue")
def overdue_list(today: str | None = None, eng: Engine = Depends(engine), ag: str = Depends(agency)):
    return [_json(asdict(i)) for i in duelists.overdue(eng, ag, _d(today) or date.today())]


@router.get("/paused")
def paused_list(today: str | None = None, eng: Engine = Depends(engine), ag: str = Depends(agency)):
    return [_json(asdict(i)) for i in duelists.paused(eng, ag, _d(today) or date.today())]


@router.get("/export/{kind}")
def export(kind: str, within: int = 5, today: str | None = None, eng: Engine = Depends(engine),
           ag: str = Depends(agency)) -> Response:
    day = _d(today) or date.today()
    lists = {"due": lambda: duelists.due_within(eng, ag, within, day), "overdue": lambda: duelists.overdue(eng, ag, day),
             "paused": lambda: duelists.paused(eng, ag, day)}
    if kind not in lists:
        raise HTTPException(404, "kind 应为 due、overdue 或 paused")
    return Response(duelists.export_xlsx(lists[kind](), kind), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{kind}.xlsx"'})


@router.get("/year-end/table3")
def table3(year: int, eng: Engine = Depends(engine), ag: str = Depends(agency)) -> dict[str, Any]:
    t3 = yearend.table3(eng, ag, year)
    return {"year": year, "agency": ag, "table3": t3, "identity_errors": yearend.identities(t3),
            "late_answers": [_json(asdict(a)) for a in yearend.late_answers(eng, ag, year)]}


@router.get("/year-end/table4")
def table4(year: int, eng: Engine = Depends(engine), ag: str = Depends(agency)) -> dict[str, Any]:
    return {"year": year, "columns": list(yearend.T4_COLUMNS), "table4": yearend.table4(eng, ag, year)}


@router.get("/year-end/candidates")
def candidates(year: int, min_applicants: int = 2, eng: Engine = Depends(engine), ag: str = Depends(agency)):
    return [asdict(c) for c in yearend.proactive_candidates(eng, ag, year, min_applicants)]


@router.post("/cases", status_code=201)
def add_case(body: dict[str, Any] = Body(...), eng: Engine = Depends(engine), ag: str = Depends(agency)):
    try:
        cid = register.register_case(eng, ag, kind=body["kind"], filed_date=date.fromisoformat(body["filed_date"]),
                                     request_number=body.get("request_number"), result=body.get("result", "pending"),
                                     result_date=_d(body.get("result_date")), note=body.get("note", ""))
    except KeyError as exc:
        raise HTTPException(422, f"缺少字段 {exc}") from exc
    except (register.RegisterError, ValueError) as exc:
        raise _err(exc) from exc
    return {"id": cid}


@router.post("/import")
async def import_register(request: Request, eng: Engine = Depends(engine), ag: str = Depends(agency),
                          who: str = Depends(actor)) -> Response:
    """Body: the .xlsx file itself. 200 with the numbers, or 422 with per-row errors (nothing imported)."""
    res = importer.import_register(eng, ag, await request.body(), who)
    if res.errors:
        return JSONResponse({"imported": [], "errors": [asdict(e) for e in res.errors]}, status_code=422)
    return JSONResponse({"imported": res.imported, "errors": []})


@router.get("/{number}")
def show(number: str, eng: Engine = Depends(engine), ag: str = Depends(agency),
         r: str | None = Depends(role)) -> dict[str, Any]:
    try:
        return register.get(eng, ag, number).to_dict(r)
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.get("/{number}/history")
def history(number: str, eng: Engine = Depends(engine), ag: str = Depends(agency), r: str | None = Depends(role)):
    try:
        return [_json(asdict(e)) for e in register.history(eng, ag, number, r)]
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.post("/{number}/actions/{action}")
def act(number: str, action: str, body: dict[str, Any] = Body(...), eng: Engine = Depends(engine),
        ag: str = Depends(agency), who: str = Depends(actor), r: str | None = Depends(role)) -> dict[str, Any]:
    """Body: {"version": N, "on": "YYYY-MM-DD", ...fields the action requires}. 409 when the version is stale."""
    if "version" not in body or "on" not in body:
        raise HTTPException(422, "须提供 version（您看到的版本号）和 on（办理日期）")
    payload = {k: v for k, v in body.items() if k not in ("version", "on")}
    try:
        return register.act(eng, ag, number, action, actor=who, on=date.fromisoformat(body["on"]),
                            version=int(body["version"]), payload=payload).to_dict(r)
    except (register.RegisterError, ValueError) as exc:
        raise _err(exc) from exc


@router.get("/{number}/due")
def due(number: str, today: str | None = None, eng: Engine = Depends(engine), ag: str = Depends(agency)):
    try:
        return _json(asdict(register.explain(eng, ag, number, _d(today) or date.today())))
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.get("/{number}/letters")
def list_letters(number: str, eng: Engine = Depends(engine), ag: str = Depends(agency)):
    try:
        return [_json(asdict(l)) for l in letters.list_letters(eng, ag, number)]
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.post("/{number}/letters/{kind}", status_code=201)
def make_letter(number: str, kind: str, letter_date: str | None = Query(None, alias="date"),
                eng: Engine = Depends(engine), ag: str = Depends(agency), who: str = Depends(actor)):
    try:
        return _json(asdict(letters.render(eng, ag, number, kind, actor=who,
                                           letter_date=_d(letter_date))))
    except register.RegisterError as exc:
        raise _err(exc) from exc


@router.get("/{number}/letters/{letter_id}")
def get_letter(number: str, letter_id: int, eng: Engine = Depends(engine), ag: str = Depends(agency)) -> Response:
    try:
        name, data = letters.letter_content(eng, ag, number, letter_id)
    except register.RegisterError as exc:
        raise _err(exc) from exc
    from urllib.parse import quote

    return Response(data, media_type=DOCX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@calendar_router.get("/{year}")
def calendar_year(year: int, eng: Engine = Depends(engine)) -> dict[str, Any]:
    cal = active_calendar(eng)
    hol, mk = cal.year_days(year)
    return {"year": year, "known": year in cal.years,
            "holidays": {d.isoformat(): n for d, n in sorted(hol.items())},
            "makeup_workdays": {d.isoformat(): n for d, n in sorted(mk.items())}}


@calendar_router.post("/notice")
def calendar_notice(body: dict[str, Any] = Body(...), eng: Engine = Depends(engine),
                    who: str = Depends(actor)) -> dict[str, Any]:
    """Body: {"text": notice text, "year": optional, "confirm": false, "partial": false}. Without confirm only the
    parse is shown; a notice lacking festivals is stored only with partial (see ``load_notice``)."""
    try:
        notice = parse_notice(body["text"], body.get("year"))
    except KeyError as exc:
        raise HTTPException(422, "缺少字段 text") from exc
    except NoticeError as exc:
        raise HTTPException(422, str(exc)) from exc
    out: dict[str, Any] = {"year": notice.year, "summary": notice.summary(), "problems": notice.problems(),
                           "holidays": {d.isoformat(): n for d, n in sorted(notice.holidays.items())},
                           "makeup_workdays": {d.isoformat(): n for d, n in sorted(notice.makeup.items())}}
    if body.get("confirm"):
        try:
            res = load_notice(eng, body["text"], who, notice.year, partial=bool(body.get("partial")))
        except NoticeError as exc:
            raise HTTPException(422, str(exc)) from exc
        out["version"] = res.version
        out["moved"] = [_json(asdict(m)) for m in res.moved]
    return out
