"""Hash chains over append-only records (the register's events, the security log).

Each record's hash covers the previous record's hash and the record's own canonical content, so changing,
removing or re-ordering any record breaks every hash after it. The canonical form is JSON with sorted keys,
no spaces and dates in ISO form: the same bytes whatever the database gave back.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Mapping

GENESIS = "0" * 64


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, datetime):
        return v.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(_plain(content), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link_hash(prev_hash: str | None, content: Mapping[str, Any]) -> str:
    h = hashlib.sha256()
    h.update((prev_hash or GENESIS).encode("ascii"))
    h.update(b"\n")
    h.update(canonical(content))
    return h.hexdigest()
