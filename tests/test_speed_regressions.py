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
from gongkai.prose.numbers import PERCENT_RE, QUANTITY_RE, WIDTH, _quantity_matches, find_percents
from gongkai.prose.scope import Agency
from gongkai.prose.statements import (_ZERO_RES, _lead_positions, _matches_at, _sentence_ends, extract_statements,
                                      sentence_statements, split_sentences)
from gongkai.prose.vocab import SENTENCE_END
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


def _random_pieces(pieces: list[str], n: int, longest: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


def test_quantity_matches_are_finditer_on_more_characters():
    """Unicode digits and spaces, 项, 万元, full-width digits: the unit-end scan still finds what finditer finds."""
    alphabet = "0123456789,.万元件条项起个次份宗零〇一二两三四五六七八九十百千亿 \t\n\u3000\u00a0٣０１中第年%"
    for s in _random_strings(alphabet, 30000, 16, 11):
        got = [(m.span(), m.group("num"), m.group("unit")) for m in _quantity_matches(s)]
        assert got == [(m.span(), m.group("num"), m.group("unit")) for m in QUANTITY_RE.finditer(s)], repr(s)


def test_sentence_ends_are_finditer():
    pieces = ["。", "！", "？", "!", "?", "\n", "\n\n", " ", "\u3000", "\t", "#", "一、", "十二、", "（三）", "(四)", "中", "文", "一"]
    for s in _random_pieces(pieces, 20000, 12, 12):
        assert _sentence_ends(s) == [m.end() for m in SENTENCE_END.finditer(s)] + [len(s)], repr(s)


def test_zero_cues_tried_at_their_lead_words_are_finditer():
    pieces = ["未", "没有", "没", "有", "收到", "受理", "接到", "申请", "发生", "出现", "被", "提起", "行政", "复议", "诉讼",
              "和", "及", "与", "、", "，", "。", "；", "案件", "1件", " "]
    for s in _random_pieces(pieces, 20000, 12, 13):
        leads = _lead_positions(s)
        for _cue, rx in _ZERO_RES:
            assert [m.span() for m in _matches_at(rx, s, leads)] == [m.span() for m in rx.finditer(s)], repr(s)


def test_find_percents_without_a_percent_sign():
    for s in _random_strings("0123456789,.%％ 占件中", 20000, 10, 14):
        t = WIDTH(s)
        plain = [m.span() for m in PERCENT_RE.finditer(t) if not (m.start() and (t[m.start() - 1].isdigit()
                                                                               or t[m.start() - 1] == "."))]
        assert [(p.start, p.end) for p in find_percents(s)] == plain, repr(s)


_PROSE_PIECES = ["共收到", "受理", "政府信息公开申请", "申请", "3", "12", "1,200", "7.5", "两", "十", "件", "个", "次", "万元",
                 "，", "。", "；", "：", "、", "\n", "\n\n", " ", "一、", "（二）", "#", "其中", "予以公开", "部分公开",
                 "不予公开", "办结", "结转下年度", "上年结转", "行政复议", "行政诉讼", "未收到", "没有", "发生", "我局",
                 "全区", "各部门", "占", "%", "，占54.3%", "同比", "第", "年", "１", "２", "件。"]


@pytest.mark.parametrize("agency", [None, "示例县人民政府", "示例县民政局"])
def test_statements_of_random_prose_are_those_of_every_sentence(agency):
    """extract_statements reads only the sentences a section-wide pass touches, with their flags: every
    sentence read in full gives the same statements."""
    ag = Agency.of(agency)
    for text in _random_pieces(_PROSE_PIECES, 3000, 40, 15):
        every = [st for sentence in split_sentences("s", text) for st in sentence_statements(sentence, ag)]
        assert extract_statements({"s": text}, agency) == every, repr(text)


def test_statements_when_a_match_runs_over_a_sentence_edge(monkeypatch):
    """The path for a section whose quantity match runs over a sentence's edge (every sentence a match
    touches searched alone) gives what every sentence gives too."""
    from gongkai.prose import statements

    monkeypatch.setattr(statements, "_within", lambda span, matches: False)
    ag = Agency.of("示例县民政局")
    for text in _random_pieces(_PROSE_PIECES, 1000, 40, 16):
        every = [st for sentence in split_sentences("s", text) for st in sentence_statements(sentence, ag)]
        assert extract_statements({"s": text}, "示例县民政局") == every, repr(text)


def _split_pipe_plain(line: str, line_start: int) -> list[tuple[str, int, int]]:
    cells: list[tuple[str, int, int]] = []
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    first_nonspace = len(line) - len(line.lstrip())
    edges = bars[:]
    if not bars or bars[0] != first_nonspace:
        edges = [-1] + edges
    if line.rstrip().endswith("|") is False:
        edges = edges + [len(line)]
    for a, b in zip(edges, edges[1:]):
        raw = line[a + 1:b]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        cells.append((text, line_start + a + 1 + lead, line_start + a + 1 + lead + len(text)))
    return cells


def _split_tabs_plain(line: str, line_start: int) -> list[tuple[str, int, int]]:
    cells = []
    pos = 0
    for part in line.split("\t"):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        cells.append((text, line_start + pos + lead, line_start + pos + lead + len(text)))
        pos += len(part) + 1
    return cells


def test_text_reader_splits_rows_as_before():
    from gongkai.read.text import _split_pipe, _split_tabs

    for s in _random_strings("|| \t\u3000\u00a0ab1中-:", 30000, 12, 17):
        assert _split_pipe(s, 5) == _split_pipe_plain(s, 5), repr(s)
        assert _split_tabs(s, 5) == _split_tabs_plain(s, 5), repr(s)


def test_text_reader_sources_are_sources():
    """Source.in_text and Source.row_cells (the text reader's) make what Source's constructor makes."""
    for args in [(1, 2, 3), (0, None, 7), (None, None, None)]:
        made, plain = Source.in_text(*args), Source(*args)
        assert made == plain and hash(made) == hash(plain) and type(made) is Source
        assert list(vars(made).items()) == list(vars(plain).items()) and made.to_dict() == plain.to_dict()
    cells = [("a", 0, 1), ("", 3, 3), ("b c", 4, 7)]
    for made, plain in zip(Source.row_cells(cells, 2, 1, 0), [Source(0, 1, 2, None, None, 1, 0, 0),
                                                              Source(3, 3, 2, None, None, 1, 0, 1),
                                                              Source(4, 7, 2, None, None, 1, 0, 2)]):
        assert made == plain and list(vars(made).items()) == list(vars(plain).items())
    assert len(Source.row_cells(cells, 2, 1, 0)) == 3


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


def _random_pieces(pieces: list[str], n: int, longest: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


def test_table2_blocks_do_not_pile_up_in_the_aligner_memos():
    # 表二's block rows were a new tuple per report, so the memos keyed by a rows tuple's identity grew by an entry
    # (pinning the tuple) for every report checked: a leak in long batches, and every lookup a miss
    from gongkai.check import check_path
    from gongkai.match import align

    p = shared_path("corpus", "raw", "005.txt")
    check_path(p)
    sizes = len(align._OFFICIAL), len(align._ROW_REGEX)
    for _ in range(5):
        check_path(p)
    assert (len(align._OFFICIAL), len(align._ROW_REGEX)) == sizes


def test_row_regex_first_characters_are_a_superset():
    # the rows' combined regex begins with a lookahead of the characters a row's name can begin with
    from gongkai.match.align import first_chars

    assert first_chars(r"^(\(六\))?3[.、]?其他$") == {"(", "3"}
    assert first_chars(r"^七?总计$") == {"七", "总"}
    assert first_chars(r"3[.、]其他(?!处理)") == {"3"}
    for unknown in (r"\d+", "a?", "(?i)abc", "[^a]b", "a|b?", "", "$"):
        assert first_chars(unknown) is None, unknown
    rnd = random.Random(9)
    pieces = ["a", "b", "(", "3", "[ab]", "c?", "(a|b)", "(?:x)?", "^", "(?!q)", "d+", "e*"]
    for _ in range(3000):
        pat = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 5)))
        chars = first_chars(pat)
        if chars is None:
            continue
        rx = re.compile(pat)
        for s in _random_strings("ab(3cdeqx", 20, 8, rnd.randint(0, 10**6)):
            for m in rx.finditer(s):
                if m.end() > m.start():
                    assert s[m.start()] in chars, (pat, s)
