"""The JSON API: ``create_app()`` assembles the routers of each area on one store.

Deny by default: the app requires ``gongkai.auth.deny_undeclared`` on every route, so a route that does not
declare its permission with ``require(...)`` (or ``open_route``) answers 403; bodies are bounded
(``limits.yaml``); errors never show a server path or a traceback (``errors.py``).
"""
from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI

from gongkai.auth import Principal, deny_undeclared, install as install_auth, require
from gongkai.auth.deps import annotate_openapi
from gongkai.store.db import connect

from . import errors
from .limits import BodyLimitMiddleware


def create_app(url: str | None = None, *, migrate: bool = True) -> FastAPI:
    from .compose import router as compose_router
    from .requests import calendar_router, router as requests_router

    app = FastAPI(title="gongkai", version="0.1.0", dependencies=[Depends(deny_undeclared)],
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.state.engine = connect(url, migrate=migrate)
    install_auth(app)
    app.include_router(requests_router)
    app.include_router(calendar_router)
    app.include_router(compose_router)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: Principal = Depends(require("docs.read"))) -> dict[str, Any]:
        return app.openapi()

    # Before any request: FastAPI versions that cache per-route contexts copy the OpenAPI extras when they
    # first serve a route (routes added later are annotated when the document is next generated).
    annotate_openapi(app)
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware)
    return app
