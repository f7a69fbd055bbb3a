"""Account policy (password length, session lifetime, login limits), read from ``policy.yaml``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).resolve().parent / "policy.yaml"


@dataclass(frozen=True)
class Policy:
    password_min_length: int
    cookie: str
    idle_minutes: int
    absolute_hours: int
    same_site: str
    window_minutes: int
    per_user: int
    per_ip: int
    token_default_days: int


@lru_cache(maxsize=1)
def policy() -> Policy:
    d = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    s, lim = d["session"], d["login_limits"]
    return Policy(d["password_min_length"], s["cookie"], s["idle_minutes"], s["absolute_hours"], s["same_site"],
                  lim["window_minutes"], lim["per_user"], lim["per_ip"], d["token_default_days"])
