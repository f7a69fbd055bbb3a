"""Prose against tables: every number the prose states about a table cell is compared with it.

``prose_findings(report)`` is a pure function of the Report. A statement whose scope is the
report's own (我局…, no scope word, 全区 in the district government's report) and whose wording is
unambiguous gives a warning when it contradicts the table; any other statement only a note (info).
Where prose and table agree there is no finding. 受理 N件 equal to 新收 + 上年结转 is a way of
counting, not a contradiction: a note says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..findings import Finding, Severity
from ..model import Report
from .statements import Statement, extract_statements
from .vocab import KINDS

Number = int | Decimal


@dataclass(frozen=True)
class Reading:
    """One way of reading a statement against the tables: the cells whose sum it should equal."""

    label: str                 # Chinese, for the message
    cells: tuple[str, ...]     # cell keys; ``*`` in a row stands for every sub-row of a group
    pooled: bool = False       # cells are alternatives of one group (（六） as one row or as sub-rows)
    note_code: str | None = None  # agreement under this reading is worth a note (not silent)
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Comparison:
    code: str
    readings: tuple[Reading, ...]   # the first is the primary reading named in a mismatch
    at_most: bool = False           # the stated number is a part of the cells (主动撤销 ⊂ 其他处理)
    en: str = ""


_T4_PARTS = ("upheld", "corrected", "other", "pending")
_REVIEW = Reading("表四行政复议总计", ("t4.review.total",))
_REVIEW_PARTS = Reading("表四行政复议各项结果之和", tuple(f"t4.review.{c}" for c in _T4_PARTS))
_LITIGATION = Reading("表四行政诉讼（未经复议直接起诉与复议后起诉）总计之和",
                      ("t4.litigation_direct.total", "t4.litigation_after_review.total"))
_LITIGATION_PARTS = Reading("表四行政诉讼各项结果之和", tuple(
    f"t4.{g}.{c}" for g in ("litigation_direct", "litigation_after_review") for c in _T4_PARTS))
_INCL_CARRIED = Reading(
    "表三本年新收与上年结转之和", ("t3.new_received.total", "t3.carried_over.total"),
    note_code="prose.received-includes-carried-over",
    note_zh="正文所称申请数等于本年新收加上年结转，系把上年结转的申请计入，不是矛盾。",
    note_en="the prose counts last year's carried-over requests as received this year; not a mismatch")

# kind → how it is compared. Codes are stable; the wording of messages is not.
COMPARISONS: dict[str, Comparison] = {
    "received": Comparison("prose.received-mismatch", (
        Reading("表三“本年新收政府信息公开申请数量”总计", ("t3.new_received.total",)), _INCL_CARRIED),
        en="requests received"),
    # 办理 N件 is received in some reports and answered in others: any of the three agrees.
    "handled": Comparison("prose.received-mismatch", (
        Reading("表三“本年新收政府信息公开申请数量”总计", ("t3.new_received.total",)),
        Reading("表三（七）总计", ("t3.total.total",)),
        Reading("表三本年新收与上年结转之和", ("t3.new_received.total", "t3.carried_over.total"))),
        en="requests handled"),
    "carried_over": Comparison("prose.carried-over-mismatch", (
        Reading("表三“上年结转政府信息公开申请数量”总计", ("t3.carried_over.total",)),), en="carried over"),
    "answered": Comparison("prose.answered-mismatch", (
        Reading("表三（七）总计", ("t3.total.total",)),), en="requests answered"),
    "carried_forward": Comparison("prose.carried-forward-mismatch", (
        Reading("表三“结转下年度继续办理”总计", ("t3.carried_forward.total",)),), en="carried forward"),
    "granted": Comparison("prose.outcome-mismatch", (Reading("表三（一）予以公开总计", ("t3.granted.total",)),),
                          en="granted"),
    "partial": Comparison("prose.outcome-mismatch", (Reading("表三（二）部分公开总计", ("t3.partial.total",)),),
                          en="partly granted"),
    "granted_plus_partial": Comparison("prose.outcome-mismatch", (
        Reading("表三（一）予以公开与（二）部分公开总计之和", ("t3.granted.total", "t3.partial.total")),),
        en="granted plus partly granted"),
    "denied": Comparison("prose.outcome-mismatch", (Reading("表三（三）不予公开各项总计之和", ("t3.denied.*.total",)),),
                         en="denied"),
    "unable": Comparison("prose.outcome-mismatch", (Reading("表三（四）无法提供各项总计之和", ("t3.unable.*.total",)),),
                         en="unable to provide"),
    "not_processed": Comparison("prose.outcome-mismatch", (
        Reading("表三（五）不予处理各项总计之和", ("t3.not_processed.*.total",)),), en="not processed"),
    "other": Comparison("prose.outcome-mismatch", (
        Reading("表三（六）其他处理总计", ("t3.other.total", "t3.other.*.total"), pooled=True),), en="otherwise handled"),
    "withdrawn": Comparison("prose.outcome-mismatch", (
        Reading("表三（六）其他处理总计", ("t3.other.total", "t3.other.*.total"), pooled=True),), at_most=True,
        en="withdrawn by the applicant (part of 其他处理)"),
    "review": Comparison("prose.review-mismatch", (_REVIEW, _REVIEW_PARTS), en="administrative reviews"),
    "litigation": Comparison("prose.litigation-mismatch", (_LITIGATION, _LITIGATION_PARTS), en="lawsuits"),
    "review_plus_litigation": Comparison("prose.review-litigation-mismatch", (
        Reading("表四行政复议与行政诉讼总计之和", _REVIEW.cells + _LITIGATION.cells),), en="reviews plus lawsuits"),
    "normative_made": Comparison("prose.normative-documents-mismatch", (
        Reading("表二规范性文件本年制发件数", ("t2.normative_documents.made",)),), en="normative documents issued"),
    "normative_in_force": Comparison("prose.normative-documents-mismatch", (
        Reading("表二规范性文件现行有效件数", ("t2.normative_documents.in_force",)),), en="normative documents in force"),
}

# Bases a stated share (占54.3%) may be a share of: the requests received or handled.
PERCENT_BASES: tuple[Reading, ...] = (
    Reading("表三（七）总计", ("t3.total.total",)),
    Reading("表三本年新收总计", ("t3.new_received.total",)),
    Reading("表三本年新收与上年结转之和", ("t3.new_received.total", "t3.carried_over.total")),
)
_BASE_KINDS = ("received", "handled", "answered")


# ---- table side ------------------------------------------------------------------------------
def _expand(report: Report, key: str) -> list[str]:
    """``t3.denied.*.total`` → the printed sub-rows' keys; other keys as they are."""
    table, rest = key.split(".", 1)
    if "*" not in rest:
        return [key]
    group, col = rest.split(".*.")
    rows = {"t2": report.table2, "t3": report.table3, "t4": report.table4}[table]
    return [f"{table}.{r}.{col}" for r in rows if r.startswith(group + ".")]


