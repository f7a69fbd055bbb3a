"""File names made from text (an agency's name, a title): never a path.

A name taken from a request or a document may hold ``/``, ``\\``, ``..``, a drive letter, control characters or
be empty; ``safe_filename`` keeps the readable part as one file name component and nothing else.
"""
from __future__ import annotations

import re
import unicodedata

_BAD = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_BYTES = 200  # well under every file system's 255-byte limit, with room for a suffix


def safe_filename(text: str, fallback: str = "document") -> str:
    """One path component made from ``text``: separators and reserved characters become ``_``, leading dots and
    spaces go, and the result is cut to ``MAX_BYTES`` of UTF-8. Empty or dots only → ``fallback``."""
    name = _BAD.sub("_", unicodedata.normalize("NFC", text or "")).strip(" ._")
    name = name.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return name or fallback
