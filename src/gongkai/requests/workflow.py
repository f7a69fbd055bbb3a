"""The statutory workflow as one table (``workflow.yaml``): states, and the transitions allowed between them.

Everything the register does to a request is one of ``TRANSITIONS``; ``register.act`` looks the action up here,
refuses it (listing what *is* allowed) when the request is not in a source state or a guard fails, and checks the
required fields. Clock effects (restart, pause, extension) are also declared here and read by ``deadlines``.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml


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
    optional: tuple[str, ...] = ()   # fields it takes besides the required ones


def _load() -> dict:
    return yaml.safe_load((Path(__file__).resolve().parent / "workflow.yaml").read_text(encoding="utf-8"))


_W = _load()
STATES: dict[str, State] = {k: State(k, v["label"], Clock(v["clock"]), bool(v["open"]))
                            for k, v in _W["states"].items()}
TRANSITIONS: dict[str, Transition] = {
    k: Transition(k, v["label"], tuple(v["from"]), v.get("to"), requires=tuple(v.get("requires") or ()),
                  guard=v.get("guard"), effect=Effect(v.get("effect", "none")), outcome=v.get("outcome"),
                  pause_kind=v.get("pause_kind"), optional=tuple(v.get("optional") or ()))
    for k, v in _W["transitions"].items()}
OPEN = tuple(k for k, st in STATES.items() if st.open)
DECIDED = tuple(TRANSITIONS["reopen"].sources)

PAUSE_KINDS: dict[str, str] = dict(_W["pause_kinds"])

_L = _W["limits"]
MAX_EXTENSION_DAYS: int = _L["max_extension_days"]
BASE_REPLY_DAYS: int = _L["base_reply_days"]
CORRECTION_NOTICE_DAYS: int = _L["correction_notice_days"]
CONSULT_REPLY_DAYS: int = _L["consult_reply_days"]
FEE_PAYMENT_DAYS: int = _L["fee_payment_days"]

assert all(t.target is None or t.target in STATES for t in TRANSITIONS.values())
assert all(s in STATES for t in TRANSITIONS.values() for s in t.sources)
assert all(t.pause_kind in PAUSE_KINDS for t in TRANSITIONS.values() if t.effect is Effect.PAUSE)


def allowed(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def allowed_text(state: str) -> str:
    acts = allowed(state)
    if not acts:
        return f"当前状态“{STATES[state].label}”下没有可执行的操作"
    return f"当前状态“{STATES[state].label}”下允许的操作：" + "、".join(f"{t.label}（{t.action}）" for t in acts)
