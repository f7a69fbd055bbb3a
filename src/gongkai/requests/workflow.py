"""The statutory workflow as one table: states, and the transitions allowed between them.

Everything the register does to a request is one of ``TRANSITIONS``; ``register.act`` looks the action up here,
refuses it (listing what *is* allowed) when the request is not in a source state or a guard fails, and checks the
required fields. Clock effects (restart, pause, extension) are also declared here and read by ``deadlines``.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Clock(str, Enum):
    RUNNING = "running"      # the 20 working days are being counted
    WAITING = "waiting"      # 补正: stopped; it restarts from the day the correction arrives
    PAUSED = "paused"        # 征求意见 / 收费: the time is not counted, counting resumes afterwards
    STOPPED = "stopped"      # decided, withdrawn or closed


@dataclass(frozen=True)
class State:
    key: str
    label: str
    clock: Clock
    open: bool              # still awaiting a decision (counts as 结转 at a year end)


STATES: dict[str, State] = {s.key: s for s in (
    State("registered", "已登记（办理中）", Clock.RUNNING, True),
    State("correction", "待补正", Clock.WAITING, True),
    State("consulting", "征求意见中", Clock.PAUSED, True),
    State("fee_pending", "待缴费", Clock.PAUSED, True),
    State("answered", "已答复", Clock.STOPPED, False),
    State("delivered", "已送达", Clock.STOPPED, False),
    State("closed", "已办结", Clock.STOPPED, False),
    State("archived", "已归档", Clock.STOPPED, False),
    State("withdrawn", "已撤回", Clock.STOPPED, False),
)}


class Effect(str, Enum):
    NONE = "none"
    RESTART = "restart"          # 第三十条: the reply period runs again from this date
    PAUSE = "pause"              # 第三十三条第三款 / 109号: time from here is not counted
    RESUME = "resume"
    EXTEND = "extend"            # 第三十三条第二款: at most 20 working days, once
    CONCLUDE = "conclude"        # the 表三 outcome is fixed on this date


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None           # None keeps the current state (e.g. 延期 while handling)
    requires: tuple[str, ...] = ()
    guard: str | None = None     # a name in ``guards.GUARDS``
    effect: Effect = Effect.NONE
    outcome: str | None = None   # fixed 表三 row for conclusions that are not an 答复 choice
    pause_kind: str | None = None


OPEN = ("registered", "correction", "consulting", "fee_pending")
DECIDED = ("answered", "delivered", "closed", "archived")

TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("request_correction", "补正告知", ("registered",), "correction",
               requires=("items", "correction_due"), guard="before_any_pause"),
    Transition("receive_correction", "收到补正", ("correction",), "registered", effect=Effect.RESTART),
    Transition("correction_lapsed", "逾期未补正，不再处理", ("correction",), "closed",
               guard="after_correction_due", effect=Effect.CONCLUDE, outcome="other.no_correction"),
    Transition("consult", "征求第三方/其他机关意见", ("registered",), "consulting",
               requires=("party",), effect=Effect.PAUSE, pause_kind="consult"),
    Transition("consult_done", "意见返回（或期满未答复）", ("consulting",), "registered",
               requires=("opinion",), effect=Effect.RESUME),
    Transition("extend", "延期答复", ("registered",), None,
               requires=("approver", "reason", "days"), guard="not_extended", effect=Effect.EXTEND),
    Transition("fee_notice", "收费通知", ("registered",), "fee_pending",
               requires=("method",), effect=Effect.PAUSE, pause_kind="fee"),
    Transition("fee_paid", "已缴费", ("fee_pending",), "registered", effect=Effect.RESUME),
    Transition("fee_lapsed", "逾期未缴费，不再处理", ("fee_pending",), "closed",
               guard="after_fee_due", effect=Effect.CONCLUDE, outcome="other.no_fee"),
    Transition("answer", "答复", ("registered",), "answered", requires=("outcome",), effect=Effect.CONCLUDE),
    Transition("deliver", "送达", ("answered",), "delivered", requires=("method",), guard="tracking_if_post"),
    Transition("close", "办结", ("delivered",), "closed"),
    Transition("archive", "归档", ("closed", "withdrawn"), "archived"),
    Transition("withdraw", "申请人撤回", OPEN, "withdrawn", effect=Effect.CONCLUDE, outcome="other.other"),
    Transition("reopen", "依复议/诉讼决定重新办理", DECIDED, "registered",
               requires=("case_id",), effect=Effect.RESTART),
)}

# Pauses and why their time is not counted.
PAUSE_KINDS = {
    "consult": "征求第三方或其他机关意见，所需时间不计算在答复期限内（第三十三条第三款）",
    "fee": "收费通知发出至缴费期间，不计算在答复期限内（国办函〔2020〕109号）",
}

MAX_EXTENSION_DAYS = 20
BASE_REPLY_DAYS = 20          # 第三十三条第二款
CORRECTION_NOTICE_DAYS = 7    # 第三十条: 补正告知 within 7 working days of receipt
CONSULT_REPLY_DAYS = 15       # 第三十二条、第三十四条
FEE_PAYMENT_DAYS = 20         # 109号: 20 working days from the day after the notice is received

assert all(t.target is None or t.target in STATES for t in TRANSITIONS.values())
assert all(s in STATES for t in TRANSITIONS.values() for s in t.sources)


def allowed(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def allowed_text(state: str) -> str:
    acts = allowed(state)
    if not acts:
        return f"当前状态“{STATES[state].label}”下没有可执行的操作"
    return f"当前状态“{STATES[state].label}”下允许的操作：" + "、".join(f"{t.action}（{t.label}）" for t in acts)
