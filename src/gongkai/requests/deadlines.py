"""The reply deadline (第三十三条) from a request's history, with a day-by-day explanation.

Conventions, each chosen to match how the 条例 counts:
- counting starts the day after the starting day (receipt, corrected receipt, or a reopening decision);
- a pause (征求意见, 收费) leaves out the days after the day it starts up to and including the day it ends
  (the letter goes out on day *b*, the answer comes in on day *e*: days b+1 … e are not counted);
- 补正 does not pause: the period starts again from the day the corrected request arrives (第三十条);
- an extension adds its working days after the 20th counted day, at most once and at most 20 days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from gongkai.workdays.calendar import KIND_LABEL, Calendar, DayKind
from gongkai.workdays.counting import add_workdays, unknown_year_warning

from .workflow import (BASE_REPLY_DAYS, CONSULT_REPLY_DAYS, CORRECTION_NOTICE_DAYS, FEE_PAYMENT_DAYS,
                       PAUSE_KINDS, TRANSITIONS, Effect)


@dataclass(frozen=True)
class ClockEvent:
    action: str
    on: date
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Pause:
    kind: str
    begin: date
    end: date | None


@dataclass(frozen=True)
class ExplainLine:
    day: date
    kind: str       # received | restarted | counted | makeup | extended | holiday | weekend | paused | unknown
    count: int | None
    text: str


@dataclass
class Deadline:
    status: str                 # running | waiting | paused | stopped
    start: date
    limit: int
    due: date | None
    counted: int                # working days used up to today / the pause
    lines: list[ExplainLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    waiting_for: str = ""


@dataclass
class ClockState:
    received: date
    start: date
    start_reason: str = "收到申请"
    restarts: list[tuple[date, str]] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    extension: int = 0
    waiting_since: date | None = None
    concluded: date | None = None


def clock_state(received: date, events: list[ClockEvent]) -> ClockState:
    st = ClockState(received=received, start=received)
    for ev in events:
        t = TRANSITIONS.get(ev.action)
        if t is None:
            continue
        if ev.action == "request_correction":
            st.waiting_since = ev.on
        elif t.effect is Effect.RESTART:
            reason = "收到补正材料，答复期限重新起算" if ev.action == "receive_correction" \
                else "依复议/诉讼决定重新办理，重新起算"
            st.restarts.append((ev.on, reason))
            st.start, st.start_reason = ev.on, reason
            st.pauses, st.waiting_since, st.concluded = [], None, None
            if ev.action == "reopen":
                st.extension = 0
        elif t.effect is Effect.PAUSE:
            st.pauses.append(Pause(t.pause_kind or "", ev.on, None))
        elif t.effect is Effect.RESUME and st.pauses and st.pauses[-1].end is None:
            p = st.pauses[-1]
            st.pauses[-1] = Pause(p.kind, p.begin, ev.on)
        elif t.effect is Effect.EXTEND:
            st.extension = int(ev.payload.get("days", 0))
        elif t.effect is Effect.CONCLUDE and st.concluded is None:
            st.concluded = ev.on
    return st


def _line(cal: Calendar, step_day: date, kind: str, count: int | None, note: str) -> ExplainLine:
    if kind == "paused":
        return ExplainLine(step_day, "paused", None, f"暂停：{note}")
    if count is not None:
        if count > BASE_REPLY_DAYS:
            return ExplainLine(step_day, "extended", count, f"延期第{count - BASE_REPLY_DAYS}日（累计第{count}日）")
        if kind == DayKind.MAKEUP.value:
            return ExplainLine(step_day, "makeup", count, f"调休上班（{note}），计第{count}日")
        if kind == DayKind.UNKNOWN_WORKDAY.value:
            return ExplainLine(step_day, "unknown", count,
                               f"计第{count}日（{step_day.year}年国务院通知未载入，调休未知，按工作日计）")
        return ExplainLine(step_day, "counted", count, f"计第{count}日")
    if kind == DayKind.HOLIDAY.value:
        return ExplainLine(step_day, "holiday", None, f"节假日（{note}），不计")
    if kind == DayKind.UNKNOWN_WEEKEND.value:
        return ExplainLine(step_day, "unknown", None, f"周末，不计（{step_day.year}年国务院通知未载入，调休未知）")
    if kind == DayKind.STATUTORY.value:
        return ExplainLine(step_day, "statutory", None,
                           f"法定节假日（{note}，《全国年节及纪念日放假办法》），不计；调休待国务院通知")
    return ExplainLine(step_day, "weekend", None, f"{KIND_LABEL[DayKind(kind)]}，不计")


def reply_deadline(cal: Calendar, received: date, events: list[ClockEvent], today: date | None = None) -> Deadline:
    st = clock_state(received, events)
    limit = BASE_REPLY_DAYS + st.extension
    head = [ExplainLine(received, "received", 0, "收到申请（当日不计，次日起算）")]
    head += [ExplainLine(d, "restarted", 0, r) for d, r in st.restarts]
    if st.waiting_since is not None:
        return Deadline("waiting", st.start, limit, None, 0,
                        head + [ExplainLine(st.waiting_since, "paused", None, "已发补正告知，待申请人补正；收到补正后重新起算")],
                        waiting_for="补正")
    open_pause = next((p for p in st.pauses if p.end is None), None)

    def skip(day: date) -> str | None:
        for p in st.pauses:
            if p.begin < day and (p.end is None or day <= p.end):
                return PAUSE_KINDS[p.kind]
        return None

    if open_pause is not None:
        # the clock is stopped: explain up to the pause and report what is left
        lines, counted, day = list(head), 0, st.start
        warnings: set[int] = set()
        while day < open_pause.begin:
            day += timedelta(days=1)
            reason = skip(day)
            kind = cal.kind(day)
            if not cal.knows(day):
                warnings.add(day.year)
            if reason is None and cal.is_workday(day):
                counted += 1
                lines.append(_line(cal, day, kind.value, counted, cal.holiday_name(day) or ""))
            else:
                lines.append(_line(cal, day, "paused" if reason else kind.value, None,
                                   reason or cal.holiday_name(day) or ""))
        lines.append(ExplainLine(open_pause.begin, "paused", None,
                                 f"自次日起暂停：{PAUSE_KINDS[open_pause.kind]}；已用{counted}日，尚余{limit - counted}日"))
        return Deadline("paused", st.start, limit, None, counted, lines,
                        [unknown_year_warning(y) for y in sorted(warnings)],
                        waiting_for=open_pause.kind)
    count = add_workdays(cal, st.start, limit, skip)
    lines = head + [_line(cal, s.day, s.kind, s.counted, s.note) for s in count.steps]
    if st.extension:
        lines.append(ExplainLine(count.due, "extended", limit, f"已延期{st.extension}个工作日"))
    used = limit
    if today is not None:
        used = sum(1 for s in count.steps if s.counted is not None and s.day <= today)
    status = "stopped" if st.concluded else "running"
    return Deadline(status, st.start, limit, count.due, used, lines, count.warnings)


def correction_notice_due(cal: Calendar, received: date) -> date:
    """第三十条: the 补正 notice must go out within 7 working days of receipt."""
    return add_workdays(cal, received, CORRECTION_NOTICE_DAYS).due


def consult_reply_due(cal: Calendar, sent_or_received: date) -> date:
    """第三十二条: the third party has 15 working days from receiving the letter."""
    return add_workdays(cal, sent_or_received, CONSULT_REPLY_DAYS).due


def fee_payment_due(cal: Calendar, notice_received: date) -> date:
    """109号: 20 working days from the day after the applicant receives the fee notice."""
    return add_workdays(cal, notice_received, FEE_PAYMENT_DAYS).due


def wait_until(cal: Calendar, state: str, events: list[ClockEvent]) -> date | None:
    """The date the request is waiting for in a paused state (补正期限, 意见期限, 缴费期限)."""
    last = {ev.action: ev for ev in events}
    if state == "correction" and "request_correction" in last:
        return _as_date(last["request_correction"].payload["correction_due"])
    if state == "consulting" and "consult" in last:
        ev = last["consult"]
        return consult_reply_due(cal, _as_date(ev.payload.get("received_on") or ev.on))
    if state == "fee_pending" and "fee_notice" in last:
        ev = last["fee_notice"]
        return fee_payment_due(cal, _as_date(ev.payload.get("received_on") or ev.on))
    return None


def _as_date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))
