"""Bytes → text by evidence, for the text and HTML readers.

Trying encodings in turn and taking the first that decodes without error misread real files: one
invalid byte in a UTF-8 text of even length made it fail as UTF-8 and as GB18030 and then "succeed"
as UTF-16 — garbage, and a real report called "not an annual report". Here each choice rests on
evidence in the bytes:

1. a byte-order mark;
2. UTF-16 without a mark: in such a file (markup, digits, line breaks) every other byte is zero, and
   UTF-8 or GB18030 text has no zero bytes at all;
3. UTF-8 that decodes cleanly (a Chinese text of any length that is not UTF-8 practically never
   does; a very short one is checked for plausible characters);
4. the charset an HTML page declares, when it decodes cleanly and plausibly;
5. UTF-8 with a few errors: valid multi-byte sequences far outnumber the invalid bytes. Still UTF-8;
   the bad bytes become U+FFFD and a ``read.decode-errors`` finding says where;
6. GB18030 (covering GBK and GB2312) that decodes cleanly;
7. otherwise the candidate with the fewest errors and implausible characters, with a finding.

Nothing here knows about reports.
"""
from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field

from ..findings import Finding
from ..rules.catalog import make_finding

# Characters a Chinese government document is made of, besides ASCII: CJK ideographs and punctuation,
# full-width forms, general punctuation, Latin-1 signs (NBSP, ·, °, ×, ÷; not its letters), letterlike (℃), Roman numerals,
# enclosed numbers (①, ㈠), box and shape symbols (■ ○). Anything else counts against an encoding.
_IMPLAUSIBLE = re.compile("[^\x00-\x7f\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2100-\u218f\u2190-\u21ff\u2460-\u24ff"
                          "\u2500-\u25ff\u2600-\u26ff\u3000-\u303f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
                          "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u0391-\u03c9\u0401-\u0451]")
_SAMPLE = 65536          # bytes looked at for UTF-16's zero bytes
_SHORT = 4096            # a clean UTF-8 decode shorter than this is also checked for plausibility
_UTF8_EVIDENCE = 10      # valid multi-byte characters needed per invalid byte to call a text UTF-8
_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}


@dataclass
class Decoded:
    text: str
    encoding: str            # codec name: utf-8, gb18030, utf-16-le, …
    basis: str               # bom | zero-bytes | clean | declared | evidence | best
    errors: int = 0          # invalid byte sequences, each replaced by U+FFFD
    findings: list[Finding] = field(default_factory=list)


_counts = threading.local()


def _count_and_replace(exc: UnicodeDecodeError) -> tuple[str, int]:
    _counts.n += 1
    return "\ufffd", exc.end


codecs.register_error("gongkai-count", _count_and_replace)


def _decode(data: bytes, enc: str) -> tuple[str, int]:
    """The text and how many invalid sequences were replaced by U+FFFD."""
    try:
        return data.decode(enc), 0
    except UnicodeDecodeError:
        pass
    except LookupError:
        return "", len(data)
    _counts.n = 0
    text = data.decode(enc, errors="gongkai-count")
    return text, _counts.n


def _implausible(text: str) -> int:
    return len(_IMPLAUSIBLE.findall(text))


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _plausible(text: str) -> bool:
    """Nearly every non-ASCII character is one a Chinese document is made of (an odd symbol is allowed)."""
    return _implausible(text) * 20 <= _non_ascii(text)


def _utf16_by_zeros(data: bytes) -> str | None:
    sample = data[:_SAMPLE]
    if b"\x00" not in sample:
        return None  # no zero byte at all (UTF-8 and GB18030 text): neither half has the zeros UTF-16 needs
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    need = max(4, pairs // 50)  # ASCII-heavy UTF-16 has a zero in (nearly) every other byte
    # The other half has zeros too where a CJK character's code ends in 00 (一 is 4E 00): fewer by far.
    if odd >= need and even * 3 <= odd:
        return "utf-16-le"
    if even >= need and odd * 3 <= even:
        return "utf-16-be"
    return None


def _lines(text: str, limit: int = 5) -> list[int]:
    out: list[int] = []
    for m in re.finditer("\ufffd", text):
        line = text.count("\n", 0, m.start()) + 1
        if not out or out[-1] != line:
            out.append(line)
        if len(out) == limit:
            break
    return out


def _result(text: str, enc: str, basis: str, errors: int) -> Decoded:
    findings = []
    name = _NAMES.get(enc, enc.upper())
    if errors:
        findings.append(make_finding("read.decode-errors", encoding=name, count=errors,
                                     lines="、".join(map(str, _lines(text))) or "?"))
    if enc != "utf-8" and basis in ("zero-bytes", "evidence", "best"):
        how = {"zero-bytes": ("UTF-16 无字节序标记，按隔字节出现的零字节判断", "UTF-16 without a byte-order mark, "
                              "from the zero byte in every other byte"),
               "evidence": ("GB18030（含 GBK、GB2312）可无误解码", "decodes as GB18030 (GBK, GB2312) without error"),
               "best": ("各编码均有错误，取错误和异常字符最少者", "no encoding decodes cleanly: the one with the "
                        "fewest errors and implausible characters")}[basis]
        findings.append(make_finding("read.encoding-detected", encoding=name, how=how[0], how_en=how[1]))
    return Decoded(text, enc, basis, errors, findings)


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """The text of ``data`` (see the module docstring for the order of evidence)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            text, errors = _decode(data[len(bom):], enc)
            return _result(text, enc, "bom", errors)
    wide = _utf16_by_zeros(data)
    if wide:
        text, errors = _decode(data, wide)
        if errors * _UTF8_EVIDENCE <= len(text):
            return _result(text, wide, "zero-bytes", errors)
    text, errors = _decode(data, "utf-8")
    if not errors and (len(data) > _SHORT or _plausible(text)):
        return _result(text, "utf-8", "clean", 0)
    if declared and declared != "utf-8":
        d_text, d_errors = _decode(data, declared)
        if not d_errors and _plausible(d_text):
            return _result(d_text, declared, "declared", 0)
    multibyte = _non_ascii(text) - errors
    if errors and multibyte >= errors * _UTF8_EVIDENCE and _plausible(text):
        return _result(text, "utf-8", "evidence", errors)
    g_text, g_errors = _decode(data, "gb18030")
    if not g_errors and _plausible(g_text):
        return _result(g_text, "gb18030", "evidence", 0)
    candidates = [(text, "utf-8", errors), (g_text, "gb18030", g_errors)]
    others = [declared] if declared and declared not in ("utf-8", "gb18030") else []
    if len(data) % 2 == 0:
        others += ["utf-16-le", "utf-16-be"]
    for enc in others:
        o_text, o_errors = _decode(data, enc)
        candidates.append((o_text, enc, o_errors))
    # Fewest errors and implausible characters; on a tie the earlier (more likely) encoding.
    best = min(candidates, key=lambda c: (2 * c[2] + _implausible(c[0]), candidates.index(c)))
    if best[2] == 0 and best[1] == "utf-8":
        return _result(best[0], "utf-8", "clean", 0)
    return _result(best[0], best[1], "best", best[2])
