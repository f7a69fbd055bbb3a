"""表三 and 表四 from the register, and 第四十四条 candidates.

表三 is returned as a plain dict ``{row_key: [natural, business, research, public_interest, legal, other, total]}``
using the 2021 official keys (``vocab.T3_ROWS_2021`` / ``T3_COLUMNS``). For year Y:

- a request counts once, in the column of its applicant type;
- ``new_received`` = received in Y; ``carried_over`` = received before Y and not concluded before Y;
- outcome rows = concluded in Y, by the outcome of its 答复 (or the fixed outcome of 逾期未补正 / 逾期未缴费 / 撤回);
- ``carried_forward`` = received by the end of Y and not concluded by then;
- ``total`` = sum of the outcome rows; the total column = sum of the six applicant columns.

``concluded_date`` is the first conclusion: a request reopened after 复议/诉讼 is reported in 表四, not counted
twice in 表三. Hence new_received + carried_over = total + carried_forward holds by construction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import RequestRow, ReviewCase

from . import vocab
from .vocab import APPLICANT_TYPES, OUTCOME_ROWS, T3_COLUMNS, T3_ROWS_2021

Table3 = dict[str, list[int]]

CASE_KINDS = vocab.CASE_KINDS.labels        # review | litigation | litigation_after_review -> 行政复议 …
CASE_RESULTS = vocab.CASE_RESULTS.labels    # upheld | corrected | other | pending -> 结果维持 …
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def _empty() -> Table3:
    return {r: [0] * len(T3_COLUMNS) for r in T3_ROWS_2021}


def _col(applicant_type: str) -> int:
    return T3_COLUMNS.index(applicant_type)


def table3(engine: Engine, agency: str, year: int) -> Table3:
    start, end = date(year, 1, 1), date(year, 12, 31)
    t = _empty()
    R = RequestRow
    with Session(engine) as s:
        base = [R.agency == agency]
        for atype, n in s.execute(select(R.applicant_type, func.count()).where(
                *base, R.received_date >= start, R.received_date <= end).group_by(R.applicant_type)):
            t["new_received"][_col(atype)] = n
        for atype, n in s.execute(select(R.applicant_type, func.count()).where(
                *base, R.received_date < start,
                or_(R.concluded_date.is_(None), R.concluded_date >= start)).group_by(R.applicant_type)):
            t["carried_over"][_col(atype)] = n
        for atype, outcome, n in s.execute(select(R.applicant_type, R.outcome, func.count()).where(
                *base, R.concluded_date >= start, R.concluded_date <= end,
                R.received_date <= end).group_by(R.applicant_type, R.outcome)):
            t[outcome][_col(atype)] += n
        for atype, n in s.execute(select(R.applicant_type, func.count()).where(
                *base, R.received_date <= end,
                or_(R.concluded_date.is_(None), R.concluded_date > end)).group_by(R.applicant_type)):
            t["carried_forward"][_col(atype)] = n
    for r in OUTCOME_ROWS:
        for c in range(len(T3_COLUMNS) - 1):
            t["total"][c] += t[r][c]
    for r in T3_ROWS_2021:
        t[r][-1] = sum(t[r][:-1])
    return t


def identities(t: Table3) -> list[str]:
    """Broken 表三 identities (empty when the table is consistent)."""
    bad = []
    for c, col in enumerate(T3_COLUMNS):
        lhs = t["new_received"][c] + t["carried_over"][c]
        rhs = t["total"][c] + t["carried_forward"][c]
        if lhs != rhs:
            bad.append(f"{col}: 新收{t['new_received'][c]}+结转{t['carried_over'][c]} ≠ "
                       f"办理{t['total'][c]}+结转下年{t['carried_forward'][c]}")
    return bad


def as_cells(t: Table3) -> list[tuple[str, str, int]]:
    """The table as (row_key, column_key, value) triples: the neutral form the annual-report model takes in."""
    return [(r, c, t[r][i]) for r in T3_ROWS_2021 for i, c in enumerate(T3_COLUMNS)]


def table4(engine: Engine, agency: str, year: int) -> dict[str, list[int]]:
    """表四 counts of cases filed in ``year``: {kind: [维持, 纠正, 其他, 尚未审结, 总计]}; a result decided after the
    year end still counts as 尚未审结 for that year."""
    end = date(year, 12, 31)
    out = {k: [0] * len(T4_COLUMNS) for k in CASE_KINDS}
    with Session(engine) as s:
        for kind, result, rdate in s.execute(select(ReviewCase.kind, ReviewCase.result, ReviewCase.result_date)
                                             .where(ReviewCase.agency == agency,
                                                    ReviewCase.filed_date >= date(year, 1, 1),
                                                    ReviewCase.filed_date <= end)):
            key = result if (result != "pending" and rdate is not None and rdate <= end) else "pending"
            out[kind][T4_COLUMNS.index(key)] += 1
    for row in out.values():
        row[-1] = sum(row[:-1])
    return out


@dataclass(frozen=True)
class Candidate:
    content: str
    applicants: int
    numbers: list[str]


_PUNCT = re.compile(r"[\s，。、；：“”‘’（）()《》,.;:!?！？\"'-]+")


def _normalise(text: str) -> str:
    return _PUNCT.sub("", text).lower()


def proactive_candidates(engine: Engine, agency: str, year: int, min_applicants: int = 2) -> list[Candidate]:
    """第四十四条: information asked for by several different applicants, a candidate for proactive disclosure.

    Requests are grouped by their content with spacing and punctuation removed; a group qualifies when at least
    ``min_applicants`` different applicants asked.
    """
    groups: dict[str, tuple[str, set[str], list[str]]] = {}
    with Session(engine) as s:
        for content, key, number in s.execute(select(RequestRow.content, RequestRow.applicant_key,
                                                     RequestRow.number).where(
                RequestRow.agency == agency, RequestRow.received_date >= date(year, 1, 1),
                RequestRow.received_date <= date(year, 12, 31)).order_by(RequestRow.number)):
            g = groups.setdefault(_normalise(content), (content, set(), []))
            g[1].add(key)
            g[2].append(number)
    out = [Candidate(c, len(keys), nums) for c, keys, nums in groups.values() if len(keys) >= min_applicants]
    return sorted(out, key=lambda c: (-c.applicants, c.numbers[0]))


ROW_LABELS = {"new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
              "total": "（七）总计", "carried_forward": "四、结转下年度继续办理"}
COLUMN_LABELS = dict(APPLICANT_TYPES) | {"total": "总计"}


def row_label(key: str) -> str:
    from .vocab import OUTCOMES

    return OUTCOMES[key].label if key in OUTCOMES else ROW_LABELS[key]


@dataclass(frozen=True)
class FeesOfYear:
    """信息处理费 of year Y from the register: fees paid in Y (and their total in 元), notices sent in Y."""

    charged: int
    amount_yuan: int
    notices: int


def fees_collected(engine: Engine, agency: str, year: int) -> FeesOfYear:
    """Each 已缴费 event dated in Y counts once, at the amount of the request's latest 收费通知 before it.

    A notice for 0 元 is no fee notice (第四十二条): the register refuses it now, and one stored before that is
    not counted, neither as a notice nor as a fee collected."""
    from gongkai.store.requests_tables import RequestEvent

    start, end = date(year, 1, 1), date(year, 12, 31)
    charged = amount = notices = 0
    with Session(engine) as s:
        rows = s.execute(select(RequestEvent.request_id, RequestEvent.action, RequestEvent.on_date,
                                RequestEvent.payload)
                         .join(RequestRow, RequestRow.id == RequestEvent.request_id)
                         .where(RequestRow.agency == agency, RequestEvent.action.in_(("fee_notice", "fee_paid")))
                         .order_by(RequestEvent.request_id, RequestEvent.id))
        last_quote: dict[int, int] = {}
        for request_id, action, on, payload in rows:
            if action == "fee_notice":
                last_quote[request_id] = int((payload or {}).get("amount", 0))
                notices += start <= on <= end and last_quote[request_id] > 0
            elif start <= on <= end and last_quote.get(request_id, 0) > 0:
                charged += 1
                amount += last_quote.get(request_id, 0)
    return FeesOfYear(charged, amount, notices)


@dataclass(frozen=True)
class LateAnswer:
    number: str
    due: date
    answered: date
    days: int           # working days late
    message: str


def late_answers(engine: Engine, agency: str, year: int) -> list[LateAnswer]:
    """Requests answered in ``year`` after their deadline (第三十三条), with the working days late."""
    from .findings import RequestFinding

    out: list[LateAnswer] = []
    R = RequestRow
    with Session(engine) as s:
        for number, stored in s.execute(select(R.number, R.findings).where(
                R.agency == agency, R.findings.is_not(None)).order_by(R.number)):
            for f in map(RequestFinding.from_dict, stored or []):
                if f.code == "request.answer-late" and date.fromisoformat(f.values["on"]).year == year:
                    out.append(LateAnswer(number, date.fromisoformat(f.values["due"]),
                                          date.fromisoformat(f.values["on"]), int(f.days or 0), f.message))
    return out
