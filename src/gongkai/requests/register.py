"""Intake and actions on the register: the only code that writes requests.

Writes are optimistic: a request is read, the action is checked against the workflow table, and the row is
updated only if its ``version`` is still the one the caller saw (else :class:`ConflictError`). Every write appends
one event (who, when, what, before and after, personal data masked) in the same transaction. Numbers come from a
per-agency, per-year counter bumped by the first statement of the intake transaction, so two clerks can never get
the same number; ``uq_req_requests_agency_number`` backs this up.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import RequestCounter, RequestEvent, RequestRow, ReviewCase
from gongkai.workdays.calendar import Calendar
from gongkai.workdays.store import active_calendar

from . import audit, fees
from . import findings as F
from .deadlines import ClockEvent, Deadline, correction_notice_due, fee_payment_due, reply_deadline, wait_until
from .masking import for_role, mask_name, mask_record
from .receipt import normalise_channel, receipt_date
from .vocab import (APPLICANT_TYPE_BY_LABEL, APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, DELIVERY_VOCAB,
                    FEE_METHODS, OUTCOME_VOCAB, OUTCOMES, VocabError, field_key)
from .vocab import ACTION_FIELDS
from .workflow import MAX_EXTENSION_DAYS, STATES, TRANSITIONS, Clock, Transition, allowed, allowed_text


class RegisterError(ValueError):
    """A request or action the register refuses; the message (Chinese) says why."""


class TransitionError(RegisterError):
    pass


class ConflictError(RegisterError):
    pass


class NotFound(RegisterError):
    pass


NUMBER_RE = re.compile(r"^(\d{4})-(\d{4,})$")
# An office's own numbering (依申〔2026〕12号, GK2026-015, 2026第3号 …): letters, digits and the punctuation such
# numbers use; nothing a spreadsheet or a letter template could take for a formula or markup.
OWN_NUMBER_RE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff〔〕\[\]()（）_\-/.·第号字 ]{0,39}$")
YEAR_IN_NUMBER = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class Applicant:
    type: str                  # a 表三 column key (natural, business, ...) or its Chinese label
    name: str
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class RequestIn:
    channel: str
    applicant: Applicant
    content: str
    form: str = "纸质"
    delivery: str = "邮寄"
    attachments: list[str] = field(default_factory=list)
    submitted_on: date | None = None
    signed_on: date | None = None
    confirmed_on: date | None = None
    received_on: date | None = None
    number: str | None = None   # only when importing an existing register
    # only when importing: what was already done, in order (e.g. the 答复 of an answered request)
    actions: list["PastAction"] = field(default_factory=list)


@dataclass(frozen=True)
class PastAction:
    action: str
    on: date
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class RequestView:
    id: int
    agency: str
    number: str
    channel: str
    received_date: date
    receipt_basis: str
    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    phone: str
    email: str
    address: str
    content: str
    form: str
    delivery: str
    attachments: list[str]
    state: str
    outcome: str | None
    concluded_date: date | None
    due_date: date | None
    due_warning: str | None
    wait_until: date | None
    case_id: int | None
    findings: list[dict[str, Any]] | None
    version: int

    @property
    def state_label(self) -> str:
        return STATES[self.state].label

    def finding_list(self, cal: Calendar | None = None, today: date | None = None) -> list[F.RequestFinding]:
        """Stored findings, plus 已逾期 when ``today`` (with its calendar) is past the deadline of a running clock."""
        out = [F.RequestFinding.from_dict(f) for f in self.findings or []]
        if cal is not None and today is not None:
            od = F.overdue_finding(cal, STATES[self.state].clock is Clock.RUNNING, self.due_date, today)
            if od:
                out.append(od)
        return out

    def to_dict(self, role: str | None = None) -> dict[str, Any]:
        d = asdict(self)
        d["state_label"] = self.state_label
        d["applicant_type_label"] = APPLICANT_TYPES[self.applicant_type]
        d["outcome_label"] = OUTCOMES[self.outcome].label if self.outcome else None
        d["allowed_actions"] = [t.action for t in allowed(self.state)]
        d["allowed_actions_labels"] = [t.label for t in allowed(self.state)]
        d["findings"] = list(self.findings or [])
        for k, v in d.items():
            if isinstance(v, date):
                d[k] = v.isoformat()
        return for_role(d, role)


VIEW_FIELDS = [f for f in RequestView.__dataclass_fields__]


def _view(row: RequestRow) -> RequestView:
    return RequestView(**{f: getattr(row, f) for f in VIEW_FIELDS})


def applicant_type_key(value: str) -> str:
    v = value.strip()
    if v in APPLICANT_TYPES:
        return v
    if v in APPLICANT_TYPE_BY_LABEL:
        return APPLICANT_TYPE_BY_LABEL[v]
    raise RegisterError(f"未知的申请人类型“{value}”，可选：{'、'.join(APPLICANT_TYPES.values())}")


def applicant_key(a: Applicant) -> str:
    """Who counts as 'the same applicant' for the monthly fee count: the ID number, else name and phone."""
    return (a.id_number.strip().upper() or f"{a.name.strip()}|{a.phone.strip()}")[:200]


def _snapshot(row: RequestRow) -> dict[str, Any]:
    d = {f: getattr(row, f) for f in VIEW_FIELDS if f not in ("id", "version")}
    d = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in d.items()}
    return mask_record(d)


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in payload.items()}


def _clock_events(s: Session, request_id: int) -> list[ClockEvent]:
    rows = s.execute(select(RequestEvent.action, RequestEvent.on_date, RequestEvent.payload)
                     .where(RequestEvent.request_id == request_id).order_by(RequestEvent.id))
    return [ClockEvent(a, d, p or {}) for a, d, p in rows]


def _deadline_fields(cal: Calendar, state: str, received: date, events: list[ClockEvent]) -> dict[str, Any]:
    dl = reply_deadline(cal, received, events)
    running = STATES[state].clock is Clock.RUNNING
    return {
        "due_date": dl.due if running else (dl.due if STATES[state].clock is Clock.STOPPED else None),
        "due_warning": "；".join(dl.warnings) or None,
        "wait_until": wait_until(cal, state, events),
        "findings": F.stored(F.history_findings(cal, received, events)),
    }


def _next_seq(s: Session, agency: str, year: int) -> int:
    for _ in range(5):
        seq = s.execute(update(RequestCounter)
                        .where(RequestCounter.agency == agency, RequestCounter.year == year)
                        .values(last_seq=RequestCounter.last_seq + 1)
                        .returning(RequestCounter.last_seq)).scalar()
        if seq is not None:
            return int(seq)
        try:
            with s.begin_nested():
                s.execute(insert(RequestCounter).values(agency=agency, year=year, last_seq=1))
            return 1
        except IntegrityError:
            continue  # another clerk created the counter first: bump it instead
    raise RegisterError("编号分配失败，请重试")


def _bump_to(s: Session, agency: str, year: int, seq: int) -> None:
    """After importing an explicit number, make sure new numbers continue after it."""
    cur = s.execute(update(RequestCounter)
                    .where(RequestCounter.agency == agency, RequestCounter.year == year,
                           RequestCounter.last_seq < seq)
                    .values(last_seq=seq)).rowcount
    if not cur and s.get(RequestCounter, (agency, year)) is None:
        s.add(RequestCounter(agency=agency, year=year, last_seq=seq))
        s.flush()


# Longest text a free-text column takes (String columns take their declared length).
TEXT_MAX_CHARS = 20000
MAX_ATTACHMENTS = 100
_FIELD_LABELS = {"applicant_name": "申请人姓名或名称", "id_type": "证件类型", "id_number": "证件号码", "phone": "电话",
                 "email": "电子邮件", "address": "地址", "content": "申请内容", "form": "获取信息的形式",
                 "delivery": "获取方式"}


def _check_lengths(req: RequestIn) -> None:
    """Every field fits its column (issue 12 item 10): refused with the field's name, never cut or stored whole."""
    a = req.applicant
    values = {"applicant_name": a.name, "id_type": a.id_type, "id_number": a.id_number, "phone": a.phone,
              "email": a.email, "address": a.address, "content": req.content, "form": req.form,
              "delivery": req.delivery}
    cols = RequestRow.__table__.c
    for key, value in values.items():
        if not isinstance(value, str):
            raise RegisterError(f"{_FIELD_LABELS[key]}应为文字")
        limit = getattr(cols[key].type, "length", None) or TEXT_MAX_CHARS
        if len(value) > limit:
            raise RegisterError(f"{_FIELD_LABELS[key]}超过 {limit} 个字符（{len(value)} 个）")
    if len(req.attachments) > MAX_ATTACHMENTS or any(not isinstance(x, str) or len(x) > 500
                                                      for x in req.attachments):
        raise RegisterError(f"附件最多 {MAX_ATTACHMENTS} 项，每项名称不超过 500 个字符")


