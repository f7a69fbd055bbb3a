"""Text normalisation shared by readers and matchers."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")


class CharMap:
    """``str.translate`` for a handful of characters, about twenty times faster on Chinese text.

    ``translate`` with a table looks every character up in a dict; a report's text has few of the
    mapped characters, so testing each mapped character with ``in`` (a C scan) and replacing only
    those present costs far less. The benchmarks' hot paths (labels, value runs, prose numbers)
    call this tens of thousands of times per second.
    """

    __slots__ = ("pairs", "ascii_noop")

    def __init__(self, src: str, dst: str = "", delete: str = "") -> None:
        if len(src) != len(dst):
            raise ValueError("src and dst must have the same length")
        self.pairs = tuple(zip(src, dst)) + tuple((ch, "") for ch in delete)
        # ASCII text (digit runs, most value cells) is returned at once when only non-ASCII maps.
        self.ascii_noop = all(not a.isascii() for a, _ in self.pairs)

    def __call__(self, text: str) -> str:
        if self.ascii_noop and text.isascii():
            return text
        for a, b in self.pairs:
            if a in text:
                text = text.replace(a, b)
        return text


# White space and characters that vary between copies of the same label and carry no meaning.
_DROP = re.compile("[\\s“”\"'‘’「」『』《》·•:：;；,，。！!?？\u3000\u00a0\\\\]+")  # \\: Markdown's escapes
_UNIFY = CharMap("〔〕【】[]．", "(())()." )


# Full-width ASCII forms and the ideographic space: NFKC maps each to one ASCII character.
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_WIDE_ASCII = {chr(cp): unicodedata.normalize("NFKC", chr(cp)) for cp in [*range(0xFF01, 0xFF5F), 0x3000]}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, three times faster on report labels.

    Chinese labels nearly always hold full-width punctuation (，（）：), and NFKC on a string that is
    not already normal runs its full decompose-and-compose pass. Mapping those characters to the
    ASCII characters NFKC gives them (one for one, combining class 0, so the rest of the string
    normalises the same) and then testing the result is cheap; anything else falls back to NFKC.
    """
    wide = _WIDE.findall(text)
    narrowed = text
    # each distinct wide character replaced once (a sub with a Python callback costs a call per occurrence,
    # and prose is full of "，")
    for ch in set(wide) if wide else ():
        narrowed = narrowed.replace(ch, _WIDE_ASCII[ch])
    if unicodedata.is_normalized("NFKC", narrowed):
        return narrowed
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=32768)  # the same official labels recur in every report of a batch
def normalize_label(text: str) -> str:
    """A label reduced to what identifies it: NFKC, no white space, quotes or list punctuation.

    ``（三）不 予公开`` → ``(三)不予公开``; ``3. 危及“三安全一稳定”`` → ``3.危及三安全一稳定``.
    """
    return _DROP.sub("", _UNIFY(nfkc(text)))


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))
