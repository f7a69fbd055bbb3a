"""The web app: the JSON API of ``gongkai.api`` plus the pages and ``/api/v1``, on one store.

``create_web_app(url)`` is what ``gongkai serve`` runs. Everything is served by the app itself
(ECharts is vendored from its npm package under ``static/vendor``); nothing is loaded from the
internet. Every page and API route declares its permission (deny by default, ``gongkai.auth``).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api.errors import scrub
from ..auth import accounts
from ..auth.deps import clear_session_cookie, current_principal, open_route, require, set_session_cookie
from ..store.reports import ReportStore
from .render import page

STATIC = Path(__file__).resolve().parent / "static"
# Scripts only from the app itself, no inline script, no plug-ins, no framing by other sites.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
ERROR_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited", 500: "internal"}


API_PREFIXES = ("/api", "/auth", "/requests", "/calendar", "/compose", "/docs", "/openapi.json")


def _is_page(request: Request) -> bool:
    """A page answers a browser (redirect to log in, an HTML error); the JSON API answers JSON."""
    p = request.url.path
    return not any(p == a or p.startswith(a + "/") for a in API_PREFIXES)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never //host or a scheme (no open redirect after login)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def install_pages(app: FastAPI) -> None:
    from . import api_v1, composer, desk, pages, plans

    app.state.store = ReportStore(engine=app.state.engine, migrate=False)
    app.include_router(api_v1.router)
    app.include_router(pages.router)
    app.include_router(desk.router)
    app.include_router(composer.router)
    app.include_router(plans.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False, dependencies=[])
    def login_form(request: Request, next: str = "/", _: None = open_route_dep()):
        return page(request, "login.html", title="登录", next=_safe_next(next), error=None)

    @app.post("/login", include_in_schema=False)
    async def login_post(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
                         _: None = open_route_dep()):
        ip = request.client.host if request.client else ""
        try:
            secret, _p = await run_in_threadpool(accounts.login, request.app.state.engine, username, password, ip=ip,
                                                 user_agent=request.headers.get("user-agent", ""))
        except accounts.RateLimited as e:
            return page(request, "login.html", status_code=429, title="登录", next=_safe_next(next), error=str(e))
        except accounts.LoginRefused as e:
            return page(request, "login.html", status_code=401, title="登录", next=_safe_next(next), error=str(e))
        resp = RedirectResponse(_safe_next(next), status_code=303)
        set_session_cookie(resp, request, secret)
        return resp

    @app.post("/logout", include_in_schema=False)
    def logout_post(request: Request, p=require_dep("session.own")):
        accounts.logout(request.app.state.engine, p)
        resp = RedirectResponse("/login", status_code=303)
        clear_session_cookie(resp, request)
        return resp

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if _is_page(request):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(HTTPException)
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _is_page(request):
            if exc.status_code == 401:
                target = request.url.path + (("?" + request.url.query) if request.url.query else "")
                return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
            titles = {403: "无权访问", 404: "未找到", 413: "文件过大", 422: "无法处理", 429: "请求过多"}
            try:
                current_principal(request)
            except HTTPException:
                pass
            return page(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                        title=titles.get(exc.status_code, "出错了"), message=scrub(str(exc.detail)))
        body = {"detail": scrub(exc.detail)}
        if request.url.path.startswith("/api/v1"):
            body = {"error": {"code": ERROR_CODES.get(exc.status_code, "error"), "message": scrub(str(exc.detail)),
                              "details": None}}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        details = scrub([{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()])
        if request.url.path.startswith("/api/v1"):
            return JSONResponse({"error": {"code": "invalid", "message": "请求参数无效", "details": details}},
                                status_code=422)
        if _is_page(request):
            return page(request, "error.html", status_code=422, status=422, title="请求参数无效",
                        message="；".join(f"{'.'.join(map(str, d['loc']))}: {d['msg']}" for d in details))
        return JSONResponse({"detail": details}, status_code=422)


def open_route_dep():
    from fastapi import Depends

    return Depends(open_route)


def require_dep(permission: str):
    from fastapi import Depends

    return Depends(require(permission))


def create_web_app(url: str | None = None, *, migrate: bool = True) -> FastAPI:
    from ..api import create_app
    from ..auth.deps import annotate_openapi

    app = create_app(url, migrate=migrate)
    install_pages(app)
    annotate_openapi(app)   # the pages' and /api/v1's permissions into the OpenAPI document too
    return app