def validate_intake(req: RequestIn) -> tuple[str, date, str, str]:
    """(channel, date of receipt, basis, applicant type key), or RegisterError."""
    _check_lengths(req)
    channel = normalise_channel(req.channel)
    when, basis = receipt_date(channel, {"submitted_on": req.submitted_on, "signed_on": req.signed_on,
                                         "confirmed_on": req.confirmed_on, "received_on": req.received_on})
    atype = applicant_type_key(req.applicant.type)
    if not req.applicant.name.strip():
        raise RegisterError("申请人姓名或名称不能为空（第二十九条第二款第（一）项）")
    if not (req.applicant.phone or req.applicant.email or req.applicant.address):
        raise RegisterError("须登记申请人的联系方式（电话、电子邮件或地址之一）")
    if not req.content.strip():
        raise RegisterError("申请公开的政府信息内容不能为空（第二十九条第二款第（二）项）")
    if req.number is not None and not OWN_NUMBER_RE.match(req.number):
        raise RegisterError(f"编号“{req.number}”含有不能用于编号的字符，或超过40个字符"
                            f"（可用汉字、字母、数字及〔〕()-_/.第号）")
    return channel, when, basis, atype


def number_parts(number: str, received: date) -> tuple[int, int]:
    """(year, sequence) of a given number: 2026-0001 exactly; an office's own numbering by the year it names
    (else the year of receipt) and its last run of digits after that year (else 0)."""
    m = NUMBER_RE.match(number)
    if m:
        return int(m.group(1)), int(m.group(2))
    y = YEAR_IN_NUMBER.search(number)
    year = int(y.group(1)) if y else received.year
    rest = number[y.end():] if y else number
    digits = re.findall(r"\d+", rest)
    return year, int(digits[-1]) if digits else 0


