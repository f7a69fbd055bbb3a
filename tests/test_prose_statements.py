"""Statements read from made-up sentences (tests/fixtures/prose/statements.yaml)."""
from __future__ import annotations

import pytest
import yaml

from conftest import FIXTURES
from gongkai.prose import extract_statements
from gongkai.prose.scope import Agency, ScopeKind, scope_at

CASES = yaml.safe_load((FIXTURES / "prose" / "statements.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_statements(case: dict) -> None:
    got = extract_statements({"overview": case["text"]}, case["agency"])
    assert [[s.kind, s.value, s.scope.is_own] for s in got] == case["expect"]


def test_spans_point_into_the_section() -> None:
    text = "前言。\n（二）依申请公开\n本年度我局共收到申请十二件，已办结十二件。"
    [received, answered] = extract_statements({"requests": text}, "某区水务局")
    assert text[received.number_start:received.number_end] == "十二件"
    pos = answered.position()
    assert pos["section"] == "requests"
    assert text[pos["start"]:pos["end"]] == pos["text"]
    assert pos["text"].startswith("（二）依申请公开") and pos["text"].endswith("已办结十二件。")


def test_share_and_year_on_year_percentages() -> None:
    [received, granted] = extract_statements({"overview": "受理申请40件，同比减少20%。予以公开10件，占25.0%。"}, None)
    assert received.percent is None and [p.text for p in received.percents_unchecked] == ["20%"]
    assert granted.percent is not None and granted.percent.value == 25 and granted.percent.decimals == 1


def test_line_breaks_inside_a_sentence_do_not_cut_a_statement() -> None:
    [unable] = extract_statements({"overview": "不予公开0件；无法提供\n\n7 件，占 7%。"}, None)[1:]
    assert (unable.kind, unable.value, unable.percent.value) == ("unable", 7, 7)


@pytest.mark.parametrize("agency,sentence,kind", [
    ("某区人民政府", "全区共收到申请5件", ScopeKind.REGION_OWN),
    ("某开发区管委会", "全区共收到申请5件", ScopeKind.REGION_OWN),
    ("某市人民政府", "全区共收到申请5件", ScopeKind.REGION_OTHER),   # a district in a city's report
    ("某区财政局", "全区共收到申请5件", ScopeKind.REGION_OTHER),
    ("某区财政局", "我局共收到申请5件", ScopeKind.OWN),
    ("上海市某区财政局", "某区财政局共收到申请5件", ScopeKind.OWN),   # the name without its city
    ("某区财政局", "共收到申请5件", ScopeKind.IMPLICIT),
    (None, "全区共收到申请5件", ScopeKind.UNCERTAIN),
    ("某区人民政府", "全区收到申请9件，区政府办公室收到申请5件", ScopeKind.SUB_UNIT),
    ("某县人民政府", "各乡镇共收到申请5件", ScopeKind.REGION_OWN),
    ("某县民政局", "各乡镇共收到申请5件", ScopeKind.ALL_UNITS),
])
def test_scope_of_the_last_number(agency, sentence: str, kind: ScopeKind) -> None:
    assert scope_at(sentence, sentence.rindex("5件"), Agency.of(agency)).kind is kind
