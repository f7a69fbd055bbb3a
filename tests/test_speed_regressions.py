"""Fast paths give what the plain forms they replace give.

Each speed-up that replaced a plain computation with a shortcut is checked here against the plain
computation, on random strings built from the characters that matter to it and on real reports.
"""
from __future__ import annotations

import dataclasses
import random
import re
import unicodedata

import pytest

from gongkai.blocks import Source
from gongkai.prose.numbers import QUANTITY_RE, _quantity_matches
from gongkai.prose.scope import Agency
from gongkai.prose.statements import extract_statements, sentence_statements, split_sentences
from gongkai.read._shared import clean_space
from gongkai.read.html import _BREAK_SPACE, _is_cjk, _squash
from gongkai.text import nfkc

from conftest import shared_path


def _random_strings(alphabet: str, n: int, longest: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


def test_nfkc_is_unicode_nfkc():
    alphabet = ("abcA1 ，（）：；！？、。．％０９ＡＺａｚ\u3000\u00a0〔〕【】①Ⅱｶﾞ"
                "中文字\u0301\u0308\u3099\u309a\u1100\u1161\u11a8")
    for s in _random_strings(alphabet, 20000, 8, 1):
        assert nfkc(s) == unicodedata.normalize("NFKC", s), repr(s)


def test_quantity_matches_are_finditer():
    alphabet = "0123456789,.万元件条起个次份宗零〇一二两三四五六七八九十百千亿 \n中第年%"
    for s in _random_strings(alphabet, 20000, 14, 2):
        got = [(m.span(), m.group("num"), m.group("unit")) for m in _quantity_matches(s)]
        assert got == [(m.span(), m.group("num"), m.group("unit")) for m in QUANTITY_RE.finditer(s)], repr(s)


def _squash_plain(text: str) -> str:
    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        before = text[s - 1] if s else ""
        after = text[e] if e < len(text) else ""
        if "\u00a0" in m.group():
            return " "
        return "" if before and after and _is_cjk(before) and _is_cjk(after) else " "
    return clean_space(_BREAK_SPACE.sub(repl, text)) if "\n" in text else clean_space(text)


def test_html_squash_fast_path():
    alphabet = " \t\r\n\f\v\u00a0\u3000\u200b\ufeff\u2028ab1中文，"
    for s in _random_strings(alphabet, 20000, 10, 3):
        assert _squash(s) == _squash_plain(s), repr(s)


def test_source_is_still_a_frozen_dataclass():
    s = Source(3, 7, line=2, table=1, row=0, col=4)
    assert s == Source(start=3, end=7, line=2, page=None, bbox=None, table=1, row=0, col=4)
    assert hash(s) == hash(Source(3, 7, 2, None, None, 1, 0, 4))
    assert dataclasses.replace(s, start=5).start == 5
    assert s.sub(1, 2) == Source(4, 5, 2, None, None, 1, 0, 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.start = 0  # type: ignore[misc]


@pytest.mark.parametrize("name", ["005.txt", "031.txt", "032.html"])
def test_statements_filter_skips_only_silent_sentences(name):
    """extract_statements looks only at sentences a section-wide search flags; every sentence gives the same."""
    from gongkai.check import check_path

    report = check_path(shared_path("corpus", "raw", name)).report
    agency = Agency.of(report.agency)
    every = [st for key, text in report.sections.items() if text
             for sentence in split_sentences(key, text) for st in sentence_statements(sentence, agency)]
    assert extract_statements(report.sections, report.agency) == every


def test_value_spans_cjk_check_is_the_cjk_regex():
    # value_spans asks of each value atom's neighbours whether they are CJK without a regex call
    from gongkai.match.stream import _is_cjk as is_cjk_char
    from gongkai.text import CJK

    chars = [chr(c) for c in range(0x3300, 0x3500)] + [chr(c) for c in range(0x9f00, 0xa100)] \
        + [chr(c) for c in range(0xf800, 0xfb10)] + list(" a1，（）\u3000〇") + [""]
    for ch in chars:
        assert is_cjk_char(ch) == bool(ch and CJK.match(ch)), repr(ch)


def test_value_spans_atom_lookahead_matches_as_before():
    # ATOM begins with a lookahead on its first character, so the engine skips to candidates: the same atoms
    from gongkai.match.stream import ATOM

    plain = re.compile(r"(?P<num>-?\d+(?:\\?\.\d+)?)(?: ?(?P<unit>万元|元|%))?|(?P<ph>[/\-—–])")
    alphabet = "0123456789０１.、-—–/\\ 元万%中第(（"
    for s in _random_strings(alphabet, 20000, 16, 5):
        got = [(m.span(), m.lastgroup, m.group("unit")) for m in ATOM.finditer(s)]
        want = [(m.span(), m.lastgroup, m.group("unit")) for m in plain.finditer(s)]
        assert got == want, repr(s)
