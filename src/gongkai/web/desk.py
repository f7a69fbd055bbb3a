"""The register's pages for a disclosure office (依申请公开): the due / overdue / paused lists, the
intake form, a request's page (timeline, deadline as a calendar, the allowed next actions as buttons,
letters), and the year end's 表三/表四.

Paths carry the agency (``/desk/{agency}/…``), so ``require`` checks it against the user's scope like
the JSON API does; personal data is shown only to roles with ``requests.personal``.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..auth.accounts import Principal
from ..requests import duelists, letters, register, vocab, workflow, yearend
from .guard import need
from .render import page

router = APIRouter(include_in_schema=False)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _eng(request: Request):
    return request.app.state.engine


def _role(request: Request, p: Principal, agency: str) -> str | None:
    """The register's masking vocabulary, as the JSON API decides it (``api.requests._viewer``)."""
    from ..api.requests import _viewer

    return _viewer(_eng(request), p, agency)


def _today(request: Request) -> date:
    v = request.query_params.get("today")
    try:
        return date.fromisoformat(v) if v else date.today()
    except ValueError:
        return date.today()


def _here(agency: str) -> str:
    return "/desk/" + quote(agency, safe="")


@router.get("/desk")
def desk_home(request: Request, p: Principal = need("requests.read")):
    return RedirectResponse(_here(p.agency), status_code=303)


PAGE = 50


@router.get("/desk/{agency}", response_class=HTMLResponse)
def lists(request: Request, agency: str, within: int = Query(5, ge=0, le=60), page_no: int = Query(1, ge=1, alias="page"),
          p: Principal = need("requests.read")):
    """The three lists, a page each (counted and paged in SQL: an office with years of requests stays fast)."""
    eng, today = _eng(request), _today(request)
    off = (page_no - 1) * PAGE
    return page(request, "desk/lists.html", title="依申请公开", agency=agency, here=_here(agency), today=today,
                within=within, counts=duelists.counts(eng, agency, today, within), page_no=page_no, per_page=PAGE,
                due=duelists.due_within(eng, agency, within, today, limit=PAGE, offset=off),
                overdue=duelists.overdue(eng, agency, today, limit=PAGE, offset=off),
                paused=duelists.paused(eng, agency, today, limit=PAGE, offset=off),
                can_write=p.has("requests.write"), states=workflow.STATES)


@router.get("/desk/{agency}/new", response_class=HTMLResponse)
def intake_form(request: Request, agency: str, p: Principal = need("requests.write")):
    return page(request, "desk/new.html", title="登记申请", agency=agency, here=_here(agency), error=None, form={},
                channels=vocab.D["channels"], applicant_types=vocab.APPLICANT_TYPES,
                deliveries=vocab.D["delivery_methods"])


@router.post("/desk/{agency}/new")
async def intake(request: Request, agency: str, p: Principal = need("requests.write")):
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        received = date.fromisoformat(form.get("received_on", ""))
        req = register.RequestIn(
            channel=form.get("channel", ""), content=form.get("content", ""), form=form.get("form", "纸质"),
            delivery=form.get("delivery", "邮寄"), received_on=received, submitted_on=received,
            signed_on=received, confirmed_on=received,
            applicant=register.Applicant(**{k: form.get(k, "") for k in
                                            ("type", "name", "id_type", "id_number", "phone", "email", "address")}))
        view = register.intake(_eng(request), agency, req, p.username)
    except (ValueError, register.RegisterError) as e:
        return page(request, "desk/new.html", status_code=422, title="登记申请", agency=agency, here=_here(agency),
                    error=str(e), form=form, channels=vocab.D["channels"], applicant_types=vocab.APPLICANT_TYPES,
                    deliveries=vocab.D["delivery_methods"])
    return RedirectResponse(f"{_here(agency)}/r/{quote(view.number, safe='')}", status_code=303)


def _fields(action: str) -> list[dict]:
    t = workflow.TRANSITIONS[action]
    spec = vocab.D["action_fields"]
    return [{"key": k, "label": spec.get(k, {}).get("label", k), "help": spec.get(k, {}).get("help", "")}
            for k in t.requires]


