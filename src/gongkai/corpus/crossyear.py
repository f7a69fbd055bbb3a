"""Checks across reports: one agency over consecutive years, and a parent against its children.

Each check returns ``Finding`` objects attached to the later (or the parent's) report:

* ``cross-year.carry-over`` (warning): this year's 上年结转 must equal last year's 结转下年度, column by
  column. Both sides are printed by the same agency, so a difference is a real break in its books.
* ``cross-year.stock-flow`` (info, never more): 现行有效 last year + 本年制发 − 本年废止 should give this
  year's 现行有效 in 表二, but documents expire and are re-counted in clean-ups, so a gap is only worth
  knowing.
* ``cross-year.jump`` (info): a key count that grew or shrank by a factor of three or more.
* ``cross-year.parent-children`` (warning/info): a parent whose report says it covers the whole area
  (全区, 全县 …) should count at least what its children report; children's sums above the parent's
  number are a warning, otherwise an info notes how much of the parent's number the stored children
  explain (only the children in the corpus are known, so equality is never required).

Blank is not 0: a comparison needs numbers on both sides; blank against a non-zero number is reported,
blank against 0 or blank is not.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from .compare import Placed
from ..findings import Finding, Severity
from ..formats import T3_COLUMNS, load_format
from ..model import Cell, Kind, Number, Report

CARRY = "cross-year.carry-over"
STOCK = "cross-year.stock-flow"
JUMP = "cross-year.jump"
PARENT = "cross-year.parent-children"
YEARS = "cross-year.not-consecutive"

# A factor of three either way, on counts where at least one year has 10 or more: small counts
# (1 → 4 requests) move by large factors without meaning anything.
JUMP_FACTOR = 3
JUMP_MIN = 10

# Key counts followed from year to year (both formats use these keys).
JUMP_KEYS: dict[str, str] = {
    "t3.new_received.total": "本年新收政府信息公开申请数量",
    "t3.total.total": "办理结果总计",
    "t4.review.total": "行政复议总计",
    "t4.litigation_direct.total": "行政诉讼（未经复议直接起诉）总计",
    "t4.litigation_after_review.total": "行政诉讼（复议后起诉）总计",
    "t2.normative_documents.made": "行政规范性文件本年制发（新制作）件数",
    "t2.licensing.decisions": "行政许可处理决定数量",
    "t2.penalty.decisions": "行政处罚处理决定数量",
    "t2.coercion.decisions": "行政强制处理决定数量",
}
PARENT_KEYS = ("t3.new_received.total", "t3.total.total", "t4.review.total", "t4.litigation_direct.total",
               "t4.litigation_after_review.total")

# Words by which a report says it speaks for a whole area rather than for one office.
COVERAGE = re.compile(r"全(?:区|县|市|省|州|旗|盟|镇|乡|街道)|各(?:部门|单位|乡镇|街道)|汇总")


def needed_cells() -> list[str]:
    """Every cell key the checks below read (with the title and sections): loading these instead of whole
    reports is enough for them (``export_corpus.page_cross``)."""
    t3 = [f"t3.{row}.{c}" for row in ("carried_forward", "carried_over") for c in T3_COLUMNS]
    t2 = [f"t2.{row}.{c}" for row in ("regulations", "normative_documents") for c in ("in_force", "made", "repealed")]
    return sorted({*t3, *t2, *JUMP_KEYS, *PARENT_KEYS})


@dataclass(frozen=True)
class CorpusFinding:
    """A finding about the report of ``agency`` for ``year``."""

    agency: str
    year: int
    finding: Finding


def check_corpus(entries: Iterable[Placed]) -> list[CorpusFinding]:
    """Every cross-report finding for the given reports (one entry per agency and year)."""
    entries = list(entries)
    by_agency: dict[str, dict[int, Placed]] = defaultdict(dict)
    for e in entries:
        by_agency[e.agency][e.year] = e
    out: list[CorpusFinding] = []
    for agency, years in sorted(by_agency.items()):
        for year in sorted(years):
            last = years.get(year - 1)
            if last is None:
                continue
            out.extend(CorpusFinding(agency, year, f) for f in consecutive_years(last, years[year]))
    children: dict[tuple[str, int], list[Placed]] = defaultdict(list)
    for e in entries:
        if e.parent:
            children[(e.parent, e.year)].append(e)
    for (parent, year), kids in sorted(children.items()):
        p = by_agency.get(parent, {}).get(year)
        if p is not None:
            out.extend(CorpusFinding(parent, year, f) for f in parent_children(p, kids))
    return out


def consecutive_years(last: Placed, this: Placed) -> list[Finding]:
    """Every check of one agency's report against its previous year's: the corpus (``gongkai report``) and the
    composer (``compose build --last-year/--store``) both run exactly these."""
    return [*carry_over(last, this), *stock_flow(last, this), *jumps(last, this)]


def report_pair(last: Report, this: Report) -> list[Finding]:
    """``consecutive_years`` for two reports on their own (the composer's figures and last year's report)."""
    agency = this.agency or last.agency or ""
    if last.year is None or this.year is None or last.year != this.year - 1:
        return [Finding(
            YEARS, Severity.WARNING,
            f"作为上年报告给出的是{last.year or '年度不明'}的报告，本年为{this.year or '年度不明'}：不是相邻年度，"
            f"未核对上年结转等跨年关系",
            f"the previous report is for {last.year}, this one for {this.year}: not consecutive years, "
            f"cross-year checks not made", numbers={"last_year": last.year, "this_year": this.year})]
    return consecutive_years(Placed(agency, last.year or 0, last), Placed(agency, this.year or 0, this))


# ---- the checks ----------------------------------------------------------------------------------
def carry_over(last: Placed, this: Placed) -> list[Finding]:
    labels = {c.key: c.label for c in load_format(this.report.format).table3.columns}
    out = []
    for col in T3_COLUMNS:
        before = _cell(last.report, f"t3.carried_forward.{col}")
        now = _cell(this.report, f"t3.carried_over.{col}")
        differs = _differs(before, now)
        if differs is None or not differs:
            continue
        out.append(Finding(
            CARRY, Severity.WARNING,
            f"{this.year}年表三“上年结转”（{labels[col]}）为{_show(now)}，与{last.year}年报告“结转下年度继续办理”"
            f"（{labels[col]}）{_show(before)}不一致",
            f"carried over into {this.year} ({col}) is {_show_en(now)} but the {last.year} report carried forward "
            f"{_show_en(before)}",
            cells=[f"t3.carried_over.{col}"],
            numbers={"this_year": this.year, "carried_over": _json(now), "last_year": last.year,
                     "last_carried_forward": _json(before),
                     "other": {"agency": last.agency, "year": last.year, "cell": f"t3.carried_forward.{col}"}},
        ))
    return out


def stock_flow(last: Placed, this: Placed) -> list[Finding]:
    # Only the 2021 format prints 现行有效; the 2019 format's 对外公开总数量 counts something else.
    if last.report.format != "2021" or this.report.format != "2021":
        return []
    out = []
    for row, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        before = _number(last.report, f"t2.{row}.in_force")
        made = _number(this.report, f"t2.{row}.made")
        repealed = _number(this.report, f"t2.{row}.repealed")
        now = _number(this.report, f"t2.{row}.in_force")
        if None in (before, made, repealed, now):
            continue
        expected = before + made - repealed
        if expected == now:
            continue
        out.append(Finding(
            STOCK, Severity.INFO,
            f"表二{label}：{last.year}年现行有效{before}件 + {this.year}年制发{made}件 − 废止{repealed}件 = {expected}件，"
            f"报告现行有效{now}件（相差{now - expected:+}件；清理、失效等可致差异，仅供参考）",
            f"{label} stock: {before} in force last year + {made} made − {repealed} repealed = {expected}, "
            f"report says {now} ({now - expected:+}); for information",
            cells=[f"t2.{row}.made", f"t2.{row}.repealed", f"t2.{row}.in_force"],
            numbers={"last_in_force": _plain(before), "made": _plain(made), "repealed": _plain(repealed),
                     "expected": _plain(expected), "in_force": _plain(now), "difference": _plain(now - expected),
                     "other": {"agency": last.agency, "year": last.year, "cell": f"t2.{row}.in_force"}},
        ))
    return out


def jumps(last: Placed, this: Placed) -> list[Finding]:
    out = []
    for key, label in JUMP_KEYS.items():
        before, now = _number(last.report, key), _number(this.report, key)
        if before is None or now is None or max(before, now) < JUMP_MIN:
            continue
        if before == 0:
            ratio = None
        else:
            ratio = Decimal(now) / Decimal(before)
            if 1 / Decimal(JUMP_FACTOR) < ratio < JUMP_FACTOR:
                continue
        shown = "由0增加" if ratio is None else f"为上年的{_ratio(ratio)}倍"
        out.append(Finding(
            JUMP, Severity.INFO,
            f"{label}：{last.year}年{before}，{this.year}年{now}，{shown}",
            f"{key}: {before} in {last.year}, {now} in {this.year}"
            + (" (from zero)" if ratio is None else f" (×{_ratio(ratio)})"),
            cells=[key],
            numbers={"last": _plain(before), "this": _plain(now), "ratio": None if ratio is None else float(_ratio(ratio)),
                     "other": {"agency": last.agency, "year": last.year, "cell": key}},
        ))
    return out


def claims_coverage(report: Report, place: str | None = None) -> bool:
    """Whether the report says it speaks for a whole area (全区共收到…, 各部门…), or its title names
    the place rather than the organ (平潭综合实验区2024年度…报告 from 平潭综合实验区管委会)."""
    text = " ".join([report.title or "", *report.sections.values()])
    if COVERAGE.search(text):
        return True
    if place and report.title:
        head = re.split(r"(?:19|20)\d{2}", report.title.replace(" ", ""), maxsplit=1)[0]
        return head == place
    return False


def parent_children(parent: Placed, children: list[Placed], place: str | None = None) -> list[Finding]:
    if not children or not claims_coverage(parent.report, place or _place_of(parent.agency)):
        return []
    names = sorted(c.agency for c in children)
    out = []
    explained = {}
    for key in PARENT_KEYS:
        total = _number(parent.report, key)
        kids = [(c.agency, _number(c.report, key)) for c in children]
        known = [(a, v) for a, v in kids if v is not None]
        if total is None or not known:
            continue
        s = sum(v for _, v in known)
        explained[key] = {"parent": _plain(total), "children": _plain(s)}
        if s > total:
            out.append(Finding(
                PARENT, Severity.WARNING,
                f"{parent.agency}{parent.year}年报告覆盖全域，但所属{len(known)}个部门报告的{JUMP_KEYS[key]}合计{s}，"
                f"超过其本身的{total}",
                f"the parent's report covers its area but its {len(known)} stored children report {s} for {key}, "
                f"more than the parent's {total}",
                cells=[key],
                numbers={"parent": _plain(total), "children_sum": _plain(s),
                         "children": {a: _plain(v) for a, v in known}},
            ))
    if not out and explained:
        key = "t3.new_received.total" if "t3.new_received.total" in explained else next(iter(explained))
        e = explained[key]
        out.append(Finding(
            PARENT, Severity.INFO,
            f"{parent.agency}{parent.year}年报告覆盖全域；已入库的{len(names)}个所属部门（{'、'.join(names)}）"
            f"{JUMP_KEYS[key]}合计{e['children']}，本身为{e['parent']}，未超出",
            f"{len(names)} stored children together report {e['children']} for {key}; the parent reports "
            f"{e['parent']}: consistent",
            cells=[key], numbers={"children": names, "sums": explained},
        ))
    return out


# ---- helpers ---------------------------------------------------------------------------------------
def _place_of(agency: str) -> str | None:
    from .agencies import default_rules

    return default_rules().place(agency)


def _cell(report: Report, key: str) -> Cell:
    try:
        return report.cell(key)
    except (KeyError, ValueError, StopIteration):
        return Cell.missing()


def _number(report: Report, key: str) -> Number | None:
    return _cell(report, key).number_or_none()


def _differs(a: Cell, b: Cell) -> bool | None:
    """True/False when the two cells can be compared; None when they cannot (missing, text)."""
    if a.is_number and b.is_number:
        return a.value != b.value
    pair = {a.kind, b.kind}
    if pair <= {Kind.NUMBER, Kind.BLANK} and Kind.BLANK in pair:
        number = a.value if a.is_number else b.value
        return None if number is None else number != 0
    return None


def _show(c: Cell) -> str:
    return str(c.value) if c.is_number else "空白"


def _show_en(c: Cell) -> str:
    return str(c.value) if c.is_number else "blank"


def _json(c: Cell) -> object:
    return _plain(c.value) if c.is_number else None


def _plain(v: Number | None) -> int | float | None:
    if v is None:
        return None
    return v if isinstance(v, int) else (int(v) if v == int(v) else float(v))


def _ratio(r: Decimal) -> Decimal:
    return r.quantize(Decimal("0.01"))
