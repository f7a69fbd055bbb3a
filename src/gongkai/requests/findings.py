"""Findings on one request: what its history shows was done late, as data (code, severity, message, gloss).

The codes, severities and messages are declared in ``vocab.yaml`` (``findings``). Findings fixed by the history
(an answer, a 补正 notice or an extension after its limit) are derived from the events and stored on the request,
so every view of it (``show``, ``due``, the lists, 表三's year end) reads the same ones; ``overdue`` depends on the
day asked about and is added when a request is looked at.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from gongkai.workdays.calendar import Calendar
from gongkai.workdays.counting import workdays_between

from .deadlines import ClockEvent, clock_state, correction_notice_due, reply_deadline
from .vocab import FINDINGS, SEVERITY_LABELS


@dataclass(frozen=True)
class RequestFinding:
    code: str
    severity: str            # error | warning | info
    message: str             # Chinese, what a person reads
    gloss: str               # English
    days: int | None = None  # working days late
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{SEVERITY_LABELS[self.severity]}：{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RequestFinding":
        return cls(d["code"], d["severity"], d["message"], d["gloss"], d.get("days"), dict(d.get("values") or {}))


def make(code: str, days: int | None = None, **values: Any) -> RequestFinding:
    spec = FINDINGS[code]
    vals = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
    if days is not None:
        vals["days"] = days
    return RequestFinding(code, spec["severity"], spec["message"].format_map(vals), spec["gloss"].format_map(vals),
                          days, vals)


def days_late(cal: Calendar, due: date, on: date) -> int:
    """Working days from the due date to ``on``; a day past the due date is at least the first day late."""
    return max(1, workdays_between(cal, due, on))


# Acts checked against the reply deadline in force when they were done. 延期 and 收费通知 after it are refused
# (``register.GUARDS``); these codes also flag such acts stored before that, and a 征求意见 begun after the deadline,
# which pauses a clock that had already run out.
LATE_CODES = {"answer": "request.answer-late", "extend": "request.extension-late",
              "fee_notice": "request.pause-after-deadline", "consult": "request.pause-after-deadline"}


def history_findings(cal: Calendar, received: date, events: list[ClockEvent]) -> list[RequestFinding]:
    """Findings fixed by the history: each act checked against the limit in force when it was done."""
    out: list[RequestFinding] = []
    for i, ev in enumerate(events):
        before = events[:i]
        if ev.action == "request_correction":
            due = correction_notice_due(cal, clock_state(received, before).start)
            if ev.on > due:
                out.append(make("request.correction-notice-late", days_late(cal, due, ev.on), due=due, on=ev.on))
        elif ev.action in LATE_CODES:
            dl = reply_deadline(cal, received, before)
            if dl.due is not None and ev.on > dl.due:
                out.append(make(LATE_CODES[ev.action], days_late(cal, dl.due, ev.on), due=dl.due, on=ev.on))
    return out


def overdue_finding(cal: Calendar, running: bool, due: date | None, today: date,
                    days_left: int | None = None) -> RequestFinding | None:
    """An open request past its deadline on ``today`` (not stored: it changes every day). ``days_left`` (working
    days from today to the due date, negative when past) saves the count when the caller has it already."""
    if running and due is not None and today > due:
        days = max(1, -days_left) if days_left is not None else days_late(cal, due, today)
        return make("request.overdue", days, due=due, today=today)
    return None


def stored(findings: list[RequestFinding]) -> list[dict[str, Any]] | None:
    """The column form: None when there is nothing to say (lists select the requests that have findings)."""
    return [f.to_dict() for f in findings] or None