@router.get("/desk/{agency}/r/{number}", response_class=HTMLResponse)
def show(request: Request, agency: str, number: str, p: Principal = need("requests.read")):
    eng, today = _eng(request), _today(request)
    try:
        view = register.get(eng, agency, number)
        events = register.history(eng, agency, number, _role(request, p, agency))
        deadline = register.explain(eng, agency, number, today)
        made = letters.list_letters(eng, agency, number) if p.has("letters.read") else []
    except register.RegisterError as e:
        raise HTTPException(404, str(e)) from e
    data = view.to_dict(_role(request, p, agency))
    labels = vocab.D["request_fields"]
    shown = [(labels.get(k, k), data.get(k)) for k in labels if k in data and k not in ("allowed_actions",)]
    actions = [{"action": t.action, "label": t.label, "fields": _fields(t.action)}
               for t in workflow.allowed(view.state)] if p.has("requests.write") else []
    kinds = vocab.D["explain_kinds"]
    return page(request, "desk/request.html", title=f"申请 {number}", agency=agency, here=_here(agency), view=view,
                shown=shown, events=events, deadline=deadline, kinds=kinds,
                status_zh=vocab.D["deadline_status"].get(deadline.status, deadline.status), actions=actions,
                letters=made, letter_kinds=_letters_possible(events) if p.has("letters.write") else {},
                letter_kinds_all=letters.LETTER_KINDS, today=today,
                states=workflow.STATES)


def _letters_possible(events) -> dict:
    """The letters this request has an act for (a 登记回执 always; an 延期 notice only after an extension)."""
    done = {e.action for e in events}
    return {k: lk for k, lk in letters.LETTER_KINDS.items()
            if lk.event is None or lk.event in done or (k == "answer" and done & set(letters.CONCLUDING_ACTIONS))}


@router.post("/desk/{agency}/r/{number}/act/{action}")
async def act(request: Request, agency: str, number: str, action: str, p: Principal = need("requests.write")):
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if action not in workflow.TRANSITIONS:
        raise HTTPException(404, "没有这个操作")
    payload = {k: v for k, v in form.items() if k not in ("csrf_token", "on", "version") and v != ""}
    try:
        register.act(_eng(request), agency, number, action, actor=p.username, on=date.fromisoformat(form.get("on", "")),
                     version=int(form.get("version", "0")), payload=payload)
    except (ValueError, register.RegisterError) as e:
        raise HTTPException(409 if isinstance(e, register.ConflictError) else 422, str(e)) from e
    return RedirectResponse(f"{_here(agency)}/r/{quote(number, safe='')}", status_code=303)


@router.post("/desk/{agency}/r/{number}/letters/{kind}")
async def make_letter(request: Request, agency: str, number: str, kind: str, p: Principal = need("letters.write")):
    try:
        letters.render(_eng(request), agency, number, kind, actor=p.username)
    except register.RegisterError as e:
        raise HTTPException(422, str(e)) from e
    return RedirectResponse(f"{_here(agency)}/r/{quote(number, safe='')}#letters", status_code=303)


@router.get("/desk/{agency}/r/{number}/letters/{letter_id}")
def get_letter(request: Request, agency: str, number: str, letter_id: int, p: Principal = need("letters.read")):
    try:
        name, data = letters.letter_content(_eng(request), agency, number, letter_id)
    except register.RegisterError as e:
        raise HTTPException(404, str(e)) from e
    return Response(data, media_type=DOCX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/desk/{agency}/year-end", response_class=HTMLResponse)
def year_end(request: Request, agency: str, year: int | None = None, p: Principal = need("requests.statistics")):
    year = year or _today(request).year
    eng = _eng(request)
    t3 = yearend.table3(eng, agency, year)
    rows = [(yearend.row_label(k), v) for k, v in t3.items()]
    return page(request, "desk/yearend.html", title="年度统计", agency=agency, here=_here(agency), year=year,
                rows=rows, problems=yearend.identities(t3), t4=yearend.table4(eng, agency, year),
                t4_columns=yearend.T4_COLUMNS)
