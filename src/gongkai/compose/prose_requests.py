"""The requests paragraph of 一、总体情况, from 表三 (and last year's 表三 for the change).

本年度新收政府信息公开申请21件，较上年增长16.7%，上年结转2件。共办结23件，其中，予以公开10件，
占43.5%；部分公开3件，占13.0%；……结转下年度继续办理0件。

Shares are of （七）总计 as printed, one decimal, half up: the figures an office would compute by hand
and that gongkai's prose check recomputes.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Number, Report
from .prose_common import Claim, Prompt, fmt_number, group_total, number_at, phrases, share

SECTION = "overview"
YOY_KEY = "t3.new_received.total"


@dataclass(frozen=True)
class Change:
    """This year's new requests against last year's: direction and percent (one decimal, half up)."""

    direction: str              # "up", "down", "same", "from_zero"
    percent: Decimal | None     # None for "same" and "from_zero"


def year_change(current: Number, previous: Number) -> Change:
    if current == previous:
        return Change("same", None)
    if previous == 0:
        return Change("from_zero", None)  # no percentage of nothing
    pct = share(abs(current - previous), previous)
    return Change("up" if current > previous else "down", pct)


def _change_phrase(change: Change) -> str:
    p = phrases()["requests"]
    if change.direction == "same":
        return p["yoy_same"]
    if change.direction == "from_zero":
        return p["yoy_from_zero"]
    if change.percent == 0:
        return p["yoy_about_same"]  # 0.04 % would print as 增长0.0%
    return p["yoy_" + change.direction].format(pct=change.percent)


def requests_paragraph(report: Report, last_year: Report | None) -> tuple[str, list[Claim], list[Prompt]]:
    """The paragraph, what it claims, and prompts for figures the table does not give as numbers."""
    p = phrases()["requests"]
    claims: list[Claim] = []
    prompts: list[Prompt] = []
    received = number_at(report, "t3.new_received.total")
    carried = number_at(report, "t3.carried_over.total")
    answered = number_at(report, "t3.total.total")
    forward = number_at(report, "t3.carried_forward.total")

    first: list[str] = []
    if received is None:
        prompts.append(_not_number("t3.new_received.total", "本年新收政府信息公开申请数量", "requests received"))
    elif received == 0 and carried in (0, None):
        first.append(p["none_received"])
        claims.append(Claim(SECTION, "received", 0, ("t3.new_received.total",)))
    else:
        if received == 0:
            first.append(p["none_new_received"])
            claims.append(Claim(SECTION, "received", 0, ("t3.new_received.total",)))
        else:
            first.append(p["received"].format(n=fmt_number(received)))
            claims.append(Claim(SECTION, "received", received, ("t3.new_received.total",)))
        previous = number_at(last_year, YOY_KEY) if last_year is not None else None
        if previous is not None:
            first.append(_change_phrase(year_change(received, previous)))
    if carried is None:
        prompts.append(_not_number("t3.carried_over.total", "上年结转政府信息公开申请数量", "carried over"))
    elif carried == 0:
        first.append(p["no_carried_over"])
    else:
        first.append(p["carried_over"].format(n=fmt_number(carried)))
        claims.append(Claim(SECTION, "carried_over", carried, ("t3.carried_over.total",)))
    sentences = ["，".join(first)] if first else []

    if answered is None:
        prompts.append(_not_number("t3.total.total", "（七）总计", "requests answered"))
    elif answered == 0:
        if received or carried:
            sentences.append(p["none_answered"])
    else:
        claims.append(Claim(SECTION, "answered", answered, ("t3.total.total",)))
        outcomes, outcome_claims, outcome_prompts = _outcomes(report, answered)
        claims += outcome_claims
        prompts += outcome_prompts
        text = p["answered"].format(n=fmt_number(answered))
        sentences.append(text + ("，" + p["outcomes_intro"] + "；".join(outcomes) if outcomes else ""))

    if forward is None:
        prompts.append(_not_number("t3.carried_forward.total", "结转下年度继续办理", "carried forward"))
    elif forward == 0:
        if received or carried:
            sentences.append(p["no_carried_forward"])
    else:
        sentences.append(p["carried_forward"].format(n=fmt_number(forward)))
        claims.append(Claim(SECTION, "carried_forward", forward, ("t3.carried_forward.total",)))
    return "".join(s + "。" for s in sentences), claims, prompts


def _outcomes(report: Report, base: Number) -> tuple[list[str], list[Claim], list[Prompt]]:
    p = phrases()["requests"]
    parts: list[str] = []
    claims: list[Claim] = []
    prompts: list[Prompt] = []
    for g in p["groups"]:
        n, cells = group_total(report, g["key"])
        if n is None:
            prompts.append(Prompt(
                SECTION, "compose.outcome-not-number",
                f"表三“{g['label']}”未填数字（空白、“/”或文字），正文未写该项，请核实表格。",
                f"表三 {g['key']} holds no number: the overview leaves it out"))
            continue
        if n == 0:
            parts.append(p["outcome"].format(label=g["label"], n=0))
            claims.append(Claim(SECTION, g["key"], 0, cells))
            continue
        pct = share(n, base)
        parts.append(p["outcome_share"].format(label=g["label"], n=fmt_number(n), pct=pct))
        claims.append(Claim(SECTION, g["key"], n, cells, pct))
    return parts, claims, prompts


def _not_number(key: str, label: str, en: str) -> Prompt:
    return Prompt(SECTION, "compose.request-figure-not-number",
                  f"表三“{label}”总计未填数字（空白、“/”或文字），正文未写该数，请核实表格。",
                  f"{key} ({en}) holds no number: the overview leaves it out")


def requests_section(report: Report) -> str:
    """三、收到和处理政府信息公开申请情况: the table carries the figures; one sentence points at it."""
    return phrases()["requests"]["section"]
