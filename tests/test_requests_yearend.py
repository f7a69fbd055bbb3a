"""表三 from a generated register equals an independent tally; 表四; 第四十四条 candidates."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from gongkai.requests import register as R
from gongkai.requests.vocab import APPLICANT_TYPES, OUTCOME_ROWS, T3_COLUMNS
from gongkai.requests.yearend import as_cells, identities, proactive_candidates, table3, table4
from gongkai.store.db import connect
from gongkai.workdays.store import active_calendar

AG = "统计局"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """~2,500 requests over 2024–2026, each concluded (or not) at a random later date; returns engine and truth."""
    eng = connect(f"sqlite:///{tmp_path_factory.mktemp('ye') / 'ye.db'}")
    cal = active_calendar(eng)
    rng = random.Random(6)
    types = list(APPLICANT_TYPES)
    reqs, plan = [], []
    for i in range(2500):
        received = date(2024, 1, 1) + timedelta(days=rng.randrange(365 * 3))
        atype = rng.choice(types)
        reqs.append(R.RequestIn(channel="当面", content=f"信息{i}", submitted_on=received,
                                applicant=R.Applicant(atype, f"人{i}", phone="1")))
        if rng.random() < 0.85:
            done = received + timedelta(days=rng.randrange(0, 60))
            kind = rng.choice(["answer"] * 8 + ["withdraw", "correction"])
            outcome = rng.choice(OUTCOME_ROWS[:-3]) if kind == "answer" else None
            plan.append((atype, received, done, kind, outcome))
        else:
            plan.append((atype, received, None, None, None))
    numbers = R.intake_many(eng, AG, reqs, "gen", cal)
    truth = []
    for n, (atype, received, done, kind, outcome) in zip(numbers, plan):
        if kind == "answer":
            R.act(eng, AG, n, "answer", actor="gen", on=done, payload={"outcome": outcome}, cal=cal)
        elif kind == "withdraw":
            R.act(eng, AG, n, "withdraw", actor="gen", on=done, cal=cal)
            outcome = "other.other"
        elif kind == "correction":
            due = received + timedelta(days=10)
            R.act(eng, AG, n, "request_correction", actor="gen", on=received,
                  payload={"items": "x", "correction_due": due.isoformat()}, cal=cal)
            done = max(done, due + timedelta(days=1))
            R.act(eng, AG, n, "correction_lapsed", actor="gen", on=done, cal=cal)
            outcome = "other.no_correction"
        truth.append((atype, received, done, outcome))
    return eng, truth


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_table3_equals_an_independent_tally(generated, year):
    eng, truth = generated
    start, end = date(year, 1, 1), date(year, 12, 31)
    expect: dict[str, Counter] = {k: Counter() for k in ("new_received", "carried_over", "carried_forward",
                                                        *OUTCOME_ROWS)}
    for atype, received, done, outcome in truth:
        if start <= received <= end:
            expect["new_received"][atype] += 1
        if received < start and (done is None or done >= start):
            expect["carried_over"][atype] += 1
        if done is not None and start <= done <= end:
            expect[outcome][atype] += 1
        if received <= end and (done is None or done > end):
            expect["carried_forward"][atype] += 1
    t3 = table3(eng, AG, year)
    for row, counter in expect.items():
        assert t3[row][:-1] == [counter[c] for c in T3_COLUMNS[:-1]], row
        assert t3[row][-1] == sum(counter.values()), row
    assert t3["total"][-1] == sum(sum(expect[r].values()) for r in OUTCOME_ROWS)
    assert identities(t3) == []
    assert t3["new_received"][-1] > 700 and t3["total"][-1] > 600       # the generator really produced data
    cells = as_cells(t3)
    assert len(cells) == 25 * 7 and ("total", "total", t3["total"][-1]) in cells


def test_carry_over_chains_between_years(generated):
    eng, _ = generated
    assert table3(eng, AG, 2025)["carried_over"] == table3(eng, AG, 2024)["carried_forward"]
    assert table3(eng, AG, 2026)["carried_over"] == table3(eng, AG, 2025)["carried_forward"]


def test_table4_and_proactive_candidates(tmp_path):
    eng = connect(f"sqlite:///{tmp_path / 't4.db'}")
    R.register_case(eng, AG, kind="review", filed_date=date(2026, 2, 1), result="upheld",
                    result_date=date(2026, 4, 1))
    R.register_case(eng, AG, kind="review", filed_date=date(2026, 11, 1), result="corrected",
                    result_date=date(2027, 1, 10))     # decided after the year end: 尚未审结 for 2026
    R.register_case(eng, AG, kind="litigation", filed_date=date(2026, 3, 1))
    t4 = table4(eng, AG, 2026)
    assert t4 == {"review": [1, 0, 0, 1, 2], "litigation": [0, 0, 0, 1, 1], "litigation_after_review": [0] * 5}
    with pytest.raises(R.RegisterError, match="未知的案件类型"):
        R.register_case(eng, AG, kind="appeal", filed_date=date(2026, 1, 1))
    for name, idn, content in [("甲", "1", "2025年 区财政 预算执行报告"), ("乙", "2", "2025年区财政预算执行报告。"),
                               ("甲", "1", "2025年区财政预算执行报告"), ("丙", "3", "别的信息")]:
        R.intake(eng, AG, R.RequestIn(channel="当面", content=content, submitted_on=date(2026, 3, 2),
                                      applicant=R.Applicant("natural", name, id_number=idn, phone="1")), "a")
    cands = proactive_candidates(eng, AG, 2026)
    assert len(cands) == 1 and cands[0].applicants == 2 and len(cands[0].numbers) == 3