def _insert_request(s: Session, cal: Calendar, agency: str, req: RequestIn, actor: str,
                    now: datetime) -> RequestRow:
    channel, when, basis, atype = validate_intake(req)
    if req.number is not None:
        year, seq = number_parts(req.number, when)
        number = req.number
        if NUMBER_RE.match(number):   # new numbers continue after the office's last one of the same form
            _bump_to(s, agency, year, seq)
    else:
        year = when.year
        seq = _next_seq(s, agency, year)
        number = f"{year}-{seq:04d}"
    a = req.applicant
    row = RequestRow(
        agency=agency, number=number, year=year, seq=seq, channel=channel, received_date=when,
        receipt_basis=basis, applicant_type=atype, applicant_name=a.name.strip(), applicant_key=applicant_key(a),
        id_type=a.id_type, id_number=a.id_number, phone=a.phone, email=a.email, address=a.address,
        content=req.content, form=req.form, delivery=req.delivery, attachments=list(req.attachments),
        state="registered", outcome=None, concluded_date=None, case_id=None, version=1,
        created_at=now, updated_at=now, **_deadline_fields(cal, "registered", when, []))
    s.add(row)
    s.flush()
    audit.append(s, RequestEvent(request_id=row.id, action="register", actor=actor, at=now, on_date=when,
                                 before_state=None, after_state="registered",
                                 payload={"receipt_basis": basis, "correction_notice_due":
                                          correction_notice_due(cal, when).isoformat()},
                                 before={}, after=_snapshot(row), version=1))
    events: list[ClockEvent] = []
    for past in req.actions:
        events = _apply_past(s, cal, row, past, events, actor, now)
    return row


