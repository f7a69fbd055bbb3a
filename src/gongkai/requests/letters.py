"""DOCX letters from editable templates (docxtpl over python-docx); every rendered letter is kept with the request.

Templates are looked up in ``GONGKAI_LETTER_TEMPLATES`` (an office's own, edited copies) and then in the package.
For the 答复告知书, ``answer_<outcome>.docx`` (e.g. ``answer_denied.third_party.docx``) wins over ``answer.docx``,
so an office can word one outcome differently without touching the others.

A letter is dated the day of the act it records (the 登记回执 the day of receipt, the 补正告知书 the day the notice
went out …), not the day it is printed. Every value put into a template is escaped as XML text (an applicant's
``</w:t></w:r></w:p>`` stays text and cannot add a paragraph); line breaks in a value become line breaks.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, Listing
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import RequestEvent, RequestLetter

from . import fees
from .register import NotFound, RegisterError, RequestView, _load, _view
from .vocab import OUTCOMES

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class LetterKind:
    key: str
    title: str
    template: str
    event: str | None    # the action whose details the letter reports (None: the request itself)


LETTER_KINDS: dict[str, LetterKind] = {k.key: k for k in (
    LetterKind("receipt", "登记回执", "receipt", None),
    LetterKind("correction", "补正告知书", "correction", "request_correction"),
    LetterKind("extension", "延期答复告知书", "extension", "extend"),
    LetterKind("consultation", "征求第三方意见函", "consultation", "consult"),
    LetterKind("fee", "收费通知", "fee", "fee_notice"),
    LetterKind("answer", "答复告知书", "answer", "answer"),
)}

# Conclusions without a separate 答复 still need a letter telling the applicant: they use the answer template.
CONCLUDING_ACTIONS = ("answer", "correction_lapsed", "fee_lapsed")


@dataclass(frozen=True)
class StoredLetter:
    id: int
    kind: str
    filename: str
    created_at: datetime
    created_by: str
    size: int


def _template_path(name: str) -> Path:
    dirs = [Path(p) for p in os.environ.get("GONGKAI_LETTER_TEMPLATES", "").split(os.pathsep) if p]
    for d in dirs + [PACKAGE_TEMPLATES]:
        p = d / f"{name}.docx"
        if p.exists():
            return p
    raise RegisterError(f"找不到信函模板 {name}.docx")


def _cn_date(v: Any) -> str:
    d = v if isinstance(v, date) else (date.fromisoformat(v) if v else None)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


# Characters XML 1.0 cannot hold at all (a pasted form feed or NUL would make Word refuse the file).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_value(v: Any) -> Any:
    """A context value as text the template can only print: XML-escaped (jinja's autoescape, or Listing's own
    escape for text with line breaks, which become Word line breaks), invalid characters removed."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    text = _XML_INVALID.sub("", "" if v is None else str(v))
    return Listing(text) if "\n" in text else text


def doc_number(view: RequestView) -> str:
    """文号 of the letter: ``GONGKAI_LETTER_PREFIX`` (the office's own, e.g. 某府信公) or 依申请公开, the request's
    year and its number within the year."""
    prefix = os.environ.get("GONGKAI_LETTER_PREFIX", "").strip() or "依申请公开"
    year, _, seq = view.number.partition("-")
    return f"{prefix}〔{year}〕{int(seq) if seq.isdigit() else seq}号" if seq else f"{prefix}〔{view.number}〕号"


