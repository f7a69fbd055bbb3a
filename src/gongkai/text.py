"""Text normalisation shared by readers and matchers."""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Characters that vary between copies of the same label and carry no meaning for matching.
_DROP = str.maketrans("", "", "“”\"'‘’「」『』《》·•:：;；,，。！!?？ \u3000\u00a0")
_UNIFY = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "．": ".", "、": "、"})


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalize_label(text: str) -> str:
    """A label reduced to what identifies it: NFKC, no white space, quotes or list punctuation.

    ``（三）不 予公开`` → ``(三)不予公开``; ``3. 危及“三安全一稳定”`` → ``3.危及三安全一稳定``.
    """
    t = nfkc(text).translate(_UNIFY)
    t = _SPACE.sub("", t)
    return t.translate(_DROP)


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))