def _apply_past(s: Session, cal: Calendar, row: RequestRow, past: PastAction, events: list[ClockEvent],
                actor: str, now: datetime) -> list[ClockEvent]:
    """An act done before the register existed (import), checked like any action, written in the same
    transaction as the request itself."""
    t = check_transition(row.state, past.action)
    payload = normalise_payload(t, past.payload)
    last_on = events[-1].on if events else row.received_date
    if past.on < last_on:
        raise RegisterError(f"{row.number}：{t.label}日期 {past.on} 早于上一步的日期 {last_on}")
    if t.guard:
        msg = GUARDS[t.guard](row, events, past.on, payload, cal)
        if msg:
            raise TransitionError(f"{row.number}：不能执行“{t.label}”：{msg}")
    p = _prepare_payload(s, row, t, payload, cal, past.on)
    before = _snapshot(row)
    events = events + [ClockEvent(past.action, past.on, p)]
    new_state = t.target or row.state
    old_state = row.state
    for k, v in _deadline_fields(cal, new_state, row.received_date, events).items():
        setattr(row, k, v)
    row.state = new_state
    if past.action == "answer":
        row.outcome = p["outcome"]
    elif t.outcome:
        row.outcome = t.outcome
    if t.effect.value == "conclude" and row.concluded_date is None:
        row.concluded_date = past.on
    row.version += 1
    s.flush()
    after = _snapshot(row)
    audit.append(s, RequestEvent(request_id=row.id, action=past.action, actor=actor, at=now, on_date=past.on,
                       before_state=old_state, after_state=new_state, payload={**p, "imported": True},
                       before={k: v for k, v in before.items() if after.get(k) != v},
                       after={k: v for k, v in after.items() if before.get(k) != v}, version=row.version))
    return events


def intake(engine: Engine, agency: str, req: RequestIn, actor: str, cal: Calendar | None = None) -> RequestView:
    cal = cal or active_calendar(engine)
    validate_intake(req)
    with Session(engine, expire_on_commit=False) as s:
        with s.begin():
            row = _insert_request(s, cal, agency, req, actor, datetime.now())
        return _view(row)


def intake_many(engine: Engine, agency: str, reqs: list[RequestIn], actor: str,
                cal: Calendar | None = None) -> list[str]:
    """Register several requests in one transaction: all of them or none."""
    cal = cal or active_calendar(engine)
    now = datetime.now()
    with Session(engine) as s, s.begin():
        return [_insert_request(s, cal, agency, r, actor, now).number for r in reqs]


def _load(s: Session, agency: str, number: str) -> RequestRow:
    row = s.scalar(select(RequestRow).where(RequestRow.agency == agency, RequestRow.number == number))
    if row is None:
        raise NotFound(f"未找到申请 {number}（{agency}）")
    return row


def get(engine: Engine, agency: str, number: str) -> RequestView:
    with Session(engine) as s:
        return _view(_load(s, agency, number))


def _as_date(v: Any, what: str) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError as exc:
        raise RegisterError(f"{what}“{v}”不是有效日期（YYYY-MM-DD）") from exc


# Guards: named conditions the workflow table refers to. Each returns an error message or None.
def _guard_not_extended(row, events, on, payload, cal):
    since_reopen = events[max((i for i, e in enumerate(events) if e.action == "reopen"), default=-1) + 1:]
    if any(e.action == "extend" for e in since_reopen):
        return "答复期限只能延长一次（第三十三条第二款）"
    try:
        days = int(payload.get("days", 0))
    except (TypeError, ValueError):
        return f"延长工作日数应为1至{MAX_EXTENSION_DAYS}的整数，收到“{payload.get('days')}”"
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        return f"延长期限最长不得超过{MAX_EXTENSION_DAYS}个工作日（第三十三条第二款），收到 {days}"
    late = _past_deadline(row, events, on, cal)
    if late:
        return (f"延期须在原答复期限内决定并告知申请人（第三十三条第二款），原答复期限为 {late[0]}，"
                f"{on} 已逾期{late[1]}个工作日；请尽快答复，逾期答复将记为逾期")
    return None


def _past_deadline(row, events, on, cal) -> tuple[date, int] | None:
    """(reply deadline, working days late) when ``on`` is after the deadline in force, else None."""
    due = reply_deadline(cal, row.received_date, events).due
    return (due, F.days_late(cal, due, on)) if due is not None and on > due else None


