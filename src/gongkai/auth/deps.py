"""The FastAPI side of accounts: who is calling, what the route needs, login and logout.

Use (the JSON API and the web pages alike)::

    app = FastAPI(dependencies=[Depends(deny_undeclared)])   # every route must declare what it needs
    install(app, engine)                                     # /auth/login, /auth/logout, /auth/me
    @router.get("/requests/{agency}/{number}")
    def show(agency: str, number: str, user: Principal = Depends(require("requests.read"))): ...

``require(permission)`` returns the caller (:class:`~gongkai.auth.accounts.Principal`) or answers 401 (no or bad
credentials) / 403 (the role lacks the permission, or the path's ``{agency}`` is outside the permission's scope).
Credentials: ``Authorization: Bearer gk_…`` (API tokens, for scripts) or the session cookie set by
``POST /auth/login`` (HttpOnly, SameSite=Lax, Secure when the request came over https — behind a TLS proxy run
uvicorn with ``--proxy-headers`` — or when ``GONGKAI_SECURE_COOKIES=1``). A request authenticated by the cookie that
changes anything (POST, PUT, PATCH, DELETE) must carry the session's CSRF token, as the ``X-CSRF-Token`` header or a
``csrf_token`` form field; ``/auth/login`` and ``/auth/me`` return it. ``open_route`` marks the few routes anyone may
call (the login itself). A route with neither is refused by ``deny_undeclared`` — deny by default.

An app of its own (the web pages) should also add ``gongkai.api.limits.BodyLimitMiddleware`` (limits per path in
``api/limits.yaml``) and ``gongkai.api.errors.install(app)`` (no server path or traceback in any error), and call
``annotate_openapi(app)`` once its routes are in, before serving (the OpenAPI ``x-permission`` of each route).
FastAPI validates a body before it runs dependencies, so a malformed body from an anonymous caller gets 422, not
401 (the body limits apply all the same).
"""
from __future__ import annotations

import hmac
import inspect
import os
from typing import Any, Callable, Iterator

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from . import accounts, scope
from .accounts import Principal
from .policy import policy

OPEN = "open"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AGENCY_PARAM = "agency"


def _engine(request: Request) -> Engine:
    return request.app.state.engine


