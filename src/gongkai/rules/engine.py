"""The rule engine: each rule is a declared function over a Report that yields findings.

A rule is registered with ``@rule(code, ...)``; its severity, scope, description and messages
live in catalog.yaml under the same code. ``run_rules`` runs every rule and never raises on bad
data: a rule that cannot apply (a missing table) simply yields nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .. import lazy
from ..findings import Finding
from ..model import Report
from .catalog import CATALOG, RuleInfo

RuleFn = Callable[[Report], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    fn: RuleFn


RULES: list[Rule] = []


def rule(code: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if code not in CATALOG:
            raise KeyError(f"rule {code} is not declared in catalog.yaml")
        RULES.append(Rule(CATALOG[code], fn))
        return fn
    return register


def run_rules(report: Report, extra: Iterable[Callable[[Report], Iterable[Finding]]] = ()) -> list[Finding]:
    """All findings of all rules, in rule order."""
    lazy.module("gongkai.rules.arithmetic")  # its import registers the rules; not above: it imports this module
    out: list[Finding] = []
    for r in RULES:
        out.extend(r.fn(report))
    for fn in extra:
        out.extend(fn(report))
    return out
