"""Chinese and Arabic numerals, units and percentages in report prose."""
from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.prose.numbers import find_percents, find_quantities, parse_chinese, parse_number


@pytest.mark.parametrize("text,value", [
    ("一", 1), ("两", 2), ("〇", 0), ("零", 0), ("十", 10), ("十五", 15), ("二十", 20), ("一百二十三", 123),
    ("一百零五", 105), ("一〇五", 105), ("二〇二三", 2023), ("三千零二十", 3020), ("三万二千", 32000),
    ("十二万", 120000),
])
def test_chinese_numerals(text: str, value: int) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["", "万", "百千", "是"])
def test_not_chinese_numerals(text: str) -> None:
    assert parse_chinese(text) is None


@pytest.mark.parametrize("text,value", [
    ("12", 12), ("１２", 12), ("1,234", 1234), ("54.3", Decimal("54.3")), ("1.5万", 15000), ("两", 2),
])
def test_parse_number(text: str, value) -> None:
    assert parse_number(text) == value


def test_quantities_with_units_and_spans() -> None:
    text = "收到申请 72 件，办结六十一件，收费380元，经费1.5万元，公开信息2599条，2023年"
    qs = find_quantities(text)
    assert [(q.value, q.unit) for q in qs] == [(72, "件"), (61, "件"), (380, "元"), (Decimal("1.5"), "万元"), (2599, "条")]
    assert [text[q.start:q.end] for q in qs] == ["72 件", "六十一件", "380元", "1.5万元", "2599条"]


def test_words_that_only_look_like_counts() -> None:
    # 第一次 is an ordinal, 统一 a word, “三个一” a slogan; 2023年 has no count unit.
    assert find_quantities("第一次会议统一个口径，落实“三个一”机制，2023年") == []


def test_percentages_keep_their_printed_decimals() -> None:
    ps = find_percents("占54.3%；占 18.20 ％，办结率100%")
    assert [(p.value, p.decimals) for p in ps] == [(Decimal("54.3"), 1), (Decimal("18.20"), 2), (Decimal(100), 0)]