def _guard_within_reply_period(row, events, on, payload, cal):
    late = _past_deadline(row, events, on, cal)
    if late:
        return (f"收费通知应在答复期限内发出（国办函〔2020〕109号），答复期限为 {late[0]}，{on} 已逾期"
                f"{late[1]}个工作日；逾期后发出收费通知会使已逾期的申请暂停计时")
    return None


def _guard_before_any_pause(row, events, on, payload, cal):
    if any(e.action in ("consult", "fee_notice", "extend") for e in events):
        return "补正告知应在收到申请后一次性提出，已征求意见、收费或延期的申请不能再要求补正"
    return None


def _guard_after_correction_due(row, events, on, payload, cal):
    last = next(e for e in reversed(events) if e.action == "request_correction")
    due = _as_date(last.payload["correction_due"], "补正期限")
    if on <= due:
        return f"补正期限为 {due}，期限届满前不能按逾期未补正处理"
    return None


def _guard_after_fee_due(row, events, on, payload, cal):
    last = next(e for e in reversed(events) if e.action == "fee_notice")
    due = fee_payment_due(cal, _as_date(last.payload.get("received_on") or last.on, "收费通知送达日期"))
    if on <= due:
        return f"缴费期限为 {due}（收到通知次日起20个工作日），期限届满前不能按逾期未缴费处理"
    return None


def _guard_tracking_if_post(row, events, on, payload, cal):
    if payload.get("method") == "邮寄" and not payload.get("tracking_no"):
        return "邮寄送达须登记邮件号（国办公开办函〔2016〕235号：以交邮之日起算，须经邮政企业寄送）"
    return None


GUARDS = {
    "not_extended": _guard_not_extended,
    "within_reply_period": _guard_within_reply_period,
    "before_any_pause": _guard_before_any_pause,
    "after_correction_due": _guard_after_correction_due,
    "after_fee_due": _guard_after_fee_due,
    "tracking_if_post": _guard_tracking_if_post,
}
assert all(t.guard in GUARDS for t in TRANSITIONS.values() if t.guard)
assert all(k in ACTION_FIELDS for t in TRANSITIONS.values() for k in t.requires), "every required field needs a label"


def check_transition(state: str, action: str) -> Transition:
    t = TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(f"未知的操作“{action}”。{allowed_text(state)}")
    if state not in t.sources:
        raise TransitionError(f"当前状态“{STATES[state].label}”下不能执行“{t.label}”（{action}）。{allowed_text(state)}")
    return t


def _month_position(s: Session, row: RequestRow) -> int:
    start = row.received_date.replace(day=1)
    before = s.scalar(select(func.count()).select_from(RequestRow).where(
        RequestRow.agency == row.agency, RequestRow.applicant_key == row.applicant_key,
        RequestRow.received_date >= start,
        or_(RequestRow.received_date < row.received_date,
            and_(RequestRow.received_date == row.received_date, RequestRow.id < row.id))))
    return int(before or 0) + 1


def _prepare_payload(s: Session, row: RequestRow, t: Transition, payload: dict[str, Any],
                     cal: Calendar, on: date) -> dict[str, Any]:
    p = dict(payload)
    if t.action == "request_correction":
        p["correction_due"] = _as_date(p["correction_due"], "补正期限").isoformat()
        notice_due = correction_notice_due(cal, row.received_date)
        if on > notice_due:
            p["late_notice"] = f"补正告知应于 {notice_due} 前发出（收到申请后7个工作日内，第三十条），本次已逾期"
    if t.action == "extend":
        p["days"] = int(p["days"])
    if t.action == "fee_notice":
        quote = fees.quote(p["method"], month_position=_month_position(s, row), units=int(p.get("units", 1)),
                           pages=int(p.get("pages", 0)))
        if quote.amount <= 0:
            # 第四十二条: information is provided free; a fee notice exists only for an amount due under 109号
            raise RegisterError(f"依{quote.basis}，应缴金额为0元，不属于收费情形，不能发出收费通知"
                                f"（第四十二条：行政机关依申请提供政府信息，不收取费用；"
                                f"国办函〔2020〕109号第四条、第五条的免费部分不收费）")
        p["amount"], p["basis"] = quote.amount, quote.basis
        received = _as_date(p.get("received_on") or on, "通知送达日期")
        p["pay_by"] = fee_payment_due(cal, received).isoformat()
    if t.action == "reopen":
        case = s.get(ReviewCase, int(p["case_id"]))
        if case is None or case.agency != row.agency:
            raise RegisterError(f"未找到表四案件 {p['case_id']}，请先登记复议/诉讼案件")
        if case.request_id not in (None, row.id):
            raise RegisterError(f"表四案件 {case.id} 关联的是另一件申请")
        p["case_id"] = case.id
    return _jsonable(p)