def _value(report: Report, reading: Reading) -> tuple[Number | None, list[str]]:
    """The sum of a reading's cells, or None when the table does not decide it.

    A named cell must hold a number (blank, /, missing: nothing to compare with); a group
    (``t3.denied.*.total``) needs one number among its printed sub-rows, blanks counting nothing.
    """
    total: Number = 0
    used: list[str] = []
    for key in reading.cells:
        group = _expand(report, key)
        numbers = []
        for k in group:
            try:
                cell = report.cell(k)
            except (KeyError, ValueError, IndexError):
                continue  # a column this format does not have (现行有效 in the 2019 format)
            if cell.is_number:
                numbers.append((k, cell.value))
        if "*" not in key and not numbers and not reading.pooled:
            return None, []
        for k, v in numbers:
            total += v
            used.append(k)
    return (total if used else None), used


# ---- findings --------------------------------------------------------------------------------
def _num(v: Number) -> int | float:
    return v if isinstance(v, int) else float(v)


def _scope_note(st: Statement) -> tuple[str, str]:
    if st.ambiguous:
        return ("（措辞“" + st.cue + "”可作收到或办结理解，仅作提示）",
                f" (the wording '{st.cue}' may mean received or answered: note only)")
    if not st.scope.is_own:
        return (f"（所述范围“{st.scope.word}”与本报告表格的范围不同或不确定，仅作提示）",
                f" (scope '{st.scope.word}' differs from or is uncertain for the report's tables: note only)")
    return "", ""


