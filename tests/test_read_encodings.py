"""Text and HTML are decoded by evidence, never by the first codec that happens not to fail.

One invalid byte in a UTF-8 text of even length made it decode as UTF-16 (400 of 400 mutations), and
a real report was called "not an annual report" with exit 0. UTF-16 HTML without a byte-order mark,
GBK/GB18030 pages and pages that declare the wrong charset are read by the same evidence.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from gongkai.check import check_path
from gongkai.read.decode import decode_text

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def _cells(result) -> dict:
    assert result.status == "ok", (result.path, result.error)
    return {k: (c.kind.value, c.value) for k, c in result.report.cells()}


@pytest.fixture(scope="module")
def reference() -> dict:
    return _cells(check_path(EXAMPLE))


@pytest.fixture(scope="module")
def html_page(tmp_path_factory) -> str:
    from gongkai.compose.render.html import render_html

    return render_html(check_path(EXAMPLE).report)


def test_one_invalid_byte_in_utf8_of_even_length_is_still_utf8(tmp_path: Path, reference: dict):
    data = TEXT.encode("utf-8")
    rng = random.Random(12)
    table_at = data.index("二、主动公开政府信息情况".encode())
    title_end = data.index(b"\n")
    for i in range(400):
        pos = rng.randrange(len(data))
        bad = data[:pos] + bytes([rng.choice((0xFF, 0xFE, 0xC0))]) + data[pos + 1:]
        if len(bad) % 2:
            bad += b"\n"
        decoded = decode_text(bad)
        assert decoded.encoding == "utf-8", i
        assert 1 <= decoded.errors <= 4, i  # the byte and the broken character around it
        if i < 40:  # through the whole path: still the report, with the finding that says where
            p = tmp_path / f"m{i}.txt"
            p.write_bytes(bad)
            r = check_path(p)
            assert r.status == "ok", (i, r.error)
            if pos > title_end:
                assert r.report.agency == "示例市交通运输局", i
            codes = [f.code for f in r.findings]
            assert "read.decode-errors" in codes
            f = next(f for f in r.findings if f.code == "read.decode-errors")
            assert f.numbers["encoding"] == "UTF-8" and "无效" in f.message and f.gloss
            if pos < table_at - 200:  # damage in the prose: every table cell as before
                assert _cells(r) == reference, i


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"])
def test_text_in_each_encoding_reads_the_same(tmp_path: Path, reference: dict, encoding: str):
    p = tmp_path / "r.txt"
    p.write_bytes(TEXT.encode(encoding))
    r = check_path(p)
    assert _cells(r) == reference
    assert not [f for f in r.findings if f.code == "read.decode-errors"]


def test_gb18030_with_an_invalid_byte_is_gb18030(tmp_path: Path, reference: dict):
    data = TEXT.encode("gb18030")
    pos = data.index("总体情况".encode("gb18030"))
    p = tmp_path / "r.txt"
    p.write_bytes(data[:pos] + b"\xff" + data[pos:])
    r = check_path(p)
    assert _cells(r) == reference
    f = next(f for f in r.findings if f.code == "read.decode-errors")
    assert f.numbers["encoding"] == "GB18030"


@pytest.mark.parametrize("encoding, declared", [
    ("utf-16-le", None), ("utf-16-be", None), ("utf-16-le", "utf-16"),   # no byte-order mark
    ("gb18030", "gbk"), ("gbk", None), ("gbk", "utf-8"), ("gbk", "iso-8859-1"),   # missing or wrong declaration
    ("utf-8", "gb2312"), ("utf-8", None),
])
def test_html_in_each_encoding_reads_the_same(tmp_path: Path, reference: dict, html_page: str, encoding: str,
                                              declared: str | None):
    page = html_page.replace('<meta charset="utf-8">', "")
    if declared:
        page = page.replace("<head>", f'<head><meta http-equiv="Content-Type" content="text/html; charset={declared}">')
    p = tmp_path / "r.html"
    p.write_bytes(page.encode(encoding))
    assert _cells(check_path(p)) == reference


def test_short_gbk_that_happens_to_be_valid_utf8_is_read_as_gbk():
    text = "学习"  # GBK D1A7 CFB0: D1A7 is also a valid UTF-8 sequence (a Cyrillic letter)
    data = text.encode("gbk")
    assert data.decode("gbk") == text
    assert decode_text(data).text == text


def test_html_nested_deeply_keeps_its_content(tmp_path: Path, reference: dict, html_page: str):
    for depth in (238, 300, 1500):
        page = html_page.replace("<body>", "<body>" + "<div>" * depth).replace("</body>", "</div>" * depth + "</body>")
        p = tmp_path / f"d{depth}.html"
        p.write_text(page, encoding="utf-8")
        assert _cells(check_path(p)) == reference, depth


def test_html_nested_past_the_parser_limit_is_an_error_not_a_non_report(tmp_path: Path, html_page: str):
    page = html_page.replace("<body>", "<body>" + "<div>" * 3000).replace("</body>", "</div>" * 3000 + "</body>")
    p = tmp_path / "deep.html"
    p.write_text(page, encoding="utf-8")
    r = check_path(p)
    assert (r.status, r.error_code) == ("error", "read.too-deep") and "2048" in r.error


def test_a_file_that_looks_like_a_report_says_why_it_cannot_be_read(tmp_path: Path):
    # Title and the first sections, the tables lost (an image, a broken conversion): not "not a report".
    head = TEXT[:TEXT.index("三、收到和处理政府信息公开申请情况")]
    head = head[:head.index("二、主动公开政府信息情况")]
    p = tmp_path / "r.txt"
    p.write_text(head, encoding="utf-8")
    r = check_path(p)
    assert (r.status, r.error_code) == ("error", "read.report-not-matched")
    assert "示例市交通运输局" in r.error and "本年新收" in r.error and "Looks like" in r.error


def test_a_text_that_is_no_report_is_still_not_a_report(tmp_path: Path):
    p = tmp_path / "n.txt"
    p.write_text("关于做好2024年政务公开工作的通知\n各单位：请按要求做好工作。\n", encoding="utf-8")
    r = check_path(p)
    assert r.status == "not-report"