# Action fields whose value is an official name: (action, field) -> vocabulary.
VALUE_VOCABS = {("answer", "outcome"): OUTCOME_VOCAB, ("fee_notice", "method"): FEE_METHODS,
                ("deliver", "method"): DELIVERY_VOCAB}


def normalise_payload(t: Transition, payload: dict[str, Any]) -> dict[str, Any]:
    """Field names given in Chinese (补正期限=…) become their keys, official names (按件计收, 予以公开) their keys;
    a missing required field is refused with the whole list of what the action needs."""
    p = {field_key(str(k)): v for k, v in payload.items()}
    missing = [k for k in t.requires if p.get(k) in (None, "")]
    if missing:
        raise RegisterError(f"“{t.label}”须填写：{required_text(t)}；未填：{'、'.join(_field_names(missing, t.action))}")
    for (action, key), vocab in VALUE_VOCABS.items():
        if action == t.action and p.get(key) not in (None, ""):
            try:
                p[key] = vocab.resolve(p[key])
            except VocabError as exc:
                raise RegisterError(str(exc)) from exc
    return p


def _field_names(keys: Any, action: str) -> list[str]:
    from .vocab import action_field

    return [f"{action_field(k, action)['label']}（{k}）" for k in keys]


def required_text(t: Transition) -> str:
    """The fields an action needs, as a person reads them: 补正事项（items）、补正期限（correction_due）."""
    return "、".join(_field_names(t.requires, t.action)) if t.requires else "无"


def _raise_if_stale(s: Session, request_id: int, number: str, seen: int) -> None:
    """A check failed on data another clerk committed after we read the row: report the conflict."""
    current = s.scalar(select(RequestRow.version).where(RequestRow.id == request_id))
    if current != seen:
        raise ConflictError(f"申请 {number} 已被他人修改（当前版本 {current}，您看到的是版本 {seen}），请重新打开后再操作")


