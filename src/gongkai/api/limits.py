"""Bounded request bodies: an ASGI middleware that refuses a body over its route's limit before holding it
whole (by Content-Length, and by counting when the length is not declared), and checks a JSON body's shape
(depth, items, string length) before any route sees it. Limits are data (``limits.yaml``)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LIMITS_FILE = Path(__file__).resolve().parent / "limits.yaml"


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_depth: int
    max_items: int
    max_string_chars: int


@lru_cache(maxsize=1)
def _table() -> tuple[Limits, list[tuple[re.Pattern[str], Limits]]]:
    d = yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))
    default = Limits(**d["default"])
    routes = [(re.compile(r.pop("path")), replace(default, **r)) for r in (dict(x) for x in d.get("routes", []))]
    return default, routes


def limits_for(path: str) -> Limits:
    default, routes = _table()
    return next((lim for pat, lim in routes if pat.search(path)), default)


class TooLarge(Exception):
    pass


def check_json_shape(value: Any, lim: Limits) -> str | None:
    """Why a decoded JSON value is out of bounds (Chinese), or None."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > lim.max_depth:
            return f"JSON 嵌套超过 {lim.max_depth} 层"
        if isinstance(v, str):
            if len(v) > lim.max_string_chars:
                return f"字段内容超过 {lim.max_string_chars} 个字符（{len(v)}）"
        elif isinstance(v, dict):
            if len(v) > lim.max_items:
                return f"对象字段超过 {lim.max_items} 个"
            for k, x in v.items():
                if len(k) > 200:
                    return "字段名超过 200 个字符"
                stack.append((x, depth + 1))
        elif isinstance(v, list):
            if len(v) > lim.max_items:
                return f"列表超过 {lim.max_items} 项"
            stack.extend((x, depth + 1) for x in v)
    return None


class BodyLimitMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lim = limits_for(scope.get("path", ""))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > lim.max_body_bytes):
            await _refuse(send, 413, f"请求体超过 {lim.max_body_bytes} 字节的上限")
            return
        # Read the body here, counting, so no route ever holds more than the limit.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > lim.max_body_bytes:
                await _refuse(send, 413, f"请求体超过 {lim.max_body_bytes} 字节的上限")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and headers.get("content-type", "").startswith("application/json"):
            try:
                why = check_json_shape(json.loads(body), lim)
            except RecursionError:
                why = f"JSON 嵌套超过 {lim.max_depth} 层"
            except ValueError:
                why = None   # not valid JSON: the route answers 422 as it always does
            if why:
                await _refuse(send, 413, why)
                return
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Any, status: int, message: str) -> None:
    data = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