def _severity(st: Statement) -> Severity:
    return Severity.WARNING if st.scope.is_own and not st.ambiguous else Severity.INFO


def _compare(report: Report, st: Statement) -> Finding | None:
    comp = COMPARISONS.get(st.kind)
    if comp is None:
        return None
    evaluated = [(r, *_value(report, r)) for r in comp.readings]
    available = [(r, v, used) for r, v, used in evaluated if v is not None]
    if not available:
        return None  # the table does not print these cells: nothing to compare with
    for r, v, used in available:
        if (st.value <= v) if comp.at_most else (st.value == v):
            if r.note_code is None or r is not evaluated[0][0] and evaluated[0][1] is None:
                return None  # agrees; a counting-way note only where the primary reading exists
            return Finding(
                r.note_code, Severity.INFO,
                f"正文称{KINDS[st.kind]}{st.value}{st.unit or '件'}（“{st.cue}”）；{r.note_zh}",
                f"Prose states {comp.en} {st.value}; {r.note_en}.",
                used, [st.position()],
                {"stated": _num(st.value), "table": _num(v),
                 **{k: _num(report.cell(k).value) for k in used}})
    r, v, used = available[0]
    rel = "不超过" if comp.at_most else "等于"
    zh_scope, en_scope = _scope_note(st)
    return Finding(
        comp.code, _severity(st),
        f"正文称{KINDS[st.kind]}{st.value}{st.unit or '件'}（“{st.cue}”），应{rel}{r.label}{_num(v)}，"
        f"二者不一致{zh_scope}。",
        f"Prose states {comp.en} {st.value}; table gives {_num(v)} ({', '.join(used)}){en_scope}.",
        used, [st.position()],
        {"stated": _num(st.value), "table": _num(v), "scope": st.scope.kind.value})


def _percent_ok(count: Number, base: Number, printed: Decimal, decimals: int) -> bool:
    """Printed share agrees with count/base once rounded (or cut) to the printed decimals."""
    if base == 0:
        return False
    computed = Decimal(count) * 100 / Decimal(base)
    return abs(computed - printed) < Decimal(1).scaleb(-decimals)


def _percent_check(report: Report, st: Statement, stated_bases: list[Statement]) -> Finding | None:
    p = st.percent
    if p is None:
        return None
    bases: list[tuple[str, Number, list[str]]] = []
    for r in PERCENT_BASES:
        v, used = _value(report, r)
        if v is not None:
            bases.append((r.label, v, used))
    for b in stated_bases:
        bases.append((f"正文所称{KINDS[b.kind]}{b.value}件", b.value, []))
    if not bases or any(_percent_ok(st.value, v, p.value, p.decimals) for _, v, _ in bases):
        return None
    label, base, used = bases[0]
    computed = (Decimal(st.value) * 100 / Decimal(base)).quantize(Decimal(1).scaleb(-max(p.decimals, 1))) if base else None
    zh_scope, en_scope = _scope_note(st)
    return Finding(
        "prose.percent-mismatch", _severity(st),
        f"正文称{KINDS[st.kind]}{st.value}件，占{p.text}；按{label}{_num(base)}计算应为"
        f"{computed if computed is not None else '—'}%，二者不一致{zh_scope}。",
        f"Prose states {st.value} as {p.text}; {st.value}/{_num(base)} is {computed}%{en_scope}.",
        used, [st.position()],
        {"stated_percent": float(p.value), "count": _num(st.value), "base": _num(base),
         "computed_percent": float(computed) if computed is not None else None})


def prose_findings(report: Report) -> list[Finding]:
    """Findings for every number the prose states that the tables contradict (and the notes)."""
    statements = extract_statements(report.sections, report.agency)
    stated_bases = [s for s in statements if s.kind in _BASE_KINDS and s.scope.is_own]
    out: list[Finding] = []
    for st in statements:
        f = _compare(report, st)
        if f is not None:
            out.append(f)
        pf = _percent_check(report, st, stated_bases)
        if pf is not None:
            out.append(pf)
    return out