def act(engine: Engine, agency: str, number: str, action: str, *, actor: str, on: date,
        version: int | None = None, payload: dict[str, Any] | None = None,
        cal: Calendar | None = None) -> RequestView:
    """Apply one workflow action; ``version`` is the version the caller saw (None = as read now)."""
    cal = cal or active_calendar(engine)
    payload = payload or {}
    # Read outside the write transaction: the write then starts with the version-checked UPDATE, which on
    # SQLite takes the write lock at once instead of failing to upgrade a stale read snapshot.
    with Session(engine) as s:
        row = _load(s, agency, number)
        seen = row.version if version is None else version
        if seen != row.version:
            raise ConflictError(f"申请 {number} 已被他人修改（当前版本 {row.version}，您看到的是版本 {seen}），"
                                f"请重新打开后再操作")
        t = check_transition(row.state, action)
        payload = normalise_payload(t, payload)
        events = _clock_events(s, row.id)
        last_on = events[-1].on if events else row.received_date
        if on < last_on:
            _raise_if_stale(s, row.id, number, seen)
            raise RegisterError(f"操作日期 {on} 早于上一步的日期 {last_on}")
        if t.guard:
            msg = GUARDS[t.guard](row, events, on, payload, cal)
            if msg:
                # The row and its events are two reads: a clerk who committed in between makes the guard
                # fail on the newer events. That is a conflict with the other clerk, not a refused action.
                _raise_if_stale(s, row.id, number, seen)
                raise TransitionError(f"不能执行“{t.label}”：{msg}。{allowed_text(row.state)}")
        p = _prepare_payload(s, row, t, payload, cal, on)
        before = _snapshot(row)
        new_state = t.target or row.state
        new_events = events + [ClockEvent(action, on, p)]
        changes: dict[str, Any] = {"state": new_state, **_deadline_fields(cal, new_state, row.received_date,
                                                                           new_events)}
        if action == "answer":
            changes["outcome"] = p["outcome"]
        elif t.outcome:
            changes["outcome"] = t.outcome
        if t.effect.value == "conclude" and row.concluded_date is None:
            changes["concluded_date"] = on
        if action == "reopen":
            changes["case_id"] = p["case_id"]
        request_id, old_state = row.id, row.state
        for k, v in changes.items():
            setattr(row, k, v)
        after = _snapshot(row)
        s.expunge_all()
    now = datetime.now()
    with Session(engine, expire_on_commit=False) as s:
        with s.begin():
            n = s.execute(update(RequestRow)
                          .where(RequestRow.id == request_id, RequestRow.version == seen)
                          .values(**changes, version=seen + 1, updated_at=now)).rowcount
            if n != 1:
                cur = s.scalar(select(RequestRow.version).where(RequestRow.id == request_id))
                raise ConflictError(f"申请 {number} 已被他人修改（当前版本 {cur}，您看到的是版本 {seen}），"
                                    f"请重新打开后再操作")
            if action == "reopen":
                # The case was free when read; another request may have taken it since. Only a row actually
                # linked (or already ours) lets the reopening stand; otherwise this transaction rolls back.
                linked = s.execute(update(ReviewCase)
                                   .where(ReviewCase.id == p["case_id"],
                                          or_(ReviewCase.request_id.is_(None), ReviewCase.request_id == request_id))
                                   .values(request_id=request_id)).rowcount
                if linked != 1:
                    raise ConflictError(f"表四案件 {p['case_id']} 已关联另一件申请，申请 {number} 未重新办理")
            audit.append(s, RequestEvent(request_id=request_id, action=action, actor=actor, at=now, on_date=on,
                                         before_state=old_state, after_state=new_state, payload=p,
                                         before={k: v for k, v in before.items() if after.get(k) != v},
                                         after={k: v for k, v in after.items() if before.get(k) != v},
                                         version=seen + 1))
        return _view(s.get(RequestRow, request_id))


@dataclass(frozen=True)
class EventView:
    action: str
    label: str
    actor: str
    at: datetime
    on_date: date
    before_state: str | None
    after_state: str
    payload: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    version: int


def history(engine: Engine, agency: str, number: str, role: str | None = None) -> list[EventView]:
    """The audit trail; the names of third parties are masked too for roles outside the handling office."""
    with Session(engine) as s:
        row = _load(s, agency, number)
        out = []
        for e in s.scalars(select(RequestEvent).where(RequestEvent.request_id == row.id).order_by(RequestEvent.id)):
            payload = dict(e.payload or {})
            if role not in ("handler", "office_head"):
                payload = {k: (mask_name(v) if k == "party" and isinstance(v, str) else v)
                           for k, v in mask_record(payload).items()}
            label = "登记" if e.action == "register" else TRANSITIONS[e.action].label
            out.append(EventView(e.action, label, e.actor, e.at, e.on_date, e.before_state, e.after_state,
                                 payload, e.before, e.after, e.version))
        return out


def explain(engine: Engine, agency: str, number: str, today: date | None = None,
            cal: Calendar | None = None) -> Deadline:
    cal = cal or active_calendar(engine)
    with Session(engine) as s:
        row = _load(s, agency, number)
        return reply_deadline(cal, row.received_date, _clock_events(s, row.id), today)


@dataclass(frozen=True)
class Moved:
    number: str
    old: date | None
    new: date | None
    warning: str | None


def recompute_open(engine: Engine, cal: Calendar | None = None) -> list[Moved]:
    """Recompute the deadlines of every open request (after a calendar load); returns those that moved.

    The version is not bumped: the request itself did not change, only the calendar it is counted on.
    """
    cal = cal or active_calendar(engine)
    open_states = [k for k, st in STATES.items() if st.open]
    moved: list[Moved] = []
    with Session(engine) as s, s.begin():
        for row in s.scalars(select(RequestRow).where(RequestRow.state.in_(open_states))):
            f = _deadline_fields(cal, row.state, row.received_date, _clock_events(s, row.id))
            if (f["due_date"], f["wait_until"], f["due_warning"]) != (row.due_date, row.wait_until, row.due_warning):
                if f["due_date"] != row.due_date or f["wait_until"] != row.wait_until:
                    moved.append(Moved(row.number, row.due_date, f["due_date"], f["due_warning"]))
                s.execute(update(RequestRow).where(RequestRow.id == row.id).values(**f))
    return moved


