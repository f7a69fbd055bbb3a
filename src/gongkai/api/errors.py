"""One error policy for the whole API: no server path and no traceback ever reaches a caller.

- ``HTTPException`` details are scrubbed of absolute file system paths (a temporary directory, the package).
- Any other exception answers 500 with a reference number; the traceback goes to the server log only.
"""
from __future__ import annotations

import logging
import re
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse

from gongkai.filenames import safe_filename

log = logging.getLogger("gongkai.api")

# An absolute POSIX path (/tmp/…, /home/…) or a Windows one (C:\…): at least two components, not part of a word
# or a URL path in the middle of text like 1/2.
_PATH = re.compile(r"(?<![\w/.:])(?:/[^\s/\"'，。；：、]+){2,}/?|(?<![\w])[A-Za-z]:\\[^\s\"'，。；]+")
HIDDEN = "〔服务器文件〕"


def scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _PATH.sub(HIDDEN, value)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def attachment(name: str, fallback: str) -> str:
    """A Content-Disposition value for a download named ``name`` (any text): a safe file name, UTF-8 encoded."""
    safe = safe_filename(name, fallback)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe)}"


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": scrub(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return JSONResponse({"detail": scrub(errors)}, status_code=422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        ref = secrets.token_hex(4)
        log.exception("internal error %s on %s %s", ref, request.method, request.url.path)
        return JSONResponse({"detail": f"服务器内部错误，请联系管理员（参考编号 {ref}）"}, status_code=500)