def context(view: RequestView, payload: dict[str, Any], letter_date: date) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "number": view.number, "agency": view.agency, "applicant_name": view.applicant_name,
        "received_date": _cn_date(view.received_date), "channel": view.channel, "content": view.content,
        "receipt_basis": view.receipt_basis, "due_date": _cn_date(view.due_date),
        "letter_date": _cn_date(letter_date), "doc_number": doc_number(view),
    }
    ctx.update({k: v for k, v in payload.items()})
    for k in ("correction_due", "pay_by"):
        if k in ctx:
            ctx[k] = _cn_date(ctx[k])
    if "method" in ctx and ctx["method"] in fees.METHODS:
        ctx["method"] = fees.METHODS[ctx["method"]]
    outcome = payload.get("outcome") or view.outcome
    if outcome:
        o = OUTCOMES[outcome]
        ctx.update(outcome_label=o.label, article=o.article, decision=o.decision)
    ctx.setdefault("remarks", "")
    return {k: safe_value(v) for k, v in ctx.items()}


def render(engine: Engine, agency: str, number: str, kind: str, *, actor: str, letter_date: date | None = None,
           extra: dict[str, Any] | None = None) -> StoredLetter:
    """Render a letter for the request's current data, store it with the request, return its record.

    ``letter_date`` None dates the letter the day of the act it records (receipt for the 登记回执)."""
    if kind not in LETTER_KINDS:
        raise RegisterError(f"未知的信函种类“{kind}”，可选：{'、'.join(f'{k}（{v.title}）' for k, v in LETTER_KINDS.items())}")
    lk = LETTER_KINDS[kind]
    from gongkai.workdays.store import active_calendar

    from .deadlines import consult_reply_due

    with Session(engine) as s:
        row = _load(s, agency, number)
        view = _view(row)
        payload: dict[str, Any] = {}
        act_date = row.received_date
        actions = (lk.event,) if lk.event != "answer" else CONCLUDING_ACTIONS
        if lk.event:
            ev = s.scalar(select(RequestEvent).where(RequestEvent.request_id == row.id,
                                                     RequestEvent.action.in_(actions))
                          .order_by(RequestEvent.id.desc()))
            if ev is None:
                raise RegisterError(f"申请 {number} 尚无“{lk.title}”对应的办理记录，不能出具该信函")
            payload = dict(ev.payload or {})
            act_date = ev.on_date
            if lk.event == "consult":
                cal = active_calendar(engine)
                received = date.fromisoformat(payload.get("received_on") or ev.on_date.isoformat())
                payload["reply_due"] = _cn_date(consult_reply_due(cal, received))
            if ev.action in ("correction_lapsed", "fee_lapsed"):
                payload["outcome"] = row.outcome
        payload.update(extra or {})
        ctx = context(view, payload, letter_date or act_date)
        template = lk.template
        if kind == "answer" and ctx.get("outcome"):
            try:
                _template_path(f"answer_{ctx['outcome']}")
                template = f"answer_{ctx['outcome']}"
            except RegisterError:
                pass
        tpl = DocxTemplate(str(_template_path(template)))
        tpl.render(ctx, autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
        data = buf.getvalue()
        rid = row.id
    filename = f"{number}-{lk.title}.docx"
    with Session(engine) as s, s.begin():
        letter = RequestLetter(request_id=rid, kind=kind, filename=filename, content=data,
                               created_at=datetime.now(), created_by=actor)
        s.add(letter)
        s.flush()
        return StoredLetter(letter.id, kind, filename, letter.created_at, actor, len(data))


def list_letters(engine: Engine, agency: str, number: str) -> list[StoredLetter]:
    with Session(engine) as s:
        row = _load(s, agency, number)
        return [StoredLetter(l.id, l.kind, l.filename, l.created_at, l.created_by, len(l.content))
                for l in s.scalars(select(RequestLetter).where(RequestLetter.request_id == row.id)
                                   .order_by(RequestLetter.id))]


def letter_content(engine: Engine, agency: str, number: str, letter_id: int) -> tuple[str, bytes]:
    with Session(engine) as s:
        row = _load(s, agency, number)
        l = s.get(RequestLetter, letter_id)
        if l is None or l.request_id != row.id:
            raise NotFound(f"申请 {number} 没有编号为 {letter_id} 的信函")
        return l.filename, l.content