def register_case(engine: Engine, agency: str, *, kind: str, filed_date: date, request_number: str | None = None,
                  result: str = "pending", result_date: date | None = None, note: str = "") -> int:
    """Register a 表四 case (复议 or 诉讼) about a disclosure decision; returns its id."""
    try:
        kind, result = CASE_KINDS.resolve(kind), CASE_RESULTS.resolve(result)
    except VocabError as exc:
        raise RegisterError(str(exc)) from exc
    _check_case_result(result, result_date, filed_date)
    with Session(engine) as s, s.begin():
        rid = _load(s, agency, request_number).id if request_number else None
        c = ReviewCase(agency=agency, request_id=rid, kind=kind, filed_date=filed_date, result=result,
                       result_date=result_date, note=note, created_at=datetime.now())
        s.add(c)
        s.flush()
        return c.id


def _check_case_result(result: str, result_date: date | None, filed_date: date) -> None:
    if result != "pending" and result_date is None:
        raise RegisterError(f"案件结果为“{CASE_RESULTS.labels[result]}”时须填写审结日期（--result-date）")
    if result_date is not None and result_date < filed_date:
        raise RegisterError(f"审结日期 {result_date} 早于立案/申请日期 {filed_date}")


def set_case_result(engine: Engine, agency: str, case_id: int, result: str, result_date: date | None,
                    note: str | None = None) -> "CaseView":
    """Record a case's result (维持、纠正、其他 or back to 尚未审结); 表四 counts it in the year it was filed."""
    try:
        result = CASE_RESULTS.resolve(result)
    except VocabError as exc:
        raise RegisterError(str(exc)) from exc
    with Session(engine) as s, s.begin():
        case = s.get(ReviewCase, case_id)
        if case is None or case.agency != agency:
            raise NotFound(f"未找到表四案件 {case_id}（{agency}）")
        _check_case_result(result, result_date, case.filed_date)
        case.result, case.result_date = result, (result_date if result != "pending" else None)
        if note is not None:
            case.note = note
        s.flush()
        return _case_view(s, case)


@dataclass(frozen=True)
class CaseView:
    id: int
    kind: str
    kind_label: str
    filed_date: date
    result: str
    result_label: str
    result_date: date | None
    request_number: str | None
    note: str


def _case_view(s: Session, c: ReviewCase) -> CaseView:
    number = s.scalar(select(RequestRow.number).where(RequestRow.id == c.request_id)) if c.request_id else None
    return CaseView(c.id, c.kind, CASE_KINDS.labels[c.kind], c.filed_date, c.result, CASE_RESULTS.labels[c.result],
                    c.result_date, number, c.note)


def list_cases(engine: Engine, agency: str, year: int | None = None, pending_only: bool = False) -> list[CaseView]:
    """表四 cases of the agency (filed in ``year`` when given), oldest first."""
    with Session(engine) as s:
        q = select(ReviewCase).where(ReviewCase.agency == agency)
        if year is not None:
            q = q.where(ReviewCase.filed_date >= date(year, 1, 1), ReviewCase.filed_date <= date(year, 12, 31))
        if pending_only:
            q = q.where(ReviewCase.result == "pending")
        return [_case_view(s, c) for c in s.scalars(q.order_by(ReviewCase.filed_date, ReviewCase.id))]


def agencies(engine: Engine) -> list[str]:
    """The agencies the register holds requests or cases for."""
    with Session(engine) as s:
        names = set(s.scalars(select(RequestRow.agency).distinct())) | set(
            s.scalars(select(ReviewCase.agency).distinct()))
    return sorted(names)


def default_agency(engine: Engine, given: str | None) -> str:
    """The agency to work on when none is named: the only one the register holds, else refused with the list."""
    if given:
        return given
    held = agencies(engine)
    if len(held) == 1:
        return held[0]
    if not held:
        return "本机关"
    raise RegisterError(f"登记簿中有{len(held)}个机关的申请，请用 --agency 或 GONGKAI_AGENCY 指定：{'、'.join(held)}")