def current_principal(request: Request) -> Principal | None:
    """The caller, from a Bearer token or the session cookie (looked up once per request); None if anonymous.
    A Bearer token that is not valid is a 401 at once, never a fall-back to the cookie."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    auth = request.headers.get("authorization", "")
    p: Principal | None = None
    if auth:
        kind, _, token = auth.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise HTTPException(401, "Authorization 须为 Bearer 令牌", headers={"WWW-Authenticate": "Bearer"})
        p = accounts.principal_from_token(_engine(request), token.strip())
        if p is None:
            raise HTTPException(401, "令牌无效、已过期或已吊销", headers={"WWW-Authenticate": "Bearer"})
    else:
        secret = request.cookies.get(policy().cookie)
        if secret:
            p = accounts.principal_from_session(_engine(request), secret)
    request.state.principal = p
    return p


async def _csrf_sent(request: Request) -> str:
    token = request.headers.get("x-csrf-token")
    if token:
        return token
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded",
                                                           "multipart/form-data")):
        form = await request.form()    # cached by Starlette: the route still reads the same form
        v = form.get("csrf_token")
        return v if isinstance(v, str) else ""
    return ""


def require(permission: str) -> Callable[..., Any]:
    """A dependency that admits only callers whose role has ``permission`` (within its scope for the path's
    ``{agency}``) and returns the caller."""

    async def dependency(request: Request) -> Principal:
        from starlette.concurrency import run_in_threadpool

        p = await run_in_threadpool(current_principal, request)
        if p is None:
            raise HTTPException(401, "请先登录", headers={"WWW-Authenticate": "Bearer"})
        if not p.has(permission):
            raise HTTPException(403, f"当前角色（{p.role.label}）无此权限：{_label(permission)}")
        agency = request.path_params.get(AGENCY_PARAM)
        if agency is not None and not await run_in_threadpool(scope.reaches, _engine(request), p, permission,
                                                               agency):
            raise HTTPException(403, f"无权访问“{agency}”的数据（{p.role.label}，所属机关：{p.agency}）")
        if p.via == "session" and request.method not in SAFE_METHODS:
            sent = await _csrf_sent(request)
            if not (sent and p.csrf_token and hmac.compare_digest(sent, p.csrf_token)):
                raise HTTPException(403, "缺少或错误的 CSRF 令牌（X-CSRF-Token）")
        return p

    dependency.gongkai_permission = permission  # type: ignore[attr-defined]
    dependency.__name__ = f"require_{permission.replace('.', '_')}"
    return dependency


def open_route() -> None:
    """Marks a route that anyone may call (the login itself)."""


open_route.gongkai_permission = OPEN  # type: ignore[attr-defined]


def _label(permission: str) -> str:
    from .roles import permissions

    p = permissions().get(permission)
    return p.label if p else permission


def _dependency_calls(fn: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """Every dependency ``fn`` declares, through parameter defaults ``= Depends(x)`` or ``Annotated[…, Depends(x)]``,
    recursively (a dependency's own dependencies too)."""
    seen: set[int] = set()
    stack = [fn]
    while stack:
        f = stack.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        try:
            params = inspect.signature(f).parameters.values()
        except (TypeError, ValueError):
            continue
        for prm in params:
            marks = [prm.default] + list(getattr(prm.annotation, "__metadata__", ()))
            for m in marks:
                dep = getattr(m, "dependency", None)
                if callable(dep):
                    yield dep
                    stack.append(dep)


def declared_permission(endpoint: Callable[..., Any] | None) -> str | None:
    """The permission an endpoint declares through ``require``/``open_route`` in its dependencies."""
    if endpoint is None:
        return None
    for dep in _dependency_calls(endpoint):
        perm = getattr(dep, "gongkai_permission", None)
        if perm is not None:
            return perm
    return None


def _route_dependencies_permission(route: Any) -> str | None:
    """A permission given in ``dependencies=[Depends(require(...))]`` of the route itself."""
    for d in getattr(route, "dependencies", None) or []:
        perm = getattr(getattr(d, "dependency", None), "gongkai_permission", None)
        if perm is not None:
            return perm
    return None


def route_permission(route: Any) -> str | None:
    return declared_permission(getattr(route, "endpoint", None)) or _route_dependencies_permission(route)


_declared: dict[int, str | None] = {}


def deny_undeclared(request: Request) -> None:
    """App-wide dependency: a route that declares no permission answers 403, whatever it is."""
    route = request.scope.get("route")
    endpoint = getattr(route, "endpoint", None) or request.scope.get("endpoint")
    if endpoint is None:
        raise HTTPException(403, "未声明权限的接口一律拒绝")
    key = id(endpoint)
    if key not in _declared:
        _declared[key] = route_permission(route) if route is not None else declared_permission(endpoint)
    if _declared[key] is None:
        raise HTTPException(403, "未声明权限的接口一律拒绝")


def api_routes(app: Any) -> Iterator[APIRoute]:
    """Every APIRoute of ``app``, also inside included routers (FastAPI versions that keep them nested)."""
    stack = list(app.routes)
    while stack:
        r = stack.pop(0)
        if isinstance(r, APIRoute):
            yield r
        sub = getattr(r, "original_router", None)
        if sub is not None:
            stack.extend(sub.routes)


def annotate_openapi(app: FastAPI) -> None:
    """Write each route's permission into the OpenAPI document (``x-permission``)."""
    changed = False
    for route in api_routes(app):
        perm = route_permission(route)
        if perm is not None and (route.openapi_extra or {}).get("x-permission") != perm:
            route.openapi_extra = {**(route.openapi_extra or {}), "x-permission": perm}
            changed = True
    if changed:
        app.openapi_schema = None


def secure_cookies(request: Request) -> bool:
    return request.url.scheme == "https" or os.environ.get("GONGKAI_SECURE_COOKIES", "") in ("1", "true", "yes")


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    p = policy()
    response.set_cookie(p.cookie, secret, max_age=p.absolute_hours * 3600, httponly=True, samesite=p.same_site,
                        secure=secure_cookies(request), path="/")


def clear_session_cookie(response: Response, request: Request) -> None:
    p = policy()
    response.delete_cookie(p.cookie, path="/", httponly=True, samesite=p.same_site, secure=secure_cookies(request))


def _me(p: Principal) -> dict[str, Any]:
    return {"username": p.username, "display_name": p.display_name, "agency": p.agency, "role": p.role.name,
            "role_label": p.role.label, "permissions": sorted(p.role.permissions), "via": p.via,
            "csrf_token": p.csrf_token}


router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login")
async def login(request: Request, response: Response, _: None = Depends(open_route)) -> dict[str, Any]:
    """Body: JSON ``{"username", "password"}`` or the same as a form. Sets the session cookie; returns the user
    and the CSRF token. 401 for any wrong name or password, 429 (Retry-After) after too many failures."""
    from starlette.concurrency import run_in_threadpool

    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError as exc:
            raise HTTPException(422, "请求体不是有效的 JSON") from exc
    else:
        body = dict(await request.form())
    if not isinstance(body, dict) or not isinstance(body.get("username"), str) \
            or not isinstance(body.get("password"), str):
        raise HTTPException(422, "须提供 username 和 password")
    ip = request.client.host if request.client else ""
    try:
        secret, p = await run_in_threadpool(accounts.login, _engine(request), body["username"], body["password"],
                                            ip=ip, user_agent=request.headers.get("user-agent", ""))
    except accounts.RateLimited as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    except accounts.LoginRefused as exc:
        raise HTTPException(401, str(exc)) from exc
    set_session_cookie(response, request, secret)
    return _me(p)


@router.post("/logout")
def logout(request: Request, response: Response, p: Principal = Depends(require("session.own"))) -> dict[str, Any]:
    accounts.logout(_engine(request), p)
    clear_session_cookie(response, request)
    return {"ok": True}


@router.get("/me")
def me(p: Principal = Depends(require("session.own"))) -> dict[str, Any]:
    return _me(p)


def install(app: FastAPI) -> None:
    """Add the login routes to ``app`` (which must hold ``app.state.engine`` and be built with
    ``dependencies=[Depends(deny_undeclared)]``), and have its OpenAPI document name each route's permission
    (``x-permission``), also for routes added later."""
    app.include_router(router)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        annotate_openapi(app)
        return generate()

    app.openapi = openapi  # type: ignore[method-assign]
